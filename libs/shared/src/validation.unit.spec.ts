import { Check } from './validation';

describe('Check', () => {
  const violations = (data: Record<string, unknown>, f: (c: Check) => void) => {
    const c = new Check(data);
    f(c);
    try {
      c.done();
      return [];
    } catch (e) {
      return (e as { violations: { field: string; rule: string }[] }).violations.map((v) => `${v.field}:${v.rule}`);
    }
  };

  it('refuses text PostgreSQL cannot store (NUL, unpaired surrogates), in strings and string arrays', () => {
    expect(violations({ a: 'x\u0000y', b: 'ok\uD800', c: ['fine', '\uDC00'] }, (c) => (c.string('a'), c.string('b'), c.stringArray('c')))).toEqual([
      'a:isStorableText',
      'b:isStorableText',
      'c:isStringArray',
    ]);
    expect(violations({ a: 'Cité n°10 — Sains-en-Gohelle 🏠' }, (c) => c.string('a'))).toEqual([]);
  });

  it('names nested fields and unknown keys', () => {
    expect(violations({ o: { n: -1 }, extra: true }, (c) => (c.only('o'), c.object('o').integer('n')))).toEqual(['extra:whitelist', 'o.n:min']);
  });
});
