import { parseAttribuantSirets, readConfig } from './config';

describe('configuration', () => {
  it('reads the SCDL SIRETs of attribuants, and stops on a malformed value', () => {
    expect(parseAttribuantSirets(undefined)).toEqual({});
    expect(parseAttribuantSirets('{"ETAT":"11000201100044"}')).toEqual({ ETAT: '11000201100044' });
    expect(() => parseAttribuantSirets('{ETAT:1}')).toThrow('SCDL_ATTRIBUANT_SIRETS must be a JSON object');
    expect(() => parseAttribuantSirets('["11000201100044"]')).toThrow('financer code');
    expect(() => parseAttribuantSirets('{"ETAT":"1100"}')).toThrow('the SIRET of ETAT must be 14 digits');
  });

  it('gives the local defaults and refuses a bad port', () => {
    expect(readConfig({})).toMatchObject({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/erbm', port: 3000, jobQueueName: 'erbm-jobs', oidc: null, attribuantSirets: {} });
    expect(() => readConfig({ PORT: '99999' })).toThrow('PORT');
  });

  it('reads the observability settings: log level, metrics token and worker metrics port', () => {
    expect(readConfig({})).toMatchObject({ logLevel: 'info', metricsToken: null, metricsPort: null, serviceName: 'erbm' });
    const token = 'a'.repeat(32);
    expect(readConfig({ LOG_LEVEL: 'warn', METRICS_TOKEN: token, METRICS_PORT: '9464', OTEL_SERVICE_NAME: 'erbm-worker' })).toMatchObject({
      logLevel: 'warn',
      metricsToken: token,
      metricsPort: 9464,
      serviceName: 'erbm-worker',
    });
    expect(() => readConfig({ LOG_LEVEL: 'loud' })).toThrow('LOG_LEVEL must be one of');
    expect(() => readConfig({ METRICS_TOKEN: 'short' })).toThrow('METRICS_TOKEN must be 32 to 512 printable characters');
    expect(() => readConfig({ METRICS_TOKEN: `${token} with spaces` })).toThrow('METRICS_TOKEN');
    expect(() => readConfig({ METRICS_PORT: '9464' })).toThrow('METRICS_PORT needs METRICS_TOKEN');
    expect(() => readConfig({ METRICS_PORT: '0', METRICS_TOKEN: token })).toThrow('METRICS_PORT must be a TCP port');
  });
});
