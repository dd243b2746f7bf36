import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

/** One Ajv instance for config and API payloads: defaults applied, no type coercion. */
export const ajv = new Ajv({ useDefaults: true, allErrors: false, strict: false });

/** The same, reporting every error: for API payloads shown field by field. */
export const ajvAllErrors = new Ajv({ useDefaults: true, allErrors: true, strict: false });

/** `/sources/0/bucket` → `sources[0].bucket` */
export function fieldPath(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (extra) {
    parts.push(extra);
  }
  return parts.reduce((out, p) => (/^\d+$/.test(p) ? `${out}[${p}]` : out ? `${out}.${p}` : p), '');
}

export interface FieldError {
  field: string;
  message: string;
}

export function describeAjvError(e: ErrorObject): FieldError {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') {
    return { field: fieldPath(e.instancePath, String(params.missingProperty)), message: 'is required' };
  }
  if (e.keyword === 'additionalProperties') {
    return { field: fieldPath(e.instancePath, String(params.additionalProperty)), message: 'is not a known field' };
  }
  if (e.keyword === 'enum') {
    const allowed = (params.allowedValues as unknown[]).join(', ');
    return { field: fieldPath(e.instancePath), message: `must be one of: ${allowed}` };
  }
  return { field: fieldPath(e.instancePath) || '(root)', message: e.message ?? 'is invalid' };
}

export function validationErrors(validate: ValidateFunction): FieldError[] {
  return (validate.errors ?? []).map(describeAjvError);
}
