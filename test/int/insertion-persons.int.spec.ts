import { CommandExecutor } from '@erbm/application';
import { PostgresEventStore } from '@erbm/event-store';
import { fixedClock } from '@erbm/shared';
import { cmd, freshDatabase, logReadable, seedReference } from '@erbm/test-support';
import { type DataSource } from 'typeorm';
import { ProjectionRunner, bilanProjection, openDatabase } from '@erbm/projections';
import { type AsOf, buildBilan, insertionContracts, insertionPersons } from '@erbm/reporting';

/** Persons and contracts of insertion (ADR 0024) projected from v1 and v2 declarations, counted as distinct persons. */
describe('insertion persons and contracts on PostgreSQL', () => {
  let db: DataSource;
  let store: PostgresEventStore;
  const sia = 'bailleur:SIA_HABITAT';
  const mc = 'bailleur:MAISONS_ET_CITES';
  const P1 = '0123456789abcdef0123456789abcdef';
  const P2 = 'fedcba9876543210fedcba9876543210';
  const P3 = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
  const K = (n: number) => String(n).repeat(32);
  const now: AsOf = { asOf: '2022-12-31' };
  const byKey = <T extends { keys: Record<string, string | undefined> }>(rows: T[], dim: string, pick: (r: T) => number) =>
    Object.fromEntries(rows.map((r) => [r.keys[dim], pick(r)]));

  beforeAll(async () => {
    const url = await freshDatabase('erbm_test_insertion_persons');
    db = await openDatabase(url);
    store = new PostgresEventStore({ connection: url });
    const ex = new CommandExecutor(store, fixedClock('2026-01-01T00:00:00.000Z'));
    await seedReference(ex);
    const run = async (type: string, data: Record<string, unknown>, org: string, knownAt: string, estimated = false) => {
      const r = await ex.execute(cmd(type, data, org, { knownAt, estimated }));
      expect(r).toMatchObject({ duplicate: false });
    };
    const people = (deld: number, rsa: number) => ({ deld, rsa, jeunes: 0, rqth: 0, autres: 0 });
    // v1 (estimated): 3 persons counted per public on Parc in 2020, corrected to 2 (1 DELD, 1 RSA, both recruited).
    await run('insertion.DeclareInsertionHours', { declarationId: 'i1', operationId: 'op-parc', epciCode: 'CALL', marcheRef: 'M-1', periodStart: '2020-01-01', periodEnd: '2020-06-30', hours: 1200, participants: people(2, 1), recruitments: people(1, 1) }, sia, '2020-07-15T00:00:00Z', true);
    await run('insertion.CorrectInsertionDeclaration', { declarationId: 'i1', hours: 1100, participants: people(1, 1), recruitments: people(1, 1), reason: 'doublon' }, sia, '2022-03-01T00:00:00Z', true);
    // v2 on Parc (CALL), first half of 2021: P1 (RSA, jeune, recruited) on a CDDI, P2 (DELD, senior) on an intérim mission.
    await run('insertion.DeclareInsertionContracts', {
      declarationId: 'a1', operationId: 'op-parc', epciCode: 'CALL', marcheRef: 'M-1', periodStart: '2021-01-01', periodEnd: '2021-06-30', hours: 900,
      participants: [{ participantId: P1, publics: ['RSA', 'JEUNE_MOINS_26'], recruited: true }, { participantId: P2, publics: ['DELD', 'SENIOR_PLUS_50'], recruited: false }],
      contracts: [{ contractId: K(1), participantId: P1, kind: 'CDDI', startDate: '2021-01-04' }, { contractId: K(2), participantId: P2, kind: 'INTERIM', startDate: '2021-02-01' }],
    }, sia, '2021-07-10T00:00:00Z');
    // v2 on Darcy (CAHC), second half of 2021: P1 again (same person, other operation and EPCI), P3 (RQTH).
    await run('insertion.DeclareInsertionContracts', {
      declarationId: 'a2', operationId: 'op-darcy', epciCode: 'CAHC', marcheRef: 'M-2', periodStart: '2021-07-01', periodEnd: '2021-12-31', hours: 700,
      participants: [{ participantId: P1, publics: ['RSA'], recruited: false }, { participantId: P3, publics: ['RQTH'], recruited: false }],
      contracts: [{ contractId: K(3), participantId: P1, kind: 'CDD', startDate: '2021-07-01' }, { contractId: K(4), participantId: P3, kind: 'APPRENTISSAGE', startDate: '2021-09-01' }],
    }, mc, '2022-01-15T00:00:00Z');
    // Known on 1 Feb 2023: P3 was never on that contract.
    await run('insertion.CorrectInsertionContracts', {
      declarationId: 'a2', hours: 500, participants: [{ participantId: P1, publics: ['RSA'], recruited: false }],
      contracts: [{ contractId: K(3), participantId: P1, kind: 'CDD', startDate: '2021-07-01' }], reason: 'P3 hors clause',
    }, mc, '2023-02-01T00:00:00Z');
    // 2023 (outside the end-2022 figures): a v1 declaration of 2 DELD on Darcy, then given persons by a v2 correction.
    await run('insertion.DeclareInsertionHours', { declarationId: 'i3', operationId: 'op-darcy', epciCode: 'CAHC', marcheRef: 'M-3', periodStart: '2023-01-01', periodEnd: '2023-06-30', hours: 400, participants: people(2, 0), recruitments: people(0, 0) }, mc, '2023-07-10T00:00:00Z', true);
    await run('insertion.CorrectInsertionContracts', {
      declarationId: 'i3', hours: 400, participants: [{ participantId: P2, publics: ['DELD'], recruited: true }],
      contracts: [{ contractId: K(5), participantId: P2, kind: 'PROFESSIONNALISATION', startDate: '2023-01-02' }], reason: 'liste nominative pseudonymisée',
    }, mc, '2023-09-01T00:00:00Z');
    const runner = new ProjectionRunner(db, store, bilanProjection, 5);
    await runner.prepare();
    await logReadable(db);
    await runner.catchUp();
  });

  afterAll(async () => {
    await store.close();
    await db.destroy();
  });

  it('counts a person declared in two declarations, operations and EPCI once', async () => {
    const [all] = await insertionPersons(db, now, []);
    // 2 anonymous persons of the corrected v1 counts + P1 + P2 (P3 withdrawn).
    expect(all).toEqual({ keys: {}, persons: 4, recruited: 3, withoutId: 2, estimated: { persons: 2, recruited: 2 } });
    // By EPCI P1 counts in both: the groups add up to more than the total.
    expect(byKey(await insertionPersons(db, now, ['epci']), 'epci', (r) => r.persons)).toEqual({ CAHC: 1, CALL: 4 });
    expect(byKey(await insertionPersons(db, now, ['operation']), 'operation', (r) => r.persons)).toEqual({ 'op-darcy': 1, 'op-parc': 4 });
  });

  it('counts a person in every public they belong to (non-exclusive publics)', async () =>
    expect(byKey(await insertionPersons(db, now, ['public']), 'public', (r) => r.persons)).toEqual({ DELD: 2, RSA: 2, JEUNE_MOINS_26: 1, SENIOR_PLUS_50: 1 }));

  it('counts contracts once, by kind, EPCI and public of their holder', async () => {
    expect((await insertionContracts(db, now, []))[0]).toEqual({ keys: {}, contracts: 3, persons: 2, estimated: { contracts: 0, persons: 0 } });
    expect(byKey(await insertionContracts(db, now, ['contractKind']), 'contractKind', (r) => r.contracts)).toEqual({ CDD: 1, CDDI: 1, INTERIM: 1 });
    expect(byKey(await insertionContracts(db, now, ['epci']), 'epci', (r) => r.contracts)).toEqual({ CAHC: 1, CALL: 2 });
    expect(byKey(await insertionContracts(db, now, ['public']), 'public', (r) => r.contracts)).toEqual({ DELD: 1, JEUNE_MOINS_26: 1, RSA: 2, SENIOR_PLUS_50: 1 });
  });

  it('answers as of an earlier date and as known at an earlier time', async () => {
    // Mid-2021: the v1 persons (corrected) and a1 only.
    expect((await insertionPersons(db, { asOf: '2021-06-30' }, []))[0]?.persons).toBe(4);
    expect((await insertionContracts(db, { asOf: '2021-06-30' }, []))[0]?.contracts).toBe(2);
    // What was known on 16 Jan 2023: P3 and K4 still there.
    const copil = { asOf: '2022-12-31', knownAt: '2023-01-16T00:00:00Z' };
    expect((await insertionPersons(db, copil, []))[0]?.persons).toBe(5);
    expect((await insertionContracts(db, copil, ['contractKind'])).map((r) => r.keys.contractKind)).toEqual(['APPRENTISSAGE', 'CDD', 'CDDI', 'INTERIM']);
    // Before the v1 correction was known (1 Mar 2022): 3 anonymous persons.
    expect((await insertionPersons(db, { asOf: '2020-12-31', knownAt: '2022-02-01T00:00:00Z' }, []))[0]?.withoutId).toBe(3);
  });

  it('gives a v1 declaration corrected with persons its persons and contracts instead of its anonymous counts', async () => {
    const end2023 = { asOf: '2023-12-31' };
    // Before the correction was known: i3's 2 anonymous DELD (estimated) beside the end-2022 persons.
    expect((await insertionPersons(db, { ...end2023, knownAt: '2023-08-01T00:00:00Z' }, ['epci'])).find((r) => r.keys.epci === 'CAHC')).toMatchObject({ persons: 3, withoutId: 2, estimated: { persons: 2 } });
    // After: P2 (already counted on Parc) is the only person of i3, declared; P1 and P2 in CAHC.
    expect((await insertionPersons(db, end2023, []))[0]).toMatchObject({ persons: 4, withoutId: 2, recruited: 4 });
    expect((await insertionPersons(db, end2023, ['epci'])).find((r) => r.keys.epci === 'CAHC')).toMatchObject({ persons: 2, withoutId: 0, estimated: { persons: 0 } });
    expect((await insertionContracts(db, end2023, []))[0]?.contracts).toBe(4);
  });

  it('gives in the bilan (one scan per ledger) the figures of the single queries, overlapping publics included', async () => {
    for (const at of [now, { asOf: '2023-12-31' }, { asOf: '2022-12-31', knownAt: '2023-01-16T00:00:00Z' }]) {
      const ins = (await buildBilan(db, at)).insertion;
      const one = async (groupBy: Parameters<typeof insertionPersons>[2], kind?: 'logements') => insertionPersons(db, at, groupBy, kind ? { operationKind: kind } : {});
      expect(ins.persons).toEqual((await one([]))[0]);
      expect(ins.logementsPersons).toEqual((await one([], 'logements'))[0]);
      expect(new Set(ins.personsByPublic)).toEqual(new Set(await one(['public'])));
      expect(ins.personsByEpci).toEqual(await one(['epci']));
      expect(ins.personsByOperationKind).toEqual(await one(['operationKind']));
      expect(ins.contracts).toEqual((await insertionContracts(db, at, []))[0]);
      expect(new Set(ins.contractsByKind)).toEqual(new Set(await insertionContracts(db, at, ['contractKind'])));
      expect(ins.contractsByEpci).toEqual(await insertionContracts(db, at, ['epci']));
      expect(new Set(ins.contractsByPublic)).toEqual(new Set(await insertionContracts(db, at, ['public'])));
    }
  });

  it('honours scopes: a bailleur sees the persons of its own operations only', async () => {
    expect((await insertionPersons(db, now, [], {}, { kind: 'bailleur', code: 'MAISONS_ET_CITES' }))[0]?.persons).toBe(1);
    expect((await insertionPersons(db, now, [], {}, { kind: 'epci', code: 'CALL' }))[0]?.persons).toBe(4);
  });

  it('keeps the v1 figures reading v2 declarations (persons under their main public)', async () => {
    const b = await buildBilan(db, now);
    expect(b.insertion.programmeHours).toBe(1100 + 900 + 500);
    // v1 counts: i1 corrected (1 DELD, 1 RSA), a1 (P1 under RSA, P2 under DELD), a2 corrected (P1 under RSA).
    expect(b.insertion.programme?.participants).toMatchObject({ deld: 2, rsa: 3, total: 5 });
    expect(b.insertion.persons).toMatchObject({ persons: 4, recruited: 3, withoutId: 2 });
    expect(b.insertion.contracts).toMatchObject({ contracts: 3 });
  });
});
