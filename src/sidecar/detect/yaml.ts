import { CORE_SCHEMA, loadAll, YAMLException } from 'js-yaml';
import { RuleError } from './errors';

export const MAX_FILE_BYTES = 1024 * 1024;
const MAX_DOCUMENTS = 200;
const MAX_NODES = 100_000;

/**
 * The YAML documents of a rule file. Only YAML's core types (no dates, no custom tags); anchors
 * that would expand past a size budget are refused rather than walked.
 */
export function yamlDocuments(file: string, text: string): unknown[] {
  if (Buffer.byteLength(text) > MAX_FILE_BYTES) {
    throw new RuleError(file, `is larger than ${MAX_FILE_BYTES / 1024} KiB`);
  }
  let documents: unknown[];
  try {
    documents = loadAll(text, undefined, { schema: CORE_SCHEMA });
  } catch (err) {
    if (err instanceof YAMLException) {
      throw new RuleError(file, `is not valid YAML: ${err.message.split('\n')[0]}`);
    }
    throw err;
  }
  if (documents.length > MAX_DOCUMENTS) {
    throw new RuleError(file, `holds more than ${MAX_DOCUMENTS} YAML documents`);
  }
  let budget = MAX_NODES;
  const walk = (value: unknown): void => {
    if (--budget < 0) {
      throw new RuleError(file, `is too large once its YAML anchors are expanded (more than ${MAX_NODES} values)`);
    }
    if (Array.isArray(value)) {
      value.forEach(walk);
    } else if (typeof value === 'object' && value !== null) {
      Object.values(value).forEach(walk);
    }
  };
  documents.forEach(walk);
  return documents;
}
