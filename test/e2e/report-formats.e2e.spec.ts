import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { READ_DB, reportBilanProcessor } from '@erbm/platform';
import { pdfText } from '@erbm/test-support/pdf';
import { parse } from 'csv-parse/sync';
// eslint-disable-next-line no-restricted-imports -- the test reads the rendered workbook back, it renders nothing
import ExcelJS from 'exceljs';
import { type DataSource } from 'typeorm';
import { inflateRawSync } from 'node:zlib';
import { TestApi, expectProblem } from './support/api';
import { DELEGATION, ETAT, MAISONS, SIA, command, energy, logementsOperationInTravaux, registerReferenceData } from './support/scenario';

/** The bilan as CSV, XLSX, HTML and PDF through the API, scoped like the JSON, and as files of a report job. */
const dir = mkdtempSync(join(tmpdir(), 'erbm-e2e-formats-'));
const OP_SIA = 'op-formats-sia';
const OP_MC = 'op-formats-mc';
// Knowledge time: just after the scenario was recorded (set in beforeAll).
let KNOWN = '';
let Q = '';
let api: TestApi;
let stopWorker: () => Promise<void>;

const binary = (res: unknown, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  (res as NodeJS.ReadableStream).on('data', (c: Buffer) => chunks.push(c));
  (res as NodeJS.ReadableStream).on('end', () => cb(null, Buffer.concat(chunks)));
};
const download = (path: string, organisation?: string) => api.get(path, organisation).buffer(true).parse(binary);

/** The entries of a ZIP archive (deflated or stored), read from its central directory. */
function unzip(zip: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let cd = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < zip.readUInt16LE(eocd + 10); i++) {
    const name = zip.subarray(cd + 46, cd + 46 + zip.readUInt16LE(cd + 28)).toString('utf8');
    const local = zip.readUInt32LE(cd + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + zip.readUInt32LE(cd + 20));
    out.set(name, (zip.readUInt16LE(cd + 10) === 8 ? inflateRawSync(data) : data).toString('utf8'));
    cd += 46 + zip.readUInt16LE(cd + 28) + zip.readUInt16LE(cd + 30) + zip.readUInt16LE(cd + 32);
  }
  return out;
}
/** A date-time in French words, Paris time, as the reports write the knowledge time. */
const parisTime = (iso: string) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'Europe/Paris' }).formatToParts(new Date(iso)).map((x) => [x.type, x.value]),
  );
  return `${p.day} ${p.month} ${p.year} à ${Number(p.hour)} h ${p.minute} (heure de Paris)`;
};

beforeAll(async () => {
  api = await TestApi.start('report_formats');
  await registerReferenceData(api);
  await command(api, '/epci', DELEGATION, { epciCode: 'CAHC', name: "Communauté d'agglomération d'Hénin-Carvin", communes: 14 });
  await command(api, '/cites', DELEGATION, { citeId: 'cite-darcy', name: 'Cité Darcy', communes: ['Hénin-Beaumont'], epciCode: 'CAHC', bailleurCode: 'MAISONS_ET_CITES', logements: 383, unesco: false, priority: true });
  await logementsOperationInTravaux(api, OP_SIA, 120, SIA);
  await command(api, `/operations/${OP_SIA}/deliveries`, SIA, { deliveryId: 'f-sia-1', deliveredOn: '2021-01-20', logements: 60, energyBefore: energy(345, 'F'), energyAfter: energy(104, 'B') });
  await command(api, '/operations/logements', MAISONS, {
    operationId: OP_MC, citeId: 'cite-darcy', bailleurCode: 'MAISONS_ET_CITES', title: 'Darcy T1', plannedLogements: 50, financing: 'erbm', axisCode: '1a',
    lots: [{ lotType: 'PALULOS', logements: 50 }], programmedOn: '2019-01-15', plannedDates: {},
  });
  for (const [phase, startedOn] of [['etudes', '2019-03-04'], ['avp', '2019-09-02'], ['autorisation', '2020-01-15'], ['travaux', '2020-06-02']]) {
    await command(api, `/operations/${OP_MC}/phases`, MAISONS, { phase, startedOn });
  }
  await command(api, `/operations/${OP_MC}/deliveries`, MAISONS, { deliveryId: 'f-mc-1', deliveredOn: '2021-03-01', logements: 7, energyBefore: energy(300, 'E'), energyAfter: energy(120, 'C') });
  const grant = (grantId: string, financerCode: string, operationId: string, bailleur: string, amountCents: number) => ({
    grantId, financerCode, operationId, beneficiary: { kind: 'bailleur', code: bailleur, name: bailleur }, dispositif: 'aides-a-la-pierre', axisCode: '1a', amountCents, conventionDate: '2020-02-10', decisionRef: null,
  });
  await command(api, '/grants', ETAT, grant('g-f-sia', 'ETAT', OP_SIA, 'SIA_HABITAT', 96_000_000));
  await command(api, '/grants', DELEGATION, grant('g-f-mc', 'REGION_HDF', OP_MC, 'MAISONS_ET_CITES', 12_345_678));
  await api.project();
  await new Promise((r) => setTimeout(r, 5));
  KNOWN = new Date().toISOString();
  Q = `asOf=2022-12-31&knownAt=${KNOWN}`;
  stopWorker = api.startJobWorker({ 'report.bilan': reportBilanProcessor(api.app.get<DataSource>(READ_DB), dir, () => '2026-01-01T00:00:00.000Z') });
});

