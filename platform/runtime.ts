import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import { allTopics } from '../contracts/index.ts';
import { createKafka, createRedis, createSql, type Sql } from './clients.ts';
import { loadConfig, type Config } from './config.ts';
import { ensureTopics } from './kafka.ts';
import { createLogger, type Logger } from './logger.ts';
import type { Closer } from './shutdown.ts';

/** The shared clients of one process. */
export interface Runtime {
  config: Config;
  logger: Logger;
  sql: Sql;
  redis: Redis;
  kafka: Kafka;
}

export function createRuntime(config: Config = loadConfig(), name?: string): Runtime {
  const logger = createLogger(config, name);
  return {
    config,
    logger,
    sql: createSql(config),
    redis: createRedis(config, logger),
    kafka: createKafka(config, logger),
  };
}

/** Creates the platform's topics when missing; idempotent. */
export async function prepareTopics(rt: Runtime): Promise<void> {
  const admin = rt.kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, allTopics);
  } finally {
    await admin.disconnect();
  }
}

/** Closers of the shared connections, to run after the components have stopped. */
export const connectionClosers = (rt: Runtime): Closer[] => [
  { name: 'redis', close: () => rt.redis.quit() },
  { name: 'postgres', close: () => rt.sql.end({ timeout: 5 }) },
];
