import { type ByPublic, type InsertionEvent } from '@erbm/insertion';
import { type EventMeta, type Row, type RowChange, type TableSpec, defineReadModel, increment, insert, ref, update } from '../runner/row-changes';
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
    ...Object.fromEntries(FIGURE_COLUMNS.map((c) => [`${c}_estimated`, 'integer' as const])),
  },
};
/** What a declaration is about (as first declared): what its corrections are counted under. */
export const INSERTION_DECLARATION: TableSpec = {
  name: 'rm_insertion_declaration',
  key: ['declaration_id'],
  columns: {
    declaration_id: 'text', operation_id: 'text', operation_kind: 'text', epci_code: 'text', bailleur_code: 'text', marche_ref: 'text', period_start: 'date', period_end: 'date',
    estimated: 'boolean',
  },
};
const ROLLUP_FIGURES = Object.fromEntries([...FIGURE_COLUMNS, ...FIGURE_COLUMNS.map((c) => `${c}_estimated`)].map((c) => [c, 'bigint' as const]));
/**
 * Heures d'insertion, participants and recruitments by month of the period's end, knowledge month, EPCI, bailleur
 * ('' when none) and operation kind ('hors-operation' when none); `<figure>_estimated`: the part of each figure from
 * estimated events.
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

const columnsOf = (f: Figures): Record<string, number> => {
  const figures: Record<string, number> = { hours: f.hours };
  for (const p of PUBLICS) {
    figures[`participants_${p}`] = f.participants[p];
    figures[`recruitments_${p}`] = f.recruitments[p];
  }
  return figures;
};
const ZERO: Figures = { hours: 0, participants: { deld: 0, rsa: 0, jeunes: 0, rqth: 0, autres: 0 }, recruitments: { deld: 0, rsa: 0, jeunes: 0, rqth: 0, autres: 0 } };

/**
 * A ledger row for a declaration (its keys `k`, as declared first) and its roll-up increments; `est`: the part of
 * the figures that comes from estimated events (ADR 0021).
 */
function declaration(e: EventMeta, k: Row, f: Figures, est: Figures): RowChange[] {
  const own = columnsOf(f);
  const estimated = columnsOf(est);
  const figures = { ...own, ...Object.fromEntries(FIGURE_COLUMNS.map((c) => [`${c}_estimated`, estimated[c]])) };
  const bucket = {
    month: monthOf(k.period_end as string), known_month: knownMonthOf(e.recordedAt), epci_code: k.epci_code, bailleur_code: k.bailleur_code ?? '',
    operation_kind: k.operation_kind ?? 'hors-operation',
  };
  return [
    insert(INSERTION_LEDGER, { global_position: e.globalPosition, ...keysOf(k), ...figures, recorded_at: e.recordedAt }),
    increment(INSERTION_ROLLUP, bucket, figures),
  ];
}

/** The declaration's keys as the ledger copies them (without its `estimated` flag). */
const keysOf = (k: Row): Row => Object.fromEntries(Object.entries(k).filter(([c]) => c !== 'estimated'));

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
      return [insert(INSERTION_DECLARATION, { ...k, estimated: e.estimated }), ...declaration(e, k, d, e.estimated ? d : ZERO)];
    },
  },
  'insertion.InsertionDeclarationCorrected.v1': {
    reads: (d, e) => [ref(INSERTION_LEDGER, { global_position: e.globalPosition }), ref(INSERTION_DECLARATION, { declaration_id: d.declarationId })],
    changes: (d, e, read) => {
      if (read(INSERTION_LEDGER, { global_position: e.globalPosition })) return [];
      const k = read(INSERTION_DECLARATION, { declaration_id: d.declarationId });
      if (!k) throw new Error(`bilan projection: declaration ${d.declarationId} corrected at global position ${e.globalPosition} is not projected`);
      const p = d.previous;
      // The corrected figures replace the previous ones: the estimated part is the correction's minus the previous one's.
      const now = e.estimated ? d : ZERO;
      const before = k.estimated === true ? p : ZERO;
      return [
        update(INSERTION_DECLARATION, { declaration_id: d.declarationId }, { estimated: e.estimated }),
        ...declaration(e, k, { hours: d.hours - p.hours, participants: minus(d.participants, p.participants), recruitments: minus(d.recruitments, p.recruitments) }, {
          hours: now.hours - before.hours, participants: minus(now.participants, before.participants), recruitments: minus(now.recruitments, before.recruitments),
        }),
      ];
    },
  },
});
