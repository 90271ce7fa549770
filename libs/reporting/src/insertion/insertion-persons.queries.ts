import { type AsOf, type Sql, knownAtParam, num } from '../shared/as-of';
import { type ReadScope, scopeCondition } from '../shared/scope';
import { CONTRACT_KIND_LABELS, PUBLIC_LABELS } from './insertion-labels';

/**
 * Dimensions of the distinct-person and contract figures (ADR 0024): EPCI, bailleur ('' when none), operation ('' when
 * none), operation kind (`logements`, `urbaine`, `hors-operation`), works contract (`marche`), public (a person or
 * contract counts in every public of the person: groups overlap), year of the period's end (a person declared in two
 * years counts in both), and, for contracts only, `contractKind`.
 */
export const INSERTION_PERSON_DIMENSIONS = ['epci', 'bailleur', 'operation', 'operationKind', 'marche', 'public', 'year'] as const;
export type InsertionPersonDimension = (typeof INSERTION_PERSON_DIMENSIONS)[number];
export const INSERTION_CONTRACT_DIMENSIONS = [...INSERTION_PERSON_DIMENSIONS, 'contractKind'] as const;
export type InsertionContractDimension = (typeof INSERTION_CONTRACT_DIMENSIONS)[number];

const COLUMN: Record<InsertionContractDimension, string> = {
  epci: 'epci_code',
  bailleur: "COALESCE(bailleur_code, '')",
  operation: "COALESCE(operation_id, '')",
  operationKind: "COALESCE(operation_kind, 'hors-operation')",
  marche: 'marche_ref',
  public: 'public',
  year: "to_char(period_end,'YYYY')",
  contractKind: 'kind',
};

/** Distinct persons of a group (`participant_id` counted once however many declarations list them). */
export interface InsertionPersonsRow {
  keys: Partial<Record<InsertionPersonDimension, string>>;
  /** Personnes distinctes. */
  persons: number;
  /** Of whom hired at the end of the clause (« personnes recrutées »). */
  recruited: number;
  /** Of the persons, those from v1 counts without pseudonymous id (counted once per declaration: may overcount). */
  withoutId: number;
  /** The part of each count from estimated events only (persons all of whose declarations are estimated; ADR 0021). */
  estimated: { persons: number; recruited: number };
}

/** Distinct insertion contracts of a group, and the distinct persons holding them. */
export interface InsertionContractsRow {
  keys: Partial<Record<InsertionContractDimension, string>>;
  /** Contrats d'insertion (distinct `contract_id`). */
  contracts: number;
  /** Personnes distinctes holding them. */
  persons: number;
  /** The part of each count from estimated events only (ADR 0021). */
  estimated: { contracts: number; persons: number };
}

/** Optional filters of both queries: operation kind. */
export interface InsertionPersonFilter {
  operationKind?: 'logements' | 'urbaine';
}

const SCOPE_COLUMNS = { operationId: 'l.operation_id', epciCode: 'l.epci_code', bailleurCode: 'l.bailleur_code' };

/**
 * The live rows of a person or contract ledger on `asOf` as known at `knownAt`: rows of declarations whose period ended
 * by then, grouped on what identifies one listing (declaration, id, attributes), kept when their `delta`s add up to
 * more than zero; `estimated`: that of the latest row of the listing. `extra`: the ledger's own columns.
 */
function live(table: string, idColumns: string[], q: AsOf, params: unknown[], scope: ReadScope | undefined, filter: InsertionPersonFilter): string {
  params.push(q.asOf, knownAtParam(q));
  const where = [`l.period_end <= $${params.length - 1}`, `l.recorded_at <= $${params.length}::timestamptz`, scopeCondition(scope, SCOPE_COLUMNS, params, q)];
  if (filter.operationKind) {
    params.push(filter.operationKind);
    where.push(`l.operation_kind = $${params.length}`);
  }
  const group = ['declaration_id', 'operation_id', 'operation_kind', 'epci_code', 'bailleur_code', 'marche_ref', 'period_end', ...idColumns].map((c) => `l.${c}`);
  return `SELECT ${group.join(', ')}, (array_agg(l.estimated ORDER BY l.global_position DESC, l.ordinal DESC))[1] AS estimated
            FROM ${table} l WHERE ${where.join(' AND ')} GROUP BY ${group.join(', ')} HAVING SUM(l.delta) > 0`;
}

