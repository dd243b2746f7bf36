import { lstatSync, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { checkRuleQueries } from './compile';
import { RuleError, RuleSyntaxError } from './errors';
import { isMap, type Doc } from './meta';
import { nativeRule } from './native';
import { correlationRule, parseCorrelation, type CorrelationSpec } from './sigma/correlation';
import { sigmaDetection, type SigmaDetection } from './sigma/rule';
import type { DetectionRule } from './types';
import { MAX_FILE_BYTES, yamlDocuments } from './yaml';

export interface RuleSource {
  file: string;
  text: string;
}

export interface LoadedRules {
  /** Rules to run (standalone) and the Sigma rules only correlations use, in file order. */
  rules: DetectionRule[];
  errors: RuleError[];
}

/** How much a set of rule paths may hold: rules are read whole into memory. */
export interface ReadLimits {
  maxFiles: number;
  maxTotalBytes: number;
}

const READ_LIMITS: ReadLimits = { maxFiles: 10_000, maxTotalBytes: 64 * 1024 * 1024 };
const RULE_FILE = /\.ya?ml$/i;
/** Test samples that sit beside rules (`name.test.yml`) are no rules. */
const SAMPLE_FILE = /\.test\.ya?ml$/i;

/** Reads these rule files and every `.yml`/`.yaml` file under these directories (not following links inside them). */
export function readRuleSources(paths: string[], limits: ReadLimits = READ_LIMITS): { sources: RuleSource[]; errors: RuleError[] } {
  const sources: RuleSource[] = [];
  const errors: RuleError[] = [];
  let total = 0;
  const visit = (path: string, named: boolean): void => {
    let stat: Stats;
    try {
      // A path the user named may be a link; links met while walking a directory are not followed.
      stat = named ? statSync(path) : lstatSync(path);
    } catch (err) {
      errors.push(new RuleError(path, `cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`));
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (!entry.startsWith('.')) {
          visit(join(path, entry), false);
        }
      }
      return;
    }
    if (!stat.isFile() || (!named && (!RULE_FILE.test(path) || SAMPLE_FILE.test(path)))) {
      return;
    }
    if (sources.length >= limits.maxFiles) {
      errors.push(new RuleError(path, `is past the ${limits.maxFiles} rule files Lookback reads`));
      return;
    }
    if (stat.size > MAX_FILE_BYTES) {
      errors.push(new RuleError(path, `is larger than ${MAX_FILE_BYTES / 1024} KiB`));
      return;
    }
    if (total + stat.size > limits.maxTotalBytes) {
      errors.push(new RuleError(path, `is past the ${sizeOf(limits.maxTotalBytes)} of rules Lookback reads`));
      return;
    }
    total += stat.size;
    sources.push({ file: path, text: readFileSync(path, 'utf8') });
  };
  for (const path of paths) {
    visit(resolve(path), true);
  }
  return { sources, errors };
}

