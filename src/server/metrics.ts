/**
 * Prometheus metrics for `GET /metrics`: the server's own counters in a registry per app instance
 * (so tests can build many apps), the process metrics once per process. Labels are bounded: app
 * names come from the registry, routes are route patterns; never a phone number or an id.
 */
import type * as PromClient from 'prom-client';
import type { ErrorCode } from './errors';
import type { FinishedRequest, RequestObserver } from './http/request-log';
import type { PipelineObserver } from './pipeline';
import type { SessionKind } from '../tropo';

/*
 * The three classes the request path uses, from their own modules: prom-client's index also loads
 * its default process metrics and, with them, @opentelemetry/api — about 80 modules that cost the
 * server ~80 ms and ~11 MB at start-up (a bare Express app's whole start is ~130 ms here). The
 * process metrics are loaded on the first scrape instead (see `processMetrics`). They are the same
 * module instances the index exports, so registries made from either mix.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- deep paths, typed by the package's index */
const Counter = require('prom-client/lib/counter') as typeof PromClient.Counter;
const Histogram = require('prom-client/lib/histogram') as typeof PromClient.Histogram;
const Registry = require('prom-client/lib/registry') as typeof PromClient.Registry;
type Registry = PromClient.Registry;
/* eslint-enable @typescript-eslint/no-require-imports */

/** The label for any app name not in the registry (it may be whatever a caller typed). */
export const UNKNOWN_APP_LABEL = 'unknown';

/** The `channel` label of a started session: how it began. */
const CHANNEL: Record<SessionKind, string> = { voice: 'voice', text: 'text', token: 'outbound' };

/** Request duration buckets (seconds): Tropo answers should take milliseconds, APP_TIMEOUT_MS bounds apps. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The server's metrics and the hooks that feed them. */
export interface Metrics {
  /** This instance's own metrics (not the process metrics). */
  readonly registry: Registry;
  /** Fed by the pipeline: sessions, fallbacks, validation warnings, unknown keys. */
  readonly pipeline: PipelineObserver;
  /** Fed by the request log hook: documents served, request durations. */
  readonly requests: RequestObserver;
  /** Fed by the memory state store: entries evicted to make room, by reason (entries or bytes). */
  readonly stateEvicted: (reason: 'entries' | 'bytes') => void;
  /** The exposition content type. */
  readonly contentType: string;
  /** The exposition text: this instance's metrics, then the process metrics. */
  render(): Promise<string>;
}

let processRegistry: Registry | undefined;

/**
 * Process metrics (CPU, memory, event loop lag, GC, handles): one registry per process, since each
 * collectDefaultMetrics call starts its own GC observer and event-loop monitor that never stop.
 * Made on the first scrape, not at start-up: nothing on the request path reads them, and
 * Prometheus reads these counters and histograms as rates from its first sample on.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
    const { collectDefaultMetrics } = require('prom-client') as typeof PromClient;
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Caches a metric's labelled children: a Map lookup is cheaper per request than prom-client's label hashing. */
function childCache<L extends string[], C>(make: (...labels: L) => C): (...labels: L) => C {
  const children = new Map<string, C>();
  return (...labels) => {
    const key = labels.join('\u0000');
    let child = children.get(key);
    if (child === undefined) {
      child = make(...labels);
      children.set(key, child);
    }
    return child;
  };
}

/** Creates the metrics of one app instance; `appNames` are the registered apps (the only app labels). */
export function createMetrics(options: {
  appNames: Iterable<string>;
  /** More registries to expose (e.g. the campaign metrics). */
  extra?: readonly Registry[];
}): Metrics {
  const known = new Set(options.appNames);
  const appLabel = (name: string | undefined) =>
    name !== undefined && known.has(name) ? name : UNKNOWN_APP_LABEL;
  const registry = new Registry();
  const registers = [registry];

  const sessions = new Counter({
    name: 'tropo_sessions_started_total',
    help: 'Sessions started, by app and channel (voice, text, or outbound for Session API launches).',
    labelNames: ['app', 'channel'] as const,
    registers,
  });
  const documents = new Counter({
    name: 'tropo_documents_served_total',
    help: 'WebAPI documents answered to Tropo (fallbacks included), by app and route.',
    labelNames: ['app', 'route'] as const,
    registers,
  });
  const fallbacks = new Counter({
    name: 'tropo_fallbacks_total',
    help: 'Fallback documents answered instead of the app, by app and reason (error code).',
    labelNames: ['app', 'reason'] as const,
    registers,
  });
  const warnings = new Counter({
    name: 'tropo_validation_warnings_total',
    help: 'Validation warnings in documents the apps answered, by app.',
    labelNames: ['app'] as const,
    registers,
  });
  const unknownKeys = new Counter({
    name: 'tropo_unknown_keys_total',
    help: 'Unknown keys in documents the apps answered, left out of what was sent to Tropo, by app.',
    labelNames: ['app'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request to response finished, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });

  const evictions = new Counter({
    name: 'tropo_state_evictions_total',
    help: 'Sessions whose state the memory store evicted to stay within STATE_MAX_ENTRIES (entries) or STATE_MAX_BYTES (bytes).',
    labelNames: ['reason'],
    registers,
  });

  const durationFor = childCache((method: string, route: string, status: string) =>
    duration.labels(method, route, status),
  );
  const documentsFor = childCache((app: string, route: string) => documents.labels(app, route));

  const pipeline: PipelineObserver = {
    sessionStarted: (app, kind) => sessions.labels(appLabel(app), CHANNEL[kind]).inc(),
    fallback: (app: string | undefined, code: ErrorCode) =>
      fallbacks.labels(appLabel(app), code).inc(),
    validationWarnings: (app, count) => warnings.labels(appLabel(app)).inc(count),
    unknownKeys: (app, count) => unknownKeys.labels(appLabel(app)).inc(count),
  };

  const requests: RequestObserver = {
    requestFinished(r: FinishedRequest) {
      durationFor(r.method, r.route, String(r.status)).observe(r.seconds);
      if (r.document) documentsFor(appLabel(r.app), r.route).inc();
    },
  };

  let exposed: Registry | undefined;
  return {
    registry,
    pipeline,
    requests,
    stateEvicted: (reason) => evictions.labels(reason).inc(),
    contentType: registry.contentType,
    render: () =>
      (exposed ??= Registry.merge([
        registry,
        ...(options.extra ?? []),
        processMetrics(),
      ])).metrics(),
  };
}
