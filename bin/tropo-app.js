#!/usr/bin/env node
// Entry point of the `tropo-app` command: the compiled CLI when built, else the TypeScript sources through tsx.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const compiled = path.join(__dirname, '..', 'dist', 'src', 'cli', 'index.js');
if (fs.existsSync(compiled)) {
  require(compiled).main();
} else {
  require('tsx/cjs');
  require(path.join(__dirname, '..', 'src', 'cli', 'index.ts')).main();
}
