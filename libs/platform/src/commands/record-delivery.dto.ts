import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import { IsIntegerIn, IsIsoDate, IsKebabId, IsText } from './validators';
import { EnergyDto } from './energy.dto';

/** Largest number of logements in one operation or delivery (a sanity bound of the domain). */
export const MAX_LOGEMENTS = 100_000;

/** Body of POST /operations/{operationId}/deliveries (command `operation.RecordLogementsDelivery`). */
export class RecordDeliveryDto {
  @ApiProperty({ description: 'Id of this delivery within the operation (kebab-case)', example: 'livraison-2021-01' })
  @IsKebabId()
  deliveryId!: string;

  @ApiProperty({ description: 'Delivery date (ISO date), on or after the start of travaux', example: '2021-01-20', format: 'date' })
  @IsIsoDate()
  deliveredOn!: string;

  @ApiProperty({ description: 'Logements delivered (integer ≥ 1); cumulated deliveries never exceed the planned logements', example: 60, minimum: 1, maximum: MAX_LOGEMENTS })
  @IsIntegerIn(1, MAX_LOGEMENTS)
  logements!: number;

  @ApiProperty({ type: EnergyDto, description: 'Energy performance before works' })
  @IsObject()
  @ValidateNested()
  @Type(() => EnergyDto)
  energyBefore!: EnergyDto;

  @ApiProperty({ type: EnergyDto, description: 'Energy performance after works' })
  @IsObject()
  @ValidateNested()
  @Type(() => EnergyDto)
  energyAfter!: EnergyDto;
}

/**
 * Body of POST /operations/{operationId}/deliveries/{deliveryId}/corrections (command
 * `operation.CorrectLogementsDelivery`): the delivery's corrected figures, which replace the recorded ones.
 */
export class CorrectDeliveryDto {
  @ApiProperty({ description: 'Corrected delivery date (ISO date), on or after the start of travaux', example: '2021-01-22', format: 'date' })
  @IsIsoDate()
  deliveredOn!: string;

  @ApiProperty({ description: 'Corrected logements delivered (integer ≥ 0; 0 cancels the delivery)', example: 58, minimum: 0, maximum: MAX_LOGEMENTS })
  @IsIntegerIn(0, MAX_LOGEMENTS)
  logements!: number;

  @ApiProperty({ type: EnergyDto, description: 'Corrected energy performance before works' })
  @IsObject()
  @ValidateNested()
  @Type(() => EnergyDto)
  energyBefore!: EnergyDto;

  @ApiProperty({ type: EnergyDto, description: 'Corrected energy performance after works' })
  @IsObject()
  @ValidateNested()
  @Type(() => EnergyDto)
  energyAfter!: EnergyDto;

  @ApiProperty({ description: 'Why the figures are corrected (at most 1000 characters)', example: 'Deux logements comptés deux fois', maxLength: 1000 })
  @IsText(1000)
  reason!: string;
}
