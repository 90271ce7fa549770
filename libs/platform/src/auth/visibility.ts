import { type AggregateRef, FactResolver } from '@erbm/application';
import { parseOrganisation } from '@erbm/identity';
import { type EventStore } from '@erbm/event-store';
import { insertionStream } from '@erbm/insertion';
import { type ReadScope } from '@erbm/reporting';
import { type DataSource } from 'typeorm';
import { readScopeOf } from './principal';

export type AggregateKind = 'operation' | 'grant' | 'insertion';

/**
 * Whether a read scope may see one aggregate's stream (GET /operations/{id}, /grants/{id},
 * /insertion/declarations/{id}, and their histories). Out of scope answers 404, as if the aggregate did not exist.
 * Operations and grants are checked on the write side (their streams); "operations a financer funds" on the
 * grant ledger of the read models.
 */
export class StreamVisibility {
  private readonly facts: FactResolver;

  constructor(private readonly store: EventStore, private readonly db: DataSource) {
    this.facts = new FactResolver(store);
  }

  /**
   * The executor's read-scope check (`ReadScopeCheck`, ADR 0018) for an organisation that does not own what its
   * command writes: the operation, grant or insertion declaration as `canSee` decides; other aggregates (cités and
   * the rest of the reference data) are not secret.
   */
  async canWriterSee(organisation: string, ref: AggregateRef): Promise<boolean> {
    const org = parseOrganisation(organisation);
    if (!org) return false;
    if (ref.kind !== 'operation' && ref.kind !== 'grant' && ref.kind !== 'insertion') return true;
    return this.canSee(readScopeOf({ role: org.kind, code: org.code }), ref.kind, ref.id);
  }

  async canSee(scope: ReadScope, kind: AggregateKind, id: string): Promise<boolean> {
    if (scope.kind === 'all') return true;
    switch (kind) {
      case 'operation':
        return this.canSeeOperation(scope, id);
      case 'grant': {
        const grant = await this.facts.resolve('grant', id);
        if (!grant) return true; // the caller answers its own 404
        if (scope.kind === 'financer') return grant.financerCode === scope.code;
        return this.canSeeOperation(scope, grant.operationId);
      }
      case 'insertion': {
        const { events } = await this.store.readStream(insertionStream(id));
        const declared = events.find((e) => e.type === 'insertion.InsertionHoursDeclared.v1');
        if (!declared) return true;
        const d = declared.data as { operationId: string | null; epciCode: string; bailleurCode: string | null };
        if (scope.kind === 'epci') return d.epciCode === scope.code;
        if (scope.kind === 'bailleur') return d.bailleurCode === scope.code;
        return d.operationId !== null && (await this.funds(scope.code, d.operationId));
      }
    }
  }

  private async canSeeOperation(scope: Exclude<ReadScope, { kind: 'all' }>, operationId: string): Promise<boolean> {
    const op = await this.facts.resolve('operation', operationId);
    if (!op) return true;
    switch (scope.kind) {
      case 'bailleur':
        return op.bailleurCode === scope.code;
      case 'epci':
        return op.epciCode === scope.code;
      case 'financer':
        return this.funds(scope.code, operationId);
    }
  }

  /** A financer funds an operation when it decided a grant on it (read models, then the grants' streams are not scanned). */
  private async funds(financerCode: string, operationId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM rm_grant_ledger WHERE operation_id = $1 AND financer_code = $2 AND movement = 'decided' LIMIT 1`,
      [operationId, financerCode],
    );
    return rows.length > 0;
  }
}

