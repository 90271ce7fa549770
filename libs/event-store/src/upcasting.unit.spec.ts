import { UpcasterRegistry } from './upcasting';

describe('UpcasterRegistry', () => {
  it('turns a stored v1 into the current v2 at read time, chaining steps', () => {
    const registry = new UpcasterRegistry()
      .register('operation.LogementsDelivered.v1', (e) => ({ type: 'operation.LogementsDelivered.v2', data: { ...e.data, dpeScale: '2021' } }))
      .register('operation.LogementsDelivered.v2', (e) => ({ type: 'operation.LogementsDelivered.v3', data: { ...e.data, source: null } }));
    expect(registry.upcast({ type: 'operation.LogementsDelivered.v1', data: { logements: 3 } })).toEqual({
      type: 'operation.LogementsDelivered.v3',
      data: { logements: 3, dpeScale: '2021', source: null },
    });
    expect(registry.upcast({ type: 'funding.GrantDecided.v1', data: { a: 1 } })).toEqual({ type: 'funding.GrantDecided.v1', data: { a: 1 } });
  });

  it('refuses two upcasters for one type and detects cycles', () => {
    const registry = new UpcasterRegistry().register('a.A.v1', (e) => ({ ...e, type: 'a.A.v2' })).register('a.A.v2', (e) => ({ ...e, type: 'a.A.v1' }));
    expect(() => registry.register('a.A.v1', (e) => e)).toThrow('already registered');
    expect(() => registry.upcast({ type: 'a.A.v1', data: {} })).toThrow('cycle');
  });
});
