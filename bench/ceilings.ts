import { spawn } from 'node:child_process';
import type { Redis } from 'ioredis';

/** The Lua decrement of the hot stock counter: what one admission of a unit costs Redis at the least. */
const DECREMENT_LUA =
  "local s = tonumber(redis.call('GET', KEYS[1]) or '0') if s > 0 then return redis.call('DECR', KEYS[1]) end return -1";

/** Runs a program to its end; resolves with what it printed, rejects (with its errors) when it fails. */
export const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
  new Promise<string>((resolve, reject) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${err}`))));
  });

/** The rps column of redis-benchmark's --csv output. */
function parseRedisBenchmarkCsv(csv: string): number {
  const row = csv.trim().split('\n').filter((l) => l.startsWith('"') && !l.startsWith('"test"'))[0];
  const rps = Number(row?.split('","')[1]);
  if (!Number.isFinite(rps)) throw new Error(`no rps in redis-benchmark output: ${csv}`);
  return Math.round(rps);
}

/**
 * `redis-benchmark` on the Lua decrement against the engine's Redis, one request per round trip (50 clients)
 * and pipelined (50 clients, 32 deep). The key carries the run's tag and is deleted after.
 */
export async function redisLuaCeiling(redis: Redis, redisUrl: string, tag: string) {
  const { hostname, port } = new URL(redisUrl);
  const key = `bench:{${tag}}:lua-stock`;
  await redis.set(key, 1_000_000_000);
  const base = ['-h', hostname, '-p', port || '6379', '-c', '50', '--csv'];
  const cmd = ['eval', DECREMENT_LUA, '1', key];
  try {
    const plain = parseRedisBenchmarkCsv(await run('redis-benchmark', [...base, '-n', '200000', ...cmd]));
    const pipelined = parseRedisBenchmarkCsv(await run('redis-benchmark', [...base, '-n', '1000000', '-P', '32', ...cmd]));
    return { plain, pipelined };
  } finally {
    await redis.del(key);
  }
}
