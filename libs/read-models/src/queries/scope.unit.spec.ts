import { scopeCondition } from './scope';

describe('read scope → SQL condition', () => {
  const cols = { operationId: 'd.operation_id', epciCode: 'd.epci_code', bailleurCode: 'd.bailleur_code' };

  it('filters nothing for the délégation and the comité de pilotage (scope all or absent)', () => {
    const params: unknown[] = ['2022-12-31'];
    expect(scopeCondition(undefined, cols, params)).toBe('TRUE');
    expect(scopeCondition({ kind: 'all' }, cols, params)).toBe('TRUE');
    expect(params).toEqual(['2022-12-31']);
  });

  it('filters a bailleur on its code, through rm_operation when the table has no bailleur column', () => {
    const params: unknown[] = ['a', 'b'];
    expect(scopeCondition({ kind: 'bailleur', code: 'SIA_HABITAT' }, cols, params)).toBe('d.bailleur_code = $3');
    expect(scopeCondition({ kind: 'bailleur', code: 'SIA_HABITAT' }, { operationId: 'g.operation_id', epciCode: 'g.epci_code' }, params)).toBe(
      'g.operation_id IN (SELECT operation_id FROM rm_operation WHERE bailleur_code = $4)',
    );
    expect(params).toEqual(['a', 'b', 'SIA_HABITAT', 'SIA_HABITAT']);
  });

  it('filters an EPCI on its territory and a financer on the operations it decided a grant on', () => {
    const params: unknown[] = [];
    expect(scopeCondition({ kind: 'epci', code: 'CALL' }, cols, params)).toBe('d.epci_code = $1');
    expect(scopeCondition({ kind: 'financer', code: 'ETAT' }, cols, params)).toBe(
      "d.operation_id IN (SELECT operation_id FROM rm_grant_ledger WHERE movement = 'decided' AND financer_code = $2)",
    );
    expect(params).toEqual(['CALL', 'ETAT']);
  });
});
