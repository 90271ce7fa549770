import {
  type ByPublic, type InsertionContract, type InsertionEvent, type InsertionFigures, type Participant, PERSON_PUBLIC_OF, legacyFiguresOf,
} from '@erbm/insertion';
import { type EventMeta, type ReadRow, type Row, type RowChange, type TableSpec, defineReadModel, increment, insert, ref, update } from '../runner/row-changes';
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

const KEY_COLUMNS = {
  declaration_id: 'text', operation_id: 'text', operation_kind: 'text', epci_code: 'text', bailleur_code: 'text', marche_ref: 'text', period_end: 'date',
} as const;
/**
 * Persons behind the hours (ADR 0024): one row per person listed by a declaration (`delta` +1) or withdrawn by a
 * correction (`delta` -1, the row it cancels repeated), keyed by global position and `ordinal` in the event. A person
 * is live in a declaration while the sum of its `delta` is positive; distinct persons are counted on
 * `participant_id` (`count(DISTINCT …)` over the live rows), so a person declared in several declarations counts once.
 * `publics`: every public of the person (non-exclusive, `PERSON_PUBLICS`); `anonymous`: a v1 count turned into
 * persons local to its declaration (`v1:<declarationId>:<public>:<n>`, no pseudonymous id, counted once per
 * declaration); `estimated`: from an estimated event (ADR 0021).
 */
export const INSERTION_PERSON_LEDGER: TableSpec = {
  name: 'rm_insertion_person_ledger',
  key: ['global_position', 'ordinal'],
  ledger: true,
  columns: {
    global_position: 'bigint', ordinal: 'integer', ...KEY_COLUMNS, participant_id: 'text', publics: 'text[]', recruited: 'boolean', anonymous: 'boolean',
    delta: 'smallint', estimated: 'boolean', recorded_at: 'timestamptz',
  },
};
/**
 * Insertion contracts (ADR 0024): one row per contract listed by a v2 declaration (`delta` +1) or withdrawn by a
 * correction (-1), with the holder's publics in that declaration; counted distinct on `contract_id`.
 */
export const INSERTION_CONTRACT_LEDGER: TableSpec = {
  name: 'rm_insertion_contract_ledger',
  key: ['global_position', 'ordinal'],
  ledger: true,
  columns: {
    global_position: 'bigint', ordinal: 'integer', ...KEY_COLUMNS, contract_id: 'text', participant_id: 'text', kind: 'text', start_date: 'date', publics: 'text[]',
    delta: 'smallint', estimated: 'boolean', recorded_at: 'timestamptz',
  },
};

/** The persons of v1 counts: `n` anonymous persons per public, local to the declaration, the first ones recruited. */
function anonymousPersons(declarationId: string, f: InsertionFigures): (Participant & { anonymous: boolean })[] {
  return PUBLICS.flatMap((p) =>
    Array.from({ length: f.participants[p] }, (_, i) => ({
      participantId: `v1:${declarationId}:${p}:${i + 1}`, publics: [PERSON_PUBLIC_OF[p]], recruited: i < f.recruitments[p], anonymous: true,
    })),
  );
}

interface Persons {
  participants: (Participant & { anonymous?: boolean })[];
  contracts: InsertionContract[];
}

/** The persons and contracts of a v1 figure set (anonymous persons, no contract) or of a v2 one. */
const personsOf = (declarationId: string, f: InsertionFigures | { participants: Participant[]; contracts: InsertionContract[] }): Persons =>
  Array.isArray(f.participants) ? { participants: f.participants, contracts: (f as { contracts: InsertionContract[] }).contracts } : { participants: anonymousPersons(declarationId, f as InsertionFigures), contracts: [] };

/**
 * Person and contract ledger rows of an event: `removed` withdrawn (delta -1, with `removedEstimated`), then `added`
 * (delta +1, with the event's `estimated`), all under the declaration's first keys `k`.
 */
