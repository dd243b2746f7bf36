#!/usr/bin/env node
// Checks detection rule files and directories (e.g. a checkout of SigmaHQ's rules/cloud/aws):
// `ok <id>` or `error <file>: <reason>` per rule, then a count; exits 1 when any is refused.
// Needs the sidecar built (npm run build:sidecar). Until `lookback rules check` exists.
'use strict';
const path = require('node:path');
const { checkRules, formatChecks } = require(path.join(__dirname, '..', 'dist-sidecar', 'sidecar', 'detect', 'check.js'));

const paths = process.argv.slice(2);
if (paths.length === 0) {
  process.stderr.write('usage: node scripts/check-rules.js <rule file or directory>...\n');
  process.exit(2);
}
const checks = checkRules(paths);
for (const line of formatChecks(checks)) {
  process.stdout.write(`${line}\n`);
}
const refused = checks.filter((c) => !c.ok).length;
process.stdout.write(`${checks.length - refused} ok, ${refused} refused\n`);
process.exit(refused > 0 ? 1 : 0);
