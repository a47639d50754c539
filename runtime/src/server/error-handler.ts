/** Maps typed errors to HTTP: UserError → 4xx with a localized message, others → 500 with a request id. */
import type { ErrorRequestHandler } from 'express';
import { OperationalError, parseLocale, UserError } from '@gridflow/engine';
import type { Logger } from 'pino';

/** The JSON error handler of the API. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const locale = parseLocale(req.headers['accept-language']?.split(',')[0]);
    const requestId = String(res.getHeader('x-request-id') ?? '');
    const bodyError = err as { type?: string; status?: number };
    if (bodyError.type === 'entity.too.large' || bodyError.type === 'entity.parse.failed') {
      res.status(bodyError.status ?? 400).json({
        error: { code: bodyError.type, message: locale === 'en' ? 'The request body is too large or not valid JSON' : '请求内容过大或不是有效的 JSON', requestId },
      });
      return;
    }
    if (err instanceof UserError) {
      res.status(err.status).json({ error: { code: err.code, message: err.localized[locale], details: err.details.map((d) => ({ ...d, message: d.message[locale] })), requestId } });
      return;
    }
    if (err instanceof OperationalError) {
      logger.warn({ err, requestId }, 'operational error');
      res.status(503).json({ error: { code: 'unavailable', message: err.localized[locale], requestId } });
      return;
    }
    logger.error({ err, requestId }, 'unexpected error');
    res.status(500).json({ error: { code: 'internal', message: locale === 'en' ? 'Internal error' : '系统内部错误', requestId } });
  };
}
