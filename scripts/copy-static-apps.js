// Copies the static JSON apps next to the compiled app modules, so dist/ serves the same apps as the sources.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const from = path.join(root, 'apps');
const to = path.join(root, 'dist', 'apps');
fs.mkdirSync(to, { recursive: true });
for (const name of fs.readdirSync(from)) {
  if (name.endsWith('.json')) fs.copyFileSync(path.join(from, name), path.join(to, name));
}
