import { readFile } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import { dropChannel, dropKeys } from '../contracts/index.ts';
import { encodeCommands, parseReply, type Decided, type Refused, type SequencedCommand } from './protocol.ts';

/** The drop's Redis keys the sequencer uses, in the script's KEYS order. */
export const sequencerKeys = (dropId: string) => {
  const k = dropKeys(dropId);
  return { state: k.state, decisions: k.decisions, waitlist: k.waitlist, pending: k.pending, holds: k.holds };
};

/** The source of decide.lua. */
export const loadDecideLua = (): Promise<string> =>
  readFile(new URL('./decide.lua', import.meta.url), 'utf8');

/** One drop's commands of one chunk. */
export interface DecideInput {
  dropId: string;
  /** The `drop.intents` partition the commands came from; must be the drop's own. */
  partition: number;
  /** Epoch ms: the time of the decisions and the start of new holds. */
  now: number;
  /** The drop's commands in log order (offsets increasing). */
  commands: readonly SequencedCommand[];
  /**
   * Pending decisions up to this seq are not returned again: the caller already has them (on their way to
   * Kafka, not yet acknowledged). Default 0: every pending decision is returned.
   */
  knownSeq?: number;
}

/** The decide.lua script bound to one Redis connection. */
export interface Decider {
  /**
   * Decides the drop's commands in log order (see decide.lua for the rules), all in one atomic script
   * call unless a waitlist walk longer than `sweepMax` has to be split into several (no other writer
   * can interleave: the drop has one sequencer). Each call publishes a `DropEvent` on the drop's
   * channel. Commands at or below the drop's decided offset change nothing. The returned decisions
   * stay pending in Redis, and are returned again by every later call, until `ack`.
   */
  decide(input: DecideInput): Promise<Decided | Refused>;
  /** Forgets pending decisions up to `seq`, once they are safely on Kafka. */
  ack(dropId: string, seq: number): Promise<void>;
}

const isNoScript = (err: unknown): boolean => err instanceof Error && err.message.startsWith('NOSCRIPT');

export interface DeciderOptions {
  /** Most waitlisted intents one call walks when no hold is left (default 2000), to bound its time. */
  sweepMax?: number;
}

/** Loads decide.lua into Redis (again whenever Redis forgot it) and calls it by its SHA. */
export async function createDecider(redis: Redis, o: DeciderOptions = {}): Promise<Decider> {
  const source = await loadDecideLua();
  const sweepMax = String(Math.max(1, o.sweepMax ?? 2000));
  let sha = (await redis.script('LOAD', source)) as string;

  // One array argument (ioredis flattens it): thousands of commands would overflow a spread call.
  const call = async (keys: string[], args: string[]): Promise<unknown> => {
    const all = [...keys, ...args];
    try {
      return await redis.evalsha(sha, keys.length, all);
    } catch (err) {
      if (!isNoScript(err)) throw err;
      sha = (await redis.script('LOAD', source)) as string;
      return redis.evalsha(sha, keys.length, all);
    }
  };

  return {
    async decide({ dropId, partition, now, commands, knownSeq }) {
      const k = sequencerKeys(dropId);
      const keys = [k.state, k.decisions, k.waitlist, k.pending, k.holds];
      const head = [dropId, String(now), String(partition), dropChannel(dropId), sweepMax];
      const decisions: string[] = [];
      let redelivered = 0;
      let known = knownSeq ?? 0; // pending decisions up to this seq are already with the caller
      let rest = commands;
      for (let calls = 1; ; calls++) {
        const args = [...head, String(known), ...encodeCommands(rest)];
        const r = parseReply(dropId, partition, await call(keys, args));
        if (!r.ok) return r;
        if (calls === 1) redelivered = r.redelivered;
        for (const d of r.decisions) decisions.push(d); // can be many: no spread
        known = r.seq;
        const left = rest.filter((c) => c.offset > r.decidedOffset);
        if (!r.unsettled && left.length === 0) {
          const { status, remaining, decidedOffset, seq } = r;
          return { ok: true, status, remaining, decidedOffset, seq, redelivered, decisions, calls };
        }
        if (!r.unsettled && left.length === rest.length) {
          throw new Error(`decide.lua made no progress on drop ${dropId}`);
        }
        rest = left;
      }
    },
    async ack(dropId, seq) {
      await redis.zremrangebyscore(sequencerKeys(dropId).pending, '-inf', seq);
    },
  };
}
