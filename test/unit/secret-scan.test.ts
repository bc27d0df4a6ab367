import {
  clearLedger,
  findPlantedSecrets,
  PLANTED,
  plantedEnv,
  recordForSecretScan,
  scanLedger,
  spellings,
} from '../helpers/secret-scan';

describe('the planted-secret scan', () => {
  afterEach(() => clearLedger());

  it.each(Object.entries(PLANTED))(
    'when %s appears in any spelling, then it is found',
    (name, secret) => {
      for (const spelling of spellings(secret)) {
        const found = findPlantedSecrets(`{"msg":"x","url":"…${spelling}…"}`, 'log');
        expect(found.map((f) => f.name)).toContain(name);
        // The report never repeats the secret itself.
        expect(found.every((f) => !f.context.includes(secret))).toBe(true);
      }
    },
  );

  it('when the text holds no planted secret, then nothing is found', () => {
    expect(findPlantedSecrets('{"token":"[redacted]","key":"0123456789abcdef"}')).toEqual([]);
  });

  it('when a recorded source leaks, then the ledger scan reports it by source', () => {
    const lines: string[] = ['{"msg":"fine"}\n'];
    recordForSecretScan('log', () => lines.join(''));
    expect(scanLedger().found).toEqual([]);
    lines.push(`{"authorization":"Bearer ${PLANTED.apiKey}"}\n`);
    expect(scanLedger().found.map((f) => [f.source, f.name])).toEqual([['log', 'apiKey']]);
    // Cleared so the setup hook does not fail this file for the leak planted on purpose.
    clearLedger();
    expect(scanLedger().texts).toBe(0);
  });

  it('when the planted environment is used, then every secret setting has its planted value', () => {
    expect(plantedEnv()).toEqual({
      API_KEY: PLANTED.apiKey,
      WEBHOOK_SECRET: PLANTED.webhookSecret,
      TROPO_TOKEN: PLANTED.tropoToken,
      TROPO_TOKEN_SMS_RELAY: PLANTED.appToken,
    });
  });
});
