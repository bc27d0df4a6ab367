/**
 * The one entry app authors import: `defineApp` and the context types, the WebAPI verb builders and
 * parsers, and the phone-number and text helpers. Apps under `apps/` import nothing else of ours.
 */
export * from '../tropo';
export * from './define-app';
export * from './phone';
export * from './text';
