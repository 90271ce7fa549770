import { ApiProperty } from '@nestjs/swagger';
import { FINANCER_CATEGORIES } from '@erbm/programme';
import { IsIn, IsOptional } from 'class-validator';
import { IsIntegerIn, IsRefCode, IsText } from './validators';

/** Body of POST /epci (command `programme.RegisterEpci`). */
export class RegisterEpciDto {
  @ApiProperty({ description: 'EPCI code (upper snake case)', example: 'CALL' })
  @IsRefCode()
  epciCode!: string;

  @ApiProperty({ description: 'Name (at most 256 characters)', example: "Communauté d'agglomération de Lens-Liévin", maxLength: 256 })
  @IsText(256)
  name!: string;

  @ApiProperty({ description: 'Number of communes (integer ≥ 1), or null when no source gives it', example: 36, minimum: 1, nullable: true, required: false, type: Number })
  @IsOptional()
  @IsIntegerIn(1)
  communes?: number | null = null;
}

/** Body of POST /financers (command `programme.RegisterFinancer`). */
export class RegisterFinancerDto {
  @ApiProperty({ description: 'Financer code (upper snake case)', example: 'REGION_HDF' })
  @IsRefCode()
  financerCode!: string;

  @ApiProperty({ description: 'Name (at most 256 characters)', example: 'Région Hauts-de-France', maxLength: 256 })
  @IsText(256)
  name!: string;

  @ApiProperty({ description: 'Category of financer', enum: FINANCER_CATEGORIES, example: 'region' })
  @IsIn(FINANCER_CATEGORIES)
  category!: (typeof FINANCER_CATEGORIES)[number];

  @ApiProperty({ description: 'The EPCI code when category is `epci`, else null', example: null, nullable: true, required: false, type: String })
  @IsOptional()
  @IsRefCode()
  epciCode?: string | null = null;
}

/** Body of POST /bailleurs (command `programme.RegisterBailleur`). */
export class RegisterBailleurDto {
  @ApiProperty({ description: 'Bailleur code (upper snake case)', example: 'SIA_HABITAT' })
  @IsRefCode()
  bailleurCode!: string;

  @ApiProperty({ description: 'Name (at most 256 characters)', example: 'SIA Habitat', maxLength: 256 })
  @IsText(256)
  name!: string;
}
