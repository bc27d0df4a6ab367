/**
 * Jest setup (setupFilesAfterEnv) for every test file: after the file's tests, scans every log
 * captured through `logCapture` (and any text added with `recordForSecretScan`) for the planted
 * secrets of test/helpers/secret-scan.ts, and fails the file if one leaked.
 */
import { clearLedger, scanLedger } from '../helpers/secret-scan';

afterAll(() => {
  const { found } = scanLedger();
  clearLedger();
  if (found.length > 0) {
    throw new Error(
      `planted secrets reached a log or transcript:\n${found
        .map((f) => `  ${f.source} @${f.at}: ${f.context}`)
        .join('\n')}`,
    );
  }
});
