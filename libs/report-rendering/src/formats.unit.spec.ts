import { pdfText, renderFirstPage } from '@erbm/test-support/pdf';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { renderBilanText } from './bilan.text';
import { L } from '@erbm/reporting';
import { BILAN_FIXTURE as R } from '@erbm/reporting/testing';
import { type BilanCharts, CHART_TITLES, bilanChartSpecs, bilanCharts } from './charts';
import { bilanCsv } from './csv';
import { bilanHtml } from './html';
import { bilanPdf } from './pdf';
import { frEuros } from './tables';
import { EUR_FORMAT, INT_FORMAT, PCT_FORMAT, bilanXlsx } from './xlsx';

let charts: BilanCharts;

beforeAll(async () => {
  charts = await bilanCharts(R);
});

/** Splits the parsed CSV records into sections (title → rows after the header). */
function sections(records: string[][]): Map<string, { head: string[]; rows: string[][] }> {
  const out = new Map<string, { head: string[]; rows: string[][] }>();
  let i = 2;
  while (i < records.length) {
    const title = records[i][0];
    const head = records[i + 1];
    const rows: string[][] = [];
    i += 2;
    while (i < records.length && !(records[i].length === 1 && records[i][0] === '')) rows.push(records[i++]);
    out.set(title, { head, rows });
    i++;
  }
  return out;
}