function sizeOf(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.floor(bytes / 1024 / 1024)} MiB` : `${bytes} bytes`;
}

/** Loads the rules of these files and directories. */
export function loadRules(paths: string[]): LoadedRules {
  const { sources, errors } = readRuleSources(paths);
  const loaded = rulesFromSources(sources);
  return { rules: loaded.rules, errors: [...errors, ...loaded.errors] };
}

interface Parsed {
  file: string;
  doc: Doc;
  fallbackId: string;
  kind: 'sigma' | 'correlation' | 'native';
}

type Refuse = (p: Parsed, err: unknown) => void;

/**
 * Translates rule texts: Sigma rules and correlations (which may refer to rules of any of the
 * sources by id or name) and native rules. A rule that cannot be translated is an error naming
 * its file, the rule, the construct and the reason; the others load.
 */
export function rulesFromSources(sources: RuleSource[]): LoadedRules {
  const errors: RuleError[] = [];
  const refuse: Refuse = (p, err) => {
    if (!(err instanceof RuleSyntaxError)) {
      throw err;
    }
    errors.push(new RuleError(p.file, err.reason, labelOf(p.doc, p.fallbackId), err.construct));
  };
  const parsed = parseDocuments(sources, errors);
  const rules: DetectionRule[] = [];
  const detections: SigmaDetection[] = [];
  const refused = new Set<string>();
  for (const p of parsed) {
    try {
      if (p.kind === 'sigma') {
        const detection = sigmaDetection(p.doc, p.file, p.fallbackId);
        checkRuleQueries(detection.rule);
        detections.push(detection);
      } else if (p.kind === 'native') {
        const rule = nativeRule(p.doc, p.file, p.fallbackId);
        checkRuleQueries(rule, rule.events);
        rules.push(rule);
      }
    } catch (err) {
      refuse(p, err);
      if (p.kind === 'sigma') {
        [p.doc.id, p.doc.name, p.fallbackId].forEach((ref) => typeof ref === 'string' && refused.add(ref));
      }
    }
  }
  rules.push(...correlate(parsed, detections, refused, refuse));
  return { rules: uniqueIds(rules, errors), errors };
}

/** The YAML documents of the sources that are rules, and an error for each that is not. */
function parseDocuments(sources: RuleSource[], errors: RuleError[]): Parsed[] {
  const parsed: Parsed[] = [];
  for (const { file, text } of sources) {
    let documents: unknown[];
    try {
      documents = yamlDocuments(file, text);
    } catch (err) {
      errors.push(err as RuleError);
      continue;
    }
    const real = documents.filter((d) => d !== null && d !== undefined);
    real.forEach((doc, index) => {
      const stem = basename(file)
        .replace(/\.ya?ml$/i, '')
        .replace(/[^A-Za-z0-9_.:-]/g, '_');
      const fallbackId = real.length > 1 ? `${stem}.${index + 1}` : stem;
      const kind = kindOf(doc);
      if (typeof kind === 'string') {
        parsed.push({ file, doc: doc as Doc, fallbackId, kind });
      } else {
        errors.push(new RuleError(file, kind.reason, labelOf(doc, fallbackId)));
      }
    });
  }
  return parsed;
}

/**
 * The correlation rules, over the Sigma rules they name. The Sigma rules come back too: run on
 * their own unless only correlations use them (and none says `generate: true`).
 */
function correlate(parsed: Parsed[], detections: SigmaDetection[], refusedRefs: ReadonlySet<string>, refuse: Refuse): DetectionRule[] {
  const byRef = new Map<string, SigmaDetection>();
  for (const d of detections) {
    byRef.set(d.meta.id, d);
    if (d.name) {
      byRef.set(d.name, d);
    }
  }
  const specs: Array<{ p: Parsed; spec: CorrelationSpec }> = [];
  for (const p of parsed.filter((s) => s.kind === 'correlation')) {
    try {
      specs.push({ p, spec: parseCorrelation(p.doc, p.fallbackId) });
    } catch (err) {
      refuse(p, err);
    }
  }
  const correlationRefs = new Set(specs.flatMap(({ spec }) => [spec.meta.id, spec.name]));
  const rules: DetectionRule[] = [];
  const generated = new Set<SigmaDetection>();
  const used = new Set<SigmaDetection>();
  for (const { p, spec } of specs) {
    try {
      const bases = spec.rules.map((ref) => {
        const base = byRef.get(ref);
        if (base) {
          return base;
        }
        const why = correlationRefs.has(ref)
          ? 'is a correlation: correlations of correlations are not supported'
          : refusedRefs.has(ref)
            ? 'was refused (see its own error)'
            : 'is no Sigma rule loaded with it (by id or name)';
        throw new RuleSyntaxError('correlation.rules', `"${ref}" ${why}`);
      });
      const rule = correlationRule(spec, bases, p.file);
      checkRuleQueries(rule);
      rules.push(rule);
      bases.forEach((b) => (spec.generate ? generated : used).add(b));
    } catch (err) {
      refuse(p, err);
    }
  }
  return [...rules, ...detections.map((d) => ({ ...d.rule, standalone: generated.has(d) || !used.has(d) }))];
}

/** The rules in file order, but for a rule whose id an earlier one has, which is an error. */
function uniqueIds(rules: DetectionRule[], errors: RuleError[]): DetectionRule[] {
  const seen = new Map<string, DetectionRule>();
  const unique: DetectionRule[] = [];
  for (const rule of [...rules].sort((a, b) => a.file.localeCompare(b.file))) {
    const first = seen.get(rule.id);
    if (first) {
      errors.push(new RuleError(rule.file, `the id is already used by "${first.title}" in ${first.file}`, `"${rule.title}" (${rule.id})`, 'id'));
      continue;
    }
    seen.set(rule.id, rule);
    unique.push(rule);
  }
  return unique;
}

function kindOf(doc: unknown): Parsed['kind'] | { reason: string } {
  if (!isMap(doc)) {
    return { reason: 'a rule must be a YAML map' };
  }
  if (doc.action !== undefined) {
    return { reason: 'rule collections (action: global, reset, repeat) are Sigma 1: write each rule whole' };
  }
  if (doc.filter !== undefined && doc.detection === undefined) {
    return { reason: 'Sigma filters (meta-filters that change other rules) are not supported' };
  }
  const has = ['detection', 'correlation', 'query'].filter((key) => doc[key] !== undefined);
  if (has.length !== 1) {
    return {
      reason:
        has.length === 0
          ? 'is neither a Sigma rule (detection), a Sigma correlation (correlation) nor a native rule (query)'
          : `has both ${has.join(' and ')}: a rule is one of a Sigma rule (detection), a correlation or a native rule (query)`,
    };
  }
  return has[0] === 'detection' ? 'sigma' : has[0] === 'correlation' ? 'correlation' : 'native';
}

function labelOf(doc: unknown, fallbackId: string): string {
  if (!isMap(doc)) {
    return fallbackId;
  }
  const title = typeof doc.title === 'string' ? doc.title : '';
  const id = typeof doc.id === 'string' ? doc.id : fallbackId;
  return title ? `"${title}" (${id})` : id;
}
