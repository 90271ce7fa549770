import bcrypt from 'bcryptjs';
import { generateApiKey, parseApiKey } from './api-keys';

describe('API keys', () => {
  it('are erbm_<keyId>_<secret>, parsed back, and distinct', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).toMatch(/^erbm_[a-z0-9]{20}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(a.key)).toEqual({ keyId: a.keyId, secret: a.secret });
    expect(a.key).not.toBe(b.key);
    for (const bad of ['erbm_', 'erbm_abc_def', `xerbm_${a.keyId}_${a.secret}`, `erbm_${a.keyId.toUpperCase()}_${a.secret}`]) expect(parseApiKey(bad)).toBeNull();
  });

  it('hash their secret with bcrypt cost 10', async () => {
    const { secret } = generateApiKey();
    const hash = await bcrypt.hash(secret, 10);
    expect(hash).toMatch(/^\$2[aby]\$10\$/);
    expect(await bcrypt.compare(secret, hash)).toBe(true);
    expect(await bcrypt.compare(`${secret}x`, hash)).toBe(false);
  });
});
