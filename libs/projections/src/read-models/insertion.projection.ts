import { type ByPublic, type InsertionEvent } from '@erbm/insertion';
import { type EventMeta, type Row, type RowChange, type TableSpec, defineReadModel, increment, insert, ref } from '../runner/row-changes';
import { knownMonthOf, monthOf } from './buckets';

const PUBLICS = ['deld', 'rsa', 'jeunes', 'rqth', 'autres'] as const;
const FIGURE_COLUMNS = ['hours', ...PUBLICS.map((p) => `participants_${p}`), ...PUBLICS.map((p) => `recruitments_${p}`)];

export const INSERTION_LEDGER: TableSpec = {
  name: 'rm_insertion_ledger',
  key: ['global_position'],
  ledger: true,
  columns: {
    global_position: 'bigint', declaration_id: 'text', operation_id: 'text', operation_kind: 'text', epci_code: 'text', bailleur_code: 'text', marche_ref: 'text',
    period_start: 'date', period_end: 'date', ...Object.fromEntries(FIGURE_COLUMNS.map((c) => [c, 'integer' as const])), recorded_at: 'timestamptz',
  },
};
/** What a declaration is about (as first declared): what its corrections are counted under. */
export const INSERTION_DECLARATION: TableSpec = {
  name: 'rm_insertion_declaration',
  key: ['declaration_id'],
  columns: { declaration_id: 'text', operation_id: 'text', operation_kind: 'text', epci_code: 'text', bailleur_code: 'text', marche_ref: 'text', period_start: 'date', period_end: 'date' },
};
const ROLLUP_FIGURES = Object.fromEntries(FIGURE_COLUMNS.map((c) => [c, 'bigint' as const]));
/**
 * Heures d'insertion, participants and recruitments by month of the period's end, knowledge month, EPCI, bailleur
 * ('' when none) and operation kind ('hors-operation' when none).
 */
export const INSERTION_ROLLUP: TableSpec = {
  name: 'rm_insertion_rollup',
  key: ['month', 'known_month', 'epci_code', 'bailleur_code', 'operation_kind'],
  columns: { month: 'date', known_month: 'date', epci_code: 'text', bailleur_code: 'text', operation_kind: 'text', ...ROLLUP_FIGURES },
};

interface Figures {
  hours: number;
  participants: ByPublic;
  recruitments: ByPublic;
}

/** A ledger row for a declaration (its keys `k`, as declared first) and its roll-up increments. */
function declaration(e: EventMeta, k: Row, f: Figures): RowChange[] {
  const figures: Record<string, number> = { hours: f.hours };
  for (const p of PUBLICS) {
    figures[`participants_${p}`] = f.participants[p];
    figures[`recruitments_${p}`] = f.recruitments[p];
  }
  const bucket = {
    month: monthOf(k.period_end as string), known_month: knownMonthOf(e.recordedAt), epci_code: k.epci_code, bailleur_code: k.bailleur_code ?? '',
    operation_kind: k.operation_kind ?? 'hors-operation',
  };
  return [
    insert(INSERTION_LEDGER, { global_position: e.globalPosition, ...k, ...figures, recorded_at: e.recordedAt }),
    increment(INSERTION_ROLLUP, bucket, figures),
  ];
}

const minus = (a: ByPublic, b: ByPublic): ByPublic => Object.fromEntries(PUBLICS.map((p) => [p, a[p] - b[p]])) as ByPublic;

/**
 * Insertion: the ledger of declared hours, participants and recruitments (a correction is a difference row under the
 * declaration's first keys) and its roll-up.
 */
export const insertionReadModel = defineReadModel<InsertionEvent>('insertion', [INSERTION_LEDGER, INSERTION_DECLARATION, INSERTION_ROLLUP], {
  'insertion.InsertionHoursDeclared.v1': {
    reads: (_d, e) => [ref(INSERTION_LEDGER, { global_position: e.globalPosition })],
    changes: (d, e, read) => {
      if (read(INSERTION_LEDGER, { global_position: e.globalPosition })) return [];
      const k = {
        declaration_id: d.declarationId, operation_id: d.operationId, operation_kind: d.operationKind, epci_code: d.epciCode, bailleur_code: d.bailleurCode,
        marche_ref: d.marcheRef, period_start: d.periodStart, period_end: d.periodEnd,
      };
      return [insert(INSERTION_DECLARATION, k), ...declaration(e, k, d)];
    },
  },
  'insertion.InsertionDeclarationCorrected.v1': {
    reads: (d, e) => [ref(INSERTION_LEDGER, { global_position: e.globalPosition }), ref(INSERTION_DECLARATION, { declaration_id: d.declarationId })],
    changes: (d, e, read) => {
      if (read(INSERTION_LEDGER, { global_position: e.globalPosition })) return [];
      const k = read(INSERTION_DECLARATION, { declaration_id: d.declarationId });
      if (!k) throw new Error(`bilan projection: declaration ${d.declarationId} corrected at global position ${e.globalPosition} is not projected`);
      const p = d.previous;
      return declaration(e, k, { hours: d.hours - p.hours, participants: minus(d.participants, p.participants), recruitments: minus(d.recruitments, p.recruitments) });
    },
  },
});
