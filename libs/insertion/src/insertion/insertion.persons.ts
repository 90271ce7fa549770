import { type Check } from '@erbm/shared';
import { type ByPublic, type InsertionFigures, type Public } from './insertion.events';

/**
 * Priority publics of the clauses sociales a person can belong to, several at once (non-exclusive; REFERENCE.md §8,
 * `002` §2e), in reporting order:
 * - `DELD`: demandeurs d'emploi de longue durée;
 * - `RSA`: bénéficiaires (allocataires) du RSA;
 * - `JEUNE_MOINS_26`: jeunes de moins de 26 ans;
 * - `RQTH`: travailleurs handicapés (reconnaissance de la qualité de travailleur handicapé);
 * - `SENIOR_PLUS_50`: demandeurs d'emploi de 50 ans et plus;
 * - `ASS_AAH`: bénéficiaires de l'ASS ou de l'AAH;
 * - `SIAE_EPIDE_E2C`: personnes suivies en SIAE, EPIDE ou école de la deuxième chance;
 * - `QPV`: résidents d'un quartier prioritaire de la politique de la ville;
 * - `AUTRE`: other public eligible to the clause.
 */
export const PERSON_PUBLICS = ['DELD', 'RSA', 'JEUNE_MOINS_26', 'RQTH', 'SENIOR_PLUS_50', 'ASS_AAH', 'SIAE_EPIDE_E2C', 'QPV', 'AUTRE'] as const;
/** One of the non-exclusive priority publics (see `PERSON_PUBLICS`). */
export type PersonPublic = (typeof PERSON_PUBLICS)[number];

/**
 * Kinds of insertion contract (contrat de travail ou parcours) a declaration covers:
 * `CDD`, `CDI`, `CDDI` (CDD d'insertion, SIAE), `INTERIM` (mission d'intérim), `CTTI` (contrat de travail temporaire
 * d'insertion, ETTI), `PROFESSIONNALISATION` (contrat de professionnalisation), `APPRENTISSAGE`, `PEC` (parcours
 * emploi compétences), `AUTRE`.
 */
export const CONTRACT_KINDS = ['CDD', 'CDI', 'CDDI', 'INTERIM', 'CTTI', 'PROFESSIONNALISATION', 'APPRENTISSAGE', 'PEC', 'AUTRE'] as const;
/** One of the contract kinds (see `CONTRACT_KINDS`). */
export type ContractKind = (typeof CONTRACT_KINDS)[number];

/**
 * The only accepted shape of participant and contract ids: 32 to 64 lowercase hexadecimal characters, e.g. a salted
 * SHA-256 of the declarer's own file number (RGPD: pseudonymous data; never a name, an e-mail, a social security or
 * France Travail number). The salt stays with the declarer, so the id cannot be traced back here; the same person must
 * get the same id in every declaration (one salt per programme) to be counted once.
 */
export const PSEUDONYMOUS_ID = /^[0-9a-f]{32,64}$/;

/** Most participants, and most contracts, in one declaration. */
export const MAX_PARTICIPANTS = 2000;

/** A person who worked insertion hours: pseudonymous id, every public they belong to, hired at the end or not. */
export interface Participant {
  participantId: string;
  /** Non-empty, no duplicates, in `PERSON_PUBLICS` order. */
  publics: PersonPublic[];
  /** Hired at the end of the clause (« personne recrutée »). */
  recruited: boolean;
}

/** An insertion contract: pseudonymous id, held by one participant, its kind and start date (ISO `YYYY-MM-DD`). */
export interface InsertionContract {
  contractId: string;
  participantId: string;
  kind: ContractKind;
  startDate: string;
}

/**
 * The v1 public a person is counted under in the exclusive v1 counts: the first of DELD, RSA, JEUNE_MOINS_26, RQTH
 * they belong to, else `autres` (ADR 0024: a v2 declaration still feeds the v1 columns, one main public per person).
 */
export function mainPublicOf(publics: readonly PersonPublic[]): Public {
  if (publics.includes('DELD')) return 'deld';
  if (publics.includes('RSA')) return 'rsa';
  if (publics.includes('JEUNE_MOINS_26')) return 'jeunes';
  if (publics.includes('RQTH')) return 'rqth';
  return 'autres';
}

