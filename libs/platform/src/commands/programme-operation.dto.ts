import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LOT_TYPES } from '@erbm/operations';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsOptional, Matches, ValidateNested } from 'class-validator';
import { IsIntegerIn, IsIsoDate, IsKebabId, IsRefCode, IsText, OPERATION_AXIS_CODE } from './validators';
import { MAX_LOGEMENTS } from './record-delivery.dto';

/** Planned start date of each phase after programmation (all optional; dates never go backwards along the phases). */
export class PlannedDatesDto {
  @ApiPropertyOptional({ description: 'Études (ISO date)', example: '2019-03-01', format: 'date' })
  @IsOptional()
  @IsIsoDate()
  etudes?: string;

  @ApiPropertyOptional({ description: 'Avant-projet (ISO date)', example: '2019-09-01', format: 'date' })
  @IsOptional()
  @IsIsoDate()
  avp?: string;

  @ApiPropertyOptional({ description: 'Autorisation de travaux (ISO date)', example: '2020-01-15', format: 'date' })
  @IsOptional()
  @IsIsoDate()
  autorisation?: string;

  @ApiPropertyOptional({ description: 'Travaux, ordre de service (ISO date)', example: '2020-06-01', format: 'date' })
  @IsOptional()
  @IsIsoDate()
  travaux?: string;

  @ApiPropertyOptional({ description: 'Livraisons (ISO date; logements operations only)', example: '2021-01-15', format: 'date' })
  @IsOptional()
  @IsIsoDate()
  livraisons?: string;

  @ApiPropertyOptional({ description: 'Terminée, réception (ISO date)', example: '2021-12-15', format: 'date' })
  @IsOptional()
  @IsIsoDate()
  terminee?: string;
}


/** A financing lot of a logements operation. */
export class LotDto {
  @ApiProperty({ description: 'Financing type of the lot', enum: [...LOT_TYPES], example: 'PALULOS' })
  @IsIn(LOT_TYPES)
  lotType!: (typeof LOT_TYPES)[number];

  @ApiProperty({ description: 'Logements in the lot (integer ≥ 1)', example: 120, minimum: 1, maximum: MAX_LOGEMENTS })
  @IsIntegerIn(1, MAX_LOGEMENTS)
  logements!: number;
}

/** Body of POST /operations/logements (command `operation.ProgrammeLogementsOperation`). */
export class ProgrammeLogementsOperationDto {
  @ApiProperty({ description: 'Operation id (kebab-case, at most 80 characters)', example: 'op-darcy-t1' })
  @IsKebabId()
  operationId!: string;

  @ApiProperty({ description: 'Registered cité the operation renovates', example: 'cite-darcy' })
  @IsKebabId()
  citeId!: string;

  @ApiProperty({ description: 'Registered bailleur carrying the operation (its owner)', example: 'SIA_HABITAT' })
  @IsRefCode()
  bailleurCode!: string;

  @ApiProperty({ description: 'Title (at most 256 characters)', example: 'Cité Darcy – réhabilitation thermique, tranche 1', maxLength: 256 })
  @IsText(256)
  title!: string;

  @ApiProperty({ description: 'Logements planned (integer ≥ 1; equals the sum of the lots)', example: 120, minimum: 1, maximum: MAX_LOGEMENTS })
  @IsIntegerIn(1, MAX_LOGEMENTS)
  plannedLogements!: number;

  @ApiProperty({ description: '`erbm`: subsidised under ERBM; `fonds-propres`: financed by the bailleur alone', enum: ['erbm', 'fonds-propres'], example: 'erbm' })
  @IsIn(['erbm', 'fonds-propres'])
  financing!: 'erbm' | 'fonds-propres';

  @ApiProperty({ description: 'Axis of the programme (top axis 1–4, optional sub-axis letter)', example: '1a', pattern: OPERATION_AXIS_CODE.source })
  @Matches(OPERATION_AXIS_CODE, { message: '$property must be an axis code 1–4 optionally followed by a letter a–g (1a)' })
  axisCode!: string;

  @ApiProperty({ description: '1 to 20 financing lots; their logements add up to plannedLogements', type: [LotDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => LotDto)
  lots!: LotDto[];

  @ApiProperty({ description: 'Programming date (ISO date), not after the first planned date', example: '2019-01-15', format: 'date' })
  @IsIsoDate()
  programmedOn!: string;

  @ApiProperty({ type: PlannedDatesDto, description: 'Planned start dates by phase (may be empty)' })
  @IsObject()
  @ValidateNested()
  @Type(() => PlannedDatesDto)
  plannedDates!: PlannedDatesDto;
}

/** Body of POST /operations/urbaines (command `operation.ProgrammeUrbanOperation`). */
export class ProgrammeUrbanOperationDto {
  @ApiProperty({ description: 'Operation id (kebab-case, at most 80 characters)', example: 'urb-cite-darcy' })
  @IsKebabId()
  operationId!: string;

  @ApiProperty({ description: 'Registered cité whose public spaces are renovated', example: 'cite-darcy' })
  @IsKebabId()
  citeId!: string;

  @ApiProperty({ description: 'Who leads the works', enum: ['commune', 'epci'], example: 'commune' })
  @IsIn(['commune', 'epci'])
  leadKind!: 'commune' | 'epci';

  @ApiProperty({ description: 'Name of the commune or EPCI leading (at most 160 characters)', example: 'Hénin-Beaumont', maxLength: 160 })
  @IsText(160)
  leadName!: string;

  @ApiProperty({ description: 'Title (at most 256 characters)', example: 'Cité Darcy – espaces publics', maxLength: 256 })
  @IsText(256)
  title!: string;

  @ApiProperty({ description: 'Axis of the programme (top axis 1–4, optional sub-axis letter)', example: '1a', pattern: OPERATION_AXIS_CODE.source })
  @Matches(OPERATION_AXIS_CODE, { message: '$property must be an axis code 1–4 optionally followed by a letter a–g (1a)' })
  axisCode!: string;

  @ApiProperty({ description: 'Programming date (ISO date), not after the first planned date', example: '2019-01-15', format: 'date' })
  @IsIsoDate()
  programmedOn!: string;

  @ApiProperty({ type: PlannedDatesDto, description: 'Planned start dates by phase (no livraisons for urban operations)' })
  @IsObject()
  @ValidateNested()
  @Type(() => PlannedDatesDto)
  plannedDates!: PlannedDatesDto;
}
