import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import type { z } from 'zod';
import { isId } from '../contracts/index.ts';
import { AppError } from '../platform/index.ts';
import type { EdgeEnv } from './env.ts';

export interface FieldError {
  field: string;
  message: string;
}

/** Field errors in a shape a client can show next to its inputs. */
export const fieldErrors = (error: z.ZodError): FieldError[] =>
  error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why PostgreSQL cannot hold this text as it is, or undefined when it can: text and jsonb refuse the NUL
 * character, and a lone UTF-16 surrogate is not Unicode (jsonb refuses it, text would store a replacement).
 */
export function unstorable(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'must be well-formed Unicode (it holds a lone surrogate)';
  return undefined;
}

/** Most errors one answer lists: a body of thousands of bad strings is refused just the same. */
const MAX_ERRORS = 20;

/** Where a value sits in a body: its member name or index, below its parent's place (null: the body). */
type Place = { parent: Place; key: string } | null;

const fieldOf = (place: Place): string => {
  const keys: string[] = [];
  for (let p = place; p !== null; p = p.parent) keys.push(p.key);
  return keys.reverse().join('.') || '(body)';
};

/** Every string of a parsed JSON value, member names included, that PostgreSQL could not hold; by field path. */
export function unstorableFields(value: unknown): FieldError[] {
  const errors: FieldError[] = [];
  // Depth-first with a stack of its own and places linked to their parents: a body nested thousands deep costs
  // neither the call stack nor a copy of its path per value.
  const stack: [unknown, Place][] = [[value, null]];
  while (stack.length > 0 && errors.length < MAX_ERRORS) {
    const [v, place] = stack.pop()!;
    if (typeof v === 'string') {
      const message = unstorable(v);
      if (message !== undefined) errors.push({ field: fieldOf(place), message });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], { parent: place, key: String(i) }]);
    } else if (v !== null && typeof v === 'object') {
      for (const [key, member] of Object.entries(v).reverse()) {
        const message = unstorable(key);
        if (message !== undefined) errors.push({ field: fieldOf(place), message: `member names ${message}` });
        else stack.push([member, { parent: place, key }]);
      }
    }
  }
  return errors;
}

/** Parses a value with a schema or throws an `invalid` AppError listing every bad field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError('invalid', `${what} has invalid fields`, { details: { errors: fieldErrors(parsed.error) } });
}

/**
 * Reads a JSON request body and validates it; malformed JSON, a wrong content type, text PostgreSQL could not
 * hold (anywhere in the body, see `unstorable`) or bad fields are 400 naming the fields.
 */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError('invalid', 'Content-Type must be application/json');
  }
  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('invalid', 'request body is not valid JSON');
  }
  const errors = unstorableFields(value);
  if (errors.length > 0) throw new AppError('invalid', 'request body has invalid fields', { details: { errors } });
  return parseWith(schema, value, 'request body');
}

/** The name of the path parameter whose segment holds `bad`, else `path`. */
function pathField(c: Context, bad: (segment: string) => boolean): string {
  const pattern = routePath(c, -1).split('/');
  const segments = c.req.path.split('/');
  const i = segments.findIndex(bad);
  const p = pattern.length === segments.length ? pattern[i] : undefined;
  return p?.startsWith(':') ? p.slice(1).replace(/[{?].*$/, '') : 'path';
}

/**
 * Refuses, on every route, a URL whose decoded path or query (parameter names and values) holds text PostgreSQL
 * could not hold: 400 naming the path parameter or query parameter, before any handler reads it.
 */
export const storableUrl = createMiddleware<EdgeEnv>(async (c, next) => {
  const errors: FieldError[] = [];
  const pathProblem = unstorable(c.req.path);
  if (pathProblem !== undefined) {
    errors.push({ field: pathField(c, (s) => unstorable(s) !== undefined), message: pathProblem });
  }
  if (c.req.url.includes('?')) {
    for (const [name, values] of Object.entries(c.req.queries())) {
      const nameProblem = unstorable(name);
      if (nameProblem !== undefined) errors.push({ field: '(query)', message: `parameter names ${nameProblem}` });
      const valueProblem = values.map(unstorable).find((m) => m !== undefined);
      if (nameProblem === undefined && valueProblem !== undefined) errors.push({ field: name, message: valueProblem });
    }
  }
  if (errors.length > 0) {
    throw new AppError('invalid', 'the URL has invalid parameters', { details: { errors: errors.slice(0, MAX_ERRORS) } });
  }
  await next();
});

/** A path id that is not a UUID names nothing: 404, like an unknown one. Lower-cased. */
export const idParam = (c: Context, name: string, what: string): string => {
  const id = c.req.param(name) ?? '';
  if (!isId(id)) throw new AppError('not_found', `no such ${what}`);
  return id.toLowerCase();
};

/** The request's Idempotency-Key header, 1 to 255 characters; invalid without one. */
export function idempotencyKey(c: Context): string {
  const key = c.req.header('idempotency-key');
  if (key === undefined || key.length < 1 || key.length > 255) {
    throw new AppError('invalid', 'an Idempotency-Key header of 1 to 255 characters is required', {
      details: { errors: [{ field: 'Idempotency-Key', message: 'required, 1 to 255 characters' }] },
    });
  }
  return key;
}
