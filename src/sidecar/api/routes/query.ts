import type { FastifyInstance, FastifyReply } from 'fastify';
import type {
  FieldsResponse,
  FieldValuesResponse,
  HistogramRequest,
  HistogramResponse,
  QueryErrorBody,
  QueryRequest,
  QueryResponse,
} from '../../../shared/query';
import { QueryError, toErrorBody } from '../../query/errors';
import { QueryExecutionError } from '../../query/execute';
import { MAX_QUERY_LENGTH } from '../../query/limits';
import { MAX_ROWS } from '../../query/service';
import type { Logger } from '../../log';
import type { ApiContext } from '../context';

const variables = {
  type: 'object',
  maxProperties: 200,
  additionalProperties: {
    anyOf: [{ type: 'string', maxLength: 10_000 }, { type: 'number' }, { type: 'array', maxItems: 10_000, items: { type: 'string', maxLength: 10_000 } }],
  },
} as const;

const time = { type: 'string', minLength: 1, maxLength: 64 } as const;
const interval = { type: 'string', maxLength: 32 } as const;

const queryBody = {
  type: 'object',
  additionalProperties: false,
  required: ['query', 'from', 'to'],
  properties: {
    query: { type: 'string', minLength: 1, maxLength: MAX_QUERY_LENGTH },
    from: time,
    to: time,
    maxRows: { type: 'integer', minimum: 1, maximum: MAX_ROWS },
    interval,
    variables,
  },
} as const;

const histogramBody = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: {
    query: { type: 'string', maxLength: MAX_QUERY_LENGTH },
    from: time,
    to: time,
    interval,
    by: { type: 'string', minLength: 1, maxLength: 256 },
    variables,
  },
} as const;

const valuesQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['field', 'from', 'to'],
  properties: {
    field: { type: 'string', minLength: 1, maxLength: 256 },
    table: { type: 'string', minLength: 1, maxLength: 64 },
    from: time,
    to: time,
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 10 },
  },
} as const;

interface ValuesQuery {
  field: string;
  table?: string;
  from: string;
  to: string;
  limit?: number;
}

/**
 * Query errors become 400s naming where in the query and what was expected. A query the
 * engine refused is the user's to fix too: logged at info, not as a failure of the sidecar.
 */
async function answer<T>(reply: FastifyReply, log: Logger, text: string, run: () => Promise<T>): Promise<T | QueryErrorBody> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof QueryError) {
      return reply.code(400).send(toErrorBody(text, err));
    }
    if (err instanceof QueryExecutionError) {
      log.info({ reason: err.message }, 'query refused by the engine');
      const body: QueryErrorBody = { statusCode: 400, error: 'Bad Request', message: err.message };
      return reply.code(400).send(body);
    }
    throw err;
  }
}

/**
 * POST /api/query, GET /api/fields, GET /api/fields/values?field=, POST /api/histogram. A field
 * name travels in the query string, not the path: field names hold spaces and slashes, whose
 * escapes Grafana's app proxy escapes again and reverse proxies may decode (`%2F`).
 */
export function queryRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const service = ctx.search;
  app.post<{ Body: QueryRequest }>('/api/query', { schema: { body: queryBody } }, (req, reply): Promise<QueryResponse | QueryErrorBody> =>
    answer(reply, ctx.log, req.body.query, () => service.query(req.body))
  );

  app.post<{ Body: HistogramRequest }>('/api/histogram', { schema: { body: histogramBody } }, (req, reply): Promise<HistogramResponse | QueryErrorBody> =>
    answer(reply, ctx.log, req.body.query ?? '', () => service.histogram(req.body))
  );

  app.get('/api/fields', (): Promise<FieldsResponse> => service.fields());

  app.get<{ Querystring: ValuesQuery }>(
    '/api/fields/values',
    { schema: { querystring: valuesQuery } },
    (req, reply): Promise<FieldValuesResponse | QueryErrorBody> => {
      const { field, ...options } = req.query;
      return answer(reply, ctx.log, '', () => service.fieldValues(field, options));
    }
  );
}
