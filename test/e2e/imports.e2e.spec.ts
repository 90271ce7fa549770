import { CommandBus } from '@nestjs/cqrs';
import { type CommandEnvelope, type CommandResult } from '@erbm/application';
import { ExecuteCommand, READ_DB, importCommandsProcessor } from '@erbm/platform';
import { type DataSource } from 'typeorm';
import { TestApi, expectProblem } from './support/api';
import { DELEGATION, MAISONS, SIA, energy, logementsOperationInTravaux, registerReferenceData } from './support/scenario';

interface ImportStatus {
  importId: string;
  status: string;
  format: string;
  total: number;
  done: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  error: string | null;
  finishedAt: string | null;
}
interface RowReport {
  line: number;
  commandId: string | null;
  outcome: string;
  code: string | null;
  violations: { field: string; rule: string }[];
  events: number;
}

const delivery = (operationId: string, deliveryId: string, logements: number, deliveredOn = '2021-01-20') => ({
  operationId,
  deliveryId,
  deliveredOn,
  logements,
  energyBefore: energy(300, 'E'),
  energyAfter: energy(100, 'B'),
});

/** A CSV cell holding JSON, quoted as RFC 4180 wants. */
const csvJson = (v: unknown): string => `"${JSON.stringify(v).replace(/"/g, '""')}"`;
const CSV_HEADER = 'commandId,type,knownAt,source,estimated,data';

/**
 * Bulk import through BullMQ: POST /imports stores the file and queues `import.commands`; a worker (in-process here,
 * on an isolated queue) applies the rows through the command executor and records each row's outcome.
 */