const grouped = (groupBy: readonly string[]) =>
  groupBy.length ? `GROUP BY ${groupBy.map((_, i) => i + 1).join(', ')} ORDER BY ${groupBy.map((_, i) => i + 1).join(', ')}` : '';

/**
 * Personnes distinctes in insertion on `asOf` (as known at `knownAt`, within `scope`), grouped by
 * `INSERTION_PERSON_DIMENSIONS`: a person (pseudonymous `participant_id`) listed by several declarations counts once
 * per group; by `public`, in every public of theirs (the groups overlap, their sum exceeds the total). Recruited: the
 * persons hired at the end of at least one of their declarations. v1 declarations count as anonymous persons local to
 * each declaration (`withoutId`).
 */
export async function insertionPersons(db: Sql, q: AsOf, groupBy: readonly InsertionPersonDimension[], filter: InsertionPersonFilter = {}, scope?: ReadScope): Promise<InsertionPersonsRow[]> {
  const params: unknown[] = [];
  const rows = await db.query<Record<string, string>[]>(
    `WITH live AS (${live('rm_insertion_person_ledger', ['participant_id', 'publics', 'recruited', 'anonymous'], q, params, scope, filter)})
     SELECT ${[
       ...groupBy.map((d, i) => `${COLUMN[d]} AS k${i}`),
       'count(DISTINCT participant_id) AS persons',
       'count(DISTINCT participant_id) FILTER (WHERE recruited) AS recruited',
       'count(DISTINCT participant_id) FILTER (WHERE anonymous) AS without_id',
       'count(DISTINCT participant_id) - count(DISTINCT participant_id) FILTER (WHERE NOT estimated) AS e_persons',
       'count(DISTINCT participant_id) FILTER (WHERE recruited) - count(DISTINCT participant_id) FILTER (WHERE recruited AND NOT estimated) AS e_recruited',
     ].join(', ')}
       FROM live${groupBy.includes('public') ? ', unnest(live.publics) AS public' : ''} ${grouped(groupBy)}`,
    params,
  );
  return rows.map((r) => ({
    keys: Object.fromEntries(groupBy.map((d, i) => [d, r[`k${i}`]])),
    persons: num(r.persons),
    recruited: num(r.recruited),
    withoutId: num(r.without_id),
    estimated: { persons: num(r.e_persons), recruited: num(r.e_recruited) },
  }));
}

/**
 * Contrats d'insertion on `asOf` (as known at `knownAt`, within `scope`), grouped by `INSERTION_CONTRACT_DIMENSIONS`:
 * a contract listed in several declarations (several periods) counts once per group; by `public`, in every public of
 * its holder (groups overlap). Only v2 declarations list contracts: v1 counts have none.
 */
