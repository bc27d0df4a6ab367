/** One exchange with the app: POST the session or a result, then read, check and validate the document it answers with. */
import { type NormalDocument, validateDocument } from '../../tropo';
import type { ResultPayload } from '../result-builder';
import type { SessionPayload } from '../session-factory';
import { type FailureKind, suppressDocumentText } from '../transcript';
import { plural, seconds, verbName } from './common';
import type { SessionRun } from './run';

/** A POST and what to record of it. */
export interface Target {
  url: string;
  payload: SessionPayload | ResultPayload;
  shown: unknown;
  purpose: 'session' | 'result';
}

/** What asking the app for a document gave. */
export type Fetched =
  | { kind: 'document'; document: NormalDocument }
  | { kind: 'failed'; reason: string }
  /** The app failed to answer a result POSTed after the call ended: Tropo ignores that answer. */
  | { kind: 'ignored'; reason: string }
  | { kind: 'limit'; reason: string };

function summarise(document: NormalDocument): string {
  if (document.tropo.length === 0) return 'an empty document';
  return document.tropo
    .map((verb) => ('on' in verb ? `on ${verb.on.event}` : verbName(verb)))
    .join(', ');
}

function limitReached(run: SessionRun): string | undefined {
  if (run.requests >= run.limits.maxDocuments) {
    return `the app was asked for ${plural(run.requests, 'document')}, the most one session may take here (a loop?)`;
  }
  if (run.monotonic() - run.startedWall >= run.limits.maxWallMs) {
    return `the session took longer than ${run.limits.maxWallMs} ms of real time`;
  }
  if (run.t >= run.limits.maxSessionSeconds) {
    return `the session lasted ${seconds(run.t)}, longer than a session may (${run.limits.maxSessionSeconds} s)`;
  }
  return undefined;
}