afterAll(async () => {
  await stopWorker();
  await api.close();
});

describe('bilan formats through the API', () => {
  it('CSV: content type, file name, and the figures', async () => {
    const res = await download(`/reports/bilan.csv?${Q}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="bilan-2022-12-31.csv"');
    const text = (res.body as Buffer).toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const records = parse(text.slice(1), { delimiter: ';', relax_column_count: true }) as string[][];
    // Names, not codes; no event of this scenario is an estimate: every estimated share is 0.
    expect(records).toContainEqual(['Logements livrés', '67', '0']);
    expect(records).toContainEqual(['État', '960000,00', '0', '0,00', '']);
    expect(records).toContainEqual(['Région Hauts-de-France', '123456,78', '0', '0,00', '']);
    expect(records).toContainEqual(["Communauté d'agglomération d'Hénin-Carvin", '7', '10,4', '0']);
    expect(text).not.toContain('REGION_HDF');
  });

  it('ZIP: one CSV file per table with units in the headers, and LISEZMOI.txt', async () => {
    const res = await download(`/reports/bilan.zip?${Q}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe('attachment; filename="bilan-2022-12-31.zip"');
    const files = unzip(res.body as Buffer);
    expect(files.get('LISEZMOI.txt')).toContain(`Connaissances au ${parisTime(KNOWN)}`);
    const byFinancer = parse(files.get([...files.keys()].find((n) => n.endsWith('subventions-par-financeur.csv'))!)!.slice(1), { delimiter: ';' }) as string[][];
    expect(byFinancer[0]).toEqual(['Financeur', 'Décidé (€)', 'Part estimée du décidé (%)', 'Versé (€)', 'Part estimée du versé (%)']);
    expect(byFinancer).toContainEqual(['Total', '1083456,78', '0', '0,00', '']);
  });

  it('XLSX: one table per sheet, names and numbers', async () => {
    const res = await download(`/reports/bilan.xlsx?${Q}`);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe('attachment; filename="bilan-2022-12-31.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toContain('Par bailleur');
    const values: unknown[][] = [];
    wb.getWorksheet('Par bailleur')!.eachRow((row) => values.push((row.values as unknown[]).slice(1)));
    expect(values).toContainEqual(['SIA Habitat', 60, 0.896, 0]);
    expect(values).toContainEqual(['Maisons & Cités', 7, 0.104, 0]);
    expect(wb.getWorksheet('Par bailleur')!.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
  });

  it('HTML: printable report with four charts, the forecast fan chart and escaped values; same request, same bytes', async () => {
    const res = await api.get(`/reports/bilan.html?${Q}`);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('inline; filename="bilan-2022-12-31.html"');
    expect(res.text.match(/<svg\b/g)).toHaveLength(5);
    expect(res.text).toContain(`Situation au 31 décembre 2022 — Connaissances au ${parisTime(KNOWN)}`);
    expect(res.text).toContain('<td>Maisons &amp; Cités</td>');
    expect(res.text).toContain('1 083 456,78 €');
    expect((await api.get(`/reports/bilan.html?${Q}`)).text).toBe(res.text);
  });

  it('PDF: headings and figures; reproducible bytes', async () => {
    const res = await download(`/reports/bilan.pdf?${Q}`);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="bilan-2022-12-31.pdf"');
    const text = await pdfText(res.body as Buffer);
    for (const s of [
      'Engagement pour le Renouveau du Bassin Minier',
      'Situation au 31 décembre 2022',
      `Connaissances au ${parisTime(KNOWN)}`,
      '1. Logements miniers rénovés',
      'SIA Habitat',
      'Maisons & Cités',
      'Cité Darcy',
      'Région Hauts-de-France',
      '960 000,00 €',
      '123 456,78 €',
      'Part estimée',
      'Chiffres estimés : 0,0 % des logements livrés',
    ]) {
      expect(text).toContain(s);
    }
    expect(text).not.toMatch(/\b\d{4}-\d{2}-\d{2}\b/);
    expect(((await download(`/reports/bilan.pdf?${Q}`)).body as Buffer).equals(res.body as Buffer)).toBe(true);
  });

  it("scopes like the JSON: a bailleur's PDF shows its own figures only", async () => {
    const text = await pdfText((await download(`/reports/bilan.pdf?${Q}`, MAISONS)).body as Buffer);
    expect(text).toContain('Maisons & Cités');
    expect(text).toContain('Cité Darcy');
    expect(text).toContain('123 456,78 €');
    expect(text).not.toContain('SIA Habitat');
    expect(text).not.toContain('Cité du 12/14');
    expect(text).not.toContain('960 000,00 €');
  });

  it('refuses a bad date', async () => {
    expectProblem(await api.get('/reports/bilan.pdf?asOf=2022-02-30'), 400, 'REQUEST.INVALID');
  });
});

describe('report job with formats', () => {
  it('writes the requested files, lists them in the result, and they hold the report', async () => {
    const queued = await api.raw().post('/reports/bilan/jobs').send({ asOf: '2022-12-31', knownAt: KNOWN, formats: ['pdf', 'csv'] });
    expect(queued.status).toBe(202);
    let status: { state: string; progress: number; result: { files: { format: string; file: string; bytes: number }[] } | null } = { state: 'waiting', progress: 0, result: null };
    for (let i = 0; i < 400 && !['completed', 'failed'].includes(status.state); i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await api.get(queued.body.statusUrl)).body;
    }
    expect(status).toMatchObject({ state: 'completed', progress: 100 });
    // The bilan and the forecast report, in each format asked for.
    const stamp = `2022-12-31-known-${KNOWN.replace(/[:.]/g, '-')}`;
    expect(status.result!.files.map((f) => [f.format, f.file])).toEqual([
      ['csv', join(dir, `bilan-${stamp}.csv`)],
      ['csv', join(dir, `prevision-${stamp}.csv`)],
      ['pdf', join(dir, `bilan-${stamp}.pdf`)],
      ['pdf', join(dir, `prevision-${stamp}.pdf`)],
    ]);
    const [csv, forecastCsv, pdf, forecastPdf] = status.result!.files;
    expect(readFileSync(csv.file, 'utf8')).toContain('Logements livrés;67;0');
    expect(readFileSync(forecastCsv.file, 'utf8')).toContain('Date;P10;P50;P90;Tendance (référence)');
    expect(readFileSync(forecastPdf.file).subarray(0, 5).toString()).toBe('%PDF-');
    const fromApi = (await download(`/reports/bilan.pdf?${Q}`)).body as Buffer;
    expect(readFileSync(pdf.file).equals(fromApi)).toBe(true);
    expect(pdf.bytes).toBe(fromApi.length);
    expectProblem(await api.raw().post('/reports/bilan/jobs').send({ asOf: '2022-12-31', formats: ['docx'] }), 400, 'REQUEST.INVALID');
  });
});
