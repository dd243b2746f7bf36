#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist-sidecar', 'sidecar', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('lookback: the sidecar is not built yet; run `npm run build:sidecar` first\n');
  process.exit(1);
}
require(entry).main(process.argv.slice(2));
