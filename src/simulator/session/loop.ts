/** The session loop: POST the session, execute each document the app answers with, follow it to the next URL, and recover through the `error` handler when the app fails. */
import { resolveNextUrl } from '../url';
import type { Transcript } from '../transcript';
import type { DocumentRun } from '../verbs/context';
import { executeDocument } from './document';
import { type Target, fetchDocument } from './fetch';
import type { SessionRun } from './run';

/** Plays the session to its end; resolves with the transcript and never rejects. */
export async function playSession(run: SessionRun): Promise<Transcript> {
  try {
    await loop(run);
  } catch (error) {
    // A bug in the engine must still give a transcript that says what happened, and keep where.
    const message = error instanceof Error ? error.message : String(error);
    run.line('simulator', `The simulator failed: ${message}`, 'error');
    run.finish('app-failed', `the simulator failed: ${message}`, stackOf(error));
  }
  return run.transcript();
}

/** How many `cause` links of a crash are kept: enough for any real chain, bounded for a cyclic one. */
const MAX_CAUSES = 5;

/** The stack of `error` followed by those of its causes (`new Error(msg, { cause })`). */
export function stackOf(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; depth <= MAX_CAUSES; depth++) {
    parts.push(
      current instanceof Error
        ? (current.stack ?? `${current.name}: ${current.message}`)
        : String(current),
    );
    if (!(current instanceof Error) || current.cause === undefined) break;
    current = current.cause;
  }
  return parts.join('\nCaused by: ');
}

async function loop(run: SessionRun): Promise<void> {
  describeStart(run);
  let target: Target = {
    url: run.startUrl,
    payload: run.payload,
    shown: run.payload,
    purpose: 'session',
  };
  let previous: DocumentRun | null = null;
  let recovering = false;
  for (;;) {
    const fetched = await fetchDocument(run, target);
    if (fetched.kind === 'limit') {
      run.line('simulator', `Stopped: ${fetched.reason}`, 'error');
      run.hangUpAfterFailure();
      run.finish('limit-reached', fetched.reason);
      return;
    }
    if (fetched.kind === 'ignored') {
      run.finish(
        run.failures.length > 0 ? 'app-failed' : 'completed',
        run.endedBy ?? 'the call had ended',
      );
      return;
    }
    if (fetched.kind === 'failed') {
      run.failures.push(fetched.reason);
      const handler = !recovering && previous ? previous.handlers.get('error') : undefined;
      if (previous && handler?.next !== undefined) {
        const resolved = resolveNextUrl(handler.next, previous.url);
        if (resolved.ok && resolved.url !== target.url) {
          run.line('tropo', 'Tropo fires "error"');
          recovering = true;
          const payload = run.results.next({
            callId: run.callId,
            state: run.resultState(),
            error: fetched.reason,
            calledid: run.calledid,
            actions: [],
          });
          target = { url: resolved.url, payload, shown: payload, purpose: 'result' };
          continue;
        }
      }
      if (handler?.say && run.callActive()) run.playHandlerSay(handler.say);
      run.hangUpAfterFailure();
      run.finish('app-failed', `the app failed: ${fetched.reason}`);
      return;
    }
    recovering = false;
    const leave = await executeDocument(run, fetched.document, target.url);
    if (leave.kind === 'end') {
      const failed = run.failures[0];
      // The session ended as the document said, but an earlier failure still fails it, and says why.
      if (failed === undefined) run.finish('completed', leave.reason);
      else run.finish('app-failed', `the app failed: ${failed}; then ${leave.reason}`);
      return;
    }
    if (leave.kind === 'failed') {
      run.failures.push(leave.reason);
      run.line('app', `The app failed: ${leave.reason}`, 'error');
      run.hangUpAfterFailure();
      run.finish('app-failed', `the app failed: ${leave.reason}`);
      return;
    }
    previous = leave.run;
    target = { url: leave.url, payload: leave.payload, shown: leave.shown, purpose: 'result' };
  }
}

function describeStart(run: SessionRun): void {
  const s = run.payload.session;
  if (s.userType === 'NONE') {
    const shown = Object.entries(s.parameters)
      .filter(([key]) => key !== 'token' && key !== 'action')
      .map(([key, value]) => `${key}=${value}`)
      .join(', ');
    run.line(
      'tropo',
      `The Session API starts a session${shown ? ` with ${shown}` : ' without parameters'}`,
    );
  } else if (s.to.channel === 'TEXT') {
    run.line('caller', `${run.party} texts ${s.to.e164Id || s.to.id}: ${s.initialText ?? ''}`);
  } else {
    run.line('caller', `${run.party} calls ${s.to.e164Id || s.to.id}; Tropo lets it ring`);
  }
}
