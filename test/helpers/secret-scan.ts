/**
 * Planted secrets and the scan that proves none of them leaks: distinctive fake secrets to put
 * where real ones travel, a ledger of every captured log and transcript text, and the search for
 * the secrets (in every spelling they can take) in that text.
 */

/** The fake secrets, one per kind the server handles; each is unique enough to never occur by chance. */
export const PLANTED = {
  /** `session.parameters.token` of a token-launched session. */
  sessionToken: 'plantedSessionToken0f3c9a7e5b1d24680ace13579bdf2468ace13579bdf',
  /** `API_KEY`: the bearer key of `POST /api/sessions`. */
  apiKey: 'plantedApiKey-7c1e9a3f5b2d4e6f8a0c',
  /** `WEBHOOK_SECRET`: the `?key=` of every Tropo-facing URL. */
  webhookSecret: 'plantedWebhookSecret-4b8d2f6a0e9c1a3b',
  /** `TROPO_TOKEN`: the voice token the server launches sessions with. */
  tropoToken: 'plantedTropoToken-2e4f6a8c0b1d3e5f7a9c',
  /** `TROPO_TOKEN_SMS_RELAY`: an app's own token. */
  appToken: 'plantedAppToken-9f7e5d3c1b0a2c4e6f8a',
  /** A recording upload password, as an app writes it in `record`/`startRecording`. */
  recordingPassword: 'plantedRecPass/+&=?#%-61c3e5a7',
  /** A numeric recording password (a PIN), which apps may write as a number. */
  recordingPin: '730519284617',
  /** The `sessionToken` of a recording destination. */
  recordingSessionToken: 'plantedRecSessionToken-8a6c4e2f0d1b3a5c',
} as const;

export type PlantedName = keyof typeof PLANTED;

/**
 * Environment for `loadConfig` that configures every secret with its planted value. Without
 * `webhookSecret`, WEBHOOK_SECRET is left unset so that requests without `?key=` reach the routes.
 */
export function plantedEnv(
  extra: Record<string, string> = {},
  options: { webhookSecret?: boolean } = {},
): Record<string, string> {
  return {
    API_KEY: PLANTED.apiKey,
    ...(options.webhookSecret === false ? {} : { WEBHOOK_SECRET: PLANTED.webhookSecret }),
    TROPO_TOKEN: PLANTED.tropoToken,
    TROPO_TOKEN_SMS_RELAY: PLANTED.appToken,
    ...extra,
  };
}

/** The spellings a secret takes in logs and on the wire: raw, URL- and form-encoded, JSON-escaped, base64. */
export function spellings(secret: string): string[] {
  return [
    ...new Set([
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
      JSON.stringify(secret).slice(1, -1),
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64url'),
    ]),
  ];
}

/** One planted secret found in a text: which, where, and the text around it with the secret masked. */
export interface SecretFound {
  name: PlantedName;
  source: string;
  at: number;
  context: string;
}

/** Every place a planted secret (in any spelling) occurs in `text`. */
export function findPlantedSecrets(text: string, source = 'text'): SecretFound[] {
  const found: SecretFound[] = [];
  for (const [name, secret] of Object.entries(PLANTED) as Array<[PlantedName, string]>) {
    for (const spelling of spellings(secret)) {
      for (let at = text.indexOf(spelling); at !== -1; at = text.indexOf(spelling, at + 1)) {
        const before = text.slice(Math.max(0, at - 80), at);
        const after = text.slice(at + spelling.length, at + spelling.length + 80);
        found.push({ name, source, at, context: `${before}<${name}>${after}` });
      }
    }
  }
  return found;
}

/** Fails (with where and what around it, never the secret itself) when a planted secret is in `text`. */
export function expectNoPlantedSecrets(text: string, source = 'text'): void {
  const found = findPlantedSecrets(text, source);
  if (found.length > 0) {
    throw new Error(
      `planted secrets leaked:\n${found.map((f) => `  ${f.source} @${f.at}: ${f.context}`).join('\n')}`,
    );
  }
}

type TextSource = () => string;
const ledger = new Map<string, TextSource[]>();

/**
 * Adds a text source (a log capture, a transcript) to this test file's ledger; the setup hook
 * (test/setup/no-planted-secrets.ts) scans the ledger after the file's tests have run.
 */
export function recordForSecretScan(source: string, text: TextSource): void {
  const list = ledger.get(source) ?? [];
  list.push(text);
  ledger.set(source, list);
}

/** Every planted secret in the ledger's texts so far, and how many texts and characters were scanned. */
export function scanLedger(): { found: SecretFound[]; texts: number; chars: number } {
  const found: SecretFound[] = [];
  let texts = 0;
  let chars = 0;
  for (const [source, list] of ledger) {
    for (const read of list) {
      const text = read();
      texts += 1;
      chars += text.length;
      found.push(...findPlantedSecrets(text, source));
    }
  }
  return { found, texts, chars };
}

/** Empties the ledger (the hook does it after each file). */
export function clearLedger(): void {
  ledger.clear();
}
