/** The Session API client hides its token with the shared redaction of src/lib (every spelling). */
export { REDACTED, redactor } from '../lib';