/** POSTs `target` and reads the app's answer into a document, or says why there is none. */
export async function fetchDocument(run: SessionRun, target: Target): Promise<Fetched> {
  const limit = limitReached(run) ?? run.refusedUrl(target.url);
  if (limit) return { kind: 'limit', reason: limit };
  run.requests += 1;
  const exchange = run.recorder.request(run.t, target.purpose, target.url, target.shown);
  const what =
    target.purpose === 'session'
      ? 'the session'
      : `result #${(target.payload as ResultPayload).result.sequence}`;
  run.line('tropo', `Tropo POSTs ${what} to ${run.show(target.url)}`, 'info', exchange.index);

  const wallLeft = run.limits.maxWallMs - (run.monotonic() - run.startedWall);
  const timeout = Math.max(1, Math.min(run.timeoutMs, wallLeft));
  const answer = await run.post(target.url, JSON.stringify(target.payload), timeout);
  run.t += answer.durationMs / 1000;
  const loggedErrors = run.takeAppLogs(exchange.index);
  // After the call has ended (the hangup event's result) Tropo has nothing left to do with the
  // answer, so a failed one is the app's untidiness, not a failed call: a warning.
  const afterEnd = target.purpose === 'result' && run.state === 'DISCONNECTED';
  const fail = (kind: FailureKind, reason: string): Fetched => {
    run.recorder.failure(exchange, kind, reason);
    if (afterEnd) {
      run.line(
        'app',
        `Warning: the app failed to answer after the call ended (Tropo ignores it): ${reason}`,
        'warning',
        exchange.index,
      );
      return { kind: 'ignored', reason };
    }
    run.line('app', `The app failed: ${reason}`, 'error', exchange.index);
    return { kind: 'failed', reason };
  };
  if (!answer.ok) {
    if (answer.kind === 'timeout' && timeout < run.timeoutMs) {
      run.recorder.failure(exchange, 'timeout', answer.message);
      return {
        kind: 'limit',
        reason: `the session took longer than ${run.limits.maxWallMs} ms of real time`,
      };
    }
    return answer.kind === 'timeout'
      ? fail('timeout', `the app did not answer within ${timeout} ms`)
      : fail('network', `could not reach the app: ${answer.message}`);
  }
  run.documents += 1;
  run.recorder.response(exchange, {
    status: answer.status,
    contentType: answer.contentType,
    body: answer.body,
    truncated: answer.truncated,
    durationMs: Math.round(answer.durationMs),
  });
  if (exchange.response && run.keepRaw) exchange.response.raw = answer.body;
  if (exchange.response && answer.errorId) exchange.response.errorId = answer.errorId;
  noteServerErrors(run, answer.errorId ?? undefined, loggedErrors, exchange.index);
  if (answer.status < 200 || answer.status > 299) {
    return fail('status', `the app answered HTTP ${answer.status}`);
  }
  if (answer.truncated) {
    return fail('not-json', 'the answer is larger than the simulator reads (1 MiB)');
  }
  let json: unknown;
  try {
    json = JSON.parse(answer.body.replace(/^\uFEFF/, ''));
  } catch {
    // The reason names the body, which says more to an app author than the parser's position.
    const excerpt = answer.body.trim().slice(0, 80);
    return fail('not-json', `the answer is not JSON${excerpt ? `: ${excerpt}` : ' (empty body)'}`);
  }
  checkContentType(run, answer.contentType, answer.body, exchange.index);

  const hidden = suppressDocumentText(json, run.suppressing);
  if (hidden !== null && exchange.response) {
    exchange.response.body = run.recorder.redact(JSON.stringify(hidden));
  }
  const channel = run.channel ?? undefined;
  const validation = validateDocument(json, channel ? { channel } : {});
  exchange.issues = validation.issues.map((issue) => ({
    ...issue,
    message: run.recorder.redact(issue.message),
  }));
  if (!validation.ok || !validation.document) {
    const errors = validation.issues.filter((i) => i.severity === 'error');
    const first = errors[0];
    return fail(
      'invalid-document',
      `the document is invalid (${plural(errors.length, 'error')})${first ? `; ${first.path || '(document)'}: ${first.message}` : ''}`,
    );
  }
  run.line(
    'app',
    `The app answers ${answer.status}: ${summarise(validation.document)}`,
    'info',
    exchange.index,
  );
  for (const issue of validation.issues) {
    run.line('simulator', `Warning: ${issue.path}: ${issue.message}`, 'warning', exchange.index);
  }
  return { kind: 'document', document: validation.document };
}

/**
 * A fallback document (the `x-error-id` header) or an error the server logged means the app broke,
 * even though Tropo still plays the apology: the session goes on, and fails at its end.
 */
function noteServerErrors(
  run: SessionRun,
  errorId: string | undefined,
  loggedErrors: readonly string[],
  exchange: number,
): void {
  if (errorId !== undefined) {
    const reason = `the server answered its fallback document (error id ${errorId})`;
    run.failures.push(reason);
    run.line('app', `The app failed: ${reason}`, 'error', exchange);
    return;
  }
  for (const logged of loggedErrors) {
    run.failures.push(`the server logged an error for the session (${logged})`);
  }
}

function checkContentType(
  run: SessionRun,
  contentType: string | null,
  body: string,
  exchange: number,
): void {
  if (contentType === null) {
    run.line('simulator', 'Warning: the answer has no content-type', 'warning', exchange);
    return;
  }
  if (!/json/i.test(contentType)) {
    run.line(
      'simulator',
      `Warning: the answer's content-type is ${contentType}, not application/json`,
      'warning',
      exchange,
    );
  }
  // §2: without a charset Tropo decodes as Latin-1, which only matters for non-ASCII text.
  if (!/charset=/i.test(contentType) && /[^\x20-\x7e\s]/.test(body)) {
    run.line(
      'simulator',
      'Warning: the answer has non-ASCII text but no charset; Tropo would decode it as Latin-1',
      'warning',
      exchange,
    );
  }
}
