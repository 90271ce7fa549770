import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';

/** Energy performance: primary energy (integer kWhEP/m².an), DPE class and the scale version (REFERENCE.md §9). */
export class EnergyDto {
  @ApiProperty({ description: 'Primary energy consumption, kWhEP/m².an (integer)', example: 104, minimum: 0, maximum: 2000 })
  @IsInt()
  @Min(0)
  @Max(2000)
  primaryEnergyKwhPerM2Year!: number;

  @ApiProperty({ enum: ['A', 'B', 'C', 'D', 'E', 'F', 'G'], example: 'B' })
  @IsIn(['A', 'B', 'C', 'D', 'E', 'F', 'G'])
  dpeClass!: string;

  @ApiProperty({ enum: ['2021'], description: 'DPE scale version (DPE since 1 July 2021)', example: '2021' })
  @IsIn(['2021'])
  dpeScale!: string;
}