describe('imports (POST /imports, BullMQ job import.commands)', () => {
  let api: TestApi;
  let stopWorker: () => Promise<void>;

  /** Submits a file as `organisation` (the caller is every row's actor). */
  const submit = (organisation: string, body: string, contentType: string, headers: Record<string, string> = {}) =>
    api.post('/imports', organisation, body as unknown as object, { 'Content-Type': contentType, ...headers });
  /** A read as `organisation`. */
  const getAs = (organisation: string, path: string) => api.get(path, organisation);

  async function finished(organisation: string, importId: string): Promise<ImportStatus> {
    let s: ImportStatus | undefined;
    for (let i = 0; i < 400; i++) {
      const res = await getAs(organisation, `/imports/${importId}`);
      expect(res.status).toBe(200);
      s = res.body as ImportStatus;
      if (s.status === 'completed' || s.status === 'failed') return s;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`import ${importId} still ${s?.status}`);
  }
  async function rows(organisation: string, importId: string, query = ''): Promise<RowReport[]> {
    const res = await getAs(organisation, `/imports/${importId}/rows${query}`);
    expect(res.status).toBe(200);
    return (res.body as { rows: RowReport[] }).rows;
  }

  beforeAll(async () => {
    api = await TestApi.start('imports');
    const bus = api.app.get(CommandBus);
    // Commands whose id starts with `boom` meet a failure that is not a domain error (as a database outage would).
    const execute = (e: CommandEnvelope): Promise<CommandResult> =>
      e.commandId.startsWith('boom') ? Promise.reject(new Error('database unreachable')) : bus.execute<ExecuteCommand, CommandResult>(new ExecuteCommand(e));
    const db = api.app.get<DataSource>(READ_DB);
    stopWorker = api.startJobWorker({ 'import.commands': importCommandsProcessor(db, execute, () => new Date().toISOString(), { every: 2 }) });
    await registerReferenceData(api);
    await logementsOperationInTravaux(api, 'op-sia', 120, SIA);
    await logementsOperationInTravaux(api, 'op-maisons', 80, MAISONS);
  });
  afterAll(async () => {
    await stopWorker();
    await api.close();
  });

  const csv = [
    CSV_HEADER,
    `csv-d1,operation.RecordLogementsDelivery,,002 §1a,false,${csvJson(delivery('op-sia', 'd1', 60))}`,
    'csv-bad-json,operation.RecordLogementsDelivery,,,,"{""operationId"": oops"',
    `csv-unknown,operation.PaintTheCite,,,,${csvJson({ operationId: 'op-sia' })}`,
    `csv-too-many,operation.RecordLogementsDelivery,,,,${csvJson(delivery('op-sia', 'd2', 100))}`,
    `csv-d1,operation.RecordLogementsDelivery,,002 §1a,false,${csvJson(delivery('op-sia', 'd1', 60))}`,
    `csv-d3,operation.RecordLogementsDelivery,,"source, with ""quotes""",true,${csvJson(delivery('op-sia', 'd3', 10))}`,
  ].join('\r\n');

  it('applies a CSV file with mixed rows: exact per-row report, only the accepted rows append events; re-submitting appends nothing', async () => {
    const before = await api.eventCount();
    const res = await submit(SIA, csv, 'text/csv');
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ importId: expect.stringMatching(/^imp-[0-9a-f]{32}$/), statusUrl: `/imports/${res.body.importId}`, resubmitted: false });
    const s = await finished(SIA, res.body.importId);
    expect(s).toMatchObject({ status: 'completed', format: 'csv', total: 6, done: 6, accepted: 2, rejected: 3, duplicates: 1, error: null });
    expect(s.finishedAt).not.toBeNull();
    const report = await rows(SIA, res.body.importId);
    expect(report.map((r) => [r.line, r.commandId, r.outcome, r.code])).toEqual([
      [2, 'csv-d1', 'accepted', null],
      [3, 'csv-bad-json', 'rejected', 'IMPORT.UNREADABLE_ROW'],
      [4, 'csv-unknown', 'rejected', 'COMMAND.INVALID'],
      [5, 'csv-too-many', 'rejected', 'OPERATION.DELIVERY_EXCEEDS_PLANNED'],
      [6, 'csv-d1', 'duplicate', null],
      [7, 'csv-d3', 'accepted', null],
    ]);
    expect(report[1].violations).toEqual([expect.objectContaining({ field: 'data', rule: 'isJson' })]);
    expect(report[2].violations).toEqual([expect.objectContaining({ field: 'type', rule: 'isKnownCommand' })]);
    const appended = report.filter((r) => r.outcome === 'accepted').reduce((n, r) => n + r.events, 0);
    expect(appended).toBe(2);
    expect(await api.eventCount()).toBe(before + appended);
    expect((await rows(SIA, res.body.importId, '?outcome=rejected&limit=2&offset=1')).map((r) => r.line)).toEqual([4, 5]);

    // The events say who acted (the caller, channel import) and where the figure comes from.
    const op = await api.get('/operations/op-sia', SIA);
    const d3 = (op.body.events as { metadata: { commandId: string; actor: { organisation: string; channel: string }; source: string; estimated: boolean } }[]).find((e) => e.metadata.commandId === 'csv-d3')!;
    expect(d3.metadata).toMatchObject({ actor: { organisation: SIA, channel: 'import' }, source: 'source, with "quotes"', estimated: true });

    const again = await submit(SIA, csv, 'text/csv');
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ importId: res.body.importId, resubmitted: true });
    expect(await finished(SIA, res.body.importId)).toMatchObject({ status: 'completed', accepted: 2, duplicates: 1 });
    expect(await api.eventCount()).toBe(before + appended);
  });

  it('applies a JSON Lines file as the délégation (knownAt honoured) with an unknown cité, a bad line and a reused id', async () => {
    const lines = [
      JSON.stringify({
        commandId: 'jl-prog',
        type: 'operation.ProgrammeLogementsOperation',
        actor: { organisation: 'bailleur:SOMEONE_ELSE', user: 'ignored' },
        data: {
          operationId: 'op-ghost',
          citeId: 'cite-inconnue',
          bailleurCode: 'SIA_HABITAT',
          title: 'Cité fantôme',
          plannedLogements: 10,
          financing: 'erbm',
          axisCode: '1a',
          lots: [{ lotType: 'PLUS', logements: 10 }],
          programmedOn: '2019-01-15',
          plannedDates: {},
        },
      }),
      'this is not json',
      '',
      JSON.stringify({ commandId: 'jl-d4', type: 'operation.RecordLogementsDelivery', knownAt: '2021-02-01T00:00:00.000Z', data: delivery('op-sia', 'd4', 5) }),
      JSON.stringify({ commandId: 'jl-d4', type: 'operation.RecordLogementsDelivery', data: delivery('op-sia', 'd4', 6) }),
    ].join('\n');
    const before = await api.eventCount();
    const res = await submit(DELEGATION, lines, 'application/x-ndjson');
    expect(res.status).toBe(202);
    const s = await finished(DELEGATION, res.body.importId);
    expect(s).toMatchObject({ status: 'completed', format: 'jsonl', total: 4, accepted: 1, rejected: 3, duplicates: 0 });
    expect((await rows(DELEGATION, res.body.importId)).map((r) => [r.line, r.outcome, r.code])).toEqual([
      [1, 'rejected', 'CITE.NOT_FOUND'],
      [2, 'rejected', 'IMPORT.UNREADABLE_ROW'],
      [4, 'accepted', null],
      [5, 'rejected', 'COMMAND.ID_REUSED'],
    ]);
    expect(await api.eventCount()).toBe(before + 1);
    const op = await api.get('/operations/op-sia', DELEGATION);
    const d4 = (op.body.events as { recordedAt: string; metadata: { commandId: string; actor: { organisation: string } } }[]).find((e) => e.metadata.commandId === 'jl-d4')!;
    expect(d4.recordedAt).toBe('2021-02-01T00:00:00.000Z');
    expect(d4.metadata.actor.organisation).toBe(DELEGATION);
  });

  it("rejects a bailleur's row for another bailleur's operation as for an unknown one (OPERATION.NOT_FOUND) and accepts its own; knownAt is ignored for a bailleur", async () => {
    const lines = [
      JSON.stringify({ commandId: 'own-d5', type: 'operation.RecordLogementsDelivery', knownAt: '2021-02-01T00:00:00.000Z', data: delivery('op-sia', 'd5', 5) }),
      JSON.stringify({ commandId: 'other-d1', type: 'operation.RecordLogementsDelivery', data: delivery('op-maisons', 'd1', 5) }),
      JSON.stringify({ commandId: 'own-d6', type: 'operation.RecordLogementsDelivery', data: delivery('op-sia', 'd6', 5) }),
    ].join('\n');
    const before = await api.eventCount();
    const res = await submit(SIA, lines, 'application/jsonl', { 'Idempotency-Key': 'sia-weekly-2021-05' });
    expect(res.status).toBe(202);
    expect(await finished(SIA, res.body.importId)).toMatchObject({ status: 'completed', accepted: 2, rejected: 1 });
    expect((await rows(SIA, res.body.importId)).map((r) => [r.commandId, r.outcome, r.code])).toEqual([
      ['own-d5', 'accepted', null],
      ['other-d1', 'rejected', 'OPERATION.NOT_FOUND'],
      ['own-d6', 'accepted', null],
    ]);
    expect(await api.eventCount()).toBe(before + 2);
    const op = await api.get('/operations/op-sia', SIA);
    const d5 = (op.body.events as { recordedAt: string; metadata: { commandId: string } }[]).find((e) => e.metadata.commandId === 'own-d5')!;
    expect(d5.recordedAt).not.toBe('2021-02-01T00:00:00.000Z');

    // Only the submitter and the délégation see it; the same key for another file is a conflict.
    expectProblem(await getAs(MAISONS, `/imports/${res.body.importId}`), 404, 'IMPORT.NOT_FOUND');
    expectProblem(await getAs(MAISONS, `/imports/${res.body.importId}/rows`), 404, 'IMPORT.NOT_FOUND');
    expect((await getAs(DELEGATION, `/imports/${res.body.importId}`)).status).toBe(200);
    expectProblem(await submit(SIA, `${lines}\n`, 'application/jsonl', { 'Idempotency-Key': 'sia-weekly-2021-05' }), 409, 'IMPORT.KEY_REUSED');
  });

  it('refuses what is not an import file: JSON body, broken CSV, wrong header, empty file, unknown import', async () => {
    expectProblem(await api.post('/imports', SIA, { rows: [] }), 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
    expectProblem(await submit(SIA, `${CSV_HEADER}\n"unclosed,quote`, 'text/csv'), 400, 'IMPORT.UNREADABLE_FILE');
    expectProblem(await submit(SIA, 'commandId,type,data\nx,y,{}', 'text/csv'), 400, 'IMPORT.UNREADABLE_FILE');
    expectProblem(await submit(SIA, '\n\n', 'application/x-ndjson'), 400, 'IMPORT.EMPTY_FILE');
    expectProblem(await submit(SIA, `${CSV_HEADER}\n${'x'.repeat(10 * 1024 * 1024)}`, 'text/csv'), 413, 'REQUEST.TOO_LARGE');
    expectProblem(await submit(SIA, CSV_HEADER, 'text/csv; charset=latin1'), 415, 'REQUEST.UNSUPPORTED_ENCODING');
    // Import content types are read raw on POST /imports only.
    expectProblem(await api.post('/operations/op-sia/deliveries', SIA, 'a,b' as unknown as object, { 'Content-Type': 'text/csv' }), 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
    expectProblem(await getAs(SIA, '/imports/imp-00000000000000000000000000000000'), 404, 'IMPORT.NOT_FOUND');
    expectProblem(await getAs(SIA, '/imports/not-an-id'), 400, 'REQUEST.INVALID');
    expectProblem(await getAs(SIA, '/imports/imp-00000000000000000000000000000000/rows?outcome=maybe'), 400, 'REQUEST.INVALID');
  });

  it('leaves an import whose job fails on every attempt in status failed with its error; rows done before stay recorded', async () => {
    const lines = [
      JSON.stringify({ commandId: 'pre-d7', type: 'operation.RecordLogementsDelivery', data: delivery('op-sia', 'd7', 1) }),
      JSON.stringify({ commandId: 'boom-d8', type: 'operation.RecordLogementsDelivery', data: delivery('op-sia', 'd8', 1) }),
      JSON.stringify({ commandId: 'post-d9', type: 'operation.RecordLogementsDelivery', data: delivery('op-sia', 'd9', 1) }),
    ].join('\n');
    const res = await submit(SIA, lines, 'application/x-ndjson');
    expect(res.status).toBe(202);
    const s = await finished(SIA, res.body.importId);
    expect(s).toMatchObject({ status: 'failed', total: 3, done: 1, accepted: 1, error: 'database unreachable' });
    expect((await rows(SIA, res.body.importId)).map((r) => [r.commandId, r.outcome])).toEqual([['pre-d7', 'accepted']]);
  }, 30000);
});
