import { ApiProperty } from '@nestjs/swagger';
import { type FieldChange, type HistoryEntry } from '@erbm/stream-history';
import { ANY_JSON } from '../../http/api-docs';
import { CHANNELS } from '../../http/stream.dto';

/** Response DTOs of the audit histories (GET /operations/{operationId}/history…). */

export class FieldChangeDto implements FieldChange {
  @ApiProperty({ description: 'Dotted path of the changed field', example: 'logements' })
  field!: string;
  @ApiProperty({ ...ANY_JSON, example: 60 })
  before!: unknown;
  @ApiProperty({ ...ANY_JSON, example: 58 })
  after!: unknown;
}

export class HistoryActorDto {
  @ApiProperty({ example: 'bailleur:SIA_HABITAT' })
  organisation!: string;
  @ApiProperty({ example: 'patrimoine@sia-habitat.fr' })
  user!: string;
  @ApiProperty({ enum: CHANNELS, example: 'api' })
  channel!: string;
  @ApiProperty({ type: String, nullable: true, example: 'sia-connector' })
  clientId!: string | null;
}

export class HistoryEntryDto implements HistoryEntry {
  @ApiProperty({ description: '1-based position in the stream', example: 6 })
  position!: number;
  @ApiProperty({ example: 'operation.LogementsDeliveryCorrected.v1' })
  type!: string;
  @ApiProperty({ format: 'date-time', description: 'Knowledge time: when the system recorded the fact' })
  recordedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: "The fact's own date", example: '2021-01-20' })
  businessDate!: string | null;
  @ApiProperty({ type: HistoryActorDto })
  actor!: HistoryActorDto;
  @ApiProperty({ example: '7b0c6a52-5a1f-4c55-9a43-2b8f2c1d9e10' })
  correlationId!: string;
  @ApiProperty({ example: 'sia-2021-01-livraison-1-correction' })
  commandId!: string;
  @ApiProperty({ description: 'What happened, in French', example: 'Livraison livraison-2021-01 corrigée : 58 logements (au lieu de 60)' })
  summary!: string;
  @ApiProperty({ type: [FieldChangeDto], description: 'Before → after, for corrections and amendments' })
  changes!: FieldChangeDto[];
  @ApiProperty({ type: String, nullable: true, example: 'Erreur de saisie' })
  reason!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null })
  source!: string | null;
  @ApiProperty({ example: false })
  estimated!: boolean;
}

export class HistoryViewDto {
  @ApiProperty({ example: 'operation-op-darcy-t1' })
  streamId!: string;
  @ApiProperty({ description: 'Stream version; the ETag', example: 7 })
  version!: number;
  @ApiProperty({ type: [HistoryEntryDto] })
  entries!: HistoryEntryDto[];
}
