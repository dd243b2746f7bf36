import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { ApiError } from '../../shared/api';
import { bearerMatches } from './auth';
import type { ApiContext } from './context';
import { HttpError } from './errors';
import { backfillRoutes } from './routes/backfills';
import { detectionRoutes } from './routes/detections';
import { eventRoutes } from './routes/events';
import { healthRoutes } from './routes/health';
import { metricsRoutes } from './routes/metrics';
import { objectRoutes } from './routes/objects';
import { sourceRoutes } from './routes/sources';
import { queryRoutes } from './routes/query';

const PUBLIC_ROUTES = new Set(['/api/health']);

/** The sidecar's HTTP API: JSON-schema validated, bearer-token protected except health. */
export function buildApi(ctx: ApiContext, token: string): FastifyInstance {
  const app = Fastify({
    logger: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true } },
  });

  // Some clients (proxies included) send a JSON content type with an empty body, e.g. on DELETE.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString();
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      const error = new HttpError(400, `request body is not valid JSON: ${(err as Error).message}`);
      done(error, undefined);
    }
  });

  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0];
    if (!path.startsWith('/api/') || PUBLIC_ROUTES.has(path)) {
      return;
    }
    if (!bearerMatches(req.headers.authorization, token)) {
      const body: ApiError = { statusCode: 401, error: 'Unauthorized', message: 'missing or wrong API token: send Authorization: Bearer <token>' };
      await reply.code(401).send(body);
    }
  });

  app.setErrorHandler((err: FastifyError | HttpError, req, reply) => {
    if (err instanceof HttpError) {
      return reply.code(err.statusCode).send({ statusCode: err.statusCode, error: err.reason, message: err.message });
    }
    if (err.validation) {
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: err.message });
    }
    const statusCode = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    if (statusCode >= 500) {
      ctx.log.error({ err: err.message, url: req.url }, 'request failed');
    }
    return reply.code(statusCode).send({ statusCode, error: statusCode >= 500 ? 'Internal Server Error' : 'Bad Request', message: err.message });
  });

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no route ${req.method} ${req.url.split('?')[0]}` });
  });

  healthRoutes(app, ctx);
  eventRoutes(app, ctx);
  objectRoutes(app, ctx);
  sourceRoutes(app, ctx);
  queryRoutes(app, ctx);
  backfillRoutes(app, ctx);
  metricsRoutes(app, ctx);
  detectionRoutes(app, ctx);
  return app;
}
