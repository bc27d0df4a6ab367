/** Baseline "tropo-webapi-peer": the official `tropo-webapi` library under Express 5 building the same documents, what a team would write without us. */
import { createServer } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { TropoJSON, TropoWebAPI } from 'tropo-webapi';
import type { BenchTarget } from '../target';
import { DEFAULT_PATHS, standardScenarios } from '../scenarios';
import { CONTINUE_PATH, errorBody, JSON_TYPE, resultAnswer } from './baseline-documents';

/**
 * The library's own parsers are not used: `Session` wants the raw JSON text (express.json() has
 * already parsed it), and `Result` throws "actions is not defined" on every call in 15.13.0, so
 * the handlers read the parsed body as the library's Express samples do.
 */
function createPeerApp(): express.Express {
  const app = express();
  app.use(express.json());
  app.post(DEFAULT_PATHS.start, (req: Request, res: Response) => {
    const session = req.body?.session;
    if (session === undefined) {
      res.status(400).json(errorBody('MISSING_SESSION', 'body has no "session"'));
      return;
    }
    const tropo = new TropoWebAPI();
    tropo.call(session.parameters?.numberToDial);
    tropo.say(session.parameters?.msg);
    tropo.on('continue', null, CONTINUE_PATH);
    res.type(JSON_TYPE).send(TropoJSON(tropo));
  });
  app.post(DEFAULT_PATHS.continue, (req: Request, res: Response) => {
    const tropo = new TropoWebAPI();
    tropo.say(`Thank you, we noted ${resultAnswer(req.body)}. Goodbye.`);
    tropo.hangup();
    res.type(JSON_TYPE).send(TropoJSON(tropo));
  });
  app.all(DEFAULT_PATHS.static, (_req: Request, res: Response) => {
    const tropo = new TropoWebAPI();
    tropo.say('Hello, World.');
    tropo.hangup();
    res.type(JSON_TYPE).send(TropoJSON(tropo));
  });
  app.use((_req: Request, res: Response) => {
    res.status(404).json(errorBody('NOT_FOUND', 'no such route'));
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    // body-parser's errors carry an HTTP status; the library's builders throw plain Errors.
    const status = (err as { status?: unknown }).status;
    const code = typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
    res.status(code).json(errorBody(code === 500 ? 'INTERNAL' : 'INVALID_BODY', 'request failed'));
  });
  return app;
}

/** The tropo-webapi peer baseline. */
export const target: BenchTarget = {
  name: 'tropo-webapi-peer',
  description: 'Express 5 + express.json() + tropo-webapi 15.13.0 builders: the peer',
  scenarios: standardScenarios(),
  createServer: () => createServer(createPeerApp()),
};
