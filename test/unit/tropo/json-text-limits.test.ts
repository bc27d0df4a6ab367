/** The shape check on a body's JSON text, before JSON.parse: it agrees with the walk over the parsed value, and refuses without parsing. */
import fc from 'fast-check';
import express from 'express';
import request from 'supertest';
import { gzipSync } from 'node:zlib';
import { errorHandler, jsonBody } from '../../../src/server/http/body';
import {
  jsonTextLimitProblem,
  MAX_PAYLOAD_VALUES,
  PAYLOAD_LIMITS,
  payloadLimitProblem,
} from '../../../src/tropo/limits';
import { fixture } from '../../helpers/test-app';

const zeros = (n: number) => `[${Array(n).fill('0').join(',')}]`;

describe('jsonTextLimitProblem', () => {
  it('when the text is a real Tropo payload, then it keeps the limits', () => {
    for (const file of [
      'requests/reminder-session.json',
      'requests/confirm-pressed-1-result.json',
    ]) {
      expect(jsonTextLimitProblem(JSON.stringify(fixture(file)))).toBeUndefined();
    }
  });

  it.each([
    ['nesting', `${'['.repeat(33)}${']'.repeat(33)}`, /nested deeper than 32/],
    ['objects nested', `${'{"a":'.repeat(33)}1${'}'.repeat(33)}`, /nested deeper than 32/],
    ['an array', zeros(257), /array of more than 256 items/],
    [
      'an object',
      `{${Array.from({ length: 257 }, (_, i) => `"k${i}":0`).join(',')}}`,
      /object of more than 256 keys/,
    ],
    ['keys and values', `[${Array(20).fill(zeros(250)).join(',')}]`, /more than 4096 keys/],
  ])('when %s breaks a limit, then it is named', (_what, text, message) => {
    expect(jsonTextLimitProblem(text)).toMatch(message);
  });

  it('when brackets, commas and quotes are inside strings, then they are text', () => {
    const text = JSON.stringify({ a: '['.repeat(100) + ','.repeat(300) + '\\"{'.repeat(50) });
    expect(jsonTextLimitProblem(text)).toBeUndefined();
    expect(jsonTextLimitProblem(JSON.stringify(['\\', '[[[[', '\\\\"', '"']))).toBeUndefined();
  });

  it('when the text is anything JSON.stringify writes, then it agrees with the walk over the value', () => {
    const limits = { maxArrayItems: 4, maxObjectKeys: 4, maxStringLength: 1e6, maxDepth: 4 };
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        const byText = jsonTextLimitProblem(text, limits, 40) === undefined;
        const byValue = payloadLimitProblem(JSON.parse(text), limits, 40) === undefined;
        expect(byText).toBe(byValue);
      }),
      { numRuns: 500 },
    );
  });

  it('when the text is not JSON, then it still answers without throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(() => jsonTextLimitProblem(text)).not.toThrow();
      }),
    );
  });
});

describe('jsonBody and the shape limits', () => {
  const app = express();
  app.post('/echo', jsonBody(200 * 1024), (req, res) => {
    res.json({ ok: (req as { body?: unknown }).body !== undefined });
  });
  app.use(errorHandler(() => undefined));

  const hostile = [
    ['deep nesting', `{"a":${'['.repeat(40_000)}${']'.repeat(40_000)}}`],
    ['a packed array', `{"a":${zeros(40_000)}}`],
    [
      'too many values',
      `{"a":[${Array(Math.ceil(MAX_PAYLOAD_VALUES / 200))
        .fill(zeros(250))
        .join(',')}]}`,
    ],
  ];

  afterEach(() => jest.restoreAllMocks());

  it.each(hostile)(
    'when a plain body holds %s, then 400 BODY_TOO_COMPLEX and JSON.parse never runs on it',
    async (_what, text) => {
      const parse = jest.spyOn(JSON, 'parse');
      const res = await request(app)
        .post('/echo')
        .set('content-type', 'text/plain')
        .send(text ?? '');
      const parsedBodies = parse.mock.calls.filter(([arg]) => arg === text);
      parse.mockRestore();
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('BODY_TOO_COMPLEX');
      expect(parsedBodies).toHaveLength(0);
    },
  );

  it.each(hostile)(
    'when a gzipped body holds %s, then body-parser refuses it too: 400 BODY_TOO_COMPLEX',
    async (_what, text) => {
      const res = await request(app)
        .post('/echo')
        .set('content-type', 'text/plain')
        .set('content-encoding', 'gzip')
        .send(gzipSync(text ?? ''));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('BODY_TOO_COMPLEX');
    },
  );

  it('when a body keeps the limits, then it is parsed as before', async () => {
    const text = JSON.stringify({ a: Array(PAYLOAD_LIMITS.maxArrayItems).fill(0) });
    const res = await request(app).post('/echo').set('content-type', 'text/plain').send(text);
    expect(res.status).toBe(200);
  });
});
