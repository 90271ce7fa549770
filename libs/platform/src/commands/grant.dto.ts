import { ApiProperty } from '@nestjs/swagger';
import { DISPOSITIFS } from '@erbm/funding';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, Matches, ValidateNested } from 'class-validator';
import { IsIntegerIn, IsIsoDate, IsKebabId, IsRefCode, IsText, OPERATION_AXIS_CODE } from './validators';

const BENEFICIARY_KINDS = ['bailleur', 'commune', 'epci', 'autre'] as const;

/** Beneficiary of a grant (SCDL Subventions: nomBeneficiaire / idBeneficiaire). */
export class BeneficiaryDto {
  @ApiProperty({ description: 'Kind of beneficiary', enum: [...BENEFICIARY_KINDS], example: 'bailleur' })
  @IsIn(BENEFICIARY_KINDS)
  kind!: (typeof BENEFICIARY_KINDS)[number];

  @ApiProperty({ description: 'Bailleur or EPCI code when the beneficiary is registered, else null', example: 'SIA_HABITAT', nullable: true, required: false, type: String })
  @IsOptional()
  @IsRefCode()
  code?: string | null = null;

  @ApiProperty({ description: 'Name (at most 256 characters)', example: 'SIA Habitat', maxLength: 256 })
  @IsText(256)
  name!: string;
}

const AMOUNT = { minimum: 1, maximum: Number.MAX_SAFE_INTEGER } as const;

/** Body of POST /grants (command `funding.DecideGrant`). */
export class DecideGrantDto {
  @ApiProperty({ description: 'Grant id (kebab-case, at most 80 characters)', example: 'g-etat-darcy-1' })
  @IsKebabId()
  grantId!: string;

  @ApiProperty({ description: 'Registered financer deciding the grant (its owner)', example: 'ETAT' })
  @IsRefCode()
  financerCode!: string;

  @ApiProperty({ description: 'Operation subsidised', example: 'op-darcy-t1' })
  @IsKebabId()
  operationId!: string;

  @ApiProperty({ type: BeneficiaryDto })
  @IsObject()
  @ValidateNested()
  @Type(() => BeneficiaryDto)
  beneficiary!: BeneficiaryDto;

  @ApiProperty({ description: 'Funding scheme', enum: [...DISPOSITIFS], example: 'aides-a-la-pierre' })
  @IsIn(DISPOSITIFS)
  dispositif!: (typeof DISPOSITIFS)[number];

  @ApiProperty({ description: 'Axis of the programme (top axis 1–4, optional sub-axis letter)', example: '1a', pattern: OPERATION_AXIS_CODE.source })
  @Matches(OPERATION_AXIS_CODE, { message: '$property must be an axis code 1–4 optionally followed by a letter a–g (1a)' })
  axisCode!: string;

  @ApiProperty({ description: 'Amount decided, integer euro cents (never a float)', example: 96_000_000, ...AMOUNT })
  @IsIntegerIn(1)
  amountCents!: number;

  @ApiProperty({ description: 'Convention date (ISO date), not before the operation was programmed', example: '2020-02-10', format: 'date' })
  @IsIsoDate()
  conventionDate!: string;

  @ApiProperty({ description: 'Reference of the decision (at most 120 characters), or null', example: 'CP-2020-02-117', nullable: true, required: false, type: String })
  @IsOptional()
  @IsText(120)
  decisionRef?: string | null = null;
}

/** Body of POST /grants/{grantId}/amendments (command `funding.AmendGrant`). */
export class AmendGrantDto {
  @ApiProperty({ description: 'New total amount, integer euro cents, not below what is already paid', example: 90_000_000, ...AMOUNT })
  @IsIntegerIn(1)
  amountCents!: number;

  @ApiProperty({ description: 'Date of the amendment (avenant), ISO date, not before the convention', example: '2021-03-01', format: 'date' })
  @IsIsoDate()
  amendedOn!: string;

  @ApiProperty({ description: 'Why (at most 1000 characters)', example: 'Ajustement au nombre de logements livrés', maxLength: 1000 })
  @IsText(1000)
  reason!: string;
}

/** Body of POST /grants/{grantId}/payments (command `funding.RecordGrantPayment`). */
export class RecordGrantPaymentDto {
  @ApiProperty({ description: 'Payment id (kebab-case, unique within the grant)', example: 'versement-1' })
  @IsKebabId()
  paymentId!: string;

  @ApiProperty({ description: 'Payment date (ISO date), not before the convention', example: '2020-10-29', format: 'date' })
  @IsIsoDate()
  paidOn!: string;

  @ApiProperty({ description: 'Amount paid, integer euro cents; total paid never exceeds the grant', example: 30_000_000, ...AMOUNT })
  @IsIntegerIn(1)
  amountCents!: number;
}

/** Body of POST /grants/{grantId}/cancellation (command `funding.CancelGrant`). */
export class CancelGrantDto {
  @ApiProperty({ description: 'Cancellation date (ISO date), not before the convention', example: '2021-07-12', format: 'date' })
  @IsIsoDate()
  cancelledOn!: string;

  @ApiProperty({ description: 'Why (at most 1000 characters)', example: 'Opération abandonnée', maxLength: 1000 })
  @IsText(1000)
  reason!: string;
}
