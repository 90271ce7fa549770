import { PostgresEventStore, eventIdFor, eventIdV1 } from '@erbm/event-store';
import { type DomainError, fixedClock } from '@erbm/shared';
import { cmd, energy, freshDatabase, seedReference } from '@erbm/test-support';
import { operationAggregate } from '@erbm/operations';
import { type CommandEnvelope, type CommandObservation, type CommandResult, CommandExecutor } from './command-executor';

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

  it('refuses a command id reused by the same organisation for other data or on another stream (409), appending nothing', async () => {
    const original = cmd('operation.RecordLogementsDelivery', delivery('d-reuse', 2), 'bailleur:SIA_HABITAT');
    await ex.execute(original);
    const before = await count();
    await expect(ex.execute({ ...original, data: delivery('d-reuse', 3) })).rejects.toMatchObject({ code: 'COMMAND.ID_REUSED', kind: 'conflict' });
    const onOtherStream = { ...cmd('operation.StartPhase', { operationId: 'op-parc', phase: 'livraisons', startedOn: '2020-02-01' }, 'bailleur:SIA_HABITAT'), commandId: original.commandId };
    const delegationOnOtherStream = { ...cmd('programme.RegisterBailleur', { bailleurCode: 'PAS_DE_CALAIS_HABITAT', name: 'Pas-de-Calais Habitat' }), commandId: 'c-reuse-delegation' };
    await ex.execute(delegationOnOtherStream);
    await expect(ex.execute({ ...delegationOnOtherStream, data: { bailleurCode: 'NORD_HABITAT', name: 'Nord Habitat' } })).rejects.toMatchObject({ code: 'COMMAND.ID_REUSED' });
    await expect(ex.execute(onOtherStream)).rejects.toMatchObject({ code: 'COMMAND.ID_REUSED' });
    expect(await count()).toBe(before + 1);
  });

  it('tells its observer the outcome of every command, with the error code of a refusal and no caller text as type', async () => {
    const seen: CommandObservation[] = [];
    const observed = new CommandExecutor(store, fixedClock('2026-01-01T00:00:00.000Z'), { observer: (o) => seen.push(o) });
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

  it('scopes command ids to the organisation: the same key from two organisations is two commands (ADR 0018)', async () => {
    const key = 'shared-key-2021-01';
    const sia = await ex.execute({ ...cmd('operation.RecordLogementsDelivery', delivery('d-org-sia', 1), 'bailleur:SIA_HABITAT'), commandId: key });
    const mc = await ex.execute({ ...cmd('operation.RecordLogementsDelivery', { ...delivery('d-org-mc', 1), operationId: 'op-darcy', deliveredOn: '2021-01-20' }, 'bailleur:MAISONS_ET_CITES'), commandId: key });
    expect([sia.duplicate, mc.duplicate]).toEqual([false, false]);
    expect(sia.events[0].eventId).toBe(eventIdFor('bailleur:SIA_HABITAT', key, 0));
    expect(mc.events[0].eventId).toBe(eventIdFor('bailleur:MAISONS_ET_CITES', key, 0));
    // Each organisation's retry is its own replay.
    expect(await ex.execute({ ...cmd('operation.RecordLogementsDelivery', delivery('d-org-sia', 1), 'bailleur:SIA_HABITAT'), commandId: key })).toEqual({ ...sia, duplicate: true });
  });

  it('replays a command recorded with the v1 event-id derivation (before ADR 0018) as a duplicate, appending nothing', async () => {
    // Recorded as the executor did before ADR 0018: the same event and metadata (hash of organisation, type and
    // data), but its id derived from the command id alone. The event is the one this executor decides for the same
    // data under another key, so the stored shape is exactly what a v1 executor wrote.
    const legacy = cmd('operation.RecordLogementsDelivery', delivery('d-legacy', 1), 'bailleur:SIA_HABITAT');
    const { version } = await ex.execute({ ...legacy, commandId: 'probe-legacy-shape' });
    const probe = (await store.readStream('operation-op-parc')).events.find((e) => e.metadata.commandId === 'probe-legacy-shape')!;
    const ids = { commandId: legacy.commandId, correlationId: legacy.commandId, causationId: legacy.commandId };
    await store.appendToStream('operation-op-parc', [{ eventId: eventIdV1(legacy.commandId, 0), type: probe.type, data: probe.data, recordedAt: probe.recordedAt, metadata: { ...probe.metadata, ...ids } }], {
      expectedVersion: { exact: version },
    });
    const before = await count();
    const replay = await ex.execute(legacy);
    expect(replay).toMatchObject({ duplicate: true, events: [{ eventId: eventIdV1(legacy.commandId, 0), type: 'operation.LogementsDelivered.v1' }] });
    expect(await count()).toBe(before);
  });

  it('answers a non-owner that may not read the operation exactly as for an unknown one, and asks the read scope first', async () => {
    const asked: string[] = [];
    const scoped = new CommandExecutor(store, fixedClock('2026-01-01T00:00:00.000Z'), {
      canRead: (organisation, ref) => {
        asked.push(`${organisation} ${ref.kind} ${ref.id}`);
        return Promise.resolve(organisation === 'epci:CALL');
      },
    });
    const refusal = (c: CommandEnvelope): Promise<DomainError> => scoped.execute(c).then(() => { throw new Error('accepted'); }, (e: unknown) => e as DomainError);
    const err = await refusal(cmd('operation.RecordLogementsDelivery', delivery('d-scope', 1), 'bailleur:MAISONS_ET_CITES'));
    const unknown = await refusal(cmd('operation.RecordLogementsDelivery', { ...delivery('d-scope', 1), operationId: 'op-ghost' }, 'bailleur:MAISONS_ET_CITES'));
    expect({ code: err.code, kind: err.kind, violations: err.violations }).toEqual({ code: unknown.code, kind: unknown.kind, violations: JSON.parse(JSON.stringify(unknown.violations).split('op-ghost').join('op-parc')) });
    expect(err.message).toBe(unknown.message.split('op-ghost').join('op-parc'));
    expect(err.code).toBe('OPERATION.NOT_FOUND');
    // Readable but not owned: 403, naming nobody but the caller.
    const readable = await refusal(cmd('operation.RecordLogementsDelivery', delivery('d-scope', 1), 'epci:CALL'));
    expect(readable).toMatchObject({ code: 'AUTH.NOT_OWNER' });
    expect(readable.message).not.toContain('SIA_HABITAT');
    expect(asked).toEqual(['bailleur:MAISONS_ET_CITES operation op-parc', 'epci:CALL operation op-parc']);
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
    await expect(ex.execute(cmd('operation.RecordLogementsDelivery', delivery('d-x', 1), 'bailleur:MAISONS_ET_CITES'))).rejects.toMatchObject({ code: 'OPERATION.NOT_FOUND' });
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

describe('CommandExecutor: snapshots and kept states never change a decision', () => {
  const clock = fixedClock('2026-01-01T00:00:00.000Z');
  const delivery = (deliveryId: string, logements: number, deliveredOn = '2020-01-15') => ({
    operationId: 'op-parc', deliveryId, deliveredOn, logements, energyBefore: energy(380, 'F'), energyAfter: energy(110, 'B'),
  });
  /** Accepted and refused commands mixed (duplicate delivery, over the plan, before works, a correction, a reused id, an amended plan). */
  const script = (): CommandEnvelope[] => {
    const out: CommandEnvelope[] = [];
    for (let i = 0; i < 12; i++) out.push({ ...cmd('operation.RecordLogementsDelivery', delivery(`s-${i}`, 3 + (i % 4)), 'bailleur:SIA_HABITAT'), commandId: `snap-d-${i}` });
    out.push({ ...cmd('operation.RecordLogementsDelivery', delivery('s-3', 1), 'bailleur:SIA_HABITAT'), commandId: 'snap-dup-delivery' });
    out.push({ ...cmd('operation.RecordLogementsDelivery', delivery('s-big', 90), 'bailleur:SIA_HABITAT'), commandId: 'snap-over-plan' });
    out.push({ ...cmd('operation.RecordLogementsDelivery', delivery('s-early', 1, '2018-01-01'), 'bailleur:SIA_HABITAT'), commandId: 'snap-before-works' });
    out.push({ ...cmd('operation.CorrectLogementsDelivery', { ...delivery('s-2', 9), reason: 'recount' }, 'bailleur:SIA_HABITAT'), commandId: 'snap-correct' });
    out.push({ ...cmd('operation.RecordLogementsDelivery', delivery('s-5', 1), 'bailleur:SIA_HABITAT'), commandId: 'snap-d-5' });
    out.push({ ...cmd('operation.AmendPlannedLogements', { operationId: 'op-parc', plannedLogements: 80, amendedOn: '2020-06-01', reason: 'x' }, 'bailleur:SIA_HABITAT'), commandId: 'snap-amend' });
    out.push({ ...cmd('operation.RecordLogementsDelivery', delivery('s-last', 20), 'bailleur:SIA_HABITAT'), commandId: 'snap-after-amend' });
    // A delivery corrected twice (the second correction starts from the first one's figures), an unknown one, a
    // corrected one sent again, and réception before the last delivery as corrected.
    out.push({ ...cmd('operation.CorrectLogementsDelivery', { ...delivery('s-2', 8, '2020-03-01'), reason: 'date' }, 'bailleur:SIA_HABITAT'), commandId: 'snap-correct-again' });
    out.push({ ...cmd('operation.CorrectLogementsDelivery', { ...delivery('s-2', 8, '2020-03-01'), reason: 'same' }, 'bailleur:SIA_HABITAT'), commandId: 'snap-correct-unchanged' });
    out.push({ ...cmd('operation.CorrectLogementsDelivery', { ...delivery('s-none', 1), reason: 'x' }, 'bailleur:SIA_HABITAT'), commandId: 'snap-correct-unknown' });
    out.push({ ...cmd('operation.RecordLogementsDelivery', delivery('s-2', 1), 'bailleur:SIA_HABITAT'), commandId: 'snap-dup-corrected' });
    out.push({ ...cmd('operation.AmendPlannedLogements', { operationId: 'op-parc', plannedLogements: 77, amendedOn: '2020-06-01', reason: 'y' }, 'bailleur:SIA_HABITAT'), commandId: 'snap-amend-2' });
    out.push({ ...cmd('operation.StartPhase', { operationId: 'op-parc', phase: 'terminee', startedOn: '2020-02-01' }, 'bailleur:SIA_HABITAT'), commandId: 'snap-reception-early' });
    out.push({ ...cmd('operation.StartPhase', { operationId: 'op-parc', phase: 'terminee', startedOn: '2020-03-01' }, 'bailleur:SIA_HABITAT'), commandId: 'snap-reception' });
    return out;
  };
  type Outcome = { ok: CommandResult } | { error: string };
  const run = async (ex: CommandExecutor, commands: CommandEnvelope[]): Promise<Outcome[]> => {
    const out: Outcome[] = [];
    for (const c of commands) out.push(await ex.execute(c).then((ok) => ({ ok }), (e: unknown) => ({ error: (e as { code?: string }).code ?? String(e) })));
    return out;
  };
  const stored = async (store: PostgresEventStore) =>
    (await store.readStream('operation-op-parc')).events.map((e) => ({ type: e.type, position: e.streamPosition, data: e.data }));

  let plain: PostgresEventStore;
  let snapshotted: PostgresEventStore;
  // Fresh stores for each test, so that the tests hold in any order (`jest --randomize`); databases of their own
  // (numbered), so that creating the next test's never terminates a connection the previous test's store is still
  // closing (`DROP DATABASE … WITH (FORCE)`).
  let tests = 0;
  beforeEach(async () => {
    tests++;
    plain = new PostgresEventStore({ connection: await freshDatabase(`erbm_test_executor_plain_${tests}`) });
    snapshotted = new PostgresEventStore({ connection: await freshDatabase(`erbm_test_executor_snapshots_${tests}`) });
    for (const store of [plain, snapshotted]) {
      await store.ensureSchema();
      await seedReference(new CommandExecutor(store, clock, { states: { snapshotEvery: 0, cacheSize: 0 } }));
    }
  });
  afterEach(async () => {
    await plain.close();
    await snapshotted.close();
  });

  it('given the same stream, decides every command alike from the whole stream, from snapshots and from kept states', async () => {
    // When: the whole stream folded each time; a snapshot at every append, read back each time; states kept in memory.
    const fromStream = await run(new CommandExecutor(plain, clock, { states: { snapshotEvery: 0, cacheSize: 0 } }), script());
    const fromSnapshots = await run(new CommandExecutor(snapshotted, clock, { states: { snapshotEvery: 1, cacheSize: 0 } }), script());
    // Then: the same results, refusals (with their codes) and stored events.
    expect(fromSnapshots).toEqual(fromStream);
    expect(fromStream.filter((o) => 'error' in o).map((o) => (o as { error: string }).error)).toEqual([
      'OPERATION.DELIVERY_ALREADY_RECORDED',
      'OPERATION.DELIVERY_EXCEEDS_PLANNED',
      'OPERATION.DELIVERY_BEFORE_WORKS',
      'COMMAND.ID_REUSED',
      'OPERATION.CORRECTION_UNCHANGED',
      'OPERATION.DELIVERY_NOT_FOUND',
      'OPERATION.DELIVERY_ALREADY_RECORDED',
      'OPERATION.DATE_BEFORE_PREVIOUS',
    ]);
    expect(await stored(snapshotted)).toEqual(await stored(plain));
    const [snapshot] = (await snapshotted.pool.query('SELECT name, schema_version, stream_version, state FROM es_snapshots WHERE stream_id = $1', ['operation-op-parc'])).rows;
    expect(snapshot).toMatchObject({ name: 'operation', schema_version: operationAggregate.version, stream_version: (await snapshotted.readStream('operation-op-parc')).version });
    // The snapshot holds no per-delivery figures (ADR 0023): its size does not grow with the deliveries.
    expect(Object.keys(snapshot.state as object)).not.toContain('deliveries');
    expect(snapshot.state).toEqual(expect.objectContaining({ deliveredLogements: 77, plannedLogements: 77, phase: 'terminee', deliveryDates: { '2020-01-15': 12, '2020-03-01': 1 } }));
  });

  it('decides alike from the whole stream and from a snapshot every few events, over a longer stream', async () => {
    const long = (): CommandEnvelope[] => {
      const out: CommandEnvelope[] = [];
      for (let i = 0; i < 30; i++) {
        out.push({ ...cmd('operation.RecordLogementsDelivery', delivery(`l-${i}`, 2, `2020-0${1 + (i % 9)}-15`), 'bailleur:SIA_HABITAT'), commandId: `long-d-${i}` });
        if (i % 4 === 3) out.push({ ...cmd('operation.CorrectLogementsDelivery', { ...delivery(`l-${i - 2}`, 1, '2020-01-20'), reason: 'x' }, 'bailleur:SIA_HABITAT'), commandId: `long-c-${i}` });
        if (i % 7 === 6) out.push({ ...cmd('operation.RecordLogementsDelivery', delivery(`l-${i - 3}`, 1), 'bailleur:SIA_HABITAT'), commandId: `long-dup-${i}` });
      }
      out.push({ ...cmd('operation.RecordLogementsDelivery', delivery('l-over', 50), 'bailleur:SIA_HABITAT'), commandId: 'long-over' });
      return out;
    };
    const fromStream = await run(new CommandExecutor(plain, clock, { states: { snapshotEvery: 0, cacheSize: 0 } }), long());
    const fromSnapshots = await run(new CommandExecutor(snapshotted, clock, { states: { snapshotEvery: 3, cacheSize: 0 } }), long());
    expect(fromSnapshots).toEqual(fromStream);
    expect(fromStream.filter((o) => 'error' in o)).toHaveLength(5);
    expect(await stored(snapshotted)).toEqual(await stored(plain));
  });

  it.each([
    ['version 0', 0, { ...operationAggregate.initialState(), status: 'active' }],
    // The shape before ADR 0023 (per-delivery figures), as version 1 stored it.
    ['version 1 (the shape before ADR 0023)', 1, { ...operationAggregate.initialState(), status: 'active', phase: 'travaux', deliveries: {}, deliveryDates: undefined, deliveredLogements: 0 }],
  ])('ignores a snapshot taken by another version of the decider: %s', async (_name, schemaVersion, state) => {
    expect(schemaVersion).not.toBe(operationAggregate.version);
    // Given 60 of the 100 planned logements delivered…
    await new CommandExecutor(plain, clock).execute(cmd('operation.RecordLogementsDelivery', delivery('s-1', 60), 'bailleur:SIA_HABITAT'));
    const { version } = await plain.readStream('operation-op-parc');
    // …and a snapshot under another version of the decider claiming the operation has no deliveries yet.
    await plain.pool.query(
      `INSERT INTO es_snapshots (stream_id, name, schema_version, stream_version, state) VALUES ($1, 'operation', $4, $2, $3)
       ON CONFLICT (stream_id) DO UPDATE SET schema_version = $4, stream_version = $2, state = $3`,
      ['operation-op-parc', version, JSON.stringify(state), schemaVersion],
    );
    // When 50 more are delivered, then it is refused: the state came from the events, not from the snapshot.
    const ex = new CommandExecutor(plain, clock, { states: { snapshotEvery: 1, cacheSize: 0 } });
    await expect(ex.execute(cmd('operation.RecordLogementsDelivery', delivery('s-2', 50), 'bailleur:SIA_HABITAT'))).rejects.toMatchObject({ code: 'OPERATION.DELIVERY_EXCEEDS_PLANNED' });
    await expect(ex.execute(cmd('operation.RecordLogementsDelivery', delivery('s-1', 1), 'bailleur:SIA_HABITAT'))).rejects.toMatchObject({ code: 'OPERATION.DELIVERY_ALREADY_RECORDED' });
  });

  it('keeps a state only as long as the stream has not moved: another process’s appends are read before deciding', async () => {
    const a = new CommandExecutor(plain, clock);
    const b = new CommandExecutor(plain, clock);
    await a.execute(cmd('operation.RecordLogementsDelivery', delivery('k-1', 1), 'bailleur:SIA_HABITAT'));
    await b.execute(cmd('operation.RecordLogementsDelivery', delivery('k-2', 1), 'bailleur:SIA_HABITAT'));
    await expect(a.execute(cmd('operation.RecordLogementsDelivery', delivery('k-2', 1), 'bailleur:SIA_HABITAT'))).rejects.toMatchObject({ code: 'OPERATION.DELIVERY_ALREADY_RECORDED' });
    const retried = await b.execute({ ...cmd('operation.RecordLogementsDelivery', delivery('k-1', 1), 'bailleur:SIA_HABITAT'), commandId: 'unused' }).catch((e: { code: string }) => e.code);
    expect(retried).toBe('OPERATION.DELIVERY_ALREADY_RECORDED');
  });
});
