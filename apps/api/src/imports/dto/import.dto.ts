import { ApiProperty } from '@nestjs/swagger';
import { type ImportFormat, type ImportOutcome } from '@erbm/application';
import { type ImportRowView, type ImportStatus, type ImportView } from '@erbm/platform';
import { FieldViolationDto } from '../../http/api-docs';

/** Response DTOs of the bulk imports (docs/import-format.md). */

export class SubmittedImportDto {
  @ApiProperty({ example: 'imp-3f1c9a0e5b7d4c2a8e6f1b0d9c8a7e6f' })
  importId!: string;
  @ApiProperty({ example: '/imports/imp-3f1c9a0e5b7d4c2a8e6f1b0d9c8a7e6f' })
  statusUrl!: string;
  @ApiProperty({ example: '/imports/imp-3f1c9a0e5b7d4c2a8e6f1b0d9c8a7e6f/rows' })
  rowsUrl!: string;
  @ApiProperty({ description: 'True when this file (or Idempotency-Key) had already been submitted: the same import', example: false })
  resubmitted!: boolean;
}

export class ImportViewDto implements ImportView {
  @ApiProperty({ example: 'imp-3f1c9a0e5b7d4c2a8e6f1b0d9c8a7e6f' })
  importId!: string;
  @ApiProperty({ example: 'bailleur:SIA_HABITAT' })
  organisation!: string;
  @ApiProperty({ enum: ['queued', 'running', 'completed', 'failed'] })
  status!: ImportStatus;
  @ApiProperty({ enum: ['csv', 'jsonl'] })
  format!: ImportFormat;
  @ApiProperty({ description: 'Rows in the file', example: 120 })
  total!: number;
  @ApiProperty({ description: 'Rows handled so far', example: 120 })
  done!: number;
  @ApiProperty({ example: 117 })
  accepted!: number;
  @ApiProperty({ example: 2 })
  rejected!: number;
  @ApiProperty({ example: 1 })
  duplicates!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Last failure of the job' })
  error!: string | null;
  @ApiProperty({ example: 1 })
  attempts!: number;
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  finishedAt!: string | null;
}

export class ImportRowDto implements ImportRowView {
  @ApiProperty({ description: 'Line in the file (1-based, the CSV header excluded)', example: 3 })
  line!: number;
  @ApiProperty({ type: String, nullable: true, example: 'sia-2021-01-livraison-1' })
  commandId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'operation.RecordLogementsDelivery' })
  type!: string | null;
  @ApiProperty({ enum: ['accepted', 'duplicate', 'rejected'] })
  outcome!: ImportOutcome;
  @ApiProperty({ type: String, nullable: true, description: 'Error code of a rejected row', example: 'OPERATION.DELIVERY_EXCEEDS_PLANNED' })
  code!: string | null;
  @ApiProperty({ type: String, nullable: true })
  message!: string | null;
  @ApiProperty({ type: [FieldViolationDto] })
  violations!: FieldViolationDto[];
  @ApiProperty({ description: 'Events appended (accepted) or already there (duplicate)', example: 1 })
  events!: number;
}

export class ImportRowsPageDto {
  @ApiProperty({ example: 'imp-3f1c9a0e5b7d4c2a8e6f1b0d9c8a7e6f' })
  importId!: string;
  @ApiProperty({ description: 'Rows matching the filter', example: 120 })
  total!: number;
  @ApiProperty({ example: 100 })
  limit!: number;
  @ApiProperty({ example: 0 })
  offset!: number;
  @ApiProperty({ type: [ImportRowDto] })
  rows!: ImportRowDto[];
}
