import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CLOCK, GetBilan, GetLogementsForecast, READ_DB } from '@erbm/platform';
import { type LogementsForecast } from '@erbm/forecasting';
import { type BilanReport, type SnapshotAnswer } from '@erbm/reporting';
import { CONTENT_TYPES, type ReportFormat, bilanCharts, forecastFanChart, renderBilan } from '@erbm/report-rendering';
import { type Clock } from '@erbm/shared';
import { Request, Response } from 'express';
import { type DataSource } from 'typeorm';
import { AGGREGATE_READERS, Roles, scopeOf } from '../auth/roles';
import { ApiAuth, ApiRead } from '../http/api-docs';
import { AsOfQuery, resolveAsOf } from '../http/as-of.dto';
import { conditionalRead } from '../read-models/snapshot-etag';

/**
 * The bilan as files: CSV, XLSX, printable HTML with charts, PDF. Same roles and scope as `GET /reports/bilan`
 * (a bailleur, EPCI or financer sees its own figures only); same (asOf, knownAt) → same bytes. The bilan is read
 * in one snapshot whose projection checkpoint is the file's weak ETag: `If-None-Match` with the current tag answers
 * 304 without building or rendering it.
 */
const FILE = { returns: 'The file', headers: { 'Content-Disposition': 'attachment; filename="bilan-<asOf>.<format>"' } };

@ApiTags('reports')
@ApiAuth()
@Roles(...AGGREGATE_READERS)
@Controller('reports')
export class ReportFormatsController {
  constructor(
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(READ_DB) private readonly db: DataSource,
  ) {}

  private async send(format: ReportFormat, q: AsOfQuery, req: Request, res: Response): Promise<void> {
    const at = resolveAsOf(q, this.clock.now());
    const scope = scopeOf(req);
    const a = await conditionalRead(this.db, req, res, { path: req.path, query: { ...at }, scope }, () =>
      this.queries.execute<GetBilan, SnapshotAnswer<BilanReport>>(new GetBilan(at, scope)),
    );
    if (!a) {
      res.end();
      return;
    }
    const report = a.value;
    // HTML and PDF carry the forecast's fan chart, as known at the same time and in the same scope.
    const charts =
      format === 'html' || format === 'pdf'
        ? { ...(await bilanCharts(report)), fan: await forecastFanChart(await this.queries.execute<GetLogementsForecast, LogementsForecast>(new GetLogementsForecast(at, {}, scope))) }
        : undefined;
    const body = await renderBilan(report, format, charts, this.clock.now());
    res.setHeader('Content-Type', CONTENT_TYPES[format]);
    res.setHeader('Content-Disposition', `${format === 'html' ? 'inline' : 'attachment'}; filename="bilan-${report.asOf}.${format}"`);
    res.send(body);
  }

  @Get('bilan.csv')
  @ApiRead({ snapshot: true, summary: 'The bilan as French CSV (; separator, UTF-8 with BOM, one section per table, euros with a decimal comma)', file: 'text/csv', ...FILE })
  csv(@Query() q: AsOfQuery, @Req() req: Request, @Res() res: Response) {
    return this.send('csv', q, req, res);
  }

  @Get('bilan.zip')
  @ApiRead({
    snapshot: true,
    summary: 'The bilan as CSV files in a ZIP: one table per file (; separator, UTF-8 with BOM, units in the headers) and LISEZMOI.txt',
    file: 'application/zip',
    ...FILE,
  })
  zip(@Query() q: AsOfQuery, @Req() req: Request, @Res() res: Response) {
    return this.send('zip', q, req, res);
  }

  @Get('bilan.xlsx')
  @ApiRead({ snapshot: true, summary: 'The bilan as an XLSX workbook, one table per sheet (frozen header row with filters)', file: CONTENT_TYPES.xlsx, ...FILE })
  xlsx(@Query() q: AsOfQuery, @Req() req: Request, @Res() res: Response) {
    return this.send('xlsx', q, req, res);
  }

  @Get('bilan.html')
  @ApiRead({ snapshot: true, summary: 'The bilan as a printable French HTML report with its four charts and the forecast fan chart (inline SVG)', file: 'text/html', returns: 'The report', headers: { 'Content-Disposition': 'inline; filename="bilan-<asOf>.html"' } })
  html(@Query() q: AsOfQuery, @Req() req: Request, @Res() res: Response) {
    return this.send('html', q, req, res);
  }

  @Get('bilan.pdf')
  @ApiRead({ snapshot: true, summary: 'The bilan as a PDF (same content as the HTML report)', file: 'application/pdf', ...FILE })
  pdf(@Query() q: AsOfQuery, @Req() req: Request, @Res() res: Response) {
    return this.send('pdf', q, req, res);
  }
}
