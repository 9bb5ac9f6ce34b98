import type { Redis } from 'ioredis';
import { dropKeys } from '../contracts/index.ts';

/** The drop's state in Redis at one moment. */
export interface Sample {
  at: number;
  status: string;
  held: number;
  purchased: number;
  /** Decisions made so far (the drop's decision seq). */
  seq: number;
  decided_offset: number;
  last_offset: number;
  sweeping: boolean;
}

/**
 * Reads the drop's state hash every `everyMs` (one HMGET) until stopped; `latest` is the newest sample.
 * `onClosed` is called once, with the first sample that finds the drop sold out or ended.
 */
export function startSampler(redis: Redis, dropId: string, everyMs = 100, onClosed?: (s: Sample) => void) {
  const samples: Sample[] = [];
  const key = dropKeys(dropId).state;
  const fields = ['status', 'held', 'purchased', 'seq', 'decided_offset', 'last_offset', 'sweeping'];
  const read = async (): Promise<Sample> => {
    const v = await redis.hmget(key, ...fields);
    const n = (i: number, d = 0) => (v[i] === null || v[i] === undefined || v[i] === '' ? d : Number(v[i]));
    return {
      at: Date.now(),
      status: v[0] ?? 'unknown',
      held: n(1),
      purchased: n(2),
      seq: n(3),
      decided_offset: n(4, -1),
      last_offset: n(5, -1),
      sweeping: v[6] === '1',
    };
  };
  let running = true;
  const loop = (async () => {
    let closed = false;
    while (running) {
      const s = await read();
      samples.push(s);
      if (!closed && (s.status === 'sold_out' || s.status === 'ended')) {
        closed = true;
        onClosed?.(s);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    samples,
    latest: () => samples[samples.length - 1],
    async stop() {
      running = false;
      await loop;
    },
  };
}
