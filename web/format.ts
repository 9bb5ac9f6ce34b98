/** Shared formatting of the pages; the same rules run in the browser (assets/common.js formats money alike). */

/** An amount in minor units as the shopper reads it: `$1,299.00`, `€18.00`; unknown currencies keep their code. */
export function formatMoney(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

/** A rating out of five in words and stars, for a label and a glyph line: `4.5 out of 5 (120 reviews)`. */
export function ratingText(avg: number, count: number): string {
  if (count === 0) return 'No reviews yet';
  return `${avg.toFixed(1)} out of 5 (${count} ${count === 1 ? 'review' : 'reviews'})`;
}

/** A date and time in UTC, unambiguous for every shopper: `27 Nov 2026, 14:05 UTC`. */
export function formatUtc(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  const date = d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
  return `${date}, ${time} UTC`;
}

/** Which of a fixed set of placeholder colours a product's tile gets: the same product always the same one. */
export function tileShade(id: string, shades = 6): number {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % shades;
}

/** The letters a product's tile shows: the first letter of its first two words. */
export function initials(title: string): string {
  const words = title.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  return words
    .slice(0, 2)
    .map((w) => [...w.replace(/^[^\p{L}\p{N}]+/u, '')][0] ?? '')
    .join('')
    .toUpperCase();
}
