/** What went wrong on the network, read from whatever `fetch` or a socket threw, in one wording for every caller. */

/** The useful part of a network error: the innermost cause's name, code and message. */
export interface NetworkErrorParts {
  name: string;
  /** The system code (`ECONNREFUSED`, `ENOTFOUND`, `ECONNRESET`…), when there is one. */
  code: string | undefined;
  message: string;
}

/** Causes followed at most: undici nests two levels, and a cycle must not loop. */
const MAX_DEPTH = 5;

/**
 * Duck-typed rather than `instanceof Error`: errors from Node's own fetch and sockets come from
 * another realm under test runners (and bundlers), where `instanceof` says no.
 */
function isErrorLike(
  value: unknown,
): value is { message: string; name?: unknown; code?: unknown; cause?: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** The innermost error of the cause chain: undici reports `TypeError: fetch failed` and keeps ECONNREFUSED… in `cause`. */
export function networkErrorParts(thrown: unknown): NetworkErrorParts {
  let root: unknown = thrown;
  // The innermost code wins, but a code on an outer error is kept when the inner one has none.
  let code = codeOf(root);
  for (
    let depth = 0;
    depth < MAX_DEPTH && isErrorLike(root) && isErrorLike(root.cause);
    depth += 1
  ) {
    root = root.cause;
    code = codeOf(root) ?? code;
  }
  if (!isErrorLike(root)) return { name: 'Error', code, message: safeString(root) };
  return { name: typeof root.name === 'string' ? root.name : 'Error', code, message: root.message };
}

function codeOf(value: unknown): string | undefined {
  const code = isErrorLike(value) ? value.code : undefined;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

/** One line saying why a request got no answer (`connect ECONNREFUSED 127.0.0.1:9`, `ENOTFOUND: …`); `redact` runs on the message. */
export function describeNetworkError(
  thrown: unknown,
  redact: (text: string) => string = (text) => text,
): string {
  const { code, message } = networkErrorParts(thrown);
  const text = redact(message);
  if (code === undefined) return text || 'request failed';
  if (text === '') return code;
  return text.includes(code) ? text : `${code}: ${text}`;
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return 'a value that cannot be shown as text was thrown';
  }
}
