/** Jest runs the TypeScript sources through ts-jest without type-checking: `tsc --noEmit` is its own CI step. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Fails any test file whose captured logs hold a planted secret (test/helpers/secret-scan.ts).
  setupFilesAfterEnv: ['<rootDir>/test/setup/no-planted-secrets.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 20000,
};
