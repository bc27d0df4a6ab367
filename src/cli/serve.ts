/** `tropo-app serve`: runs the server (what `npm start` runs). */
import type { Command } from './types';

const USAGE =
  'usage: tropo-app serve [--dev]   (configure with environment variables; see .env.example)\n' +
  '  --dev   what `npm run dev` runs: the browser phone on (PHONE_UI) and HOST 127.0.0.1 by default\n';

/** Starts the server; resolves only on start-up failure (the process then lives until a signal). */
export const serve: Command = async (argv, io) => {
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
    io.stdout(USAGE);
    return 0;
  }
  const dev = argv.length === 1 && argv[0] === '--dev';
  if (argv.length > 0 && !dev) {
    io.stderr(USAGE);
    return 2;
  }
  // Loaded here so other commands never pay for the server's modules; see src/cli/index.ts on `require`.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { main } = require('../runtime/main') as typeof import('../runtime/main');
  try {
    await main({ dev });
  } catch (err) {
    io.stderr(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  return new Promise<number>(() => undefined);
};
