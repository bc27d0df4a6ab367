// Lint rules: typescript-eslint's type-aware recommended set, formatting left to prettier, and the
// direction of imports between our folders.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const prettier = require('eslint-config-prettier');

/** What the browser phone's page script uses of the browser, by name. */
const BROWSER_GLOBALS = [
  'AudioContext',
  'Option',
  'TextDecoder',
  'SpeechSynthesisUtterance',
  'URLSearchParams',
  'clearInterval',
  'clearTimeout',
  'console',
  'document',
  'fetch',
  'navigator',
  'performance',
  'sessionStorage',
  'setInterval',
  'setTimeout',
  'speechSynthesis',
  'window',
];

module.exports = tseslint.config(
  // The browser phone's page script is the one JavaScript file linted: it has no build step.
  { ignores: ['node_modules/', 'dist/', 'coverage/', '**/*.js', '!src/phone/page/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: __dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // The browser phone's page: a plain script run by the browser, with the browser's globals.
    files: ['src/phone/page/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: false },
      sourceType: 'script',
      ecmaVersion: 2022,
      globals: Object.fromEntries(BROWSER_GLOBALS.map((name) => [name, 'readonly'])),
    },
  },
  // The direction of imports (README "How the code is laid out"). Each folder gets one block, and
  // no two blocks match the same file: a later block would replace an earlier one's patterns.
  restrictImports(
    ['src/tropo/*.ts'],
    [
      {
        regex: '^\\.\\./',
        message:
          'src/tropo imports nothing of ours: it is the WebAPI as a library, usable without the server.',
      },
      ioLibraries('src/tropo'),
    ],
  ),
  restrictImports(
    ['src/tropo/verbs/*.ts'],
    [
      {
        regex: '^\\.\\./\\.\\./',
        message:
          'src/tropo imports nothing of ours: it is the WebAPI as a library, usable without the server.',
      },
      ioLibraries('src/tropo'),
    ],
  ),
  restrictImports(
    ['apps/**/*.ts'],
    [
      {
        regex: '^((\\.\\./)+|/(.*/)?)src/(?!sdk(/|$))',
        message:
          'apps import only the SDK (../../src/sdk) among our code: the server may change behind it, the SDK is the contract.',
      },
      {
        regex: '^(\\.\\./)+(routes|test|bench|scripts)(/|$)',
        message:
          'apps import only the SDK (../../src/sdk) among our code: routes, tests and benchmarks are not part of an app.',
      },
      {
        regex: '^(express|body-parser|supertest|pino|ioredis)(/|$)',
        message:
          'apps know nothing of HTTP, logging set-up or storage: the context (ctx) gives them session, state, log and next.',
      },
    ],
  ),
  restrictImports(
    ['src/server/**/*.ts'],
    [
      {
        regex: '^(\\.\\./)+(runtime|cli)(/|$)',
        message:
          'src/server never imports src/runtime or src/cli: the request path is a value the process wraps (createApp), never the other way round.',
      },
      {
        regex: '^(\\.\\./)+simulator(/|$)',
        message:
          'src/server never imports src/simulator: the simulator drives the server (and gives it an OutcomeReporter), never the other way round.',
      },
    ],
  ),
  restrictImports(
    ['src/sdk/**/*.ts'],
    [
      {
        regex: '^(\\.\\./)+(server|runtime|cli|simulator|state|session-api|campaigns)(/|$)',
        message:
          'src/sdk imports only src/tropo among our code: apps depend on it, so it must not drag in the server, the process or the tools.',
      },
    ],
  ),
  restrictImports(
    ['src/lib/**/*.ts'],
    [
      {
        regex: '^\\.\\./',
        message:
          'src/lib imports nothing of ours: its helpers are leaves that every other folder may use.',
      },
    ],
  ),
  restrictImports(
    ['src/state/**/*.ts', 'src/session-api/**/*.ts'],
    [
      {
        regex: '^(\\.\\./)+(server|runtime|cli|simulator|sdk|campaigns)(/|$)',
        message:
          'src/state and src/session-api are libraries the server uses: they import only src/lib among our code.',
      },
    ],
  ),
  restrictImports(
    ['routes/**/*.ts'],
    [
      {
        regex: '^(\\.\\./)+(?!src/(server|phone)(/|$))(src|apps|test|bench|scripts)(/|$)',
        message:
          'routes import only src/server (and the browser phone, src/phone) among our code: they are thin Express adapters.',
      },
    ],
  ),
  restrictImports(
    ['src/phone/**/*.ts'],
    [
      {
        regex:
          '^(\\.\\./)+(runtime|cli)(/|$)|^\\.\\./simulator(/(index)?)?$|^\\.\\./simulator/local-server$',
        message:
          'src/phone drives the engine through its own modules (../simulator/engine, …), never the simulator index or its in-process server, nor src/runtime or src/cli: those load createApp, which loads the phone.',
      },
    ],
  ),
  prettier,
);

/** A config block refusing imports that match `patterns` in `files` (core no-restricted-imports). */
function restrictImports(files, patterns) {
  return { files, rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

/** The libraries of HTTP, logging and storage, which the WebAPI library does without. */
function ioLibraries(folder) {
  return {
    regex: '^(express|body-parser|pino|pino-http|ioredis|bullmq|prom-client)(/|$)',
    message: `${folder} does no I/O: no Express, pino or Redis, so it runs anywhere (a test, a browser, a tool).`,
  };
}
