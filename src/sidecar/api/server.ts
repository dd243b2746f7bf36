import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { guardRequests } from './access';
import type { ApiContext } from './context';
import { HttpError } from './errors';
import { hostPolicy } from './hosts';
import { backfillRoutes } from './routes/backfills';
import { eventRoutes } from './routes/events';
import { healthRoutes } from './routes/health';
import { metricsRoutes } from './routes/metrics';
import { objectRoutes } from './routes/objects';
import { sourceRoutes } from './routes/sources';
import { queryRoutes } from './routes/query';

export interface RouteSummary {
  method: string;
  url: string;
  public: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, as the router holds it (HEAD included). */
    routeSummaries: RouteSummary[];
  }
}

export interface ApiOptions {
  /** `operations`: only health and metrics, for a sidecar without the `api` role (probes and Prometheus still reach it). */
  routes?: 'all' | 'operations';
}

/**
 * The sidecar's HTTP API: JSON-schema validated, bearer-token protected except the routes
 * marked public (health, and metrics when `metrics.public`), answering only to the allowed Host
 * names (see access.ts).
 */
export function buildApi(ctx: ApiContext, token: string, options: ApiOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true } },
    // A sidecar URL saved with a trailing slash makes Grafana's routes call `//api/...`.
    routerOptions: { ignoreDuplicateSlashes: true },
  });
  const routes: RouteSummary[] = [];
  app.decorate('routeSummaries', routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      routes.push({ method, url: route.url, public: route.config?.public === true });
    }
  });
  guardRequests(app, token, hostPolicy(ctx.config.listen));

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
  metricsRoutes(app, ctx);
  if (options.routes !== 'operations') {
    eventRoutes(app, ctx);
    objectRoutes(app, ctx);
    sourceRoutes(app, ctx);
    queryRoutes(app, ctx);
    backfillRoutes(app, ctx);
  }
  return app;
}
