/**
 * The one entry app authors import: `defineApp` and the context types, the WebAPI verb builders and
 * parsers, the phone-number and text helpers, and zod's `z` (the same instance the server checks
 * schemas with). Apps under `apps/` import nothing else of ours.
 */
export { z } from 'zod';
export * from '../tropo';
export * from './define-app';
export * from './phone';
export * from './text';
