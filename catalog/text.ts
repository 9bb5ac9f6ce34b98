/** Most words a query is read for; the rest are ignored. */
export const MAX_TOKENS = 12;
const MAX_TOKEN_LENGTH = 40;

/**
 * The words of a text as search compares them: lower case, split on anything that is not a letter or a digit
 * (so the result is always safe inside a tsquery), at most MAX_TOKENS words of at most 40 characters.
 */
export function tokenize(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t !== '')
    .slice(0, MAX_TOKENS)
    .map((t) => t.slice(0, MAX_TOKEN_LENGTH));
}

/** A category name as its URL slug, the way the database derives `category_slugs` ('Home & Kitchen' → 'home-kitchen'). */
export const slugify = (name: string): string =>
  name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
