import { ApiProperty } from '@nestjs/swagger';
import { DPE_CLASSES, DPE_SCALES } from '@erbm/operations';
import { IsIn } from 'class-validator';
import { IsIntegerIn } from './validators';

/** Energy performance: primary energy (integer kWhEP/m².an), DPE class and the scale version (REFERENCE.md §9). */
export class EnergyDto {
  @ApiProperty({ description: 'Primary energy consumption, kWhEP/m².an (integer)', example: 104, minimum: 0, maximum: 2000 })
  @IsIntegerIn(0, 2000)
  primaryEnergyKwhPerM2Year!: number;

  @ApiProperty({ description: 'DPE class; never better than the primary energy alone gives on the scale', enum: [...DPE_CLASSES], example: 'B' })
  @IsIn(DPE_CLASSES)
  dpeClass!: (typeof DPE_CLASSES)[number];

  @ApiProperty({ enum: [...DPE_SCALES], description: 'DPE scale version (DPE since 1 July 2021)', example: '2021' })
  @IsIn(DPE_SCALES)
  dpeScale!: (typeof DPE_SCALES)[number];
}

