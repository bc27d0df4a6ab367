// Copies the static JSON apps next to the compiled app modules, so dist/ serves the same apps as the sources, and the browser phone's page files.
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

// The browser phone's page (HTML, JS, CSS) is served from next to its module.
const page = path.join(root, 'src', 'phone', 'page');
const pageTo = path.join(root, 'dist', 'src', 'phone', 'page');
fs.mkdirSync(pageTo, { recursive: true });
for (const name of fs.readdirSync(page))
  fs.copyFileSync(path.join(page, name), path.join(pageTo, name));
