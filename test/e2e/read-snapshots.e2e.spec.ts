import { QueryBus } from '@nestjs/cqrs';
import { type CommandExecutor } from '@erbm/application';
import { COMMAND_EXECUTOR } from '@erbm/platform';
import { bilanProjection } from '@erbm/projections';
import { cmd, energy, seedReference } from '@erbm/test-support';
import { TestApi, expectProblem, expectStatus } from './support/api';

/**
 * Every read-model answer states the projection checkpoint it reflects: in the body of object answers
 * (`checkpoint`) and as a weak ETag of every GET read (with the query and the reader's scope). `If-None-Match` with
 * the current tag answers 304 with no body; a batch committed by the projection, another query or another scope
 * gives another tag.
 */
let api: TestApi;
let ex: CommandExecutor;
const SIA = 'bailleur:SIA_HABITAT';
const ASOF = 'asOf=2022-12-31';

interface Checkpointed {
  checkpoint: { projection: string; version: number; position: string };
}

/**
 * Projects until the projection has applied every event of the store: on a server shared with other work, the
 * gap-safe log read can lag behind a commit for a moment (ADR 0002), and one catch-up would then stop early.
 */
async function projectAll(): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    await api.project();
    const [{ events }] = await api.db.query<{ events: string }[]>(`SELECT events::text FROM rm_projection_checkpoint WHERE name = 'bilan'`);
    if (Number(events) === (await api.storeCount())) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the projection did not catch up with the store');
}

const deliver = (deliveryId: string, logements: number) =>
  ex.execute(cmd('operation.RecordLogementsDelivery', { operationId: 'op-parc', deliveryId, deliveredOn: '2021-06-30', logements, energyBefore: energy(400, 'F'), energyAfter: energy(100, 'B') }, SIA));

beforeAll(async () => {
  api = await TestApi.start('read_snapshots');
  ex = api.app.get<CommandExecutor>(COMMAND_EXECUTOR);
  await seedReference(ex);
  await deliver('p1', 60);
  await ex.execute(
    cmd('funding.DecideGrant', { grantId: 'g-etat', financerCode: 'ETAT', operationId: 'op-parc', beneficiary: { kind: 'bailleur', code: 'SIA_HABITAT', name: 'SIA Habitat' }, dispositif: 'aides-a-la-pierre', axisCode: '1a', amountCents: 100_000_000, conventionDate: '2018-05-01', decisionRef: null }, 'financer:ETAT'),
  );
  await projectAll();
});
afterAll(() => api.close());

