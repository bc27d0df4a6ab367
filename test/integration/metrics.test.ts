import request from 'supertest';
import { defineApp } from '../../src/sdk/define-app';
import { AppRegistry, loadApps, moduleApp } from '../../src/server/registry';
import { hangup, say } from '../../src/tropo';
import { buildTestApp, fixture, type TestApp } from '../helpers/test-app';

/** The value of the sample `name` whose labels are exactly `labels`, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]);
    if (JSON.stringify(got.sort()) === wanted) return Number(m[3]);
  }
  return undefined;
}

const metricsOf = async (t: TestApp) => (await request(t.app).get('/metrics').expect(200)).text;

describe('GET /metrics', () => {
  let t: TestApp;
  beforeEach(() => {
    t = buildTestApp({});
  });
  afterEach(() => t.close());

  it('when scraped, then answers Prometheus text with the process metrics', async () => {
    const res = await request(t.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.text).toMatch(/^# HELP tropo_sessions_started_total /m);
    expect(res.text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(res.text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(res.text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });

  it('when a reminder session runs, then sessions, documents and durations are counted by app and route', async () => {
    await request(t.app)
      .post('/apps/appointment-reminder/start')
      .send(fixture('requests/reminder-confirm-session.json'))
      .expect(200);
    await request(t.app)
      .post('/apps/appointment-reminder/on/confirm')
      .send(fixture('requests/confirm-pressed-1-result.json'))
      .expect(200);
    await request(t.app)
      .post('/start')
      .send(fixture('requests/inbound-text-session.json'))
      .expect(200);
    await request(t.app).get('/apps/quickstart.json').expect(200);

    const text = await metricsOf(t);
    const started = (app: string, channel: string) =>
      sample(text, 'tropo_sessions_started_total', { app, channel });
    expect(started('appointment-reminder', 'outbound')).toBe(1);
    expect(started('sms-relay', 'text')).toBe(1);
    const served = (app: string, route: string) =>
      sample(text, 'tropo_documents_served_total', { app, route });
    expect(served('appointment-reminder', '/apps/:app/start')).toBe(1);
    expect(served('appointment-reminder', '/apps/:app/on/:handler')).toBe(1);
    expect(served('sms-relay', '/start')).toBe(1);
    expect(served('quickstart', '/apps/:name.json')).toBe(1);
    expect(
      sample(text, 'http_request_duration_seconds_count', {
        method: 'POST',
        route: '/apps/:app/on/:handler',
        status_code: '200',
      }),
    ).toBe(1);
  });

  it('when callers send ids, numbers and unknown names, then no label carries them', async () => {
    await request(t.app)
      .post('/apps/appointment-reminder/start')
      .send(fixture('requests/reminder-session.json'))
      .expect(200);
    await request(t.app).post('/apps/no-such-app-4155550100/start').send({}).expect(400);
    await request(t.app)
      .post('/apps/no-such-app-4155550100/start')
      .send(fixture('requests/inbound-voice-session.json'))
      .expect(404);
    await request(t.app).get('/nowhere/3010a200d38c2e2ae99ac9e1dcd6ec39').expect(404);

    const text = await metricsOf(t);
    for (const leak of [
      '4075551212',
      '4155550100',
      '3010a200d38c2e2ae99ac9e1dcd6ec39',
      'nowhere',
    ]) {
      expect(text).not.toContain(leak);
    }
    expect(
      sample(text, 'http_request_duration_seconds_count', {
        method: 'POST',
        route: '/apps/:app/start',
        status_code: '404',
      }),
    ).toBe(1);
    expect(
      sample(text, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: 'unmatched',
        status_code: '404',
      }),
    ).toBe(1);
  });

  it('when two apps are built, then each counts only its own requests', async () => {
    const other = buildTestApp({});
    try {
      await request(other.app)
        .post('/start')
        .send(fixture('requests/inbound-text-session.json'))
        .expect(200);
      const mine = await metricsOf(t);
      expect(
        sample(mine, 'tropo_sessions_started_total', { app: 'sms-relay', channel: 'text' }),
      ).toBe(undefined);
      const theirs = await metricsOf(other);
      expect(
        sample(theirs, 'tropo_sessions_started_total', { app: 'sms-relay', channel: 'text' }),
      ).toBe(1);
    } finally {
      await other.close();
    }
  });
});

describe('metrics of apps that misbehave', () => {
  const session = fixture('requests/inbound-voice-session.json');
  const voiceApp = (name: string, start: () => unknown) =>
    moduleApp(defineApp({ name, description: name, channels: ['voice'], start: start as never }));

  it('when an app throws and another answers with warnings, then fallbacks and warnings are counted', async () => {
    const registry = new AppRegistry([
      voiceApp('thrower', () => {
        throw new Error('boom');
      }),
      voiceApp('sloppy', () => [hangup(), say({ value: 'never heard' })]),
      ...loadApps(undefined, ['quickstart']).list(),
    ]);
    const t = buildTestApp({}, { registry });
    try {
      await request(t.app).post('/apps/thrower/start').send(session).expect(200);
      await request(t.app).post('/apps/thrower/start').send(session).expect(200);
      await request(t.app).post('/apps/sloppy/start').send(session).expect(200);
      const text = await metricsOf(t);
      expect(sample(text, 'tropo_fallbacks_total', { app: 'thrower', reason: 'APP_THREW' })).toBe(
        2,
      );
      expect(sample(text, 'tropo_validation_warnings_total', { app: 'sloppy' })).toBe(1);
      expect(
        sample(text, 'tropo_documents_served_total', { app: 'thrower', route: '/apps/:app/start' }),
      ).toBe(2);
    } finally {
      await t.close();
    }
  });
});
