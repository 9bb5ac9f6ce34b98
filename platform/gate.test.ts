import { afterEach, describe, expect, it, vi } from 'vitest';
import { isAppError } from './errors.ts';
import { createGate } from './gate.ts';

/** A task that runs until `finish` is called; `started` tells whether it began. */
function pending() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const task = { started: false, finish: () => finish(), run: () => ((task.started = true), done) };
  return task;
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe('createGate', () => {
  it('runs at most max tasks at once and starts the others in arrival order as slots free', async () => {
    const gate = createGate({ max: 2, waitMs: 10_000, what: 'work' });
    const tasks = [pending(), pending(), pending(), pending()];
    const runs = tasks.map((t) => gate.run(t.run));
    await flush();
    expect(tasks.map((t) => t.started)).toEqual([true, true, false, false]);
    tasks[1]!.finish();
    await flush();
    expect(tasks.map((t) => t.started)).toEqual([true, true, true, false]);
    tasks[0]!.finish();
    await flush();
    expect(tasks.map((t) => t.started)).toEqual([true, true, true, true]);
    for (const t of tasks) t.finish();
    await Promise.all(runs);
  });

  it('refuses a task that waited waitMs, as unavailable with retry_after, and never runs it', async () => {
    vi.useFakeTimers();
    const gate = createGate({ max: 1, waitMs: 200, what: 'search' });
    const first = pending();
    const running = gate.run(first.run);
    const late = pending();
    const refused = gate.run(late.run).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(200);
    const err = await refused;
    expect(isAppError(err) && err.kind === 'unavailable' && err.details.retry_after === 1).toBe(true);
    expect((err as Error).message).toBe('search is busy; try again shortly');
    first.finish();
    await running;
    expect(late.started).toBe(false);
  });

  it('refuses at once when full and waitMs is 0', async () => {
    const gate = createGate({ max: 1, waitMs: 0, what: 'work' });
    const first = pending();
    const running = gate.run(first.run);
    await expect(gate.run(() => Promise.resolve(1))).rejects.toMatchObject({ kind: 'unavailable' });
    first.finish();
    await running;
    expect(await gate.run(() => Promise.resolve(2))).toBe(2);
  });

  it('frees the slot of a task that fails, and of one that was refused while waiting', async () => {
    vi.useFakeTimers();
    const gate = createGate({ max: 1, waitMs: 100, what: 'work' });
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const first = pending();
    const running = gate.run(first.run);
    const refused = gate.run(() => Promise.resolve('never')).catch(() => 'refused');
    await vi.advanceTimersByTimeAsync(100);
    expect(await refused).toBe('refused');
    first.finish();
    await running;
    expect(await gate.run(() => Promise.resolve('next'))).toBe('next');
  });
});
