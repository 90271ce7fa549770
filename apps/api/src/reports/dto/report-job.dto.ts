import { ApiProperty } from '@nestjs/swagger';
import { type JobState } from '@erbm/application';
import { REPORT_FORMATS } from '@erbm/report-rendering';
import { ANY_JSON } from '../../http/api-docs';

/** Response DTOs of the report jobs (POST /reports/bilan/jobs, GET /reports/jobs/{jobId}). */

export class QueuedJobDto {
  @ApiProperty({ example: 'bilan-2022-12-31-known-2023-01-16T00-00-00-000Z' })
  jobId!: string;
  @ApiProperty({ example: '/reports/jobs/bilan-2022-12-31-known-2023-01-16T00-00-00-000Z' })
  statusUrl!: string;
}

const JOB_STATES: JobState[] = ['waiting', 'active', 'completed', 'failed', 'delayed', 'unknown'];

export class ReportFileDto {
  @ApiProperty({ enum: REPORT_FORMATS, example: 'pdf' })
  format!: string;
  @ApiProperty({ description: 'Path of the file under REPORTS_DIR', example: 'reports/bilan-2022-12-31.pdf' })
  file!: string;
  @ApiProperty({ example: 183204 })
  bytes!: number;
  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' })
  sha256!: string;
}

/**
 * A job's status. The payload and result depend on the job: for `report.bilan`, payload `{ asOf, knownAt?, formats? }`
 * and result `{ file, files[], delivered, target }`; for `import.commands`, payload `{ importId }` and result
 * `{ total, accepted, duplicates, rejected }`.
 */
export class JobStatusDto {
  @ApiProperty({ example: 'bilan-2022-12-31-known-2023-01-16T00-00-00-000Z' })
  id!: string;
  @ApiProperty({ enum: ['report.bilan', 'import.commands'], example: 'report.bilan' })
  name!: string;
  @ApiProperty({ enum: JOB_STATES, example: 'completed' })
  state!: JobState;
  @ApiProperty({ description: '0–100', example: 100 })
  progress!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What was asked', example: { asOf: '2022-12-31', knownAt: '2023-01-16T00:00:00.000Z' } })
  payload!: Record<string, unknown>;
  @ApiProperty({ ...ANY_JSON, description: 'Null until the job completes' })
  result!: unknown;
  @ApiProperty({ type: String, nullable: true, description: 'Reason of the last failure' })
  error!: string | null;
  @ApiProperty({ example: 1 })
  attempts!: number;
}
