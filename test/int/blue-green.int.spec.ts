import { CommandExecutor } from '@erbm/application';
import { PostgresEventStore } from '@erbm/event-store';
import { MIGRATIONS } from '@erbm/migrations';
import { fixedClock } from '@erbm/shared';
import { cmd, energy, freshDatabase, logReadable, seedReference } from '@erbm/test-support';
import { type DataSource } from 'typeorm';
import { type Projection, ProjectionRunner, bilanProjection, currentReadModelSchema, dropReadModelSchema, identityProjection, openDatabase, projectionStatus, readModelsCaughtUp } from '@erbm/projections';
import { buildBilan } from '@erbm/reporting';

/**
 * Blue/green rebuild (docs/operations.md): the read models of `public` (blue) serve while a second schema (green)
 * is built from the start of the same log; both give the same bilan, the event store and the shared tables stay in
 * `public` only, and building green leaves blue untouched.
 */
describe('blue/green read-model schemas', () => {
  const PROJECTIONS = [bilanProjection, identityProjection];
  let url: string;
  let blue: DataSource;
  let green: DataSource | undefined;
  let store: PostgresEventStore;
  let ex: CommandExecutor;
  const sia = 'bailleur:SIA_HABITAT';
  const mc = 'bailleur:MAISONS_ET_CITES';

  const project = async (db: DataSource, projections: Projection[] = PROJECTIONS) => {
    let n = 0;
    for (const p of projections) {
      const r = new ProjectionRunner(db, store, p, 7);
      await r.prepare();
      n += await r.catchUp();
    }
    return n;
  };
  /** Waits (bounded) until every stored event is visible: readers only see transactions older than the cluster's xmin. */
  const settle = () => logReadable(blue, 60_000);
  const bilan = (db: DataSource) => buildBilan(db, { asOf: '2022-12-31', knownAt: '2026-06-01T00:00:00.000Z' });
  const snapshot = async (db: DataSource) => ({
    checkpoints: await db.query('SELECT name, version, checkpoint, events, updated_at FROM rm_projection_checkpoint ORDER BY name'),
    deliveries: await db.query('SELECT count(*)::int AS n FROM rm_delivery_ledger'),
    grants: await db.query('SELECT count(*)::int AS n FROM rm_grant_ledger'),
    clients: await db.query('SELECT client_id FROM auth_client ORDER BY client_id'),
  });
  const schemasOf = async (db: DataSource, table: string): Promise<string[]> =>
    (await db.query<{ s: string }[]>('SELECT table_schema AS s FROM information_schema.tables WHERE table_name = $1 ORDER BY 1', [table])).map((r) => r.s);

  beforeAll(async () => {
    url = await freshDatabase('erbm_test_blue_green');
    blue = await openDatabase(url);
    store = new PostgresEventStore({ connection: url });
    ex = new CommandExecutor(store, fixedClock('2026-01-01T00:00:00.000Z'));
    await seedReference(ex);
    const run = (type: string, data: Record<string, unknown>, org: string, knownAt: string) => ex.execute(cmd(type, data, org, { knownAt }));
    await run('operation.RecordLogementsDelivery', { operationId: 'op-parc', deliveryId: 'p1', deliveredOn: '2020-06-30', logements: 60, energyBefore: energy(400, 'F'), energyAfter: energy(100, 'B') }, sia, '2020-07-31T00:00:00Z');
    await run('operation.RecordLogementsDelivery', { operationId: 'op-parc', deliveryId: 'p2', deliveredOn: '2021-03-31', logements: 40, energyBefore: energy(300, 'E'), energyAfter: energy(150, 'C') }, sia, '2021-04-30T00:00:00Z');
    await run('operation.StartPhase', { operationId: 'op-parc', phase: 'terminee', startedOn: '2021-06-30' }, sia, '2021-07-31T00:00:00Z');
    await run('operation.RecordLogementsDelivery', { operationId: 'op-darcy', deliveryId: 'd1', deliveredOn: '2022-05-15', logements: 30, energyBefore: energy(350, 'F'), energyAfter: energy(120, 'C') }, mc, '2022-06-15T00:00:00Z');
    await run('operation.CorrectLogementsDelivery', { operationId: 'op-darcy', deliveryId: 'd1', deliveredOn: '2022-05-15', logements: 25, energyBefore: energy(350, 'F'), energyAfter: energy(120, 'C'), reason: 'double comptage' }, mc, '2023-02-01T00:00:00Z');
    await run('funding.DecideGrant', { grantId: 'g-etat', financerCode: 'ETAT', operationId: 'op-parc', beneficiary: { kind: 'bailleur', code: 'SIA_HABITAT', name: 'SIA Habitat' }, dispositif: 'aides-a-la-pierre', axisCode: '1a', amountCents: 100_000_000, conventionDate: '2018-05-01', decisionRef: null }, 'financer:ETAT', '2018-05-01T12:00:00Z');
    await run('funding.RecordGrantPayment', { grantId: 'g-etat', paymentId: 'v1', paidOn: '2019-01-15', amountCents: 40_000_000 }, 'financer:ETAT', '2019-02-01T00:00:00Z');
    const people = (deld: number, rsa: number) => ({ deld, rsa, jeunes: 0, rqth: 0, autres: 0 });
    await run('insertion.DeclareInsertionHours', { declarationId: 'i1', operationId: 'op-parc', epciCode: 'CALL', marcheRef: 'M-1', periodStart: '2020-01-01', periodEnd: '2020-06-30', hours: 1200, participants: people(2, 1), recruitments: people(1, 1) }, sia, '2020-07-15T00:00:00Z');
    await ex.execute(cmd('identity.RegisterApiClient', { clientId: 'client-sia', organisation: sia, name: 'SIA Habitat ERP' }));
    await settle();
    await project(blue);
  });

  afterAll(async () => {
    await store.close();
    if (green?.isInitialized) await green.destroy();
    if (blue.isInitialized) await blue.destroy();
  });

  // One walkthrough, in the order an operator follows (docs/operations.md): its steps depend on each other, so they
  // are one test, which a random order (--randomize) cannot split.
  it('rebuilds the read models in a new schema beside the old, checks them, then drops the old one', async () => {
    // 1. Builds green from the start of the log, with the same figures as blue and blue untouched.
    const before = await snapshot(blue);
    expect(before.deliveries[0].n).toBeGreaterThan(0);
    expect(before.clients).toEqual([{ client_id: 'client-sia' }]);

    green = await openDatabase(url, { schema: 'rm_green' });
    expect(await currentReadModelSchema(green)).toBe('rm_green');
    expect(await currentReadModelSchema(blue)).toBe('public');
    // A fresh schema: its own migrations table, no projection yet.
    expect(await projectionStatus(green, store)).toEqual([]);
    const [{ n: total }] = await blue.query<{ n: number }[]>('SELECT count(*)::int AS n FROM es_events');
    expect(await project(green, [bilanProjection])).toBe(total);
    await project(green);

    expect(await bilan(green)).toEqual(await bilan(blue));
    expect((await bilan(green)).logements.delivered).toBe(125);
    expect(await snapshot(green)).toMatchObject({ deliveries: before.deliveries, grants: before.grants, clients: before.clients });
    expect(await snapshot(blue)).toEqual(before);
    const status = await projectionStatus(green, store);
    expect(status.map((s) => [s.name, s.caughtUp, s.events])).toEqual([
      ['bilan', true, total],
      ['identity', true, total],
    ]);

    // 2. Keeps the event store and the non-derivable tables in public only.
    expect(await schemasOf(blue, 'es_events')).toEqual(['public']);
    for (const shared of ['imports', 'import_rows', 'auth_api_key_usage']) expect(await schemasOf(blue, shared)).toEqual(['public']);
    for (const own of ['rm_projection_checkpoint', 'rm_delivery_ledger', 'auth_client', 'auth_api_key', 'typeorm_migrations']) {
      expect(await schemasOf(blue, own)).toEqual(['public', 'rm_green']);
    }
    // Unqualified names of the shared tables resolve to public from green's search_path.
    await green!.query(`INSERT INTO auth_api_key_usage (key_id, last_used_at) VALUES ('k1', now())`);
    expect(await blue.query('SELECT key_id FROM public.auth_api_key_usage')).toEqual([{ key_id: 'k1' }]);
    // Reopening green runs no migration again.
    const again = await openDatabase(url, { schema: 'rm_green' });
    try {
      expect(await again.query('SELECT count(*)::int AS n FROM rm_green.typeorm_migrations')).toEqual([{ n: MIGRATIONS.length }]);
    } finally {
      await again.destroy();
    }

    // 3. Tells when a schema is behind the head of the log.
    await ex.execute(cmd('operation.RecordLogementsDelivery', { operationId: 'op-darcy', deliveryId: 'd2', deliveredOn: '2022-09-01', logements: 5, energyBefore: energy(350, 'F'), energyAfter: energy(120, 'C') }, mc, { knownAt: '2022-09-15T00:00:00Z' }));
    await settle();
    expect(await readModelsCaughtUp(green!, store, ['bilan'])).toBe(false);
    await project(green!);
    expect(await readModelsCaughtUp(green!, store, ['bilan', 'identity'])).toBe(true);
    expect(await readModelsCaughtUp(blue, store, ['bilan'])).toBe(false);
    expect((await bilan(green!)).logements.delivered).toBe(130);
    expect((await bilan(blue)).logements.delivered).toBe(125);

    // 4. Drops the old schema, never the connection’s own nor the event store, and public can be rebuilt.
    await expect(dropReadModelSchema(green!, 'rm_green')).rejects.toThrow('Refusing');
    const dropped = await dropReadModelSchema(green!, 'public');
    expect(dropped).toEqual(expect.arrayContaining(['rm_projection_checkpoint', 'rm_delivery_ledger', 'auth_client', 'auth_api_key']));
    expect(dropped).not.toContain('es_events');
    expect(await schemasOf(green!, 'es_events')).toEqual(['public']);
    expect(await schemasOf(green!, 'imports')).toEqual(['public']);
    expect(await schemasOf(green!, 'rm_delivery_ledger')).toEqual(['rm_green']);
    expect((await bilan(green!)).logements.delivered).toBe(130);

    // Back to public (blue) as the new target: migrations recreate its read models, the shared tables are kept.
    await blue.destroy();
    blue = await openDatabase(url);
    expect(await blue.query('SELECT key_id FROM auth_api_key_usage')).toEqual([{ key_id: 'k1' }]);
    await project(blue);
    expect(await bilan(blue)).toEqual(await bilan(green!));
    expect(await dropReadModelSchema(blue, 'rm_green')).toEqual(['rm_green']);
    expect(await schemasOf(blue, 'rm_delivery_ledger')).toEqual(['public']);
    expect(await dropReadModelSchema(blue, 'rm_green')).toEqual([]);
  });
});
