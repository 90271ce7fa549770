import { inflateRawSync } from 'node:zlib';
import { pdfText, renderFirstPage } from '@erbm/test-support/pdf';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { L, frLongDate, frLongDateTime, subUrbainesLabel } from '@erbm/reporting';
import { BILAN_FIXTURE as R } from '@erbm/reporting/testing';
import { renderBilanText } from './bilan.text';
import { type BilanCharts, CHART_TITLES, bilanChartSpecs, bilanCharts } from './charts';
import { bilanCsv, bilanCsvZip } from './csv';
import { bilanHtml } from './html';
import { bilanPdf } from './pdf';
import { bilanTables, frEuros } from './tables';
import { DATE_FORMAT, EUR_FORMAT, INT_FORMAT, PCT_FORMAT, YEAR_FORMAT, bilanXlsx } from './xlsx';

let charts: BilanCharts;

beforeAll(async () => {
  charts = await bilanCharts(R);
});

/** The fixture's codes that must never reach a French reader (names are shown instead). */
const CODES = ['REGION_HDF', 'MAISONS_ET_CITES', 'SIA_HABITAT', 'aides-a-la-pierre', 'fonds-conjoint-etat-region', 'fonds-propres', 'cite-du-12-14'];
const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/;
const SITUATION = 'Situation au 31 décembre 2022 — Connaissances au 16 janvier 2023 à 1 h 00 (heure de Paris)';

/** The entries of a ZIP archive (stored or deflated), read from its central directory. */
function unzip(zip: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let cd = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < zip.readUInt16LE(eocd + 10); i++) {
    const method = zip.readUInt16LE(cd + 10);
    const size = zip.readUInt32LE(cd + 20);
    const name = zip.subarray(cd + 46, cd + 46 + zip.readUInt16LE(cd + 28)).toString('utf8');
    const local = zip.readUInt32LE(cd + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    out.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    cd += 46 + zip.readUInt16LE(cd + 28) + zip.readUInt16LE(cd + 30) + zip.readUInt16LE(cd + 32);
  }
  return out;
}

const csvRecords = (csv: string): string[][] => parse(csv.replace(/^\uFEFF/, ''), { delimiter: ';', relax_column_count: true, skip_empty_lines: false }) as string[][];

