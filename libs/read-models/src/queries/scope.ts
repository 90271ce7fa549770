/**
 * What an organisation may read (issue #3, SIAP-style habilitations): a bailleur its own operations
 * (`bailleur_code`), an EPCI its territory (`epci_code`), a financer the operations it has decided a grant on; the
 * délégation and the comité de pilotage everything. Every read-model query takes an optional scope (default: all).
 */
export type ReadScope =
  | { kind: 'all' }
  | { kind: 'bailleur'; code: string }
  | { kind: 'epci'; code: string }
  | { kind: 'financer'; code: string };

export const ALL: ReadScope = { kind: 'all' };

/** Columns of a read-model table the scope filters on (qualified with the table's alias when needed). */
export interface ScopeColumns {
  operationId: string;
  epciCode: string;
  /** Omitted when the table has no bailleur column: the operation's bailleur is then looked up in rm_operation. */
  bailleurCode?: string;
}

/**
 * A SQL condition restricting rows to the scope, pushing its parameter onto `params` ("TRUE" for all).
 * Rows without an operation (insertion outside tracked operations) are visible to EPCI of their territory only.
 */
export function scopeCondition(scope: ReadScope | undefined, cols: ScopeColumns, params: unknown[]): string {
  if (!scope || scope.kind === 'all') return 'TRUE';
  params.push(scope.code);
  const p = `$${params.length}`;
  switch (scope.kind) {
    case 'epci':
      return `${cols.epciCode} = ${p}`;
    case 'bailleur':
      return cols.bailleurCode ? `${cols.bailleurCode} = ${p}` : `${cols.operationId} IN (SELECT operation_id FROM rm_operation WHERE bailleur_code = ${p})`;
    case 'financer':
      return `${cols.operationId} IN (SELECT operation_id FROM rm_grant_ledger WHERE movement = 'decided' AND financer_code = ${p})`;
  }
}
