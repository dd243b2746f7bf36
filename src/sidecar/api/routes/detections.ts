import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  DETECTION_STATUSES,
  SEVERITIES,
  type DeliveryList,
  type Detection,
  type DetectionList,
  type DetectionStatus,
  type Hunt,
  type RuleRun,
  type RulesResponse,
  type RuleSummary,
  type Severity,
} from '../../../shared/detections';
import type { FieldError } from '../../config/validate';
import { parseRequestTime } from '../../query/time';
import type { ApiContext } from '../context';
import { notFound, sendFieldErrors } from '../errors';

const MAX_LIST = 1000;
const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max }) as const;
const list = (item: object) => ({ anyOf: [item, { type: 'array', items: item, maxItems: 100 }] }) as const;
const ruleParams = { type: 'object', required: ['id'], properties: { id: text(256) } } as const;
const fingerprintParams = { type: 'object', required: ['fingerprint'], properties: { fingerprint: { type: 'string', pattern: '^[0-9a-f]{1,64}$' } } } as const;
const huntParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^hunt-[0-9a-f-]{1,64}$' } } } as const;
const limitOf = (fallback: number) => ({ type: 'integer', minimum: 1, maximum: MAX_LIST, default: fallback }) as const;
const by = { type: 'string', maxLength: 256 } as const;

const detectionsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: list({ type: 'string', enum: DETECTION_STATUSES }),
    severity: list({ type: 'string', enum: SEVERITIES }),
    rule: list(text(256)),
    from: text(64),
    to: text(64),
    limit: limitOf(100),
  },
} as const;

const statusBody = {
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: { status: { type: 'string', enum: DETECTION_STATUSES }, by, note: { type: 'string', maxLength: 4096 } },
} as const;

const settingsBody = { type: 'object', additionalProperties: false, required: ['enabled'], properties: { enabled: { type: 'boolean' }, by } } as const;

const huntBody = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: {
    from: text(64),
    to: text(64),
    rules: { type: 'array', items: text(256), maxItems: 1000 },
    notify: { type: 'boolean', default: false },
    by,
  },
} as const;

const deliveriesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    state: list({ type: 'string', enum: ['pending', 'delivered', 'failed'] }),
    fingerprint: fingerprintParams.properties.fingerprint,
    limit: limitOf(100),
  },
} as const;

const many = <T>(value: T | T[] | undefined): T[] | undefined => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);

/** Who makes a change: the Grafana user Grafana's proxy names wins over what the body says. */
function actor(req: FastifyRequest, given: string | undefined): string {
  const header = req.headers['x-grafana-user'];
  return (typeof header === 'string' && header !== '' ? header : (given ?? '')).slice(0, 256);
}

/** A time of a request: an ISO 8601 time or epoch seconds/milliseconds, else a field error. */
function timeOf(field: string, value: string | undefined, errors: FieldError[]): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const at = parseRequestTime(value);
  if (at === undefined) {
    errors.push({ field, message: `must be an ISO 8601 time or epoch milliseconds, got "${value}"` });
  }
  return at;
}

