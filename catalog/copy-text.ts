/** Encoding of rows for PostgreSQL's COPY … FROM STDIN in its default text format. */

type Value = string | number | boolean | Date | null | readonly string[] | { json: unknown };

/** Backslash, tab, newline and carriage return escaped as COPY's text format expects. */
const escapeText = (s: string) => s.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);

/** A text[] literal: every element double-quoted, quotes and backslashes escaped. */
const arrayLiteral = (items: readonly string[]) => `{${items.map((i) => `"${i.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;

/** One COPY field: null as \N, arrays as text[] literals, `{ json }` as JSON, dates as ISO 8601. */
export function copyField(v: Value): string {
  if (v === null) return '\\N';
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return escapeText(arrayLiteral(v as readonly string[]));
  if (typeof v === 'object') return escapeText(JSON.stringify((v as { json: unknown }).json));
  return escapeText(String(v));
}

/** One COPY line: fields joined by tabs, ended by a newline. */
export const copyLine = (fields: readonly Value[]): string => `${fields.map(copyField).join('\t')}\n`;
