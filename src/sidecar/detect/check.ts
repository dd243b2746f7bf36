import { loadRules } from './load';

export type RuleCheck = { ok: true; id: string; file: string; warnings: string[] } | { ok: false; file: string; reason: string };

/** Loads the rules of these files and directories and says, per rule, whether it loads and why not. */
export function checkRules(paths: string[]): RuleCheck[] {
  const { rules, errors } = loadRules(paths);
  return [
    ...rules.map((r): RuleCheck => ({ ok: true, id: r.id, file: r.file, warnings: r.warnings })),
    ...errors.map((e): RuleCheck => ({ ok: false, file: e.file, reason: e.message.slice(e.file.length + 2) })),
  ];
}

/** `ok <id>` or `error <file>: <reason>`, one line per rule. */
export function formatChecks(checks: RuleCheck[]): string[] {
  return checks.map((c) => (c.ok ? `ok ${c.id}` : `error ${c.file}: ${c.reason}`));
}
