import type { Context } from 'hono';
import type { z } from 'zod';
import { isId } from '../contracts/index.ts';
import { AppError } from '../platform/index.ts';

/** Field errors in a shape a client can show next to its inputs. */
export const fieldErrors = (error: z.ZodError) =>
  error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));

/** Parses a value with a schema or throws an `invalid` AppError listing every bad field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError('invalid', `${what} has invalid fields`, { details: { errors: fieldErrors(parsed.error) } });
}

/** Reads a JSON request body and validates it; malformed JSON, a wrong content type or bad fields are 400. */
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
  return parseWith(schema, value, 'request body');
}

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
