import { PostgresEventStore } from '@erbm/event-store';
import { fixedClock } from '@erbm/shared';
import { cmd, energy, freshDatabase, seedReference } from '@erbm/test-support';
import { type CommandObservation, CommandExecutor } from './command-executor';

describe('CommandExecutor on PostgreSQL', () => {
  let store: PostgresEventStore;
  let ex: CommandExecutor;
  const count = async () => Number((await store.pool.query('SELECT count(*) AS n FROM es_events')).rows[0].n);
  const delivery = (deliveryId: string, logements: number) => ({ operationId: 'op-parc', deliveryId, deliveredOn: '2020-01-15', logements, energyBefore: energy(380, 'F'), energyAfter: energy(110, 'B') });

  beforeAll(async () => {
    store = new PostgresEventStore({ connection: await freshDatabase('erbm_test_executor') });
    await store.ensureSchema();
    ex = new CommandExecutor(store, fixedClock('2026-01-01T00:00:00.000Z'));
    await seedReference(ex);
  });
  afterAll(() => store.close());

  it('applies a command once: a retry with the same command id returns the first result and appends nothing', async () => {
    const c = cmd('operation.RecordLogementsDelivery', delivery('d-idem', 10), 'bailleur:SIA_HABITAT');
    const first = await ex.execute(c);
    const before = await count();
    const retry = await ex.execute(c);
    expect(retry).toEqual({ ...first, duplicate: true });
    expect(await count()).toBe(before);
  });

  it('refuses a command id reused for other data or on another stream (409), appending nothing', async () => {
    const original = cmd('operation.RecordLogementsDelivery', delivery('d-reuse', 2), 'bailleur:SIA_HABITAT');
    await ex.execute(original);
    const before = await count();
    await expect(ex.execute({ ...original, data: delivery('d-reuse', 3) })).rejects.toMatchObject({ code: 'COMMAND.ID_REUSED', kind: 'conflict' });
    const onOtherStream = { ...cmd('programme.RegisterBailleur', { bailleurCode: 'PAS_DE_CALAIS_HABITAT', name: 'Pas-de-Calais Habitat' }), commandId: original.commandId };
    await expect(ex.execute(onOtherStream)).rejects.toMatchObject({ code: 'COMMAND.ID_REUSED' });
    expect(await count()).toBe(before);
  });

  it('tells its observer the outcome of every command, with the error code of a refusal and no caller text as type', async () => {
    const seen: CommandObservation[] = [];
    const observed = new CommandExecutor(store, fixedClock('2026-01-01T00:00:00.000Z'), undefined, (o) => seen.push(o));
    const c = cmd('operation.RecordLogementsDelivery', delivery('d-observed', 1), 'bailleur:SIA_HABITAT');
    await observed.execute(c);
    await observed.execute(c);
    await expect(observed.execute({ ...c, commandId: 'c-observed-2', data: { ...delivery('d-observed-2', 1), logements: -1 } })).rejects.toMatchObject({ code: 'COMMAND.INVALID' });
    await expect(observed.execute({ ...c, commandId: 'c-observed-3', type: 'funding.Anything<script>' })).rejects.toMatchObject({ code: 'COMMAND.INVALID' });
    expect(seen.map(({ seconds: _s, ...o }) => o)).toEqual([
      { type: 'operation.RecordLogementsDelivery', outcome: 'accepted', code: null },
      { type: 'operation.RecordLogementsDelivery', outcome: 'duplicate', code: null },
      { type: 'operation.RecordLogementsDelivery', outcome: 'rejected', code: 'COMMAND.INVALID' },
      { type: 'unknown', outcome: 'rejected', code: 'COMMAND.INVALID' },
    ]);
    for (const o of seen) expect(o.seconds).toBeGreaterThanOrEqual(0);
  });

  it('answers 404, not 403, to an organisation writing to something that does not exist', async () => {
    await expect(ex.execute(cmd('operation.RecordLogementsDelivery', { ...delivery('d-ghost', 1), operationId: 'op-ghost' }, 'bailleur:SIA_HABITAT'))).rejects.toMatchObject({
      code: 'OPERATION.NOT_FOUND',
    });
    await expect(ex.execute(cmd('funding.RecordGrantPayment', { grantId: 'g-ghost', paymentId: 'p', paidOn: '2020-01-01', amountCents: 1 }, 'financer:ETAT'))).rejects.toMatchObject({
      code: 'GRANT.NOT_FOUND',
    });
  });

  it('treats the same command id sent by another organisation as another command (409)', async () => {
    const original = cmd('operation.RecordLogementsDelivery', delivery('d-org', 1), 'bailleur:SIA_HABITAT');
    await ex.execute(original);
    await expect(ex.execute({ ...original, actor: { ...original.actor, organisation: 'bailleur:MAISONS_ET_CITES' } })).rejects.toMatchObject({ code: 'COMMAND.ID_REUSED' });
  });

  it('re-decides on fresh state when a concurrent writer wins, so both deliveries land', async () => {
    const results = await Promise.all([
      ex.execute(cmd('operation.RecordLogementsDelivery', delivery('d-c1', 5), 'bailleur:SIA_HABITAT')),
      ex.execute(cmd('operation.RecordLogementsDelivery', delivery('d-c2', 5), 'bailleur:SIA_HABITAT')),
    ]);
    expect(results.map((r) => r.duplicate)).toEqual([false, false]);
    const { events } = await store.readStream('operation-op-parc');
    expect(events.filter((e) => e.type === 'operation.LogementsDelivered.v1').map((e) => e.data.deliveryId)).toEqual(expect.arrayContaining(['d-c1', 'd-c2']));
  });

  it('refuses a stale expected version (If-Match) with 412 semantics, appending nothing', async () => {
    const { version } = await store.readStream('operation-op-parc');
    await ex.execute(cmd('operation.RecordLogementsDelivery', delivery('d-v1', 1), 'bailleur:SIA_HABITAT', { expectedVersion: version }));
    const before = await count();
    await expect(ex.execute(cmd('operation.RecordLogementsDelivery', delivery('d-v2', 1), 'bailleur:SIA_HABITAT', { expectedVersion: version }))).rejects.toMatchObject({
      code: 'COMMAND.STALE_VERSION',
      kind: 'concurrency',
    });
    expect(await count()).toBe(before);
  });

  it("lets an organisation act only on what it owns, and reference data only to the délégation", async () => {
    const before = await count();
    await expect(ex.execute(cmd('operation.RecordLogementsDelivery', delivery('d-x', 1), 'bailleur:MAISONS_ET_CITES'))).rejects.toMatchObject({ code: 'AUTH.NOT_OWNER' });
    await expect(ex.execute(cmd('programme.RegisterBailleur', { bailleurCode: 'PIRATE', name: 'x' }, 'bailleur:SIA_HABITAT'))).rejects.toMatchObject({ code: 'AUTH.NOT_OWNER' });
    expect(await count()).toBe(before);
  });

  it('records the backfilled knowledge time only for imports, and the clock otherwise', async () => {
    await ex.execute(cmd('operation.RecordLogementsDelivery', delivery('d-k1', 1), 'bailleur:SIA_HABITAT', { knownAt: '2020-02-01T00:00:00Z' }));
    await ex.execute({ ...cmd('operation.RecordLogementsDelivery', delivery('d-k2', 1), 'bailleur:SIA_HABITAT'), knownAt: '2020-02-01T00:00:00Z' });
    const { events } = await store.readStream('operation-op-parc');
    const at = (id: string) => events.find((e) => e.data.deliveryId === id)?.recordedAt;
    expect(at('d-k1')).toBe('2020-02-01T00:00:00.000Z');
    expect(at('d-k2')).toBe('2026-01-01T00:00:00.000Z');
  });

  it('rejects an unknown command type and bad data with field violations, appending nothing', async () => {
    const before = await count();
    await expect(ex.execute(cmd('operation.Teleport', {}))).rejects.toMatchObject({ code: 'COMMAND.INVALID', violations: [{ field: 'type' }] });
    await expect(ex.execute(cmd('operation.RecordLogementsDelivery', { ...delivery('d-bad', -1), deliveredOn: '2020-13-01' }, 'bailleur:SIA_HABITAT'))).rejects.toMatchObject({
      code: 'COMMAND.INVALID',
    });
    expect(await count()).toBe(before);
  });
});
