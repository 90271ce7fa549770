import { ApiProperty } from '@nestjs/swagger';
import { MAX_HOURS, MAX_PERSONS_PER_PUBLIC } from '@erbm/insertion';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateNested } from 'class-validator';
import { IsIntegerIn, IsIsoDate, IsKebabId, IsRefCode, IsText } from './validators';

const persons = (description: string, example: number) => ({ description: `${description} (persons, integer)`, example, minimum: 0, maximum: MAX_PERSONS_PER_PUBLIC });

/** Persons per priority public, each counted once under their main public (REFERENCE.md §8). */
export class ByPublicDto {
  @ApiProperty(persons("Demandeurs d'emploi de longue durée", 3))
  @IsIntegerIn(0, MAX_PERSONS_PER_PUBLIC)
  deld!: number;

  @ApiProperty(persons('Bénéficiaires du RSA', 2))
  @IsIntegerIn(0, MAX_PERSONS_PER_PUBLIC)
  rsa!: number;

  @ApiProperty(persons('Jeunes de moins de 26 ans', 1))
  @IsIntegerIn(0, MAX_PERSONS_PER_PUBLIC)
  jeunes!: number;

  @ApiProperty(persons('Travailleurs handicapés (RQTH)', 0))
  @IsIntegerIn(0, MAX_PERSONS_PER_PUBLIC)
  rqth!: number;

  @ApiProperty(persons('Other eligible publics (ASS/AAH, SIAE, EPIDE, E2C…)', 0))
  @IsIntegerIn(0, MAX_PERSONS_PER_PUBLIC)
  autres!: number;
}


/** Figures of a declaration: hours and persons (shared by declaration and correction). */
export class InsertionFiguresDto {
  @ApiProperty({ description: "Heures d'insertion worked (integer hours); > 0 needs at least one participant", example: 1200, minimum: 0, maximum: MAX_HOURS })
  @IsIntegerIn(0, MAX_HOURS)
  hours!: number;

  @ApiProperty({ type: ByPublicDto, description: 'Persons who worked the hours, per public' })
  @IsObject()
  @ValidateNested()
  @Type(() => ByPublicDto)
  participants!: ByPublicDto;

  @ApiProperty({ type: ByPublicDto, description: 'Persons hired at the end, per public (never more than the participants of that public)' })
  @IsObject()
  @ValidateNested()
  @Type(() => ByPublicDto)
  recruitments!: ByPublicDto;
}

/** Body of POST /insertion/declarations (command `insertion.DeclareInsertionHours`). */
export class DeclareInsertionHoursDto extends InsertionFiguresDto {
  @ApiProperty({ description: 'Declaration id (kebab-case, at most 80 characters)', example: 'ins-darcy-2021-s1' })
  @IsKebabId()
  declarationId!: string;

  @ApiProperty({
    description: 'Tracked operation of the works contract, or null (or absent) for ERBM works contracts outside one',
    example: 'op-darcy-t1',
    nullable: true,
    required: false,
    type: String,
  })
  @IsOptional()
  @IsKebabId()
  operationId?: string | null = null;

  @ApiProperty({ description: "EPCI of the works contract (the operation's EPCI when there is one)", example: 'CAHC' })
  @IsRefCode()
  epciCode!: string;

  @ApiProperty({ description: 'Works contract (marché) reference, at most 120 characters', example: 'SIA-2020-LOT3', maxLength: 120 })
  @IsText(120)
  marcheRef!: string;

  @ApiProperty({ description: 'First day of the period (ISO date)', example: '2021-01-01', format: 'date' })
  @IsIsoDate()
  periodStart!: string;

  @ApiProperty({ description: 'Last day of the period (ISO date), at most 366 days after periodStart, both included', example: '2021-06-30', format: 'date' })
  @IsIsoDate()
  periodEnd!: string;
}

/** Body of POST /insertion/declarations/{declarationId}/corrections (command `insertion.CorrectInsertionDeclaration`). */
export class CorrectInsertionDeclarationDto extends InsertionFiguresDto {
  @ApiProperty({ description: 'Why the figures are corrected (at most 1000 characters)', example: "Heures d'un salarié déclarées deux fois", maxLength: 1000 })
  @IsText(1000)
  reason!: string;
}
