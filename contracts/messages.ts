import type { z } from 'zod';

/** A message's content, or why it has none this reader accepts. */
export type MessageParse<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * A Kafka message value read as JSON and checked against `schema`; otherwise the reason: empty, not JSON (with
 * the parser's words), or `not <what>` naming each bad field. Never throws.
 */
export function parseMessageValue<T>(value: Buffer | string | null, schema: z.ZodType<T>, what: string): MessageParse<T> {
  if (value === null) return { ok: false, reason: 'empty message' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString());
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`);
  return { ok: false, reason: `not ${what}: ${issues.join('; ')}` };
}
