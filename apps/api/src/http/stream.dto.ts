import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type Actor, type Channel, type EventMetadata, type RecordedEvent } from '@erbm/event-store';
import { type StreamView } from '@erbm/platform';

/*
 * Response DTOs of the stream reads (GET /operations/{operationId}, /grants/{grantId},
 * /insertion/declarations/{declarationId}): the stored events as the event store port returns them.
 */

export const CHANNELS: Channel[] = ['api', 'import', 'cli', 'system'];

/** Who acted: organisation, user, channel and, for API calls, the API client. */
export class ActorDto implements Actor {
  @ApiProperty({ example: 'bailleur:SIA_HABITAT' })
  organisation!: string;

  @ApiProperty({ description: 'X-Acting-User, the token e-mail / sub, or the client id', example: 'patrimoine@sia-habitat.fr' })
  user!: string;

  @ApiProperty({ enum: CHANNELS, example: 'api' })
  channel!: Channel;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'API client (`oidc:<client>` for a token); absent on older events', example: 'sia-connector' })
  clientId?: string | null;
}

/** Metadata stored with every event. */
export class EventMetadataDto implements EventMetadata {
  @ApiProperty({ description: 'Id of the command (the idempotency key) that produced the event', example: 'sia-2021-01-livraison-1' })
  commandId!: string;

  @ApiPropertyOptional({ description: "SHA-256 of the command's type and parsed data" })
  commandHash?: string;

  @ApiProperty({ description: 'Correlation id of the request or import', example: '7b0c6a52-5a1f-4c55-9a43-2b8f2c1d9e10' })
  correlationId!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Id of the event or command that caused this one' })
  causationId!: string | null;

  @ApiProperty({ type: ActorDto })
  actor!: ActorDto;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Where the figure comes from (document and section), for reconstructed or imported data', example: '002 §1a' })
  source?: string | null;

  @ApiPropertyOptional({ description: 'True when the figure is an estimate, not a published value' })
  estimated?: boolean;
}

/** One stored event. */
export class RecordedEventDto implements RecordedEvent {
  @ApiProperty({ format: 'uuid' })
  eventId!: string;

  @ApiProperty({ example: 'operation-op-darcy-t1' })
  streamId!: string;

  @ApiProperty({ description: '1-based position in its stream', example: 3 })
  streamPosition!: number;

  @ApiProperty({ description: 'Opaque, totally ordered position in the global log', example: '0/1A2B3C8' })
  checkpoint!: string;

  @ApiProperty({ description: 'Number of the event in the global log (a decimal string)', example: '1042' })
  globalPosition!: string;

  @ApiProperty({ description: 'Versioned event type', example: 'operation.LogementsDelivered.v1' })
  type!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The fact, as docs/events.md describes each type' })
  data!: Record<string, unknown>;

  @ApiProperty({ type: EventMetadataDto })
  metadata!: EventMetadataDto;

  @ApiProperty({ format: 'date-time', description: 'Knowledge time: when the system learnt the fact (UTC)' })
  recordedAt!: string;
}

/** An aggregate's stream: its events in order and its version (also the ETag). */
export class StreamViewDto implements StreamView {
  @ApiProperty({ example: 'operation-op-darcy-t1' })
  streamId!: string;

  @ApiProperty({ description: 'Number of events in the stream; the ETag', example: 7 })
  version!: number;

  @ApiProperty({ type: [RecordedEventDto] })
  events!: RecordedEventDto[];
}
