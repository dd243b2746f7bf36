import type { FastifyReply } from 'fastify';
import type { FieldErrorsBody } from '../../shared/backfill';
import type { FieldError } from '../config/validate';

const REASONS: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 409: 'Conflict', 429: 'Too Many Requests' };

/** An answer other than 2xx with a message, which the error handler sends as an ApiError. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string
  ) {
    super(message);
  }

  get reason(): string {
    return REASONS[this.statusCode] ?? 'Bad Request';
  }
}

export const badRequest = (message: string) => new HttpError(400, message);
export const notFound = (message: string) => new HttpError(404, message);
export const conflict = (message: string) => new HttpError(409, message);
export const tooMany = (message: string) => new HttpError(429, message);

/** A 400 that names each field at fault and why, for forms to show beside the field. */
export function sendFieldErrors(reply: FastifyReply, fields: FieldError[]): FastifyReply {
  const body: FieldErrorsBody = { statusCode: 400, error: 'Bad Request', message: fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields };
  return reply.code(400).send(body);
}
