import { afterAll, expect, it } from 'vitest';
import { createDropEvents } from '../admission/index.ts';
import { dropChannel, newId, type DropEvent } from '../contracts/index.ts';
import { createRedis } from '../platform/clients.ts';
import { testRuntime } from './helpers.ts';

const rt = testRuntime();
afterAll(async () => {
  await rt.redis.quit();
  await rt.sql.end();
});

it('subscribes again on a new epoch when its connection drops, says so, and hears the drop again', async () => {
  const subscriber = createRedis(rt.config, rt.logger);
  const events = createDropEvents(subscriber, rt.logger);
  const dropId = newId();
  const heard: number[] = [];
  let resubscribed = 0;
  events.watch(dropId, (e) => heard.push(e.decided_offset), () => resubscribed++);
  await events.subscribed(dropId);
  const first = events.epoch();
  expect(first).toBeDefined();
  const publish = (decided_offset: number) =>
    rt.redis.publish(dropChannel(dropId), JSON.stringify({ drop_id: dropId, status: 'open', remaining: 1, decided_offset, decisions: [] } satisfies DropEvent));

  await publish(1);
  await expect.poll(() => heard).toEqual([1]);
  subscriber.disconnect(true); // dropped, then connected again
  await expect.poll(() => events.epoch()).toBeGreaterThan(first!);
  await events.subscribed(dropId);
  await expect.poll(() => resubscribed).toBe(1);
  await publish(2);
  await expect.poll(() => heard).toEqual([1, 2]);
  await events.close();
});
