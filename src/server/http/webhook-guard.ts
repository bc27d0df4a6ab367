/** Express middleware for the Tropo-facing routes: the caller's address, then the `?key=` webhook key. */
import type { RequestHandler } from 'express';
import type { Config } from '../config';
import { errorBody, errorCatalogue, type ErrorCode } from '../errors';
import { ipAllowList, keyMatches } from '../webhook-auth';

/** The guard for WEBHOOK_ALLOW_IPS and WEBHOOK_SECRET, or undefined when neither is set (no cost). */
export function webhookGuard(
  config: Pick<Config, 'webhookSecret' | 'webhookAllowIps'>,
): RequestHandler | undefined {
  const secret = config.webhookSecret;
  const allowed = config.webhookAllowIps ? ipAllowList(config.webhookAllowIps) : undefined;
  if (secret === undefined && allowed === undefined) return undefined;
  return (req, res, next) => {
    let code: ErrorCode | undefined;
    // req.ip honours TRUST_PROXY: behind a tunnel it is the caller only when the proxy is trusted.
    if (allowed && !allowed.allows(req.ip)) {
      code = 'WEBHOOK_FORBIDDEN_IP';
      // Shown in the request log so an operator can tell a stranger from a TRUST_PROXY mistake.
      res.locals.clientIp = req.ip;
    } else if (secret !== undefined && !keyMatches(req.query.key, secret)) {
      code = 'WEBHOOK_UNAUTHORIZED';
    }
    if (code === undefined) return next();
    res.locals.code = code;
    res
      .status(errorCatalogue[code].status)
      .setHeader('content-type', 'application/json; charset=utf-8')
      .end(errorBody(code));
  };
}
