import { ApiProperty } from '@nestjs/swagger';
import { CONTRACT_KINDS, MAX_HOURS, MAX_PARTICIPANTS, MAX_PERSONS_PER_PUBLIC, PERSON_PUBLICS, PSEUDONYMOUS_ID } from '@erbm/insertion';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsObject, IsOptional, Matches, ValidateNested } from 'class-validator';
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

const PSEUDONYMOUS = {
  description:
    'Pseudonymous id: 32 to 64 lowercase hexadecimal characters, e.g. a salted SHA-256 of the declarer\'s own file number (RGPD: never a name, an e-mail, a social security or France Travail number; the same person gets the same id in every declaration, so that they count once)',
  example: '0123456789abcdef0123456789abcdef',
  pattern: PSEUDONYMOUS_ID.source,
  minLength: 32,
  maxLength: 64,
};

/** A person who worked insertion hours (ADR 0024): pseudonymous id, every public they belong to, recruited or not. */
export class ParticipantDto {
  @ApiProperty(PSEUDONYMOUS)
  @Matches(PSEUDONYMOUS_ID, { message: '$property must be a pseudonymous id: 32 to 64 lowercase hexadecimal characters (no personal data)' })
  participantId!: string;

  @ApiProperty({
    description: `Every priority public the person belongs to (non-exclusive, at least one, no duplicate): ${PERSON_PUBLICS.join(', ')}`,
    enum: PERSON_PUBLICS,
    isArray: true,
    example: ['RSA', 'JEUNE_MOINS_26'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(PERSON_PUBLICS, { each: true })
  publics!: string[];

  @ApiProperty({ description: 'Hired at the end of the clause (personne recrutée)', example: true })
  @IsBoolean()
  recruited!: boolean;
}

/** An insertion contract (contrat de travail ou parcours) held by one of the declaration's participants. */
export class InsertionContractDto {
  @ApiProperty({ ...PSEUDONYMOUS, example: '11111111111111111111111111111111' })
  @Matches(PSEUDONYMOUS_ID, { message: '$property must be a pseudonymous id: 32 to 64 lowercase hexadecimal characters (no personal data)' })
  contractId!: string;

  @ApiProperty({ ...PSEUDONYMOUS, description: 'participantId of the participant holding the contract (listed in participants)' })
  @Matches(PSEUDONYMOUS_ID, { message: '$property must be a pseudonymous id: 32 to 64 lowercase hexadecimal characters (no personal data)' })
  participantId!: string;

  @ApiProperty({ description: `Contract kind: ${CONTRACT_KINDS.join(', ')}`, enum: CONTRACT_KINDS, example: 'CDDI' })
  @IsIn(CONTRACT_KINDS)
  kind!: string;

  @ApiProperty({ description: 'First day of the contract (ISO date), at the latest the last day of the period', example: '2021-01-04', format: 'date' })
  @IsIsoDate()
  startDate!: string;
}

/** Hours, persons and contracts of a v2 declaration (shared by declaration and correction). */
export class InsertionPersonsFiguresDto {
  @ApiProperty({ description: "Heures d'insertion worked (integer hours); > 0 needs at least one participant", example: 1200, minimum: 0, maximum: MAX_HOURS })
  @IsIntegerIn(0, MAX_HOURS)
  hours!: number;

  @ApiProperty({ type: [ParticipantDto], description: `The distinct persons who worked the hours (at most ${MAX_PARTICIPANTS}, each id once, each holding at least one contract)` })
  @IsArray()
  @ArrayMaxSize(MAX_PARTICIPANTS)
  @ValidateNested({ each: true })
  @Type(() => ParticipantDto)
  participants!: ParticipantDto[];

  @ApiProperty({ type: [InsertionContractDto], description: `The insertion contracts the declaration covers (at most ${MAX_PARTICIPANTS}, each id once)` })
  @IsArray()
  @ArrayMaxSize(MAX_PARTICIPANTS)
  @ValidateNested({ each: true })
  @Type(() => InsertionContractDto)
  contracts!: InsertionContractDto[];
}

/** Body of POST /insertion/declarations/with-contracts (command `insertion.DeclareInsertionContracts`, ADR 0024). */
export class DeclareInsertionContractsDto extends InsertionPersonsFiguresDto {
  @ApiProperty({ description: 'Declaration id (kebab-case, at most 80 characters)', example: 'ins-darcy-2021-s1' })
  @IsKebabId()
  declarationId!: string;

  @ApiProperty({ description: 'Tracked operation of the works contract, or null (or absent) for ERBM works contracts outside one', example: 'op-darcy-t1', nullable: true, required: false, type: String })
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

/** Body of POST /insertion/declarations/{declarationId}/contract-corrections (command `insertion.CorrectInsertionContracts`). */
export class CorrectInsertionContractsDto extends InsertionPersonsFiguresDto {
  @ApiProperty({ description: 'Why the figures are corrected (at most 1000 characters)', example: 'Contrat déclaré deux fois', maxLength: 1000 })
  @IsText(1000)
  reason!: string;
}
