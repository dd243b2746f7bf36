import { LOG_TYPES, type LogType } from '../../shared/api';
import { checkRules, formatChecks } from '../detect/check';
import { TryRulesError, type TryResult } from '../detect/tryRules';
import { tryRuleFile } from '../sidecar';
import { parseOptions, UsageError } from './args';

export const RULES_USAGE = `usage: lookback rules check <file|dir>... [--json]
       lookback rules test <rule file> --events <file> [--log-type TYPE] [--json]

  check   loads Sigma and native rule files without a sidecar: per rule, "ok <id>" or
          "error <file>: <reason>"; exits 1 when any rule is refused
  test    reads raw log records (CloudTrail JSON or JSON lines, a VPC flow, ALB, S3 access or
          other AWS log file, gzipped or not) with the sidecar's parsers into a temporary
          embedded store, runs the file's rules over them and prints what each matched
  --log-type   the records' type when neither the file nor the rules say (${LOG_TYPES.join(', ')})
`;

export interface RulesIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: RulesIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** `lookback rules check|test`. */
export async function runRules(args: string[], io: RulesIo = processIo): Promise<void> {
  const { values, positionals } = parseOptions(args, {
    json: { type: 'boolean' },
    events: { type: 'string' },
    'log-type': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const [action, ...paths] = positionals;
  if (values.help || !action) {
    io.stdout(RULES_USAGE);
    return;
  }
  if (action === 'check') {
    if (paths.length === 0) {
      throw new UsageError(`name the rule files or directories to check\n\n${RULES_USAGE}`);
    }
    const checks = checkRules(paths);
    io.stdout(
      values.json
        ? `${JSON.stringify(checks, null, 2)}\n`
        : formatChecks(checks)
            .map((line) => `${line}\n`)
            .join('')
    );
    if (checks.length === 0) {
      io.stderr('lookback rules check: no rule found there\n');
    }
    process.exitCode = checks.some((c) => !c.ok) || checks.length === 0 ? 1 : 0;
    return;
  }
  if (action === 'test') {
    if (paths.length !== 1) {
      throw new UsageError(`name one rule file to test\n\n${RULES_USAGE}`);
    }
    if (!values.events) {
      throw new UsageError(`--events names the file of log records to run the rule over\n\n${RULES_USAGE}`);
    }
    const logType = values['log-type'];
    if (logType !== undefined && !(LOG_TYPES as readonly string[]).includes(logType)) {
      throw new UsageError(`--log-type must be one of ${LOG_TYPES.join(', ')}, got "${logType}"`);
    }
    let result: TryResult;
    try {
      result = await tryRuleFile(paths[0], values.events, logType as LogType | undefined);
    } catch (err) {
      if (err instanceof TryRulesError) {
        throw new UsageError(err.message);
      }
      throw err;
    }
    io.stdout(values.json ? `${JSON.stringify(jsonOf(result), null, 2)}\n` : textOf(result, values.events));
    process.exitCode = result.errors.length > 0 || result.rules.length === 0 ? 1 : 0;
    return;
  }
  throw new UsageError(`unknown action "${action}": check or test\n\n${RULES_USAGE}`);
}

function jsonOf(result: TryResult) {
  return {
    logType: result.logType,
    events: result.events,
    malformed: result.malformed,
    from: result.from,
    to: result.to,
    rules: result.rules.map(({ rule, hits, notes }) => ({
      id: rule.id,
      title: rule.title,
      severity: rule.severity,
      hits,
      notes,
    })),
    errors: result.errors.map((e) => ({ file: e.file, message: e.message })),
  };
}

function textOf(result: TryResult, eventsFile: string): string {
  const lines: string[] = result.errors.map((e) => `error ${e.file}: ${e.message.slice(e.file.length + 2)}`);
  if (result.rules.length === 0) {
    lines.push('no rule to run in that file');
    return `${lines.join('\n')}\n`;
  }
  const malformed = result.malformed.length
    ? `; ${result.malformed.length} record${result.malformed.length === 1 ? '' : 's'} not read (record ${result.malformed[0].record}: ${result.malformed[0].reason})`
    : '';
  lines.push(`${result.events} ${result.logType} event${result.events === 1 ? '' : 's'} read from ${eventsFile}, ${result.from} to ${result.to}${malformed}`);
  for (const { rule, hits, notes } of result.rules) {
    lines.push('');
    lines.push(`${rule.id} "${rule.title}" (${rule.severity}): ${hits.length === 0 ? 'no hit' : `${hits.length} hit${hits.length === 1 ? '' : 's'}`}`);
    for (const hit of hits) {
      const keys = Object.entries(hit.keys).map(([k, v]) => `${k}=${v}`);
      lines.push(`  ${[...keys, `count ${hit.count}`, `${hit.events} event${hit.events === 1 ? '' : 's'}`, `${hit.firstSeen} to ${hit.lastSeen}`].join('  ')}`);
      for (const event of hit.matched) {
        lines.push(`    ${eventLine(event)}`);
      }
      if (hit.matched.length < hit.events) {
        lines.push(`    … and ${hit.events - hit.matched.length} more`);
      }
    }
    notes.forEach((note) => lines.push(`  note: ${note}`));
  }
  return `${lines.join('\n')}\n`;
}

/** One matched event: its time and the normalised columns that say what happened. */
function eventLine(event: Record<string, unknown>): string {
  const parts = ['time', 'eventName', 'actor', 'srcIp', 'dstIp', 'status'].map((c) => event[c]).filter((v) => v !== undefined && v !== null && v !== '');
  return parts.map(String).join('  ');
}