describe('bilan formats', () => {
  it('shares its labels with the French text rendering', () => {
    const text = renderBilanText(R);
    for (const label of [L.sections.logements, L.byEpci, L.subByFinancer, L.insByYear, L.objectif]) expect(text).toContain(label);
  });

  it('CSV: BOM, `;`, one section per table, decimal euros with a comma from cents', () => {
    const csv = bilanCsv(R);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const records = parse(csv.slice(1), { delimiter: ';', relax_column_count: true, skip_empty_lines: false }) as string[][];
    expect(records[0]).toEqual(['Bilan ERBM', 'Situation au', '2022-12-31', 'Connaissances au', '2023-01-16T00:00:00.000Z']);
    const s = sections(records);
    expect(s.get('Synthèse')!.rows).toEqual(
      expect.arrayContaining([
        [L.objectif, '23000'],
        [L.livres, '1234'],
        [L.taux, '5,4'],
        [L.subDecided, '1410000,05'],
        [L.subPaid, '300000,99'],
      ]),
    );
    expect(s.get(L.byEpci)).toEqual({
      head: ['Code', 'EPCI', 'Livrés', 'Part'],
      rows: [
        ['CALL', "Communauté d'agglomération de Lens-Liévin", '1000', '81'],
        ['CAD', 'Douaisis Agglo <Nord>', '234', '19'],
      ],
    });
    expect(s.get(L.subByFinancer)!.rows).toEqual([
      ['ETAT', '960000,00', '300000,99'],
      ['REGION_HDF', '450000,05', '0,00'],
      ['Total', '1410000,05', '300000,99'],
    ]);
    expect(s.get(L.subDetail)!.rows[1]).toEqual(['REGION_HDF', 'CALL', '1a', 'fonds-conjoint-etat-region', '2021', '450000,05', '0,00']);
    expect(s.get(L.insByYear)!.rows).toEqual([
      ['2021', '1500', '7', '3'],
      ['2022', '250', '6', '2'],
    ]);
    expect(s.get(L.sections.energie)!.rows).toContainEqual([L.enBefore, '327,5']);
    expect(s.get(L.byBailleur)!.rows[1]).toEqual(['MAISONS_ET_CITES', 'Maisons & Cités', '334', '27,1']);
  });

  it('XLSX: one sheet per section, numbers with number formats, euros from cents', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await bilanXlsx(R)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Synthèse', 'Par EPCI', 'Par bailleur', 'Par cité', 'Par financeur', 'Par axe', 'Phases', 'Subventions', 'Insertion', 'Énergie']);
    const find = (sheet: string, label: string) => {
      const ws = wb.getWorksheet(sheet)!;
      let found: ExcelJS.Row | undefined;
      ws.eachRow((row) => {
        if (!found && row.getCell(1).value === label) found = row;
      });
      if (!found) throw new Error(`${label} not in ${sheet}`);
      return found;
    };
    const delivered = find('Synthèse', L.livres).getCell(2);
    expect([delivered.value, delivered.numFmt]).toEqual([1234, INT_FORMAT]);
    const decided = find('Synthèse', L.subDecided).getCell(2);
    expect([decided.value, decided.numFmt]).toEqual([1410000.05, EUR_FORMAT]);
    const rate = find('Synthèse', L.taux).getCell(2);
    expect([rate.value, rate.numFmt]).toEqual([0.054, PCT_FORMAT]);
    const etat = find('Subventions', 'ETAT');
    expect([etat.getCell(2).value, etat.getCell(3).value, etat.getCell(3).numFmt]).toEqual([960000, 300000.99, EUR_FORMAT]);
    const cad = find('Par EPCI', 'CAD');
    expect([cad.getCell(2).value, cad.getCell(3).value, cad.getCell(4).value]).toEqual(['Douaisis Agglo <Nord>', 234, 0.19]);
    expect(find('Énergie', 'F').getCell(2).value).toBe(60);
    const insertionAxis = find('Par axe', '2e');
    expect([insertionAxis.getCell(2).value, insertionAxis.getCell(6).value]).toEqual(["Agir par l'insertion et la formation", 1750]);
    expect(find('Par axe', '1a').getCell(4).value).toBe(1420000);
    expect(wb.created.toISOString()).toBe('2023-01-16T00:00:00.000Z');
  });

  it('charts: four well-formed SVGs with French titles and data labels', () => {
    const specs = bilanChartSpecs(R);
    expect(Object.keys(specs)).toEqual(['trajectory', 'byEpci', 'subsidies', 'insertion']);
    for (const [k, svg] of Object.entries(charts) as [keyof BilanCharts, string][]) {
      expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>$/);
      expect(svg.match(/<svg\b/g)).toHaveLength(1);
      expect(svg).toContain(`>${CHART_TITLES[k]}</text>`);
      expect(svg).not.toMatch(/[\u202f\u00a0]/);
    }
    expect(charts.trajectory).toContain('>1 234</text>');
    expect(charts.trajectory).toContain('>23 000</text>');
    expect(charts.trajectory).toContain('>Trajectoire linéaire</text>');
    expect(charts.byEpci).toContain('>1 000</text>');
    expect(charts.byEpci).toContain('>234</text>');
    expect(charts.byEpci).toContain('>CAD</text>'); // codes on the chart axis; full (escaped) names are in the tables
    expect(charts.subsidies).toContain('>0,96</text>');
    expect(charts.subsidies).toContain('>REGION_HDF</text>');
    expect(charts.insertion).toContain('>1 500</text>');
    expect(charts.insertion).toContain('>2022</text>');
  });

  it('HTML: escaped values, header, sources and the four charts inline', () => {
    const html = bilanHtml(R, charts);
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('Situation au 31/12/2022 — connaissances au 16/01/2023 00:00 UTC');
    expect(html).toContain('<td>Douaisis Agglo &lt;Nord&gt;</td>');
    expect(html).toContain('<td>Maisons &amp; Cités</td>');
    expect(html).not.toContain('Douaisis Agglo <Nord>');
    expect(html).toContain('<td class="n">1 410 000,05 €</td>');
    expect(html).toContain('<td class="n">5,4 %</td>');
    expect(html.match(/<svg\b/g)).toHaveLength(4);
    // Without a forecast (no `fan`), the four charts of the bilan only.
    for (const [k, title] of Object.entries(CHART_TITLES)) if (k !== 'fan') expect(html).toContain(title);
    expect(html).not.toContain(CHART_TITLES.fan);
    expect(html).toContain('@media print');
    expect(html).toContain(`<h3>${L.sections.sources}</h3>`);
    expect(html).toContain('002 §1a');
  });

  it('PDF: French headings and figures in the extracted text, a first page that renders', async () => {
    const pdf = await bilanPdf(R, charts);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    for (const s of [
      'Engagement pour le Renouveau du Bassin Minier',
      'Situation au 31/12/2022 — connaissances au 16/01/2023 00:00 UTC',
      L.sections.logements,
      L.sections.subventions,
      L.sections.energie,
      L.charts.trajectory,
      'Maisons & Cités',
      'Douaisis Agglo <Nord>',
      '1 410 000,05 €',
      '300 000,99 €',
      '23 000',
      '5,4 %',
      '327,5',
    ]) {
      expect(text).toContain(s);
    }
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
    await new Promise((r) => setTimeout(r, 2100)); // ZIP times have a 2 s resolution
    expect((await bilanXlsx(structuredClone(R))).equals(x1)).toBe(true);
    expect((await bilanPdf(structuredClone(R), again)).equals(await bilanPdf(R, charts))).toBe(true);
  });

  it('formats euros from cents without floating point', () => {
    expect(frEuros(141_000_005)).toBe('1 410 000,05 €');
    expect(frEuros(-5)).toBe('-0,05 €');
    expect(frEuros(0)).toBe('0,00 €');
  });
});
