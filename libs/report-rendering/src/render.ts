import { type BilanReport } from '@erbm/reporting';
import { type BilanCharts, bilanCharts } from './charts';
import { bilanCsv } from './csv';
import { bilanHtml } from './html';
import { bilanPdf } from './pdf';
import { bilanXlsx } from './xlsx';

export const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'html', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
};

/**
 * Renders the bilan in one format as bytes. `charts` may be passed to render them once for HTML and PDF.
 */
export async function renderBilan(r: BilanReport, format: ReportFormat, charts?: BilanCharts): Promise<Buffer> {
  switch (format) {
    case 'json':
      return Buffer.from(`${JSON.stringify(r, null, 2)}\n`, 'utf8');
    case 'csv':
      return Buffer.from(bilanCsv(r), 'utf8');
    case 'xlsx':
      return bilanXlsx(r);
    case 'html':
      return Buffer.from(bilanHtml(r, charts ?? (await bilanCharts(r))), 'utf8');
    case 'pdf':
      return bilanPdf(r, charts ?? (await bilanCharts(r)));
  }
}
