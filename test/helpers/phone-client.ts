/** A client of the browser phone's API, as the page drives it: start a session, read its event stream, reply, hang up. */
import type { PhoneEvent, Question } from '../../src/phone';

/** A session started through the phone API, with every event read so far. */
export interface PhoneCall {
  id: string;
  events: PhoneEvent[];
  /** Resolves with the next question (one not yet answered). */
  question: () => Promise<{ id: number; question: Question }>;
  /** Resolves with the `ended` event. */
  ended: Promise<Extract<PhoneEvent, { type: 'ended' }>>;
  /** The transcript lines' texts so far. */
  texts: () => string[];
  reply: (question: number, reply: unknown) => Promise<Response>;
  hangup: () => Promise<Response>;
  /** Drops the stream, as a closed tab does. */
  abort: () => void;
}

/** POSTs `body` to `/phone/api/sessions` of `base` and reads the stream; rejects when it is refused. */
export async function startPhoneCall(
  base: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<PhoneCall> {
  const controller = new AbortController();
  const response = await fetch(`${base}/phone/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: controller.signal,
  });
  if (response.status !== 200 || !response.body) {
    throw new Error(`phone start answered ${response.status}: ${await response.text()}`);
  }
  const events: PhoneEvent[] = [];
  const waiters: (() => void)[] = [];
  const changed = () => waiters.splice(0).forEach((w) => w());
  const until = <T>(pick: () => T | Error | undefined): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = pick();
        if (found instanceof Error) reject(found);
        else if (found !== undefined) resolve(found);
        else waiters.push(check);
      };
      check();
    });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (data) events.push(JSON.parse(data) as PhoneEvent);
        }
        changed();
      }
    } catch (err) {
      // An aborted stream is the test's own doing; anything else must be seen.
      if (!controller.signal.aborted) throw err;
    }
  })();
  const started = await until(() => events.find((e) => e.type === 'started'));
  let answered = 0;
  const lines = () =>
    events.flatMap((e) => (e.type === 'line' ? [`${e.line.at} ${e.line.text}`] : [])).join('\n');
  const headersJson = { 'content-type': 'application/json', ...headers };
  return {
    id: started.id,
    events,
    question: () =>
      until(() => {
        const q = events.find(
          (e): e is Extract<PhoneEvent, { type: 'question' }> =>
            e.type === 'question' && e.id > answered,
        );
        if (q) return { id: q.id, question: q.question };
        const ended = events.some((e) => e.type === 'ended');
        return ended ? new Error(`the session ended without a question:\n${lines()}`) : undefined;
      }),
    ended: until(() =>
      events.find((e): e is Extract<PhoneEvent, { type: 'ended' }> => e.type === 'ended'),
    ),
    texts: () => events.flatMap((e) => (e.type === 'line' ? [e.line.text] : [])),
    reply: (question, reply) => {
      answered = Math.max(answered, question);
      return fetch(`${base}/phone/api/sessions/${started.id}/reply`, {
        method: 'POST',
        headers: headersJson,
        body: JSON.stringify({ question, reply }),
      });
    },
    hangup: () =>
      fetch(`${base}/phone/api/sessions/${started.id}/hangup`, { method: 'POST', headers }),
    abort: () => controller.abort(),
  };
}
