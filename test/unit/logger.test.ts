import { createLogger } from '../../src/runtime/logger';
import { logCapture } from '../helpers/test-app';

describe('the logger', () => {
  it.each([
    [{ session: { parameters: { token: 'SECRET-1' } } }],
    [{ parameters: { token: 'SECRET-1' } }],
    [{ token: 'SECRET-1' }],
    [{ headers: { authorization: 'Bearer SECRET-1' } }],
    [{ req: { headers: { authorization: 'Bearer SECRET-1' } } }],
    [{ url: { url: 'ftp://x', password: 'SECRET-1' } }],
    [{ config: { apiKey: 'SECRET-1', webhookSecret: 'SECRET-1' } }],
  ])('when %j is logged, then the secret is censored', (fields) => {
    const capture = logCapture();
    createLogger({ destination: capture }).info(fields, 'line');
    expect(capture.lines).toHaveLength(1);
    expect(capture.lines[0]).not.toContain('SECRET-1');
    expect(capture.lines[0]).toContain('[redacted]');
  });
});
