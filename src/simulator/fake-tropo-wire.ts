/** The wire side of the fake Tropo: which representation a client asked for, reading create requests in every form of §8.1, and Tropo's answers in each (§8.2). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringifyParameter } from './session-factory';
import { escapeXml } from '../lib';

/** The largest create request body read (a real one is a few hundred bytes). */
const MAX_BODY_BYTES = 64 * 1024;

/** The representations of the Session API (§8.2). */
export type Format = 'json' | 'xml' | 'form';

/** The representation the client asked for by `Accept`. */
export function formatFor(req: IncomingMessage): Format {
  const accept = (req.headers.accept ?? '').toLowerCase();
  if (accept.includes('json')) return 'json';
  if (accept.includes('x-www-form-urlencoded')) return 'form';
  // §8.2: XML is what a plain request gets.
  return 'xml';
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The content type of each representation. */
export const CONTENT_TYPES: Record<Format, string> = {
  json: 'application/json',
  xml: 'text/xml',
  form: 'application/x-www-form-urlencoded',
};

/** Sends `body` with `status`, never cached. */
export function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

/** Sends `value` as indented JSON. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(value, null, 2)}\n`);
}

/** A JSON 404 saying what was not found. */
export function notFound(res: ServerResponse, message: string): void {
  sendJson(res, 404, { error: { code: 'NOT_FOUND', message } });
}

/** Tropo's answer to a create request in the asked-for representation (§8.2). */
export function sessionAnswer(
  format: Format,
  answer: { success: true; token: string; id: string } | { success: false; reason: string },
): string {
  if (answer.success) {
    if (format === 'json') return JSON.stringify(answer);
    if (format === 'form')
      return new URLSearchParams({
        success: 'true',
        token: answer.token,
        id: answer.id,
      }).toString();
    // Real answers carry a newline inside <id> (§8.2); clients must trim it.
    return `<session><success>true</success><token>${escapeXml(answer.token)}</token><id>${answer.id}\n</id></session>`;
  }
  if (format === 'json')
    return JSON.stringify({ success: false, token: '', reason: answer.reason });
  if (format === 'form')
    return new URLSearchParams({ success: 'false', reason: answer.reason }).toString();
  return `<session><success>false</success><token></token><reason>${escapeXml(answer.reason)}</reason></session>`;
}

/** Tropo's answer to a signal (§8.3) in the asked-for representation. */
export function signalAnswer(format: Format, status: string): string {
  if (format === 'json') return JSON.stringify({ status });
  if (format === 'form') return new URLSearchParams({ status }).toString();
  return `<signal><status>${status}</status></signal>`;
}

/** The request body as text; undefined when it is over MAX_BODY_BYTES. */
export async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The XML form: `<session><token>…</token><var name="k" value="v"></var>…</session>`. */
function xmlParameters(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  const token = /<token>([\s\S]*?)<\/token>/i.exec(body);
  if (token?.[1] !== undefined) out.token = unescapeXml(token[1].trim());
  for (const match of body.matchAll(/<var\s+([^>]*?)\/?>/gi)) {
    const attributes = match[1] ?? '';
    const name = /name\s*=\s*"([^"]*)"/i.exec(attributes)?.[1];
    const value = /value\s*=\s*"([^"]*)"/i.exec(attributes)?.[1];
    if (name !== undefined) out[unescapeXml(name)] = unescapeXml(value ?? '');
  }
  return out;
}

/** Reads the parameters of a create request from its query and body, in every form of §8.1. */
export function createParameters(
  query: URLSearchParams,
  body: string,
  contentType: string | undefined,
): Record<string, string> | string {
  const out: Record<string, string> = Object.fromEntries(query);
  const text = body.trim();
  if (text === '') return out;
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('json') || (!type && text.startsWith('{'))) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return 'the body is not valid JSON';
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return 'the JSON body must be an object of parameters';
    }
    for (const [key, v] of Object.entries(value)) out[key] = stringifyParameter(v);
    return out;
  }
  if (type.includes('xml') || (!type && text.startsWith('<')))
    return { ...out, ...xmlParameters(text) };
  return { ...out, ...Object.fromEntries(new URLSearchParams(text)) };
}
