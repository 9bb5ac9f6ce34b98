/** What an endpoint answers: an HTTP status and a JSON-serialisable body. */
export interface Reply {
  status: number;
  body: unknown;
}

/** The `error` member of a Stripe error response, as the SDK's `generateV1Error` reads it. */
export interface StripeErrorBody {
  type: 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  charge?: string;
  payment_intent?: unknown;
  payment_method?: unknown;
  doc_url?: string;
}

/** A 200 carrying `body`. */
export function ok(body: unknown): Reply {
  return { status: 200, body };
}

/** `{ error }` with `status`; the SDK picks its error class from the status (and `type` on 400/404). */
export function errorReply(status: number, error: StripeErrorBody): Reply {
  return { status, body: { error } };
}

/** 400 invalid_request_error naming the offending parameter, as Stripe reports validation failures. */
export function invalidRequest(message: string, param?: string, code?: string): Reply {
  return errorReply(400, { type: 'invalid_request_error', message, param, code });
}

/**
 * resource_missing: 404 when the id is in the URL path, 400 (with `param`) when it came in the body,
 * matching Stripe. `kind` is the name Stripe uses in the message (`payment_intent`, `PaymentMethod`, ...).
 */
export function resourceMissing(kind: string, id: string, param?: string): Reply {
  return errorReply(param === undefined ? 404 : 400, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${kind}: '${id}'`,
    param,
  });
}

/** 401 for a missing or non-test secret key (the SDK raises StripeAuthenticationError). */
export function unauthorized(message: string): Reply {
  return errorReply(401, { type: 'invalid_request_error', message });
}

/** 500 api_error (the SDK retries it, then raises StripeAPIError). */
export function apiError(message: string): Reply {
  return errorReply(500, { type: 'api_error', message });
}

/** 400 idempotency_error for a key reused with other parameters (the SDK raises StripeIdempotencyError). */
export function idempotencyMismatch(key: string): Reply {
  return errorReply(400, {
    type: 'idempotency_error',
    message:
      'Keys for idempotent requests can only be used with the same parameters they were first used with. ' +
      `Try using a key other than '${key}' if you meant to execute a different request.`,
  });
}

/** 404 for a method + path this server does not implement, worded like Stripe's. */
export function unrecognizedUrl(method: string, path: string): Reply {
  return errorReply(404, {
    type: 'invalid_request_error',
    message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs.`,
  });
}
