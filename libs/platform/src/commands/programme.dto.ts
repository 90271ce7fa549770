import { ApiProperty } from '@nestjs/swagger';
import { AXIS_CODE } from '@erbm/programme';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, Matches, ValidateNested } from 'class-validator';
import { IsIntegerIn, IsIsoDate, IsKebabId, IsText } from './validators';

/** Body of POST /programmes (command `programme.LaunchProgramme`). */
export class LaunchProgrammeDto {
  @ApiProperty({ description: 'Programme id (kebab-case, at most 80 characters)', example: 'erbm' })
  @IsKebabId()
  programmeId!: string;

  @ApiProperty({ description: 'Name of the programme (at most 256 characters)', example: 'Engagement pour le Renouveau du Bassin Minier Nord-Pas de Calais', maxLength: 256 })
  @IsText(256)
  name!: string;

  @ApiProperty({ description: 'Signature date (ISO date YYYY-MM-DD)', example: '2017-03-07', format: 'date' })
  @IsIsoDate()
  signedOn!: string;

  @ApiProperty({ description: 'First year of the programme (integer year)', example: 2017, minimum: 1900, maximum: 2100 })
  @IsIntegerIn(1900, 2100)
  startYear!: number;

  @ApiProperty({ description: 'Last year of the programme (integer year, not before startYear)', example: 2027, minimum: 1900, maximum: 2100 })
  @IsIntegerIn(1900, 2100)
  endYear!: number;
}

/** Body of POST /programmes/{programmeId}/targets (command `programme.SetTarget`). */
export class SetTargetDto {
  @ApiProperty({ description: 'Target version: 1 for the first, then exactly the previous version + 1', example: 1, minimum: 1 })
  @IsIntegerIn(1)
  targetVersion!: number;

  @ApiProperty({ description: 'Logements to renovate (integer count)', example: 23000, minimum: 1 })
  @IsIntegerIn(1)
  logements!: number;

  @ApiProperty({ description: 'Energy goal after works, primary energy in kWhEP/m².an (integer)', example: 130, minimum: 1 })
  @IsIntegerIn(1)
  energyGoalKwhPerM2Year!: number;

  @ApiProperty({ description: 'Date by which the target is to be met (ISO date)', example: '2027-12-31', format: 'date' })
  @IsIsoDate()
  targetDate!: string;

  @ApiProperty({ description: 'Date from which this version applies (ISO date, not before the previous version)', example: '2017-03-07', format: 'date' })
  @IsIsoDate()
  effectiveFrom!: string;

  @ApiProperty({ description: 'Where the figures come from (at most 1000 characters)', example: '002 §1a (23 000 logements, < 130 kWh/m²)', maxLength: 1000 })
  @IsText(1000)
  source!: string;
}

/** One axis of an axis set. */
export class AxisDto {
  @ApiProperty({ description: 'Axis code: a digit for a top axis, digit + letter for a sub-axis', example: '1a', pattern: AXIS_CODE.source })
  @Matches(AXIS_CODE, { message: '$property must be an axis code: a digit 1–9, optionally followed by a letter (1, 1a)' })
  code!: string;

  @ApiProperty({ description: 'Label (at most 256 characters)', example: 'Rénover les cités minières', maxLength: 256 })
  @IsText(256)
  label!: string;

  @ApiProperty({ description: 'Null for a top axis; for a sub-axis, the code of its top axis (in the same set)', example: '1', nullable: true, required: false, type: String })
  @IsOptional()
  @Matches(/^[1-9]$/, { message: '$property must be null or the code of a top axis (1–9)' })
  parentCode?: string | null = null;
}

/** Body of POST /programmes/{programmeId}/axis-sets (command `programme.PublishAxisSet`). */
export class PublishAxisSetDto {
  @ApiProperty({ description: 'Version of the axis structure (kebab-case, unique within the programme)', example: 'bilan-2022' })
  @IsKebabId()
  axisSetVersion!: string;

  @ApiProperty({ description: 'Date from which the structure applies (ISO date)', example: '2017-03-07', format: 'date' })
  @IsIsoDate()
  effectiveFrom!: string;

  @ApiProperty({
    description: '1 to 200 axes with unique codes; top axes first-level (parentCode null), sub-axes under a top axis of the set',
    type: [AxisDto],
    example: [
      { code: '1', label: 'Améliorer le cadre de vie', parentCode: null },
      { code: '1a', label: 'Rénover les cités minières', parentCode: '1' },
    ],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => AxisDto)
  axes!: AxisDto[];

  @ApiProperty({ description: 'Where the structure comes from (at most 1000 characters)', example: '002 sommaire', maxLength: 1000 })
  @IsText(1000)
  source!: string;
}
