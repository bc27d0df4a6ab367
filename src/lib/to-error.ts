/** Thrown values as Errors: what any catch block of ours hands on, whatever the code it called threw. */

/** An Error for whatever was thrown; `String()` itself throws for some values (`Object.create(null)`). */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  try {
    return new Error(String(value));
  } catch {
    return new Error('a value that cannot be shown as text was thrown');
  }
}
