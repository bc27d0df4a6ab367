/** Recording: `record` (a message from the caller, uploaded to the app's URL, §5.9) and the call recording of `startRecording`/`stopRecording`. */
import type { RecordBody, StartRecordingBody, StopRecordingBody } from '../../tropo';
import type { ActionRecord } from '../result-builder';
import {
  BEEP_SECONDS,
  DEFAULT_RECORD_TIMEOUT,
  RESPONSE_SECONDS,
  eventItems,
  plural,
  seconds,
} from '../session/common';
import { type DocumentRun, type Step, type VerbContext, NEXT, event, interrupted } from './context';

/** `record`: prompts, a beep, then the script's recording outcome, attempt after attempt. */
export async function record(ctx: VerbContext, body: RecordBody, run: DocumentRun): Promise<Step> {
  if (ctx.channel === 'TEXT') {
    return ctx.platformError('record only works on a voice call');
  }
  if (!ctx.callActive()) return ctx.noCall('record');
  const attempts = body.attempts ?? 1;
  const timeout = body.timeout ?? DEFAULT_RECORD_TIMEOUT;
  const allow = body.allowSignals;
  const verbHides = body.promptLogSecurity === 'suppress';
  const destination = body.url[0]?.url ?? '';
  const prompts = (body.say ?? []).filter((item) => item.event === undefined);
  const report = (action: ActionRecord): void => {
    run.actions.push({ make: () => action, hide: 'none' });
  };
  /** A signal cut the recording short: report it and fire the signal's event. */
  const cutShort = (signal: string, attempt: number): Step =>
    interrupted(signal, (disposition) =>
      report({ verb: 'record', name: body.name, attempts: attempt, disposition }),
    );
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const items = [
      ...(attempt > 1 ? eventItems(body.say ?? [], 'timeout', attempt - 1) : []),
      ...prompts,
    ];
    for (const item of items) {
      const signal = ctx.speak(item, allow, verbHides);
      if (signal) return cutShort(signal, attempt);
    }
    if (body.beep !== false) {
      ctx.line('tropo', 'Beep');
      ctx.spend(BEEP_SECONDS, null);
    }
    const answer = await ctx.source.record({
      attempt,
      attempts,
      timeout,
      maxTime: body.maxTime,
      at: ctx.t,
    });
    switch (answer.outcome) {
      case 'timeout': {
        ctx.line('caller', `Caller says nothing for ${seconds(timeout)}`);
        const signal = ctx.spend(timeout, allow);
        if (signal) return cutShort(signal, attempt);
        continue;
      }
      case 'hangup': {
        ctx.line('caller', 'Caller hangs up');
        ctx.spend(RESPONSE_SECONDS, null);
        ctx.disconnect();
        ctx.endedBy ??= 'the caller hung up';
        report({ verb: 'record', name: body.name, attempts: attempt, disposition: 'HANGUP' });
        return event('hangup');
      }
      case 'recorded':
      case 'upload-failed': {
        const spoke = answer.seconds ?? ctx.script.recordDuration;
        const duration = Math.min(spoke, body.maxTime ?? Infinity);
        ctx.line('caller', `Caller speaks for ${seconds(duration)}`);
        const signal = ctx.spend(duration, allow);
        if (signal) return cutShort(signal, attempt);
        const uploaded = answer.outcome === 'recorded';
        const local = ctx.fakeRecordingUrl(body.format);
        ctx.line(
          'tropo',
          uploaded
            ? `Tropo uploads the recording to ${destination} (local copy ${local})`
            : `Tropo cannot upload the recording to ${destination}`,
          uploaded ? 'info' : 'warning',
        );
        report({
          verb: 'record',
          name: body.name,
          attempts: attempt,
          disposition: 'SUCCESS',
          uploadStatus: uploaded ? 'success' : 'failed',
          value: local,
          duration,
          url: destination,
        });
        // §5.9: with asyncUpload the upload's fate is not reported; otherwise it is an error.
        if (!uploaded && body.asyncUpload !== true) {
          return event('error', `the recording could not be uploaded to ${destination}`);
        }
        return NEXT;
      }
    }
  }
  ctx.line('tropo', `The record gets nothing after ${plural(attempts, 'attempt')} (TIMEOUT)`);
  report({ verb: 'record', name: body.name, attempts, disposition: 'TIMEOUT' });
  return event('incomplete');
}

/** `startRecording`: records the call from now on (a running recording is stopped first). */
export function startRecording(ctx: VerbContext, body: StartRecordingBody): Step {
  if (!ctx.callActive()) return ctx.noCall('startRecording');
  const url = body.url[0]?.url ?? '';
  if (ctx.recording) ctx.endRecording('a new startRecording');
  ctx.line('tropo', `Tropo starts recording the call for ${url}`);
  ctx.recording = { url, format: body.format, since: ctx.t };
  return NEXT;
}

/** `stopRecording`: stops the call recording, if one runs. */
export function stopRecording(ctx: VerbContext, _body: StopRecordingBody): Step {
  if (!ctx.recording) ctx.line('tropo', 'Tropo has nothing to stop: no recording is running');
  ctx.endRecording('stopRecording');
  return NEXT;
}
