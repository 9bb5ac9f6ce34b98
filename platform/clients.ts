import { Redis } from 'ioredis';
import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import postgres from 'postgres';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

export type Sql = postgres.Sql;
/** A transaction handle, as `sql.begin` passes it. */
export type Tx = postgres.TransactionSql;

/** The database a PostgreSQL URL names. */
export const databaseName = (url: string): string => decodeURIComponent(new URL(url).pathname.slice(1));

/** A PostgreSQL pool; notices are dropped, timestamps come back as Date. `connection`: session settings. */
export function createSql(
  config: Pick<Config, 'DATABASE_URL' | 'DATABASE_POOL_MAX'>,
  connection: postgres.Options<Record<string, never>>['connection'] = {},
): Sql {
  return postgres(config.DATABASE_URL, {
    max: config.DATABASE_POOL_MAX,
    onnotice: () => {},
    connect_timeout: 5,
    connection,
  });
}

/** A Redis connection that fails commands fast while disconnected instead of queueing them forever. */
export function createRedis(config: Pick<Config, 'REDIS_URL'>, logger: Logger, name?: string): Redis {
  const redis = new Redis(config.REDIS_URL, {
    ...(name !== undefined ? { connectionName: name } : {}), // what CLIENT LIST calls it
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis error'));
  return redis;
}

const kafkaLevels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * kafkajs warnings about choices made on purpose, left out of the log. "Limiting retries…": the idempotent
 * producers retry a bounded number of times, so that a join answers 503 while Kafka is away instead of hanging;
 * what is sent again after that may reach the log twice, which every consumer of the platform takes as it is
 * (a decided intent is decided again the same, decisions and events apply once by sequence or id).
 */
const SETTLED_WARNINGS = new Set(['Limiting retries for the idempotent producer may invalidate EoS guarantees']);

/**
 * Broker answers that kafkajs retries by itself: a group coordinator loading or moving, a partition's leader being
 * elected. A broker that has just started gives them by the dozen; kafkajs logs each as an error although nothing
 * failed (a retry that runs out fails the call, which the caller reports). They go to debug.
 */
const RETRIED_ANSWERS = new Set([
  "The coordinator is loading and hence can't process requests for this group",
  'The group coordinator is not available',
  'This is not the correct coordinator for this group',
  'There is no leader for this topic-partition as we are in the middle of a leadership election',
]);

/** The level a kafkajs log entry is written at, or null for one left out. */
export function kafkaLogLevel(level: number, message: string, error?: unknown): 'error' | 'warn' | 'info' | 'debug' | null {
  if (SETTLED_WARNINGS.has(message)) return null;
  if (typeof error === 'string' && RETRIED_ANSWERS.has(error)) return 'debug';
  return kafkaLevels[level] ?? 'info';
}

/** A kafkajs client whose own logs go through the platform logger, but for the warnings settled by design. */
export function createKafka(
  config: Pick<Config, 'KAFKA_BROKERS' | 'KAFKA_CLIENT_ID'>,
  logger: Logger,
  retries = 8,
): Kafka {
  const log = logger.child({ lib: 'kafkajs' });
  return new Kafka({
    clientId: config.KAFKA_CLIENT_ID,
    brokers: config.KAFKA_BROKERS,
    logLevel: logLevel.WARN,
    retry: { retries, initialRetryTime: 100, maxRetryTime: 1_000 },
    connectionTimeout: 3_000,
    logCreator:
      () =>
      ({ namespace, level, log: { message, ...extra } }: LogEntry) => {
        const at = kafkaLogLevel(level, message, extra.error);
        if (at !== null) log[at]({ namespace, ...extra }, message);
      },
  });
}