/** Detection rules (list, enable/disable, runs), detections (list, get, status), retro-hunts and notification deliveries. */
export function detectionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const service = ctx.detections;

  app.get('/api/rules', async (): Promise<RulesResponse> => service.listRules());

  app.get<{ Params: { id: string } }>('/api/rules/:id', { schema: { params: ruleParams } }, async (req): Promise<RuleSummary> => {
    const rule = await service.getRule(req.params.id);
    if (!rule) {
      throw notFound(`no rule ${req.params.id}`);
    }
    return rule;
  });

  app.put<{ Params: { id: string }; Body: { enabled: boolean; by?: string } }>(
    '/api/rules/:id/settings',
    { schema: { params: ruleParams, body: settingsBody } },
    async (req): Promise<RuleSummary> => {
      const rule = await service.setEnabled(req.params.id, req.body.enabled, actor(req, req.body.by));
      if (!rule) {
        throw notFound(`no rule ${req.params.id}`);
      }
      return rule;
    }
  );

  app.get<{ Params: { id: string }; Querystring: { limit: number } }>(
    '/api/rules/:id/runs',
    { schema: { params: ruleParams, querystring: { type: 'object', additionalProperties: false, properties: { limit: limitOf(50) } } } },
    async (req): Promise<{ runs: RuleRun[] }> => {
      if (!(await service.getRule(req.params.id))) {
        throw notFound(`no rule ${req.params.id}`);
      }
      return { runs: await service.ruleRuns(req.params.id, req.query.limit) };
    }
  );

  app.get<{
    Querystring: {
      status?: DetectionStatus | DetectionStatus[];
      severity?: Severity | Severity[];
      rule?: string | string[];
      from?: string;
      to?: string;
      limit: number;
    };
  }>('/api/detections', { schema: { querystring: detectionsQuery } }, async (req, reply): Promise<DetectionList | FastifyReply> => {
    const errors: FieldError[] = [];
    const from = timeOf('from', req.query.from, errors);
    const to = timeOf('to', req.query.to, errors);
    if (from !== undefined && to !== undefined && from >= to) {
      errors.push({ field: 'to', message: 'must be after from' });
    }
    if (errors.length > 0) {
      return sendFieldErrors(reply, errors);
    }
    return service.listDetections({
      statuses: many(req.query.status),
      severities: many(req.query.severity),
      ruleIds: many(req.query.rule),
      from,
      to,
      limit: req.query.limit,
    });
  });

  app.get<{ Params: { fingerprint: string } }>('/api/detections/:fingerprint', { schema: { params: fingerprintParams } }, async (req): Promise<Detection> => {
    const detection = await service.getDetection(req.params.fingerprint);
    if (!detection) {
      throw notFound(`no detection ${req.params.fingerprint}`);
    }
    return detection;
  });

  app.post<{ Params: { fingerprint: string }; Body: { status: DetectionStatus; by?: string; note?: string } }>(
    '/api/detections/:fingerprint/status',
    { schema: { params: fingerprintParams, body: statusBody } },
    async (req): Promise<Detection> => {
      const detection = await service.setStatus(req.params.fingerprint, { status: req.body.status, by: actor(req, req.body.by), note: req.body.note ?? '' });
      if (!detection) {
        throw notFound(`no detection ${req.params.fingerprint}`);
      }
      return detection;
    }
  );

  app.post<{ Body: { from: string; to: string; rules?: string[]; notify: boolean; by?: string } }>(
    '/api/hunts',
    { schema: { body: huntBody } },
    async (req, reply): Promise<Hunt | FastifyReply> => {
      const errors: FieldError[] = [];
      const from = timeOf('from', req.body.from, errors);
      const to = timeOf('to', req.body.to, errors);
      if (errors.length > 0) {
        return sendFieldErrors(reply, errors);
      }
      const hunt = await service.startHunt({ from: from!, to: to!, rules: req.body.rules ?? [], notify: req.body.notify, by: actor(req, req.body.by) });
      if ('field' in hunt) {
        return sendFieldErrors(reply, [hunt]);
      }
      return reply.code(201).send(hunt);
    }
  );

  app.get<{ Querystring: { limit: number } }>(
    '/api/hunts',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { limit: limitOf(50) } } } },
    async (req): Promise<{ hunts: Hunt[] }> => ({ hunts: await service.listHunts(req.query.limit) })
  );

  app.get<{ Params: { id: string } }>('/api/hunts/:id', { schema: { params: huntParams } }, async (req): Promise<Hunt> => {
    const hunt = await service.getHunt(req.params.id);
    if (!hunt) {
      throw notFound(`no hunt ${req.params.id}`);
    }
    return hunt;
  });

  app.get<{ Querystring: { state?: Array<'pending' | 'delivered' | 'failed'> | 'pending' | 'delivered' | 'failed'; fingerprint?: string; limit: number } }>(
    '/api/deliveries',
    { schema: { querystring: deliveriesQuery } },
    async (req): Promise<DeliveryList> => service.listDeliveries({ states: many(req.query.state), fingerprint: req.query.fingerprint, limit: req.query.limit })
  );
}
