import { dropCommand, parseMessageValue } from '../contracts/index.ts';
import { groupBy } from '../platform/index.ts';
import type { SequencedCommand } from './protocol.ts';

/** The parts of a Kafka message the sequencer reads. */
export interface RawMessage {
  offset: string;
  value: Buffer | string | null;
}

/** A message's command, or why it is not one. */
export type Parsed = { ok: true; message: SequencedCommand } | { ok: false; reason: string };

/**
 * A message's command if it is JSON valid against `dropCommand`; otherwise the reason, naming each
 * bad field. Never throws.
 */
export function parseMessage(m: RawMessage): Parsed {
  const parsed = parseMessageValue(m.value, dropCommand, 'a command');
  return parsed.ok ? { ok: true, message: { offset: Number(m.offset), command: parsed.value } } : parsed;
}

/**
 * How many of these decisions (the script's JSON) gave each status, read without parsing them: the counter of
 * decisions is bumped on the sequencer's hot path. A text without a status counts as `unknown`.
 */
export function statusCounts(decisions: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  const FIELD = '"status":"';
  for (const d of decisions) {
    const at = d.indexOf(FIELD);
    const end = at < 0 ? -1 : d.indexOf('"', at + FIELD.length);
    const status = end < 0 ? 'unknown' : d.slice(at + FIELD.length, end);
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  return counts;
}

/** Consecutive slices of at most `max` items (max ≥ 1), in order. */
export function chunk<T>(items: readonly T[], max: number): T[][] {
  if (!(max >= 1)) throw new RangeError(`chunk size must be at least 1, got ${max}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += max) out.push(items.slice(i, i + max));
  return out;
}

/** Commands grouped by drop, each group in the order given, groups in order of first appearance. */
export const groupByDrop = (commands: readonly SequencedCommand[]): Map<string, SequencedCommand[]> =>
  groupBy(commands, (c) => c.command.drop_id);

/**
 * Consecutive slices, in order, each with at most `maxBytes` of values (a single larger value gets
 * a slice of its own), so no produce request exceeds the broker's size limit.
 */
export function splitBySize<T extends { value: string }>(items: readonly T[], maxBytes: number): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let size = 0;
  for (const it of items) {
    const n = Buffer.byteLength(it.value);
    if (cur.length > 0 && size + n > maxBytes) {
      out.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(it);
    size += n;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}
