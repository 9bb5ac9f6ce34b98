import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Intents } from '../admission/index.ts';
import type { Logger } from '../platform/index.ts';
import { bearerUser } from './auth/middleware.ts';
import type { Metrics } from './metrics.ts';
import { statusOf, writeProblem } from './problem.ts';

const JOIN = /^\/api\/v1\/drops\/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\/intents$/;
const ROUTE = '/api/v1/drops/:drop_id/intents';
const CLIENT_ID = /^[\w\-=]{1,255}$/;

/**
 * The answer to the crowd that arrives after the last unit, given by the HTTP server before the app: a
 * signed-in join to a drop this process already knows is sold out (or ended), by a user it knows holds no
 * place in it, gets its 410 problem document straight away, the same one the app's join route gives (request
 * id, metrics and access log included), with no request object, routing, middleware chain, body read or other
 * I/O. Any other request goes to the app: a join whose token is missing or bad, whose drop may still be open,
 * or whose user may have an intent (answered with it), or may have one while the drop's users are being
 * learnt. Under a crowd this is most requests, and the app's machinery cost more than twice the answer.
 */
export function createSoldOutFastPath(deps: { intents: Intents; jwtSecret: string; metrics: Metrics; logger: Logger }) {
  const { intents, logger } = deps;
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'POST' || req.url === undefined) return false;
    const match = JOIN.exec(req.url);
    if (!match) return false;
    const started = performance.now();
    const dropId = match[1]!.toLowerCase();
    if (!intents.closed(dropId)) return false;
    const user = bearerUser(req.headers.authorization, deps.jwtSecret);
    if (user === null) return false; // the app answers 401
    const closed = intents.refusal(dropId, user.user_id);
    if (!closed) return false;
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && CLIENT_ID.test(given) ? given : randomUUID();
    const status = statusOf.gone;
    writeProblem(res, 'gone', closed.message, req.url, requestId, { extra: { reason: closed.reason } });
    const seconds = (performance.now() - started) / 1000;
    deps.metrics.observe('POST', ROUTE, status, seconds);
    deps.metrics.recordJoin(dropId, closed.reason, seconds);
    if (logger.isLevelEnabled('info')) {
      logger.info(
        { request_id: requestId, method: 'POST', path: req.url, status, ms: Math.round(seconds * 10_000) / 10 },
        'request',
      );
    }
    return true;
  };
}
