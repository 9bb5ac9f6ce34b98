import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorKind } from '../platform/index.ts';

/** The HTTP status of each error kind; the compiler checks that every kind has one. */
export const statusOf: Record<ErrorKind, ContentfulStatusCode> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** The title of each error kind, for problem documents and error pages. */
export const titles: Record<ErrorKind, string> = {
  invalid: 'Invalid request',
  unauthorized: 'Authentication required',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  conflict: 'Conflict',
  gone: 'Gone',
  too_large: 'Request body too large',
  unprocessable: 'Unprocessable request',
  rate_limited: 'Too many requests',
  unavailable: 'Service unavailable',
  internal: 'Internal server error',
};

/** The RFC 9457 problem document of an error kind, as JSON text; extra members go beside the standard ones. */
export const problemJson = (
  kind: ErrorKind,
  detail: string,
  instance: string,
  requestId: string | undefined,
  extra: Record<string, unknown> = {},
): string =>
  JSON.stringify({
    type: `https://flashline.dev/problems/${kind}`,
    title: titles[kind],
    status: statusOf[kind],
    detail,
    instance,
    request_id: requestId,
    ...extra,
  });

/** An RFC 9457 problem response for an error kind; extra members go beside the standard ones. */
export function problem(c: Context, kind: ErrorKind, detail: string, extra: Record<string, unknown> = {}): Response {
  const body = problemJson(kind, detail, c.req.path, c.get('requestId'), extra);
  return c.body(body, statusOf[kind], { 'Content-Type': 'application/problem+json' });
}

/** The same, written on a raw Node response (answers given before, or outside, the app). */
export function writeProblem(
  res: ServerResponse,
  kind: ErrorKind,
  detail: string,
  instance: string,
  requestId: string | undefined,
  o: { extra?: Record<string, unknown>; headers?: Record<string, string> } = {},
): void {
  const body = problemJson(kind, detail, instance, requestId, o.extra);
  res.writeHead(statusOf[kind], {
    'Content-Type': 'application/problem+json',
    'Content-Length': Buffer.byteLength(body),
    ...(requestId !== undefined ? { 'X-Request-Id': requestId } : {}),
    ...o.headers,
  });
  res.end(body);
}
