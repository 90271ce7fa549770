import { type CommandExecutor } from '@erbm/application';
import { APP_CONFIG, type AppConfig, COMMAND_EXECUTOR } from '@erbm/platform';
import { SCDL_FIELDS, validateScdl } from '@erbm/opendata';
import { cmd, seedReference } from '@erbm/test-support';
import { parse } from 'csv-parse/sync';
import { TestApi, expectProblem, expectStatus } from './support/api';

/** Open data: GET /opendata/subventions.csv and .json in SCDL Subventions 2.1.1, parsed back and validated. */
let api: TestApi;
const ASOF = '2022-12-31';
const SIRETS = { ETAT: '11000000000000', REGION_HDF: '20005376700014', CALL: '24620046800154' };

beforeAll(async () => {
  api = await TestApi.start('scdl', { attribuantSirets: { ...SIRETS } });
  const ex = api.app.get<CommandExecutor>(COMMAND_EXECUTOR);
  await seedReference(ex);
  const run = (type: string, data: Record<string, unknown>, org: string, knownAt: string) => ex.execute(cmd(type, data, org, { knownAt }));
  const grant = (grantId: string, financerCode: string, amountCents: number, conventionDate: string, operationId: string, name: string) =>
    run('funding.DecideGrant', { grantId, financerCode, operationId, beneficiary: { kind: 'bailleur', code: null, name }, dispositif: 'aides-a-la-pierre', axisCode: '1a', amountCents, conventionDate, decisionRef: `DEC-${grantId}` }, `financer:${financerCode}`, `${conventionDate}T12:00:00Z`);
  await grant('g-etat', 'ETAT', 100_000_000, '2018-05-01', 'op-parc', 'SIA Habitat');
  await grant('g-region', 'REGION_HDF', 25_000_000, '2018-06-01', 'op-parc', 'SIA Habitat');
  await grant('g-call', 'CALL', 10_000_000, '2018-07-01', 'op-parc', 'SIA Habitat');
  await grant('g-darcy', 'ETAT', 12_345_67, '2019-02-01', 'op-darcy', 'Maisons & Cités, "Soginorpa"');
  await grant('g-late', 'ETAT', 5_000_000, '2023-03-01', 'op-darcy', 'Maisons & Cités');
  await run('funding.RecordGrantPayment', { grantId: 'g-etat', paymentId: 'v1', paidOn: '2019-01-15', amountCents: 40_000_000 }, 'financer:ETAT', '2019-02-01T00:00:00Z');
  await run('funding.RecordGrantPayment', { grantId: 'g-etat', paymentId: 'v2', paidOn: '2020-01-15', amountCents: 30_000_000 }, 'financer:ETAT', '2020-02-01T00:00:00Z');
  await run('funding.AmendGrant', { grantId: 'g-region', amountCents: 30_000_000, amendedOn: '2020-01-10', reason: 'avenant' }, 'financer:REGION_HDF', '2023-02-01T00:00:00Z');
  await run('funding.CancelGrant', { grantId: 'g-call', cancelledOn: '2021-01-01', reason: 'reprise par la Région' }, 'financer:CALL', '2021-02-01T00:00:00Z');
  await api.project();
});
afterAll(async () => {
  await api.close();
});

const csv = async (query: string, org?: string) => {
  const res = await api.get(`/opendata/subventions.csv?${query}`, org);
  expectStatus(res, 200);
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  return res.text;
};

describe('SCDL Subventions 2.1.1 export', () => {
  it('writes a CSV that parses back to the schema columns, one row per grant decided by asOf, all constraints met', async () => {
    const text = await csv(`asOf=${ASOF}`);
    const records = parse(text, { bom: true }) as string[][];
    expect(records[0]).toEqual([...SCDL_FIELDS]);
    const rows = parse(text, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.length).toBe(3); // g-call cancelled before any payment, g-late decided in 2023
    expect(validateScdl(records[0], rows)).toEqual([]);
    expect(rows.map((r) => r.referenceDecision)).toEqual(['DEC-g-etat', 'DEC-g-region', 'DEC-g-darcy']);
    expect(rows[0]).toMatchObject({
      nomAttribuant: 'État', idAttribuant: '11000000000000', dateConvention: '2018-05-01', nomBeneficiaire: 'SIA Habitat', montant: '1000000.00',
      nature: 'aide en numéraire', conditionsVersement: 'échelonné', datesPeriodeVersement: '2019-01-15/2020-01-15', notificationUE: 'non', pourcentageSubvention: '1.00',
    });
    expect(rows[1].montant).toBe('300000.00');
    expect(rows[2]).toMatchObject({ nomBeneficiaire: 'Maisons & Cités, "Soginorpa"', montant: '12345.67' });
    expect(rows[0].objet).toContain('Parc T1');
  });

  it('is as known at knownAt: an amendment recorded later does not change an earlier export', async () => {
    const rows = parse(await csv(`asOf=${ASOF}&knownAt=2023-01-16T00:00:00Z`), { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.find((r) => r.referenceDecision === 'DEC-g-region')?.montant).toBe('250000.00');
  });

  it('can use the semicolon as separator', async () => {
    const text = await csv(`asOf=${ASOF}&separator=semicolon`);
    expect(text.split('\r\n')[0]).toBe(SCDL_FIELDS.join(';'));
    const rows = parse(text, { columns: true, delimiter: ';', bom: true }) as Record<string, string>[];
    expect(validateScdl([...SCDL_FIELDS], rows)).toEqual([]);
    expect(rows.length).toBe(3);
  });

  it('serves the same rows as typed JSON with the validation', async () => {
    const res = await api.get(`/opendata/subventions.json?asOf=${ASOF}`);
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ schema: 'scdl/subventions', version: '2.1.1', count: 3, validation: { valid: true, violations: [] } });
    expect((res.body as { data: Record<string, unknown>[] }).data[0]).toMatchObject({ montant: 1000000, notificationUE: false, pourcentageSubvention: 1, idBeneficiaire: null });
  });

  it('gives a financer its own grants only, and refuses bailleurs and EPCI', async () => {
    const rows = parse(await csv(`asOf=${ASOF}`, 'financer:REGION_HDF'), { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.map((r) => r.referenceDecision)).toEqual(['DEC-g-region']);
    expect((await api.get(`/opendata/subventions.csv?asOf=${ASOF}`, 'copil')).status).toBe(200);
    expectProblem(await api.get(`/opendata/subventions.csv?asOf=${ASOF}`, 'bailleur:SIA_HABITAT'), 403, 'AUTH.FORBIDDEN');
    expectProblem(await api.get(`/opendata/subventions.json?asOf=${ASOF}`, 'epci:CALL'), 403, 'AUTH.FORBIDDEN');
  });

  it('reports the missing SIRET of the attribuants when none is configured', async () => {
    // The configuration is read at start-up: empty the map the running API was given.
    const config = api.app.get<AppConfig>(APP_CONFIG);
    config.attribuantSirets = {};
    const res = await api.get(`/opendata/subventions.json?asOf=${ASOF}`);
    expect(res.body).toMatchObject({ validation: { valid: false } });
    expect(new Set((res.body as { validation: { violations: { field: string; rule: string }[] } }).validation.violations.map((v) => `${v.field}:${v.rule}`))).toEqual(new Set(['idAttribuant:required']));
    config.attribuantSirets = { ...SIRETS };
  });
});
