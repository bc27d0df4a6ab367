/** The `generalLogSecurity` verb (spec §5.5): turn Tropo's logging off (`suppress`) or on (`none`) for the rest of the session. */
import type * as z from 'zod';
import { logSecuritySchema } from '../fields';

/** Its body is a bare string, not an object. */
export const generalLogSecurityBodySchema = logSecuritySchema;
/** The body of `generalLogSecurity`: `"none"` or `"suppress"`. */
export type GeneralLogSecurityBody = z.output<typeof generalLogSecurityBodySchema>;

/** Builds `{"generalLogSecurity":"suppress"}` (or `"none"`). */
export function generalLogSecurity(value: GeneralLogSecurityBody): {
  generalLogSecurity: GeneralLogSecurityBody;
} {
  return { generalLogSecurity: value };
}
