import { parseArgs } from 'node:util';
import { topics } from '../contracts/index.ts';
import { createRuntime, loadConfig, readDeadLetters, reliableProducer, replayDeadLetters, startOrExit, type StoredDeadLetter } from '../platform/index.ts';

/**
 * `npm run dead-letters -- list|replay [--consumer X] [--topic T]`: lists the messages consumers parked on the
 * dead-letter topic (default dead.letters), or sends those not yet replayed back to where they came from (only
 * those of consumer group X with --consumer), once each. Exits 2 on bad arguments.
 */
const usage = 'usage: npm run dead-letters -- list|replay [--consumer GROUP] [--topic TOPIC]';
let args: { command: string; consumer: string | undefined; topic: string };
try {
  const { values, positionals } = parseArgs({
    options: { consumer: { type: 'string' }, topic: { type: 'string', default: topics.deadLetters.name } },
    allowPositionals: true,
  });
  const [command, ...rest] = positionals;
  if ((command !== 'list' && command !== 'replay') || rest.length > 0) throw new Error(`expected list or replay, got ${positionals.join(' ') || 'nothing'}`);
  args = { command, consumer: values.consumer, topic: values.topic };
} catch (err) {
  console.error(`${(err as Error).message}\n${usage}`);
  process.exit(2);
}

const line = (l: StoredDeadLetter) => {
  const where = `${args.topic}[${l.partition}]@${l.offset}`;
  if (!l.letter.ok) return `${where}  unreadable: ${l.letter.reason}`;
  const { source, reason } = l.letter.value;
  const replayed = l.replayed_at === null ? 'not replayed' : `replayed ${l.replayed_at.toISOString()}`;
  return `${where}  ${source.consumer}  from ${source.topic}[${source.partition}]@${source.offset}  ${replayed}  ${reason}`;
};

const rt = createRuntime(await startOrExit(loadConfig), 'dead-letters');
try {
  if (args.command === 'list') {
    const letters = await readDeadLetters(rt.kafka, rt.sql, args.topic);
    for (const l of letters) if (args.consumer === undefined || (l.letter.ok && l.letter.value.source.consumer === args.consumer)) console.log(line(l));
  } else {
    const producer = reliableProducer(rt.kafka);
    await producer.connect();
    try {
      const sent = await replayDeadLetters({ kafka: rt.kafka, producer, sql: rt.sql, topic: args.topic, consumer: args.consumer });
      for (const l of sent) console.log(`replayed ${line(l)}`);
      console.log(`${sent.length} dead letters replayed`);
    } finally {
      await producer.disconnect();
    }
  }
} finally {
  await rt.sql.end();
  rt.redis.disconnect();
}
