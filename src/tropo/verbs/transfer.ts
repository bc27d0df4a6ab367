/** The `transfer` verb (spec §5.14): bridge the answered call to another destination. */
import * as z from 'zod';
import {
  allowSignalsSchema,
  destinationsSchema,
  headersSchema,
  logSecuritySchema,
  machineDetectionSchema,
  seconds,
  strictObject,
  terminatorChoicesSchema,
  terminatorSchema,
  toDestinations,
  type DestinationInput,
} from '../fields';
import { compact } from '../json';
import { onHandlersSchema, toOnBodies, type OnOptions } from './on';

const transferFields = strictObject({
  to: destinationsSchema,
  from: z.string().optional(),
  timeout: seconds.optional(),
  answerOnMedia: z.boolean().optional(),
  choices: terminatorChoicesSchema.optional(),
  ringRepeat: z.int().min(0).optional(),
  // `ring` and `connect` handlers.
  on: onHandlersSchema.optional(),
  headers: headersSchema.optional(),
  machineDetection: machineDetectionSchema.optional(),
  playTones: z.boolean().optional(),
  interdigitTimeout: seconds.optional(),
  voice: z.string().optional(),
  allowSignals: allowSignalsSchema.optional(),
  name: z.string().optional(),
  required: z.boolean().optional(),
  callbackUrl: z.string().optional(),
  promptLogSecurity: logSecuritySchema.optional(),
  label: z.string().optional(),
  // C# puts the terminator here; every other library uses `choices.terminator`.
  terminator: terminatorSchema.optional(),
});

/** The body of `transfer`; a top-level `terminator` is read into `choices.terminator`. */
export type TransferBody = Omit<z.output<typeof transferFields>, 'terminator'>;

export const transferBodySchema = transferFields.transform(
  ({ terminator, ...rest }): TransferBody =>
    terminator === undefined || rest.choices?.terminator !== undefined
      ? rest
      : { ...rest, choices: { ...rest.choices, terminator } },
);

/** Options of the `transfer` builder: `to` may be one address; `on` one handler or several. */
export type TransferOptions = Omit<TransferBody, 'to' | 'on'> & {
  to: DestinationInput;
  on?: OnOptions | readonly OnOptions[] | undefined;
};

/** Builds `{"transfer":{…}}`. */
export function transfer(opts: TransferOptions): { transfer: TransferBody } {
  const { to, on, ...rest } = opts;
  return {
    transfer: compact({
      to: toDestinations(to),
      ...rest,
      on: on === undefined ? undefined : toOnBodies(on),
    }),
  };
}
