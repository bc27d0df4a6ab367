/** The `wait` verb (spec §5.15): pause for some milliseconds, or until a signal or a change of call state. */
import * as z from 'zod';
import { allowSignalsSchema, strictObject } from '../fields';
import { compact } from '../json';

export const waitBodySchema = strictObject({
  milliseconds: z.int().min(0),
  allowSignals: allowSignalsSchema.optional(),
});
/** The body of `wait`. */
export type WaitBody = z.output<typeof waitBodySchema>;
/** Options of the `wait` builder. */
export type WaitOptions = WaitBody;

/** Builds `{"wait":{…}}`. */
export function wait(opts: WaitOptions): { wait: WaitBody } {
  return { wait: compact(opts) };
}
