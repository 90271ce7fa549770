import { type AsOf, knownAtParam } from './as-of';

/**
 * What an organisation may read (issue #3, SIAP-style habilitations): a bailleur its own operations
 * (`bailleur_code`), an EPCI its territory (`epci_code`), a financer the operations it has decided a grant on; the
 * délégation and the comité de pilotage everything. Every read-model query takes an optional scope (default: all).
 * Scopes honour time like the figures (issue #9): a financer's operations as of `asOf` as known at `knownAt` are
 * those it had decided a grant on by `asOf`, recorded by `knownAt`, so grants recorded later never change an answer
 * "as known at" an earlier time.
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
 * A SQL condition restricting rows to the scope as of `at` (the figures' `asOf` and `knownAt`), pushing its
 * parameters onto `params` ("TRUE" for all). Rows without an operation (insertion outside tracked operations) are
 * visible to EPCI of their territory only. The EPCI and the bailleur of a row are those the ledger row carries (an
 * operation's EPCI and bailleur are fixed when it is programmed); looked up in `rm_operation`, the operation must
 * have been recorded by `knownAt`. A financer's operations are those with a grant it decided (`movement =
 * 'decided'`) effective by `asOf` and recorded by `knownAt`, as `deliveredBy(…, 'financer')` counts them.
 */
export function scopeCondition(scope: ReadScope | undefined, cols: ScopeColumns, params: unknown[], at: AsOf): string {
  if (!scope || scope.kind === 'all') return 'TRUE';
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const p = param(scope.code);
  switch (scope.kind) {
    case 'epci':
      return `${cols.epciCode} = ${p}`;
    case 'bailleur':
      return cols.bailleurCode
        ? `${cols.bailleurCode} = ${p}`
        : `${cols.operationId} IN (SELECT operation_id FROM rm_operation WHERE bailleur_code = ${p} AND recorded_at <= ${param(knownAtParam(at))}::timestamptz)`;
    case 'financer':
      return `${cols.operationId} IN (SELECT operation_id FROM rm_grant_ledger WHERE movement = 'decided' AND financer_code = ${p} AND effective_on <= ${param(at.asOf)}::date AND recorded_at <= ${param(knownAtParam(at))}::timestamptz)`;
  }
}
