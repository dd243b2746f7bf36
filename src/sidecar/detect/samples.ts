import { existsSync, readFileSync } from 'node:fs';
import { CORE_SCHEMA, load } from 'js-yaml';
import { LOG_TYPES, type LogType } from '../../shared/api';

/** Events that must make a rule fire, or must not. */
export interface SampleCase {
  name: string;
  /** Records of the log type: JSON objects, or lines of text logs. */
  events: unknown[];
  /** When the run happens (ISO 8601); a minute after the last event unless given. */
  at?: string;
}

/** A rule's samples: `<rule>.test.yml` beside `<rule>.yml`. */
export interface RuleSamples {
  logType: LogType;
  fires: SampleCase[];
  quiet: SampleCase[];
}

export function samplesFileOf(ruleFile: string): string {
  return ruleFile.replace(/\.ya?ml$/i, '.test.yml');
}

/** Reads a samples file; undefined when the rule has none. Throws on a malformed one. */
export function readSamples(ruleFile: string): RuleSamples | undefined {
  const file = samplesFileOf(ruleFile);
  if (!existsSync(file)) {
    return undefined;
  }
  const doc = load(readFileSync(file, 'utf8'), { schema: CORE_SCHEMA }) as Partial<RuleSamples> | null;
  if (!doc || !(LOG_TYPES as readonly string[]).includes(String(doc.logType))) {
    throw new Error(`${file}: logType must be one of ${LOG_TYPES.join(', ')}`);
  }
  const cases = (key: 'fires' | 'quiet'): SampleCase[] => {
    const list = doc[key];
    if (!Array.isArray(list) || list.length === 0 || list.some((c) => typeof c?.name !== 'string' || !Array.isArray(c.events) || c.events.length === 0)) {
      throw new Error(`${file}: ${key} must list cases, each with a name and events`);
    }
    return list;
  };
  return { logType: doc.logType as LogType, fires: cases('fires'), quiet: cases('quiet') };
}