describe('checkpoints and ETags of the read models', () => {
  it('states the checkpoint in the bilan and answers 304 to If-None-Match until the projection moves', async () => {
    const first = await api.get(`/reports/bilan?${ASOF}`);
    expectStatus(first, 200);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{22}"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const body = first.body as Checkpointed & { logements: { delivered: number } };
    expect(body.logements.delivered).toBe(60);
    expect(body.checkpoint).toMatchObject({ projection: 'bilan', version: bilanProjection.version });
    expect(body.checkpoint.position).toMatch(/^\d+\/\d+$/);

    const again = await api.get(`/reports/bilan?${ASOF}`).set('If-None-Match', etag);
    expectStatus(again, 304);
    expect(again.headers.etag).toBe(etag);
    expect(again.text ?? '').toBe('');

    await deliver('p2', 40);
    const stillBefore = await api.get(`/reports/bilan?${ASOF}`).set('If-None-Match', etag);
    expectStatus(stillBefore, 304); // recorded, but not projected yet: the answer would be the same
    await projectAll();
    const after = await api.get(`/reports/bilan?${ASOF}`).set('If-None-Match', etag);
    expectStatus(after, 200);
    expect(after.headers.etag).not.toBe(etag);
    const moved = after.body as Checkpointed & { logements: { delivered: number } };
    expect(moved.logements.delivered).toBe(100);
    expect(moved.checkpoint.position).not.toBe(body.checkpoint.position);
  });

  it('gives another tag to another query, another format or another scope', async () => {
    const tags = new Set<string>();
    for (const [path, org] of [
      [`/reports/bilan?${ASOF}`, undefined],
      [`/reports/bilan?${ASOF}&knownAt=2025-01-01T00:00:00Z`, undefined],
      ['/reports/bilan?asOf=2021-12-31', undefined],
      [`/reports/bilan?${ASOF}`, SIA],
      [`/reports/bilan.csv?${ASOF}`, undefined],
      [`/progress/logements?${ASOF}`, undefined],
      [`/progress/logements?${ASOF}&by=bailleur`, undefined],
    ] as [string, string | undefined][]) {
      const res = await api.get(path, org);
      expectStatus(res, 200);
      tags.add(res.headers.etag);
    }
    expect(tags.size).toBe(7);
  });

  it('answers every GET read conditionally, object answers with their checkpoint', async () => {
    const reads: [string, boolean][] = [
      [`/progress/logements?${ASOF}&by=financer`, true],
      [`/energy?${ASOF}`, true],
      [`/reports/bilan/figures/logements.delivered/events?${ASOF}`, true],
      [`/operations-by-phase?${ASOF}`, false],
      [`/subsidies?${ASOF}&groupBy=financer`, false],
      [`/insertion?${ASOF}&groupBy=epci`, false],
      [`/reports/bilan.csv?${ASOF}`, false],
      [`/opendata/subventions.json?${ASOF}`, true],
      [`/opendata/subventions.csv?${ASOF}`, false],
    ];
    for (const [path, statesCheckpoint] of reads) {
      const res = await api.get(path);
      expectStatus(res, 200);
      expect({ path, etag: res.headers.etag }).toEqual({ path, etag: expect.stringMatching(/^W\/"/) });
      if (statesCheckpoint) expect({ path, checkpoint: (res.body as Checkpointed).checkpoint }).toMatchObject({ path, checkpoint: { projection: 'bilan', version: bilanProjection.version } });
      const again = await api.get(path).set('If-None-Match', `"other", ${res.headers.etag}`);
      expect({ path, status: again.status, etag: again.headers.etag }).toEqual({ path, status: 304, etag: res.headers.etag });
    }
  });

  it('answers a repeated request from the answer kept for its checkpoint, and computes it again once the projection moves', async () => {
    const bus = api.app.get(QueryBus);
    const execute = jest.spyOn(bus, 'execute');
    try {
      const path = `/subsidies?${ASOF}&groupBy=year`;
      const first = await api.get(path);
      expectStatus(first, 200);
      const computed = execute.mock.calls.length; // 1, or 0 if another test asked the same at this checkpoint
      const second = await api.get(path);
      expectStatus(second, 200);
      expect(second.body).toEqual(first.body);
      expect(second.headers.etag).toBe(first.headers.etag);
      expect(execute).toHaveBeenCalledTimes(computed);

      await ex.execute(
        cmd('funding.DecideGrant', { grantId: `g-cached-${Date.now()}`, financerCode: 'ETAT', operationId: 'op-parc', beneficiary: { kind: 'bailleur', code: 'SIA_HABITAT', name: 'SIA Habitat' }, dispositif: 'aides-a-la-pierre', axisCode: '1a', amountCents: 500, conventionDate: '2019-05-01', decisionRef: null }, 'financer:ETAT'),
      );
      await projectAll();
      const third = await api.get(path);
      expectStatus(third, 200);
      expect(execute).toHaveBeenCalledTimes(computed + 1);
      expect(third.headers.etag).not.toBe(first.headers.etag);
      const decided = (body: unknown) => (body as { decidedCents: number }[]).reduce((sum, row) => sum + row.decidedCents, 0);
      expect(decided(third.body)).toBe(decided(first.body) + 500);
    } finally {
      execute.mockRestore();
    }
  });

  it('checks the request before the ETag: a bad query is a 400 even with If-None-Match', async () => {
    const res = await api.get('/reports/bilan?asOf=2022-02-30').set('If-None-Match', '*');
    expectProblem(res, 400, 'REQUEST.INVALID');
    const unknown = await api.get(`/reports/bilan/figures/nope/events?${ASOF}`).set('If-None-Match', '*');
    expectProblem(unknown, 400, 'REQUEST.INVALID');
  });
});