/** The v1 public's non-exclusive counterpart (`deld` → `DELD`, `jeunes` → `JEUNE_MOINS_26`, `autres` → `AUTRE`…). */
export const PERSON_PUBLIC_OF: Record<Public, PersonPublic> = { deld: 'DELD', rsa: 'RSA', jeunes: 'JEUNE_MOINS_26', rqth: 'RQTH', autres: 'AUTRE' };

/** The v1 figures of a v2 declaration: hours, and persons and recruitments per main public (`mainPublicOf`). */
export function legacyFiguresOf(hours: number, participants: readonly Participant[]): InsertionFigures {
  const zero = (): ByPublic => ({ deld: 0, rsa: 0, jeunes: 0, rqth: 0, autres: 0 });
  const f: InsertionFigures = { hours, participants: zero(), recruitments: zero() };
  for (const p of participants) {
    const main = mainPublicOf(p.publics);
    f.participants[main] += 1;
    if (p.recruited) f.recruitments[main] += 1;
  }
  return f;
}

/**
 * Parses the `participants` and `contracts` arrays of a v2 declaration or correction; violations are collected on `c`
 * (named `participants[i].publics`, `contracts[i].participantId`…), thrown by its `done()`. Checked here: the id
 * shape (`PSEUDONYMOUS_ID`), publics (at least one, known, no duplicate; returned in `PERSON_PUBLICS` order), kinds,
 * dates, unique participant and contract ids, every contract held by a listed participant, every participant
 * holding at least one contract.
 */
export function checkPersons(c: Check): { participants: Participant[]; contracts: InsertionContract[] } {
  const participants = c.array('participants', 0, MAX_PARTICIPANTS).map((p, i) => {
    p.only('participantId', 'publics', 'recruited');
    const participantId = p.string('participantId', 64, PSEUDONYMOUS_ID);
    const raw = p.stringArray('publics', 1, 40);
    const unknown = raw.filter((x) => !(PERSON_PUBLICS as readonly string[]).includes(x));
    const fieldCheck = unknown.length || new Set(raw).size !== raw.length;
    if (fieldCheck) c.violations.push({ field: `participants[${i}].publics`, rule: 'isIn', message: `must be distinct values among ${PERSON_PUBLICS.join(', ')}` });
    return { participantId, publics: PERSON_PUBLICS.filter((x) => raw.includes(x)), recruited: p.boolean('recruited') };
  });
  const contracts = c.array('contracts', 0, MAX_PARTICIPANTS).map((k) => {
    k.only('contractId', 'participantId', 'kind', 'startDate');
    return {
      contractId: k.string('contractId', 64, PSEUDONYMOUS_ID),
      participantId: k.string('participantId', 64, PSEUDONYMOUS_ID),
      kind: k.oneOf('kind', CONTRACT_KINDS),
      startDate: k.date('startDate'),
    };
  });
  const seen = new Set<string>();
  participants.forEach((p, i) => {
    if (seen.has(p.participantId)) c.violations.push({ field: `participants[${i}].participantId`, rule: 'unique', message: 'is listed twice' });
    seen.add(p.participantId);
  });
  const seenContracts = new Set<string>();
  const holders = new Set<string>();
  contracts.forEach((k, i) => {
    if (seenContracts.has(k.contractId)) c.violations.push({ field: `contracts[${i}].contractId`, rule: 'unique', message: 'is listed twice' });
    seenContracts.add(k.contractId);
    if (typeof k.participantId === 'string' && PSEUDONYMOUS_ID.test(k.participantId) && !seen.has(k.participantId)) {
      c.violations.push({ field: `contracts[${i}].participantId`, rule: 'isListedParticipant', message: 'must be the participantId of one of the participants' });
    }
    holders.add(k.participantId);
  });
  participants.forEach((p, i) => {
    if (typeof p.participantId === 'string' && PSEUDONYMOUS_ID.test(p.participantId) && !holders.has(p.participantId)) {
      c.violations.push({ field: `participants[${i}]`, rule: 'hasContract', message: 'must hold at least one of the contracts' });
    }
  });
  return { participants, contracts };
}
