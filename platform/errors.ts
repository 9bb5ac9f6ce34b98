/** What went wrong, in terms a caller can act on. Only edge/ maps a kind to an HTTP status. */
export type ErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'too_large'
  | 'unprocessable'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export interface AppErrorOptions {
  /** True when the same call may succeed if tried again later. */
  retriable?: boolean;
  /** Extra members for the problem document (field errors, a reason, retry_after). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** The one error type of the platform: a kind, a message meant for the caller, and whether a retry may help. */
export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly retriable: boolean;
  readonly details: Record<string, unknown>;

  constructor(kind: ErrorKind, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.kind = kind;
    this.retriable = options.retriable ?? (kind === 'unavailable' || kind === 'rate_limited');
    this.details = options.details ?? {};
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/**
 * True for a PostgreSQL error about the statement's data (SQLSTATE class 22, invalid values, or 23, a violated
 * constraint or reference): the same statement will fail again, so a retry cannot help.
 */
export const isDataError = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
};