export async function insertionContracts(db: Sql, q: AsOf, groupBy: readonly InsertionContractDimension[], filter: InsertionPersonFilter = {}, scope?: ReadScope): Promise<InsertionContractsRow[]> {
  const params: unknown[] = [];
  const rows = await db.query<Record<string, string>[]>(
    `WITH live AS (${live('rm_insertion_contract_ledger', ['contract_id', 'participant_id', 'kind', 'start_date', 'publics'], q, params, scope, filter)})
     SELECT ${[
       ...groupBy.map((d, i) => `${COLUMN[d]} AS k${i}`),
       'count(DISTINCT contract_id) AS contracts',
       'count(DISTINCT participant_id) AS persons',
       'count(DISTINCT contract_id) - count(DISTINCT contract_id) FILTER (WHERE NOT estimated) AS e_contracts',
       'count(DISTINCT participant_id) - count(DISTINCT participant_id) FILTER (WHERE NOT estimated) AS e_persons',
     ].join(', ')}
       FROM live${groupBy.includes('public') ? ', unnest(live.publics) AS public' : ''} ${grouped(groupBy)}`,
    params,
  );
  return rows.map((r) => ({
    keys: Object.fromEntries(groupBy.map((d, i) => [d, r[`k${i}`]])),
    contracts: num(r.contracts),
    persons: num(r.persons),
    estimated: { contracts: num(r.e_contracts), persons: num(r.e_persons) },
  }));
}

/** The bilan's persons and contracts (see `bilanInsertionPersons`). */
export interface BilanInsertionPersons {
  /** The whole programme: personnes distinctes, recruited, without id. */
  persons: InsertionPersonsRow;
  /** Operations of logements only. */
  logementsPersons: InsertionPersonsRow;
  /** By public (overlapping), by EPCI, by operation kind. */
  personsByPublic: InsertionPersonsRow[];
  personsByEpci: InsertionPersonsRow[];
  personsByOperationKind: InsertionPersonsRow[];
  /** Contracts: total, by kind, by EPCI, by public (overlapping). */
  contracts: InsertionContractsRow;
  contractsByKind: InsertionContractsRow[];
  contractsByEpci: InsertionContractsRow[];
  contractsByPublic: InsertionContractsRow[];
}


/** Rows sorted by `order` of their `dim` key (reporting order of publics and contract kinds; unknown codes last). */
const inOrder = <T extends { keys: Partial<Record<string, string>> }>(rows: T[], dim: string, order: readonly string[]): T[] => {
  const rank = (r: T) => {
    const i = order.indexOf(r.keys[dim] ?? '');
    return i < 0 ? order.length : i;
  };
  return [...rows].sort((a, b) => rank(a) - rank(b));
};

/** A persons row from the sums named `persons`, `recruited`, `without_id`, `e_persons`, `e_recruited` (with `prefix`). */
const personsRowOf = (r: Record<string, string | null> | undefined, keys: InsertionPersonsRow['keys'], prefix = ''): InsertionPersonsRow => ({
  keys,
  persons: num(r?.[`${prefix}persons`]),
  recruited: num(r?.[`${prefix}recruited`]),
  withoutId: num(r?.[`${prefix}without_id`]),
  estimated: { persons: num(r?.[`${prefix}e_persons`]), recruited: num(r?.[`${prefix}e_recruited`]) },
});

/** The distinct counts of persons over `live` rows, optionally filtered, named with `prefix`. */
const personSums = (prefix = '', filter = ''): string[] => {
  const f = (extra: string) => (filter || extra ? ` FILTER (WHERE ${[filter, extra].filter(Boolean).join(' AND ')})` : '');
  return [
    `count(DISTINCT participant_id)${f('')} AS ${prefix}persons`,
    `count(DISTINCT participant_id)${f('recruited')} AS ${prefix}recruited`,
    `count(DISTINCT participant_id)${f('anonymous')} AS ${prefix}without_id`,
    `count(DISTINCT participant_id)${f('')} - count(DISTINCT participant_id)${f('NOT estimated')} AS ${prefix}e_persons`,
    `count(DISTINCT participant_id)${f('recruited')} - count(DISTINCT participant_id)${f('recruited AND NOT estimated')} AS ${prefix}e_recruited`,
  ];
};

/**
 * The persons and contracts tables of the bilan, in the caller's snapshot: one scan of each ledger (`GROUPING SETS`;
 * the rows a person has per public repeat them in the other sets, which `count(DISTINCT …)` ignores), the same figures
 * as `insertionPersons` / `insertionContracts`. Publics and contract kinds in reporting order (`PUBLIC_LABELS`,
 * `CONTRACT_KIND_LABELS`).
 */