describe('bilan formats', () => {
  it('writes dates in French words (Intl fr-FR) and the period of the urban subsidies reached by the date', () => {
    expect(frLongDate('2022-12-31')).toBe('31 décembre 2022');
    expect(frLongDateTime('2022-12-31T22:59:00Z')).toBe('31 décembre 2022 à 23 h 59 (heure de Paris)');
    expect(subUrbainesLabel('2020-12-31')).toContain('période non commencée');
    expect(subUrbainesLabel('2021-12-31')).toMatch(/cités, 2021$/);
    expect(subUrbainesLabel('2023-12-31')).toMatch(/cités, 2021–2022$/);
  });

  it('text (CLI): French names, long dates, estimated shares, phases in lifecycle order, the notes and the sources', () => {
    const text = renderBilanText(R);
    expect(text).toContain('BILAN AU 31 DÉCEMBRE 2022');
    expect(text).toContain(SITUATION);
    expect(text).toContain('31 décembre 2027');
    expect(text).not.toMatch(ISO_DATE);
    for (const code of CODES) expect(text).not.toContain(code);
    expect(text).toContain('Région Hauts-de-France');
    expect(text).toContain(L.partEstimee);
    // 1 000 of the 1 234 logements livrés come from estimated events.
    expect(text).toMatch(/Logements livrés\s+│\s+1 234 │\s+81,0 %/);
    expect(text.indexOf('Diagnostic / études')).toBeGreaterThan(text.indexOf('Terminée (réception)')); // fonds propres after ERBM
    expect(text.indexOf('Travaux  ')).toBeLessThan(text.indexOf('Terminée (réception)'));
    expect(text).toContain(L.enTravauxNote);
    expect(text).toContain(L.financerNote('2 234', '1 234'));
    expect(text).toContain('Chiffres estimés : 81,0 % des logements livrés, 68,1 % des subventions décidées');
    // Without a knowledge time, the time of production is written out.
    expect(renderBilanText({ ...R, knownAt: null }, '2026-11-29T11:00:00Z')).toContain('Connaissances au 29 novembre 2026 à 12 h 00 (heure de Paris)');
  });

  it('CSV: one table per file in a ZIP with units in the headers, decimal euros with a comma from cents, and LISEZMOI.txt', () => {
    const files = unzip(bilanCsvZip(R));
    const names = [...files.keys()];
    expect(names[0]).toBe('LISEZMOI.txt');
    expect(names.slice(1)).toHaveLength(bilanTables(R).length);
    expect(files.get('LISEZMOI.txt')).toContain(SITUATION);
    const synthese = csvRecords(files.get('01-synthese.csv')!);
    expect(synthese[0]).toEqual([L.indicateur, L.valeur, 'Part estimée (%)']);
    expect(synthese).toEqual(
      expect.arrayContaining([
        [L.objectif, '23000', ''],
        [L.livres, '1234', '81'],
        [L.taux, '5,4', '81'],
        [L.echeance, '31/12/2027', ''],
        ['Total des subventions décidées (€)', '1410000,05', '68,1'],
        ['Total des subventions versées (€)', '300000,99', '0'],
      ]),
    );
    const epci = csvRecords(files.get('02-par-epci.csv')!);
    expect(epci).toEqual([
      ['EPCI', 'Logements livrés (nombre)', 'Part (%)', 'Part estimée (%)'],
      ["Communauté d'agglomération de Lens-Liévin", '1000', '81', '100'],
      ['Douaisis Agglo <Nord>', '234', '19', '0'],
    ]);
    const detail = csvRecords([...files.entries()].find(([n]) => n.endsWith('subventions-detaillees.csv'))![1]);
    expect(detail[0]).toEqual(['Financeur', 'EPCI', 'Axe', 'Dispositif', 'Année', 'Décidé (€)', 'Part estimée du décidé (%)', 'Versé (€)', 'Part estimée du versé (%)']);
    expect(detail[2]).toEqual(['Région Hauts-de-France', "Communauté d'agglomération de Lens-Liévin", '1a — Rénover les cités minières', 'Fonds conjoint État-Région', '2021', '450000,05', '0', '0,00', '']);
    for (const content of files.values()) {
      expect(content.startsWith('\uFEFF')).toBe(true);
      for (const code of CODES) expect(content).not.toContain(code);
    }
    // The single-file CSV keeps every table, with the same headers.
    const all = csvRecords(bilanCsv(R));
    expect(all[0]).toEqual([`${L.title} — ${SITUATION}`]);
    expect(all).toContainEqual(['Financeur', 'Décidé (€)', 'Part estimée du décidé (%)', 'Versé (€)', 'Part estimée du versé (%)']);
  });

  it('XLSX: one table per sheet, frozen header row with filters, numbers, years and dates typed, widths fitted', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await bilanXlsx(R)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(bilanTables(R).map((t) => t.name));
    const find = (sheet: string, label: string) => {
      const ws = wb.getWorksheet(sheet)!;
      let found: ExcelJS.Row | undefined;
      ws.eachRow((row) => {
        if (!found && row.getCell(1).value === label) found = row;
      });
      if (!found) throw new Error(`${label} not in ${sheet}`);
      return found;
    };
    for (const ws of wb.worksheets) {
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
      expect(ws.autoFilter).toBeDefined();
      expect(ws.getRow(4).getCell(1).font?.bold).toBe(true);
    }
    const delivered = find('Synthèse', L.livres);
    expect([delivered.getCell(2).value, delivered.getCell(2).numFmt, delivered.getCell(3).value, delivered.getCell(3).numFmt]).toEqual([1234, INT_FORMAT, 0.81, PCT_FORMAT]);
    const decided = find('Synthèse', 'Total des subventions décidées (€)').getCell(2);
    expect([decided.value, decided.numFmt]).toEqual([1410000.05, EUR_FORMAT]);
    const deadline = find('Synthèse', L.echeance).getCell(2);
    expect([(deadline.value as Date).toISOString(), deadline.numFmt]).toEqual(['2027-12-31T00:00:00.000Z', DATE_FORMAT]);
    const etat = find('Subventions par financeur', 'État (aides à la pierre, fonds conjoint État-Région)');
    expect([etat.getCell(2).value, etat.getCell(4).value, etat.getCell(4).numFmt]).toEqual([960000, 300000.99, EUR_FORMAT]);
    const year = find('Subventions détaillées', 'Région Hauts-de-France').getCell(5);
    expect([year.value, year.numFmt]).toEqual([2021, YEAR_FORMAT]);
    const cad = find('Par EPCI', 'Douaisis Agglo <Nord>');
    expect([cad.getCell(2).value, cad.getCell(3).value]).toEqual([234, 0.19]);
    expect(find('Étiquettes DPE', 'F').getCell(2).value).toBe(60);
    // Widths fitted: the first column of the EPCI sheet holds the longest name, the percentage columns are narrow.
    const epci = wb.getWorksheet('Par EPCI')!;
    expect(epci.getColumn(1).width).toBeGreaterThanOrEqual("Communauté d'agglomération de Lens-Liévin".length);
    expect(epci.getColumn(3).width).toBeLessThan(20);
    expect(wb.created.toISOString()).toBe('2023-01-16T00:00:00.000Z');
  });

  it('charts: four well-formed SVGs with French titles, names rather than codes, and data labels', () => {
    const specs = bilanChartSpecs(R);
    expect(Object.keys(specs)).toEqual(['trajectory', 'byEpci', 'subsidies', 'insertion']);
    for (const [k, svg] of Object.entries(charts) as [keyof BilanCharts, string][]) {
      expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>$/);
      expect(svg.match(/<svg\b/g)).toHaveLength(1);
      expect(svg).toContain(`>${CHART_TITLES[k]}</text>`);
      expect(svg).not.toMatch(/[\u202f\u00a0]/);
      for (const code of ['>CAD<', '>CALL<', '>ETAT<', '>REGION_HDF<']) expect(svg).not.toContain(code);
    }
    expect(charts.trajectory).toContain('>1 234</text>');
    expect(charts.trajectory).toContain('>23 000</text>');
    expect(charts.trajectory).toContain('>Trajectoire linéaire</text>');
    expect(charts.byEpci).toContain('>1 000</text>');
    expect(charts.byEpci).toContain('>Lens-Liévin</text>');
    expect(charts.byEpci).toContain('>Douaisis Agglo &lt;Nord&gt;</text>');
    expect(charts.subsidies).toContain('>0,96</text>');
    expect(charts.subsidies).toContain('>Région Hauts-de-France</text>');
    expect(charts.subsidies).toContain('>État</text>');
    expect(charts.insertion).toContain('>1 500</text>');
    expect(charts.insertion).toContain('>2022</text>');
  });

  it('HTML: escaped values, French header and dates, notes under the tables, sources with the estimated shares, four charts', () => {
    const html = bilanHtml(R, charts);
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain(SITUATION);
    expect(html).toContain('<td>Douaisis Agglo &lt;Nord&gt;</td>');
    expect(html).toContain('<td>Maisons &amp; Cités</td>');
    expect(html).not.toContain('Douaisis Agglo <Nord>');
    expect(html).toContain('<td class="n">1 410 000,05 €</td>');
    expect(html).toContain('<td class="n">5,4 %</td>');
    expect(html).toContain('<td class="n">31 décembre 2027</td>');
    expect(html.replace(/<svg[\s\S]*?<\/svg>/g, '')).not.toMatch(ISO_DATE);
    expect(html.match(/<svg\b/g)).toHaveLength(4);
    // Without a forecast (no `fan`), the four charts of the bilan only.
    for (const [k, title] of Object.entries(CHART_TITLES)) if (k !== 'fan') expect(html).toContain(title);
    expect(html).not.toContain(CHART_TITLES.fan);
    expect(html).toContain('@media print');
    expect(html).toContain(`<p class="note">${L.enTravauxNote.replace(/'/g, '&#39;')}</p>`);
    expect(html).toContain(`<h3>${L.sections.sources}</h3>`);
    expect(html).toContain('Chiffres estimés : 81,0 % des logements livrés');
    expect(html).toContain('002 §1a');
  });

  it('PDF: French headings, names, long dates and estimated shares in the extracted text, a first page that renders', async () => {
    const pdf = await bilanPdf(R, charts);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    for (const s of [
      'Engagement pour le Renouveau du Bassin Minier',
      'Situation au 31 décembre 2022',
      'Connaissances au 16 janvier 2023 à 1 h 00',
      L.sections.logements,
      L.sections.subventions,
      L.sections.energie,
      L.charts.trajectory,
      'Maisons & Cités',
      'Douaisis Agglo <Nord>',
      'Région Hauts-de-France',
      '1 410 000,05 €',
      '300 000,99 €',
      '23 000',
      '5,4 %',
      '327,5',
      'Part estimée',
      'Chiffres estimés',
    ]) {
      expect(text).toContain(s);
    }
    expect(text).not.toMatch(ISO_DATE);
    const page = await renderFirstPage(pdf, 50);
    // A4 at 50 dpi: 414 × 585 pixels, as PNG, with the header, tables and chart drawn on it.
    expect([page.width, page.height]).toEqual([414, 585]);
    expect(page.png.subarray(1, 4).toString()).toBe('PNG');
    expect([page.png.readUInt32BE(16), page.png.readUInt32BE(20)]).toEqual([414, 585]);
    expect(page.inked).toBeGreaterThan(0.02);
    expect(page.inked).toBeLessThan(0.6);
  });

  it('is reproducible: the same report gives the same bytes in every format', async () => {
    const again = await bilanCharts(structuredClone(R));
    expect(again).toEqual(charts);
    expect(bilanCsv(R)).toBe(bilanCsv(structuredClone(R)));
    expect(bilanHtml(R, charts)).toBe(bilanHtml(structuredClone(R), again));
    const x1 = await bilanXlsx(R);
    const z1 = bilanCsvZip(R);
    await new Promise((r) => setTimeout(r, 2100)); // ZIP times have a 2 s resolution
    expect((await bilanXlsx(structuredClone(R))).equals(x1)).toBe(true);
    expect(bilanCsvZip(structuredClone(R)).equals(z1)).toBe(true);
    expect((await bilanPdf(structuredClone(R), again)).equals(await bilanPdf(R, charts))).toBe(true);
  });

  it('formats euros from cents without floating point', () => {
    expect(frEuros(141_000_005)).toBe('1 410 000,05 €');
    expect(frEuros(-5)).toBe('-0,05 €');
    expect(frEuros(0)).toBe('0,00 €');
  });
});
