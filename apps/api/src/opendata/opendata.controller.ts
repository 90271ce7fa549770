import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig, CLOCK, READ_DB } from '@erbm/platform';
import { SCDL_FIELDS, SCDL_SCHEMA, SCDL_VERSION, type ScdlViolation, scdlCsv, scdlGrantFacts, scdlJsonRow, toScdlRows, validateScdl } from '@erbm/opendata';
import { readSnapshot } from '@erbm/reporting';
import { type Clock } from '@erbm/shared';
import { IsIn, IsOptional } from 'class-validator';
import { Request, Response } from 'express';
import { type DataSource } from 'typeorm';
import { ApiAuth, ApiRead } from '../http/api-docs';
import { AsOfQuery, resolveAsOf } from '../http/as-of.dto';
import { Roles, scopeOf } from '../auth/roles';
import { conditionalRead } from '../read-models/snapshot-etag';
import { ScdlExportDto } from './dto/scdl.dto';

export class ScdlCsvQuery extends AsOfQuery {
  @ApiPropertyOptional({ enum: ['comma', 'semicolon'], default: 'comma', description: 'Column separator of the CSV file', example: 'comma' })
  @IsOptional()
  @IsIn(['comma', 'semicolon'])
  separator?: 'comma' | 'semicolon';
}

const OPENDATA_ROLES = 'the open-data export is for the délégation, the comité de pilotage and the financers';

/**
 * Open data: grants in the SCDL Subventions 2.1.1 format (docs/opendata.md). The grants are read in one snapshot
 * whose projection checkpoint is the weak ETag (and `checkpoint` in the JSON): `If-None-Match` with the current tag
 * answers 304 without reading them.
 */
@ApiTags('open data')
@ApiAuth()
@Roles('delegation', 'copil', 'financer')
@Controller('opendata')
export class OpenDataController {
  constructor(
    @Inject(READ_DB) private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The rows and their validation, or null after a 304 (`conditionalRead`). */
  private async rows(q: AsOfQuery, req: Request, res: Response, extra: Record<string, unknown> = {}) {
    const at = resolveAsOf(q, this.clock.now());
    const scope = scopeOf(req);
    const a = await conditionalRead(this.db, req, res, { path: req.path, query: { ...at, ...extra }, scope }, () =>
      readSnapshot(this.db, (tx) => scdlGrantFacts(tx, at, scope.kind === 'financer' ? scope.code : undefined)),
    );
    if (!a) return null;
    const rows = toScdlRows(a.value, { attribuantSirets: this.config.attribuantSirets });
    return { at, rows, violations: validateScdl([...SCDL_FIELDS], rows), checkpoint: a.checkpoint };
  }

  @Get('subventions.csv')
  @ApiRead({ snapshot: true,
    summary: 'Grants decided by asOf (as known at knownAt) in SCDL Subventions 2.1.1, CSV UTF-8 (a financer gets its own grants)',
    file: 'text/csv',
    returns: 'The file',
    headers: {
      'Content-Disposition': 'attachment; filename="subventions-<asOf>.csv"',
      'X-SCDL-Schema': 'scdl/subventions@2.1.1',
      'X-SCDL-Violations': 'Number of violations of the schema’s constraints (0: valid)',
    },
    forbidden: OPENDATA_ROLES,
  })
  async csv(@Query() q: ScdlCsvQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<string | null> {
    const read = await this.rows(q, req, res, { separator: q.separator ?? 'comma' });
    if (!read) return null;
    const { at, rows, violations } = read;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="subventions-${at.asOf}.csv"`);
    res.setHeader('X-SCDL-Schema', `${SCDL_SCHEMA}@${SCDL_VERSION}`);
    res.setHeader('X-SCDL-Violations', String(violations.length));
    return scdlCsv(rows, q.separator === 'semicolon' ? ';' : ',');
  }

  @Get('subventions.json')
  @ApiRead({ snapshot: true, summary: 'The same grants as JSON rows typed as the schema says, with the validation against its constraints', type: ScdlExportDto, forbidden: OPENDATA_ROLES })
  async json(@Query() q: AsOfQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const read = await this.rows(q, req, res);
    if (!read) return null;
    const { at, rows, violations, checkpoint } = read;
    return {
      schema: SCDL_SCHEMA,
      version: SCDL_VERSION,
      asOf: at.asOf,
      knownAt: at.knownAt ?? null,
      fields: SCDL_FIELDS,
      count: rows.length,
      data: rows.map(scdlJsonRow),
      validation: { valid: violations.length === 0, violations: violations as ScdlViolation[] },
      checkpoint,
    };
  }
}
