/**
 * Open data: the grants in the French SCDL « Subventions » format, version 2.1.1 (REFERENCE.md §10; schema of
 * OpenDataFrance, published on schema.data.gouv.fr as `scdl/subventions`). Pure mapping from the grant facts of
 * the read models to rows of the standard, and a validator of every constraint of the schema. docs/opendata.md
 * describes the mapping field by field and what our data cannot fill.
 */

export const SCDL_SCHEMA = 'scdl/subventions';
export const SCDL_VERSION = '2.1.1';

/** The columns of SCDL Subventions 2.1.1, in the schema's order. */
export const SCDL_FIELDS = [
  'nomAttribuant',
  'idAttribuant',
  'dateConvention',
  'referenceDecision',
  'nomBeneficiaire',
  'idBeneficiaire',
  'rnaBeneficiaire',
  'objet',
  'montant',
  'nature',
  'conditionsVersement',
  'datesPeriodeVersement',
  'idRAE',
  'notificationUE',
  'pourcentageSubvention',
  'dispositifAide',
] as const;
export type ScdlField = (typeof SCDL_FIELDS)[number];

/** A row as in the tabular file: every value a string, a missing value the empty string (`missingValues: [""]`). */
export type ScdlRow = Record<ScdlField, string>;

interface FieldConstraint {
  required: boolean;
  type: 'string' | 'date' | 'number' | 'boolean';
  pattern?: RegExp;
  maxLength?: number;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
}

export const SCDL_NATURES = ['aide en numéraire', 'aide en nature', 'aide en numéraire;aide en nature', 'aide en nature;aide en numéraire'] as const;

/** The constraints of the schema, field by field (schema.data.gouv.fr, scdl/subventions 2.1.1). */
export const SCDL_CONSTRAINTS: Record<ScdlField, FieldConstraint> = {
  nomAttribuant: { required: true, type: 'string' },
  idAttribuant: { required: true, type: 'string', pattern: /^\d{14}$/ },
  dateConvention: { required: true, type: 'date' },
  referenceDecision: { required: false, type: 'string' },
  nomBeneficiaire: { required: true, type: 'string' },
  idBeneficiaire: { required: false, type: 'string', pattern: /^\d{14}$/ },
  rnaBeneficiaire: { required: false, type: 'string', pattern: /^W\d{9}$/ },
  objet: { required: true, type: 'string', maxLength: 256 },
  montant: { required: true, type: 'number' },
  nature: { required: true, type: 'string', enum: SCDL_NATURES },
  conditionsVersement: { required: true, type: 'string', maxLength: 256 },
  datesPeriodeVersement: { required: true, type: 'string', pattern: /^[0-9]{4}-[0-9]{2}-[0-9]{2}(\/[0-9]{4}-[0-9]{2}-[0-9]{2})?$/ },
  idRAE: { required: false, type: 'string', maxLength: 5 },
  notificationUE: { required: true, type: 'boolean', enum: ['oui', 'non'] },
  pourcentageSubvention: { required: true, type: 'number', minimum: 0.01, maximum: 1 },
  dispositifAide: { required: false, type: 'string' },
};

/** What the read models know of a grant as of a business date, as known at a time. */
export interface ScdlGrantFacts {
  grantId: string;
  financerCode: string;
  financerName: string;
  conventionDate: string;
  decisionRef: string | null;
  beneficiaryName: string;
  operationId: string;
  operationTitle: string | null;
  dispositif: string;
  /** Amount decided on asOf (after amendments; a cancelled grant keeps what was paid), integer cents. */
  decidedCents: number;
  /** Dates of the payments made by asOf, ascending. */
  paymentDates: string[];
}

export interface ScdlOptions {
  /** SIRET of each financer (attribuant), by financer code: not in our events, supplied by configuration. */
  attribuantSirets?: Record<string, string>;
}

