import { pino, type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

/** JSON lines on stdout; one logger per process, children per component. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, name = 'flashline'): Logger {
  return pino({ name, level: config.LOG_LEVEL, base: { pid: process.pid } });
}
