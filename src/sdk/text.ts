/** Text from untrusted input that a verb will speak or send: bounded, and never a URL or markup Tropo would act on. */
import { z } from 'zod';

/** Characters in one SMS segment (GSM-7); messages longer than this are sent as several segments. */
export const SMS_SEGMENT = 160;
/** The longest text message we send: ten segments. */
export const MAX_SMS_TEXT = 10 * SMS_SEGMENT;
/** The longest text we speak in one prompt. */
export const MAX_SPOKEN_TEXT = 1000;

/**
 * Plain text for a `say` value. Tropo plays a value that is a URL as audio and reads `<…>` as SSML,
 * so untrusted text that looks like either is refused rather than passed on.
 */
export function plainText(max: number) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(v), 'must be text, not a URL')
    .refine((v) => !/[<>]/.test(v), 'must not contain < or > (markup)');
}

/** A TTS voice name such as `kate` or `Victor`. */
export const voiceName = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z-]{1,30}$/, 'must be a voice name such as kate');
