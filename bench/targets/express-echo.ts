/** Baseline "express-echo": a bare Express 5 app with `express.json()` answering the same documents, the framework's floor. */
import { createServer } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { BenchTarget } from '../target';
import { DEFAULT_PATHS, standardScenarios } from '../scenarios';
import {
  BadBody,
  continuationDocument,
  errorBody,
  JSON_TYPE,
  reminderDocument,
  STATIC_DOCUMENT,
} from './baseline-documents';

const STATIC_TEXT = JSON.stringify(STATIC_DOCUMENT);

/** Builds the app with Express's defaults (etag, x-powered-by…): a floor, not a tuned server. */
function createEchoApp(): express.Express {
  const app = express();
  app.use(express.json());
  app.post(DEFAULT_PATHS.start, (req: Request, res: Response) => {
    res.json(reminderDocument(req.body));
  });
  app.post(DEFAULT_PATHS.continue, (req: Request, res: Response) => {
    res.json(continuationDocument(req.body));
  });
  app.all(DEFAULT_PATHS.static, (_req: Request, res: Response) => {
    res.type(JSON_TYPE).send(STATIC_TEXT);
  });
  app.use((_req: Request, res: Response) => {
    res.status(404).json(errorBody('NOT_FOUND', 'no such route'));
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof BadBody) {
      res.status(400).json(errorBody(err.code, err.message));
      return;
    }
    // body-parser's errors carry an HTTP status (400 for bad JSON, 413 for too large).
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json(errorBody('INVALID_BODY', 'body is not valid JSON'));
      return;
    }
    res.status(500).json(errorBody('INTERNAL', 'internal error'));
  });
  return app;
}

/** The bare Express 5 baseline. */
export const target: BenchTarget = {
  name: 'express-echo',
  description: 'Express 5 + express.json(), hand-built document: the framework floor',
  scenarios: standardScenarios(),
  createServer: () => createServer(createEchoApp()),
};
