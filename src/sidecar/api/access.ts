import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ApiError } from '../../shared/api';
import { bearerMatches } from './auth';
import { describePolicy, hostAllowed, hostHeaderName, type HostPolicy } from './hosts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers without the API token (an explicit allow-list: health only). */
    public?: boolean;
  }
  interface FastifyRequest {
    /** The request carried the right API token. */
    authenticated: boolean;
  }
}

function refuse(reply: FastifyReply, statusCode: 401 | 403, message: string): FastifyReply {
  const body: ApiError = { statusCode, error: statusCode === 401 ? 'Unauthorized' : 'Forbidden', message };
  return reply.code(statusCode).send(body);
}

/**
 * Every request is checked against the route the router matched (the decoded path), never the
 * raw URL: a request needs the token unless that route is marked `config: { public: true }`.
 * A request that matched no route needs it too, so without a token nothing says which paths
 * exist. A token that is sent must be right, on public routes as well.
 */
export function guardRequests(app: FastifyInstance, token: string, hosts: HostPolicy): void {
  app.decorateRequest('authenticated', false);
  app.addHook('onRequest', async (req, reply) => {
    if (!hostAllowed(hosts, req.headers.host)) {
      const name = hostHeaderName(req.headers.host);
      return refuse(
        reply,
        403,
        `${name ? `Host "${name}"` : 'a request without a Host header'} is not allowed: this sidecar answers to ${describePolicy(hosts)} (listen.allowedHosts)`
      );
    }
    req.authenticated = bearerMatches(req.headers.authorization, token);
    if (req.authenticated || (req.headers.authorization === undefined && req.routeOptions.config?.public === true)) {
      return;
    }
    return refuse(reply, 401, 'missing or wrong API token: send Authorization: Bearer <token>');
  });
}
