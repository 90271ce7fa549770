import { CheckpointDto } from '../../http/api-docs';
import { ApiProperty } from '@nestjs/swagger';
import { type SchemaObject } from '@nestjs/swagger';
import { SCDL_CONSTRAINTS, SCDL_FIELDS, type ScdlViolation } from '@erbm/opendata';

/** Response DTOs of GET /opendata/subventions.json (SCDL Subventions 2.1.1, docs/opendata.md). */

const SCDL_TYPES = { string: 'string', date: 'string', number: 'number', boolean: 'boolean' } as const;

/** One grant as a JSON row: every SCDL field, typed as the schema says, null when the value is missing. */
export const SCDL_ROW_SCHEMA: SchemaObject = {
  type: 'object',
  required: [...SCDL_FIELDS],
  properties: Object.fromEntries(
    SCDL_FIELDS.map((f) => {
      const c = SCDL_CONSTRAINTS[f];
      return [f, { type: SCDL_TYPES[c.type], nullable: true, ...(c.type === 'date' ? { format: 'date' } : {}) }];
    }),
  ),
  additionalProperties: false,
};

export class ScdlViolationDto implements ScdlViolation {
  @ApiProperty({ description: '0-based index of the data row (-1 for the header)', example: 3 })
  row!: number;
  @ApiProperty({ example: 'idAttribuant' })
  field!: string;
  @ApiProperty({ enum: ['required', 'pattern', 'maxLength', 'enum', 'type', 'minimum', 'maximum', 'header'] })
  rule!: ScdlViolation['rule'];
  @ApiProperty({ example: 'required value missing' })
  message!: string;
}

export class ScdlValidationDto {
  @ApiProperty({ example: true })
  valid!: boolean;
  @ApiProperty({ type: [ScdlViolationDto] })
  violations!: ScdlViolationDto[];
}

export class ScdlExportDto {
  @ApiProperty({ example: 'scdl/subventions' })
  schema!: string;
  @ApiProperty({ example: '2.1.1' })
  version!: string;
  @ApiProperty({ example: '2022-12-31' })
  asOf!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  knownAt!: string | null;
  @ApiProperty({ type: [String], description: 'The SCDL columns, in the schema order', example: [...SCDL_FIELDS] })
  fields!: string[];
  @ApiProperty({ example: 42 })
  count!: number;
  @ApiProperty({ type: 'array', items: SCDL_ROW_SCHEMA })
  data!: Record<string, string | number | boolean | null>[];
  @ApiProperty({ type: ScdlValidationDto })
  validation!: ScdlValidationDto;
  @ApiProperty({ type: CheckpointDto, description: 'The projection checkpoint the grants were read at' })
  checkpoint!: CheckpointDto;
}
