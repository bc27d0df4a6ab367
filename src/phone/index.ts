/** The browser phone: a page that calls or texts any app of this server, driving the simulator's engine with a person's answers. */
import path from 'node:path';

export { createPhone, isRefusal, MAX_PHONE_SECONDS, MAX_PHONE_SESSIONS } from './service';
export type { Phone, PhoneDeps, PhoneRefusal } from './service';
export type { PhoneEvent, PhoneSession } from './sessions';
export type { Question, Reply } from './interactive';
/** For the routes' guard: without API_KEY only requests addressed to loopback are served. */
export { isLoopbackHostHeader } from '../lib';

/** The folder of the page's files (index.html, phone.js, phone.css), beside this module in src/ and in dist/. */
export const PAGE_DIR = path.join(__dirname, 'page');
