#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist-sidecar', 'sidecar', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('lookback: the sidecar is not built yet; run `npm run build:sidecar` first\n');
  process.exit(1);
}
// The AWS SDK warns every Node 20 process about its 2027 plans; Lookback pins the SDK it was tested with.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require(entry).main(process.argv.slice(2));