function personRows(e: EventMeta, k: Row, removed: Persons | null, added: Persons, removedEstimated: boolean): RowChange[] {
  const keys = {
    declaration_id: k.declaration_id, operation_id: k.operation_id, operation_kind: k.operation_kind, epci_code: k.epci_code, bailleur_code: k.bailleur_code,
    marche_ref: k.marche_ref, period_end: k.period_end,
  };
  let ordinal = 0;
  const rows: RowChange[] = [];
  const put = (x: Persons, delta: number, estimated: boolean) => {
    const publics = new Map(x.participants.map((p) => [p.participantId, p.publics]));
    for (const p of x.participants) {
      rows.push(insert(INSERTION_PERSON_LEDGER, {
        global_position: e.globalPosition, ordinal: ordinal++, ...keys, participant_id: p.participantId, publics: p.publics, recruited: p.recruited,
        anonymous: p.anonymous === true, delta, estimated, recorded_at: e.recordedAt,
      }));
    }
    for (const c of x.contracts) {
      rows.push(insert(INSERTION_CONTRACT_LEDGER, {
        global_position: e.globalPosition, ordinal: ordinal++, ...keys, contract_id: c.contractId, participant_id: c.participantId, kind: c.kind, start_date: c.startDate,
        publics: publics.get(c.participantId) ?? [], delta, estimated, recorded_at: e.recordedAt,
      }));
    }
  };
  if (removed) put(removed, -1, removedEstimated);
  put(added, 1, e.estimated);
  return rows;
}

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
type DeclaredData = Extract<InsertionEvent, { type: 'insertion.InsertionHoursDeclared.v1' | 'insertion.InsertionHoursDeclared.v2' }>['data'];
type CorrectedData = Extract<InsertionEvent, { type: 'insertion.InsertionDeclarationCorrected.v1' | 'insertion.InsertionDeclarationCorrected.v2' }>['data'];

/** v1 figures of a figure set of either version (a v2 set: per main public, `legacyFiguresOf`). */
const legacyOf = (f: InsertionFigures | { hours: number; participants: Participant[] }): InsertionFigures =>
  Array.isArray(f.participants) ? legacyFiguresOf(f.hours, f.participants) : (f as InsertionFigures);

const declared = {
  reads: (_d: DeclaredData, e: EventMeta) => [ref(INSERTION_LEDGER, { global_position: e.globalPosition })],
  changes: (d: DeclaredData, e: EventMeta, read: ReadRow): RowChange[] => {
    if (read(INSERTION_LEDGER, { global_position: e.globalPosition })) return [];
    const k = {
      declaration_id: d.declarationId, operation_id: d.operationId, operation_kind: d.operationKind, epci_code: d.epciCode, bailleur_code: d.bailleurCode,
      marche_ref: d.marcheRef, period_start: d.periodStart, period_end: d.periodEnd,
    };
    const f = legacyOf(d);
    return [
      insert(INSERTION_DECLARATION, { ...k, estimated: e.estimated }),
      ...declaration(e, k, f, e.estimated ? f : ZERO),
      ...personRows(e, k, null, personsOf(d.declarationId, d), false),
    ];
  },
};

const corrected = {
  reads: (d: CorrectedData, e: EventMeta) => [ref(INSERTION_LEDGER, { global_position: e.globalPosition }), ref(INSERTION_DECLARATION, { declaration_id: d.declarationId })],
  changes: (d: CorrectedData, e: EventMeta, read: ReadRow): RowChange[] => {
    if (read(INSERTION_LEDGER, { global_position: e.globalPosition })) return [];
    const k = read(INSERTION_DECLARATION, { declaration_id: d.declarationId });
    if (!k) throw new Error(`bilan projection: declaration ${d.declarationId} corrected at global position ${e.globalPosition} is not projected`);
    const f = legacyOf(d);
    const p = legacyOf(d.previous);
    // The corrected figures replace the previous ones: the estimated part is the correction's minus the previous one's.
    const now = e.estimated ? f : ZERO;
    const before = k.estimated === true ? p : ZERO;
    return [
      update(INSERTION_DECLARATION, { declaration_id: d.declarationId }, { estimated: e.estimated }),
      ...declaration(e, k, { hours: f.hours - p.hours, participants: minus(f.participants, p.participants), recruitments: minus(f.recruitments, p.recruitments) }, {
        hours: now.hours - before.hours, participants: minus(now.participants, before.participants), recruitments: minus(now.recruitments, before.recruitments),
      }),
      ...personRows(e, k, personsOf(d.declarationId, d.previous), personsOf(d.declarationId, d as never), k.estimated === true),
    ];
  },
};

/**
 * Insertion: the ledger of declared hours, participants and recruitments (a correction is a difference row under the
 * declaration's first keys) and its roll-up, read from v1 and v2 events alike (v2 persons counted under their main
 * public there); the ledgers of persons and contracts (ADR 0024), where v1 counts become anonymous persons.
 */
export const insertionReadModel = defineReadModel<InsertionEvent>('insertion', [INSERTION_LEDGER, INSERTION_DECLARATION, INSERTION_ROLLUP, INSERTION_PERSON_LEDGER, INSERTION_CONTRACT_LEDGER], {
  'insertion.InsertionHoursDeclared.v1': declared,
  'insertion.InsertionHoursDeclared.v2': declared,
  'insertion.InsertionDeclarationCorrected.v1': corrected,
  'insertion.InsertionDeclarationCorrected.v2': corrected,
});
