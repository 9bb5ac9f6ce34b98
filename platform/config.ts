import { z } from 'zod';

const DEV_SECRET = 'development-only-secret-change-me-0123456789';

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration such as `24h`, `90m`, `30s`, `2d` or `500ms`, in milliseconds. */
const duration = z
  .string()
  .regex(DURATION, 'must be a number and a unit (ms, s, m, h or d), such as 24h')
  .transform((s) => {
    const [, n, unit] = DURATION.exec(s)!;
    return Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
  })
  .pipe(z.number().int().min(1, 'must be longer than 0'));

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    WS_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
    WS_PUBLIC_URL: z
      .url()
      .regex(/^wss?:\/\//, 'must be a ws:// or wss:// URL')
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/flashline'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
    KAFKA_BROKERS: z
      .string()
      .default('127.0.0.1:9092')
      .transform((s) => s.split(',').map((b) => b.trim()))
      .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port')).min(1)),
    KAFKA_CLIENT_ID: z.string().min(1).default('flashline'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    TICKET_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    CART_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    STRIPE_SECRET_KEY: z.string().regex(/^sk_(test|live)_/, 'must be a Stripe secret key (sk_test_… or sk_live_…)').optional(),
    STRIPE_API_BASE: z.union([z.url(), z.literal('')]).default('http://127.0.0.1:12111'),
    SMTP_URL: z.url().optional(),
    MAIL_DIR: z.string().min(1).default('.stack/mail'),
    JWT_TTL_SECONDS: z.coerce.number().int().min(60).default(86_400),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(64 * 1024),
    JOIN_LIMIT_PER_USER: z.coerce.number().int().min(1).default(5),
    JOIN_LIMIT_PER_IP: z.coerce.number().int().min(1).default(500),
    JOIN_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).default(1_000),
    PRODUCE_LINGER_MS: z.coerce.number().int().min(0).max(1_000).default(2),
    CART_LINE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    SEARCH_ENGINE: z.enum(['postgres', 'elasticsearch']).default('postgres'),
    SEARCH_URL: z.url().default('http://127.0.0.1:9200'),
    SEARCH_INDEX: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'must be a lower-case index name').optional(),
    SEARCH_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    SEARCH_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    PRODUCT_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    CATALOG_SYNONYMS_FILE: z.string().min(1).optional(),
    PUBLIC_URL: z
      .url()
      .regex(/^https?:\/\//, 'must be an http:// or https:// URL')
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
    RETURN_WINDOW_DAYS: z.coerce.number().int().min(0).max(3_650).default(30),
    FULFILLMENT_SPEEDUP: z.coerce.number().min(1).max(10_000_000).optional(),
    CART_REMINDER_AFTER: duration.default(24 * 3_600_000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    for (const key of ['JWT_SECRET', 'TICKET_SECRET', 'CART_SECRET', 'STRIPE_SECRET_KEY'] as const) {
      if (env[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is required in production' });
    }
  })
  .transform(({ JWT_SECRET, TICKET_SECRET, CART_SECRET, STRIPE_SECRET_KEY, PUBLIC_URL, FULFILLMENT_SPEEDUP, ...env }) => ({
    ...env,
    PUBLIC_URL: PUBLIC_URL ?? `http://127.0.0.1:${env.PORT}`,
    // A parcel takes two days; outside production it takes under a minute, so a demo order is delivered while
    // someone watches.
    FULFILLMENT_SPEEDUP: FULFILLMENT_SPEEDUP ?? (env.NODE_ENV === 'production' ? 1 : 3_600),
    JWT_SECRET: JWT_SECRET ?? DEV_SECRET,
    TICKET_SECRET: TICKET_SECRET ?? `ticket-${DEV_SECRET}`,
    CART_SECRET: CART_SECRET ?? `cart-${DEV_SECRET}`,
    STRIPE_SECRET_KEY: STRIPE_SECRET_KEY ?? 'sk_test_local',
  }));

export type Config = z.infer<typeof schema>;

/** Thrown with every bad variable named at once. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once; reports all bad variables together. Secrets default only outside production. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}
