/** Checks of the client's options and of a caller's request, made before anything is sent. */
import { SessionApiInvalidRequestError, type SessionApiOperation } from './errors';
import type { SessionParameterValue } from './types';

/** The base URL without its trailing slashes; refuses one that could leak credentials or is not HTTP. */
export function normaliseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    // The value is not echoed: a misplaced token or password could be in it.
    throw new TypeError('the Session API base URL is not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError('the Session API base URL must be http: or https:');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError(
      'the Session API base URL must not carry credentials, a query or a fragment',
    );
  }
  return url.href.replace(/\/+$/, '');
}

/** `value` when it is a finite number above zero, else a RangeError naming the option. */
export function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`${name} must be a positive number`);
  return value;
}

/** `value` when it is a finite number of zero or more, else a RangeError naming the option. */
export function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative number`);
  }
  return value;
}

/** The parameters as Tropo receives them (strings), refusing reserved names and values Tropo would mangle. */
export function stringParameters(
  parameters: Readonly<Record<string, SessionParameterValue>> | undefined,
  reserved: readonly string[],
  operation: SessionApiOperation,
): Record<string, string> {
  if (parameters === undefined) return {};
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    throw new SessionApiInvalidRequestError(
      'parameters must be an object of name → value',
      operation,
    );
  }
  return Object.fromEntries(
    Object.entries(parameters).map(([name, value]: [string, unknown]) => {
      if (name === '') {
        throw new SessionApiInvalidRequestError('a parameter name is empty', operation);
      }
      if (reserved.includes(name)) {
        throw new SessionApiInvalidRequestError(
          `parameter "${name}" is reserved by the Session API`,
          operation,
        );
      }
      if (typeof value === 'string' || typeof value === 'boolean') return [name, String(value)];
      if (typeof value === 'number' && Number.isFinite(value)) return [name, String(value)];
      // Tropo would stringify an object to something useless; refuse rather than send "[object Object]".
      throw new SessionApiInvalidRequestError(
        `parameter "${name}" must be a string, a finite number or a boolean`,
        operation,
      );
    }),
  );
}