export async function bilanInsertionPersons(db: Sql, q: AsOf, scope?: ReadScope): Promise<BilanInsertionPersons> {
  const publics = Object.keys(PUBLIC_LABELS);
  const pp: unknown[] = [];
  const KIND = "COALESCE(operation_kind, 'hors-operation')";
  /** Which grouping set a row is of: the name of its grouped column, or 'total'. */
  const dim = (cols: [string, string][]) => `CASE ${cols.map(([expr, name]) => `WHEN GROUPING(${expr}) = 0 THEN '${name}'`).join(' ')} ELSE 'total' END AS dim`;
  const persons = await db.query<Record<string, string | null>[]>(
    `WITH live AS (${live('rm_insertion_person_ledger', ['participant_id', 'publics', 'recruited', 'anonymous'], q, pp, scope, {})})
     SELECT ${dim([['public', 'public'], ['epci_code', 'epci_code'], [KIND, 'operation_kind']])}, public, epci_code, ${KIND} AS operation_kind,
            ${[...personSums(), ...personSums('l_', "operation_kind = 'logements'")].join(', ')}
       FROM live, unnest(live.publics) AS public
      GROUP BY GROUPING SETS ((), (public), (epci_code), (${KIND}))
      ORDER BY 1, 2, 3, 4`,
    pp,
  );
  const cp: unknown[] = [];
  const contracts = await db.query<Record<string, string | null>[]>(
    `WITH live AS (${live('rm_insertion_contract_ledger', ['contract_id', 'participant_id', 'kind', 'start_date', 'publics'], q, cp, scope, {})})
     SELECT ${dim([['public', 'public'], ['epci_code', 'epci_code'], ['kind', 'kind']])}, public, epci_code, kind,
            count(DISTINCT contract_id) AS contracts, count(DISTINCT participant_id) AS persons,
            count(DISTINCT contract_id) - count(DISTINCT contract_id) FILTER (WHERE NOT estimated) AS e_contracts,
            count(DISTINCT participant_id) - count(DISTINCT participant_id) FILTER (WHERE NOT estimated) AS e_persons
       FROM live, unnest(live.publics) AS public
      GROUP BY GROUPING SETS ((), (public), (epci_code), (kind))
      ORDER BY 1, 2, 3, 4`,
    cp,
  );
  const p = (d: string) => persons.filter((r) => r.dim === d);
  const c = (d: string) => contracts.filter((r) => r.dim === d);
  const contractRow = (r: Record<string, string | null> | undefined, keys: InsertionContractsRow['keys']): InsertionContractsRow => ({
    keys,
    contracts: num(r?.contracts),
    persons: num(r?.persons),
    estimated: { contracts: num(r?.e_contracts), persons: num(r?.e_persons) },
  });
  const total = p('total')[0];
  return {
    persons: personsRowOf(total, {}),
    logementsPersons: personsRowOf(total, {}, 'l_'),
    personsByPublic: inOrder(p('public').map((r) => personsRowOf(r, { public: r.public as string })), 'public', publics),
    personsByEpci: p('epci_code').map((r) => personsRowOf(r, { epci: r.epci_code as string })),
    personsByOperationKind: p('operation_kind').map((r) => personsRowOf(r, { operationKind: r.operation_kind as string })),
    contracts: contractRow(c('total')[0], {}),
    contractsByKind: inOrder(c('kind').map((r) => contractRow(r, { contractKind: r.kind as string })), 'contractKind', Object.keys(CONTRACT_KIND_LABELS)),
    contractsByEpci: c('epci_code').map((r) => contractRow(r, { epci: r.epci_code as string })),
    contractsByPublic: inOrder(c('public').map((r) => contractRow(r, { public: r.public as string })), 'public', publics),
  };
}
