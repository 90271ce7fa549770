import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, Matches, Max, Min, ValidateNested } from 'class-validator';
import { EnergyDto } from './energy.dto';

export const ID = /^[a-z0-9][a-z0-9-]{0,79}$/;
export const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Body of POST /operations/{operationId}/deliveries (command `operation.RecordLogementsDelivery`). */
export class RecordDeliveryDto {
  @ApiProperty({ description: 'Id of this delivery within the operation (kebab-case)', example: 'livraison-2021-01' })
  @Matches(ID, { message: 'deliveryId must be kebab-case [a-z0-9-], at most 80 characters' })
  deliveryId!: string;

  @ApiProperty({ description: 'Delivery date (ISO date), on or after the start of travaux', example: '2021-01-20' })
  @Matches(DATE, { message: 'deliveredOn must be a date YYYY-MM-DD' })
  deliveredOn!: string;

  @ApiProperty({ description: 'Logements delivered (integer ≥ 1); cumulated deliveries never exceed the planned logements', example: 60 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  logements!: number;

  @ApiProperty({ type: EnergyDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => EnergyDto)
  energyBefore!: EnergyDto;

  @ApiProperty({ type: EnergyDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => EnergyDto)
  energyAfter!: EnergyDto;
}