const DISPOSITIF_LABELS: Record<string, string> = {
  'aides-a-la-pierre': 'aides à la pierre',
  'fonds-conjoint-etat-region': 'fonds conjoint État-Région',
  npnru: 'NPNRU',
  'pts-nord': 'PTS Nord',
  'agence-eau-reseaux': "réseaux (Agence de l'eau)",
  'fonds-friches': 'fonds friches',
  'plan-de-relance': 'plan de relance',
  feder: 'FEDER',
  'droit-commun': 'droit commun',
  autre: 'autre dispositif',
};

/** Cents → decimal euros with '.' and two decimals ("47800.20"). */
export function scdlMontant(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Cuts a text to at most `max` characters (code points), ending with "…" when cut. */
export function scdlTruncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** « Objet » of a grant: the dispositif and the operation's title, at most 256 characters. */
export function scdlObjet(g: Pick<ScdlGrantFacts, 'dispositif' | 'operationTitle' | 'operationId'>): string {
  const dispositif = DISPOSITIF_LABELS[g.dispositif] ?? g.dispositif;
  const title = g.operationTitle ?? g.operationId;
  return scdlTruncate(`Engagement pour le Renouveau du Bassin Minier (ERBM), ${dispositif} : opération « ${title} » (${g.operationId})`, 256);
}

/**
 * Conditions and dates of payment from the payments made by asOf: two or more → `échelonné` over the period
 * first/last payment; one → `unique` on its date; none yet → free text (the value `autre` of the schema) and the
 * convention date.
 */
export function scdlVersement(g: Pick<ScdlGrantFacts, 'paymentDates' | 'conventionDate'>): { conditionsVersement: string; datesPeriodeVersement: string } {
  const dates = [...g.paymentDates].sort();
  if (dates.length >= 2) return { conditionsVersement: 'échelonné', datesPeriodeVersement: dates[0] === dates[dates.length - 1] ? dates[0] : `${dates[0]}/${dates[dates.length - 1]}` };
  if (dates.length === 1) return { conditionsVersement: 'unique', datesPeriodeVersement: dates[0] };
  return { conditionsVersement: 'aucun versement effectué à la date de situation', datesPeriodeVersement: g.conventionDate };
}

/** Maps one grant to a row of SCDL Subventions 2.1.1 (see docs/opendata.md). */
export function toScdlRow(g: ScdlGrantFacts, options: ScdlOptions = {}): ScdlRow {
  return {
    nomAttribuant: g.financerName,
    idAttribuant: options.attribuantSirets?.[g.financerCode] ?? '',
    dateConvention: g.conventionDate,
    referenceDecision: g.decisionRef ?? '',
    nomBeneficiaire: g.beneficiaryName,
    idBeneficiaire: '',
    rnaBeneficiaire: '',
    objet: scdlObjet(g),
    montant: scdlMontant(g.decidedCents),
    nature: 'aide en numéraire',
    ...scdlVersement(g),
    idRAE: '',
    notificationUE: 'non',
    // One beneficiary per grant: 100 % of the amount, '1.00' as the schema's example for a single beneficiary.
    pourcentageSubvention: '1.00',
    dispositifAide: g.dispositif,
  };
}

/** Grants in the export: decided by asOf with a positive amount (a grant cancelled before any payment is left out). */
export function toScdlRows(grants: ScdlGrantFacts[], options: ScdlOptions = {}): ScdlRow[] {
  return grants.filter((g) => g.decidedCents > 0).map((g) => toScdlRow(g, options));
}

export interface ScdlViolation {
  /** 0-based index of the data row (-1 for the header). */
  row: number;
  field: string;
  rule: 'required' | 'pattern' | 'maxLength' | 'enum' | 'type' | 'minimum' | 'maximum' | 'header';
  message: string;
}

const isRealDate = (s: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

/** Every violation of the schema's constraints by one row (required, type, pattern, lengths, enums, ranges). */
export function validateScdlRow(row: Partial<Record<string, string>>, index = 0): ScdlViolation[] {
  const out: ScdlViolation[] = [];
  const v = (field: string, rule: ScdlViolation['rule'], message: string) => out.push({ row: index, field, rule, message });
  for (const key of Object.keys(row)) if (!(SCDL_FIELDS as readonly string[]).includes(key)) v(key, 'header', 'unknown column');
  for (const field of SCDL_FIELDS) {
    const c = SCDL_CONSTRAINTS[field];
    const value = row[field] ?? '';
    if (value === '') {
      if (c.required) v(field, 'required', 'value required');
      continue;
    }
    if (c.type === 'date' && !isRealDate(value)) v(field, 'type', 'must be a date YYYY-MM-DD');
    if (c.type === 'number') {
      if (!/^-?\d+(\.\d+)?$/.test(value)) v(field, 'type', "must be a number with '.' as decimal separator");
      else {
        const n = Number(value);
        if (c.minimum !== undefined && n < c.minimum) v(field, 'minimum', `must be ≥ ${c.minimum}`);
        if (c.maximum !== undefined && n > c.maximum) v(field, 'maximum', `must be ≤ ${c.maximum}`);
      }
    }
    if (c.pattern && !c.pattern.test(value)) v(field, 'pattern', `must match ${c.pattern.source}`);
    if (c.maxLength !== undefined && [...value].length > c.maxLength) v(field, 'maxLength', `at most ${c.maxLength} characters`);
    if (c.enum && !c.enum.includes(value)) v(field, 'enum', `must be one of ${c.enum.join(' | ')}`);
  }
  const period = row.datesPeriodeVersement ?? '';
  if (SCDL_CONSTRAINTS.datesPeriodeVersement.pattern?.test(period)) {
    const [from, to] = period.split('/');
    if (!isRealDate(from) || (to !== undefined && !isRealDate(to))) v('datesPeriodeVersement', 'type', 'dates must be real calendar dates');
    else if (to !== undefined && to < from) v('datesPeriodeVersement', 'pattern', 'the period must end after it starts');
  }
  return out;
}

/** Validates a whole table: the header (exactly the schema's columns, in order) and every row. */
export function validateScdl(header: string[], rows: Partial<Record<string, string>>[]): ScdlViolation[] {
  const out: ScdlViolation[] = [];
  if (header.join(',') !== SCDL_FIELDS.join(',')) out.push({ row: -1, field: header.join(','), rule: 'header', message: `header must be ${SCDL_FIELDS.join(',')}` });
  rows.forEach((r, i) => out.push(...validateScdlRow(r, i)));
  return out;
}

/**
 * The rows as CSV (RFC 4180, UTF-8, CRLF line ends, header first). The separator is the comma by default (the
 * OpenDataFrance CSV guide used by the SCDL; decimal points and the `;` inside `nature` assume it), or `;`.
 */
export function scdlCsv(rows: ScdlRow[], separator: ',' | ';' = ','): string {
  const cell = (s: string) => (s.includes(separator) || s.includes('"') || s.includes('\n') || s.includes('\r') || s.includes(';') || s.includes(',') ? `"${s.replace(/"/g, '""')}"` : s);
  return [SCDL_FIELDS.join(separator), ...rows.map((r) => SCDL_FIELDS.map((f) => cell(r[f])).join(separator))].map((l) => `${l}\r\n`).join('');
}

/** A row with the schema's types: numbers as numbers, notificationUE as a boolean, missing values as null. */
export function scdlJsonRow(r: ScdlRow): Record<ScdlField, string | number | boolean | null> {
  const out = {} as Record<ScdlField, string | number | boolean | null>;
  for (const f of SCDL_FIELDS) {
    const c = SCDL_CONSTRAINTS[f];
    const v = r[f];
    out[f] = v === '' ? null : c.type === 'number' ? Number(v) : c.type === 'boolean' ? v === 'oui' : v;
  }
  return out;
}
