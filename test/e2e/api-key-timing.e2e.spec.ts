import bcrypt from 'bcryptjs';
import { API_KEYS, type ApiKeys, generateApiKey } from '@erbm/platform';
import { TestApi, expectProblem } from './support/api';

/**
 * Issue #11.6: a wrong secret must not tell whether its key id exists. An unknown key id costs the same bcrypt
 * comparison as a known one (against a dummy hash made once per process), on real PostgreSQL and Redis.
 */
describe('API key verification without a timing oracle on key ids', () => {
  let api: TestApi;
  let keys: ApiKeys;
  let knownKeyId: string;

  beforeAll(async () => {
    api = await TestApi.start('api_key_timing');
    keys = api.app.get<ApiKeys>(API_KEYS);
    const key = await api.keyFor('bailleur:SIA_HABITAT');
    knownKeyId = key.split('_')[1];
  });
  afterAll(() => api.app.close());
  afterEach(() => jest.restoreAllMocks());

  it('compares one bcrypt hash for a wrong secret, whether or not the key id exists', async () => {
    const compare = jest.spyOn(bcrypt, 'compare');
    const wrongSecret = generateApiKey().secret;
    await expect(keys.authenticate(`erbm_${knownKeyId}_${wrongSecret}`)).rejects.toMatchObject({ code: 'AUTH.UNAUTHENTICATED' });
    expect(compare).toHaveBeenCalledTimes(1);
    await expect(keys.authenticate(generateApiKey().key)).rejects.toMatchObject({ code: 'AUTH.UNAUTHENTICATED', message: 'Unknown API key' });
    expect(compare).toHaveBeenCalledTimes(2);
    // Same cost factor in both comparisons: the dummy hash is a bcrypt hash at the keys' cost.
    const costs = compare.mock.calls.map(([, hash]) => String(hash).slice(0, 7));
    expect(costs[0]).toBe(costs[1]);
  });

  it('answers both through HTTP with the same 401 body', async () => {
    const wrong = await api.raw(null).get('/progress/logements?asOf=2022-12-31').set('Authorization', `Bearer erbm_${knownKeyId}_${generateApiKey().secret}`);
    const unknown = await api.raw(null).get('/progress/logements?asOf=2022-12-31').set('Authorization', `Bearer ${generateApiKey().key}`);
    expectProblem(wrong, 401, 'AUTH.UNAUTHENTICATED');
    expectProblem(unknown, 401, 'AUTH.UNAUTHENTICATED');
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });
});
