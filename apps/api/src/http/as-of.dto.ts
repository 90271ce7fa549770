import { isIsoDate } from '@erbm/shared';
import { RequestInvalid } from './problem-details.filter';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIsoDate } from '@erbm/platform';
import { IsISO8601, IsOptional } from 'class-validator';

/** Query parameters of every read model: business date and knowledge time (see docs/architecture.md#as-of). */
export class AsOfQuery {
  @ApiPropertyOptional({
    description: 'Business date YYYY-MM-DD: the situation on that date (default: today). Any real calendar date from 1900-01-01 to 2100-12-31: every date a command can record.',
    example: '2022-12-31',
    format: 'date',
  })
  @IsOptional()
  @IsIsoDate({ message: 'asOf must be a real calendar date YYYY-MM-DD between 1900-01-01 and 2100-12-31' })
  asOf?: string;

  @ApiPropertyOptional({ description: 'Knowledge time (ISO date-time): only what the system had recorded by then (default: now).', example: '2023-01-16T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'knownAt must be an ISO 8601 date-time' })
  knownAt?: string;
}

/**
 * Resolves the AsOfQuery against the clock: `asOf` defaults to today (UTC), `knownAt` to now.
 * @throws RequestInvalid (400) when `asOf` is not a real calendar date (e.g. 2022-02-30).
 */
export function resolveAsOf(q: AsOfQuery, now: string): { asOf: string; knownAt?: string } {
  const asOf = q.asOf ?? now.slice(0, 10);
  if (!isIsoDate(asOf)) throw new RequestInvalid([{ field: 'query:asOf', rule: 'isIsoDate', message: 'must be a real calendar date YYYY-MM-DD' }]);
  if (q.knownAt !== undefined && Number.isNaN(Date.parse(q.knownAt))) {
    throw new RequestInvalid([{ field: 'query:knownAt', rule: 'isDateTime', message: 'must be an ISO 8601 date-time' }]);
  }
  return { asOf, knownAt: q.knownAt ? new Date(q.knownAt).toISOString() : undefined };
}
