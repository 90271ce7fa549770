import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsOptional } from 'class-validator';
import { IsIntegerIn, IsKebabId, IsRefCode, IsText } from './validators';

/** The description of a cité minière but its id (shared by registration and correction). */
export class CiteFieldsDto {
  @ApiProperty({ description: 'Name (at most 256 characters)', example: 'Cité Darcy', maxLength: 256 })
  @IsText(256)
  name!: string;

  @ApiProperty({ description: 'Communes the cité spans: 1 to 100 names of at most 120 characters', example: ['Hénin-Beaumont'], type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsText(120, { each: true })
  communes!: string[];

  @ApiProperty({ description: 'EPCI the cité belongs to (a registered EPCI code)', example: 'CAHC' })
  @IsRefCode()
  epciCode!: string;

  @ApiProperty({ description: 'Registered bailleur owning its logements, or null when unknown or several', example: 'SIA_HABITAT', nullable: true, required: false, type: String })
  @IsOptional()
  @IsRefCode()
  bailleurCode?: string | null = null;

  @ApiProperty({ description: 'Number of logements (integer ≥ 1), or null when not published', example: 240, minimum: 1, nullable: true, required: false, type: Number })
  @IsOptional()
  @IsIntegerIn(1)
  logements?: number | null = null;

  @ApiProperty({ description: 'Listed as UNESCO World Heritage', example: false })
  @IsBoolean()
  unesco!: boolean;

  @ApiProperty({ description: 'On the 2018 list of 35 priority cités', example: true })
  @IsBoolean()
  priority!: boolean;
}

/** Body of POST /cites (command `programme.RegisterCite`). */
export class RegisterCiteDto extends CiteFieldsDto {
  @ApiProperty({ description: 'Cité id (kebab-case, at most 80 characters)', example: 'cite-darcy' })
  @IsKebabId()
  citeId!: string;
}

/** Body of POST /cites/{citeId}/corrections (command `programme.CorrectCite`): the full corrected description. */
export class CorrectCiteDto extends CiteFieldsDto {
  @ApiProperty({ description: 'Why the description is corrected (at most 1000 characters)', example: 'Nombre de logements publié par le bailleur en 2019', maxLength: 1000 })
  @IsText(1000)
  reason!: string;
}

