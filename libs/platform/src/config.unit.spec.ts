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
});
