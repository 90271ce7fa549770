import { scopeCondition } from './scope';

describe('read scope → SQL condition', () => {
  const cols = { operationId: 'd.operation_id', epciCode: 'd.epci_code', bailleurCode: 'd.bailleur_code' };
  const at = { asOf: '2022-12-31', knownAt: '2023-01-16T00:00:00.000Z' };

  it('filters nothing for the délégation and the comité de pilotage (scope all or absent)', () => {
    const params: unknown[] = ['2022-12-31'];
    expect(scopeCondition(undefined, cols, params, at)).toBe('TRUE');
    expect(scopeCondition({ kind: 'all' }, cols, params, at)).toBe('TRUE');
    expect(params).toEqual(['2022-12-31']);
  });

  it('filters a bailleur on its code, through the operations recorded by knownAt when the table has no bailleur column', () => {
    const params: unknown[] = ['a', 'b'];
    expect(scopeCondition({ kind: 'bailleur', code: 'SIA_HABITAT' }, cols, params, at)).toBe('d.bailleur_code = $3');
    expect(scopeCondition({ kind: 'bailleur', code: 'SIA_HABITAT' }, { operationId: 'g.operation_id', epciCode: 'g.epci_code' }, params, at)).toBe(
      'g.operation_id IN (SELECT operation_id FROM rm_operation WHERE bailleur_code = $4 AND recorded_at <= $5::timestamptz)',
    );
    expect(params).toEqual(['a', 'b', 'SIA_HABITAT', 'SIA_HABITAT', '2023-01-16T00:00:00.000Z']);
  });

  it('filters an EPCI on its territory and a financer on the operations it had decided a grant on by asOf, as known at knownAt', () => {
    const params: unknown[] = [];
    expect(scopeCondition({ kind: 'epci', code: 'CALL' }, cols, params, at)).toBe('d.epci_code = $1');
    expect(scopeCondition({ kind: 'financer', code: 'ETAT' }, cols, params, { asOf: '2022-12-31' })).toBe(
      "d.operation_id IN (SELECT operation_id FROM rm_grant_ledger WHERE movement = 'decided' AND financer_code = $2 AND effective_on <= $3::date AND recorded_at <= $4::timestamptz)",
    );
    expect(params).toEqual(['CALL', 'ETAT', '2022-12-31', 'infinity']);
  });
});
