/** Type-checks files outside the project (an app written to a temporary folder) with the project's own strict tsconfig. */
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

/** The messages of every error `files` have under the project's tsconfig (empty when none). */
export function typeErrors(files: readonly string[]): string[] {
  const { config } = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), (f) => ts.sys.readFile(f));
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  // rootDir widened: the files may be anywhere on the disk, outside the project.
  const program = ts.createProgram([...files], {
    ...options,
    noEmit: true,
    rootDir: path.parse(files[0] ?? ROOT).root,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}
