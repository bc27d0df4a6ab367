/** The `transfer` verb (spec §5.14): bridge the answered call to another destination. */
import * as z from 'zod';
import {
  flag,
  callerIdSchema,
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
import { compact, copyWithout, omit } from '../json';
import { onHandlersSchema, toOnBodies, type OnOptions } from './on';

const transferFields = strictObject({
  to: destinationsSchema,
  from: callerIdSchema.optional(),
  timeout: seconds.optional(),
  answerOnMedia: flag.optional(),
  choices: terminatorChoicesSchema.optional(),
  ringRepeat: z.int().min(0).optional(),
  // `ring` and `connect` handlers.
  on: onHandlersSchema.optional(),
  headers: headersSchema.optional(),
  machineDetection: machineDetectionSchema.optional(),
  playTones: flag.optional(),
  interdigitTimeout: seconds.optional(),
  voice: z.string().optional(),
  allowSignals: allowSignalsSchema.optional(),
  name: z.string().optional(),
  required: flag.optional(),
  callbackUrl: z.string().optional(),
  promptLogSecurity: logSecuritySchema.optional(),
  label: z.string().optional(),
  // C# puts the terminator here; every other library uses `choices.terminator`.
  terminator: terminatorSchema.optional(),
});

/** The body of `transfer`; a top-level `terminator` is read into `choices.terminator`. */
export type TransferBody = Omit<z.output<typeof transferFields>, 'terminator'>;

export const transferBodySchema = transferFields.transform((body): TransferBody => {
  const { terminator } = body;
  const rest = omit(body, ['terminator']);
  return terminator === undefined || rest.choices?.terminator !== undefined
    ? rest
    : { ...rest, choices: { ...rest.choices, terminator } };
});

/** Options of the `transfer` builder: `to` may be one address; `on` one handler or several. */
export type TransferOptions = Omit<TransferBody, 'to' | 'on'> & {
  to: DestinationInput;
  on?: OnOptions | readonly OnOptions[] | undefined;
};

/** Builds `{"transfer":{…}}`. */
export function transfer(opts: TransferOptions): { transfer: TransferBody } {
  const { to, on } = opts;
  const body = copyWithout({ to: toDestinations(to) }, opts, ['to', 'on']);
  body.on = toOnBodies(on);
  return { transfer: compact(body) as TransferBody };
}
