import { isIP } from 'node:net';
import { z } from 'zod';
import { DEFAULT_RATES, DEFAULT_TAX_RATES, DEFAULT_ZONES, jsonOf, rateTable, taxTable, zoneTable } from './commerce-config.ts';
import { StartupError } from './startup.ts';

const DEV_SECRET = 'development-only-secret-change-me-0123456789';
/** The local Stripe-compatible server (infra/stripe-local), where payments go outside production. */
const LOCAL_STRIPE = 'http://127.0.0.1:12111';
const SECRETS = ['JWT_SECRET', 'TICKET_SECRET', 'CART_SECRET', 'STRIPE_SECRET_KEY'] as const;
/** Host names of this machine, as URL.hostname spells them (IPv6 in brackets, IPv4-mapped in hex). */
const LOOPBACK = /^((.+\.)?localhost\.?|127(\.\d{1,3}){3}|0\.0\.0\.0|\[::1?\]|\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\])$/i;
const port = z.coerce.number().int().min(0).max(65535);

/** Where payments go: STRIPE_API_BASE when set, else Stripe itself ('') in production and the local server elsewhere. */
const stripeBase = (env: { NODE_ENV: string; STRIPE_API_BASE?: string | undefined }): string =>
  env.STRIPE_API_BASE ?? (env.NODE_ENV === 'production' ? '' : LOCAL_STRIPE);

/** An IPv4 or IPv6 address, or a CIDR (`10.0.0.0/8`, `fd00::/8`). */
const isAddressOrCidr = (s: string): boolean => {
  const [address = '', bits, ...rest] = s.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0 || address.includes('%')) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
};

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
    // Unset means production: development and test are chosen explicitly by whoever runs the platform so.
    NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: port.default(8080),
    WS_PORT: port.default(8081),
    WS_PUBLIC_URL: z
      .url()
      .regex(/^wss?:\/\//, 'must be a ws:// or wss:// URL')
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
    WS_SOCKETS_PER_INTENT: z.coerce.number().int().min(1).max(100).default(3),
    WS_PING_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
    WS_FINAL_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
    WS_MESSAGES_PER_SECOND: z.coerce.number().int().min(1).default(10),
    METRICS_HOST: z.string().min(1).optional(),
    METRICS_PORT: port.optional(),
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
    STRIPE_API_BASE: z.union([z.url(), z.literal('')]).optional(),
    SMTP_URL: z.url().optional(),
    MAIL_DIR: z.string().min(1).default('.stack/mail'),
    JWT_TTL_SECONDS: z.coerce.number().int().min(60).default(86_400),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(64 * 1024),
    JOIN_LIMIT_PER_USER: z.coerce.number().int().min(1).default(5),
    JOIN_LIMIT_PER_IP: z.coerce.number().int().min(1).default(500),
    JOIN_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).default(1_000),
    PRODUCE_LINGER_MS: z.coerce.number().int().min(0).max(1_000).default(2),
    CART_LINE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
    RESERVATION_TTL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(600),
    SHIPPING_ZONES: jsonOf(zoneTable).default(DEFAULT_ZONES),
    SHIPPING_RATES: jsonOf(rateTable).default(DEFAULT_RATES),
    TAX_RATES: taxTable.prefault(DEFAULT_TAX_RATES),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    SEARCH_ENGINE: z.enum(['postgres', 'elasticsearch']).default('postgres'),
    SEARCH_URL: z.url().default('http://127.0.0.1:9200'),
    SEARCH_INDEX: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'must be a lower-case index name').optional(),
    SEARCH_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    SEARCH_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    PRODUCT_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    CATALOG_SYNONYMS_FILE: z.string().min(1).optional(),
    SEARCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(8_000),
    SEARCH_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(4),
    SEARCH_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(500),
    SEARCH_LIMIT_PER_IP: z.coerce.number().int().min(1).default(600),
    SEARCH_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    AUTH_LIMIT_PER_IP: z.coerce.number().int().min(1).default(100),
    AUTH_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
    AUTH_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
    PASSWORD_HASH_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(3_000),
    TRUST_PROXY: z
      .string()
      .default('')
      .transform((s) => s.split(',').map((a) => a.trim()).filter((a) => a !== ''))
      .pipe(z.array(z.string().refine(isAddressOrCidr, 'must be an IP address or a CIDR such as 10.0.0.0/8'))),
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
    const untaxed = Object.values(env.SHIPPING_ZONES)
      .flatMap((z) => Object.keys(z.countries))
      .filter((c) => env.TAX_RATES[c] === undefined);
    if (untaxed.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['TAX_RATES'], message: `has no rate for ${[...new Set(untaxed)].join(', ')}, shipped to in SHIPPING_ZONES` });
    }
    const base = stripeBase(env);
    if (env.STRIPE_SECRET_KEY?.startsWith('sk_live_') && base !== '') {
      const { protocol, hostname } = new URL(base);
      if (protocol !== 'https:' || LOOPBACK.test(hostname)) {
        ctx.addIssue({
          code: 'custom',
          path: ['STRIPE_API_BASE'],
          message: 'a live key (sk_live_…) goes only to an https:// endpoint on another machine (empty: Stripe itself)',
        });
      }
    }
    if (env.NODE_ENV !== 'production') return;
    for (const key of SECRETS) {
      if (env[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is required in production' });
    }
  })
  .transform(({ JWT_SECRET, TICKET_SECRET, CART_SECRET, STRIPE_SECRET_KEY, STRIPE_API_BASE, PUBLIC_URL, FULFILLMENT_SPEEDUP, ...env }) => ({
    ...env,
    PUBLIC_URL: PUBLIC_URL ?? `http://127.0.0.1:${env.PORT}`,
    // A parcel takes two days; outside production it takes under a minute, so a demo order is delivered while
    // someone watches.
    FULFILLMENT_SPEEDUP: FULFILLMENT_SPEEDUP ?? (env.NODE_ENV === 'production' ? 1 : 3_600),
    JWT_SECRET: JWT_SECRET ?? DEV_SECRET,
    TICKET_SECRET: TICKET_SECRET ?? `ticket-${DEV_SECRET}`,
    CART_SECRET: CART_SECRET ?? `cart-${DEV_SECRET}`,
    STRIPE_SECRET_KEY: STRIPE_SECRET_KEY ?? 'sk_test_local',
    STRIPE_API_BASE: stripeBase({ NODE_ENV: env.NODE_ENV, STRIPE_API_BASE }),
  }));

export type Config = z.infer<typeof schema>;

/** Thrown with every bad variable named at once. */
export class ConfigError extends StartupError {
  override name = 'ConfigError';
}

/**
 * Parses the environment once; reports all bad variables together. NODE_ENV unset means production, where the
 * secrets have no default and payments go to Stripe itself; a live Stripe key never goes to plain HTTP or to this
 * machine, whatever the environment.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnv(schema, env, env.NODE_ENV === undefined ? 'NODE_ENV is unset, which means production' : undefined);
}

/** The variables a schema reads from the environment, or a {@link ConfigError} naming every bad one (and `note`). */
export function parseEnv<T extends z.ZodType>(envSchema: T, env: NodeJS.ProcessEnv, note?: string): z.output<T> {
  const parsed = envSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`invalid configuration${note === undefined ? '' : ` (${note})`}:\n${lines.join('\n')}`);
}
