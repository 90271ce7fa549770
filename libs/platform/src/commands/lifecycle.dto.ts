import { ApiProperty } from '@nestjs/swagger';
import { PHASES, PLANNABLE_PHASES } from '@erbm/operations';
import { IsIn } from 'class-validator';
import { IsIntegerIn, IsIsoDate, IsText } from './validators';
import { MAX_LOGEMENTS } from './record-delivery.dto';

/** Body of POST /operations/{operationId}/phases (command `operation.StartPhase`). */
export class StartPhaseDto {
  @ApiProperty({
    description: 'The next phase (livraisons may be skipped from travaux; urban operations have none)',
    enum: [...PHASES],
    example: 'travaux',
  })
  @IsIn(PHASES)
  phase!: (typeof PHASES)[number];

  @ApiProperty({ description: 'Start date (ISO date), not before the previous step', example: '2020-06-02', format: 'date' })
  @IsIsoDate()
  startedOn!: string;
}

/** Body of POST /operations/{operationId}/phase-plans (command `operation.RevisePhasePlan`). */
export class RevisePhasePlanDto {
  @ApiProperty({ description: 'A phase not started yet', enum: [...PLANNABLE_PHASES], example: 'travaux' })
  @IsIn(PLANNABLE_PHASES)
  phase!: (typeof PLANNABLE_PHASES)[number];

  @ApiProperty({ description: 'New planned start date (ISO date)', example: '2020-09-01', format: 'date' })
  @IsIsoDate()
  plannedOn!: string;

  @ApiProperty({ description: 'Why the plan changes (at most 1000 characters)', example: "Appel d'offres infructueux, relancé", maxLength: 1000 })
  @IsText(1000)
  reason!: string;
}

/** Body of POST /operations/{operationId}/suspensions (command `operation.SuspendOperation`). */
export class SuspendOperationDto {
  @ApiProperty({ description: 'Date work stops (ISO date), not before the previous step', example: '2020-03-17', format: 'date' })
  @IsIsoDate()
  suspendedOn!: string;

  @ApiProperty({ description: 'Why (at most 1000 characters)', example: 'Confinement COVID-19 : arrêt des chantiers', maxLength: 1000 })
  @IsText(1000)
  reason!: string;
}

/** Body of POST /operations/{operationId}/resumptions (command `operation.ResumeOperation`). */
export class ResumeOperationDto {
  @ApiProperty({ description: 'Date work resumes (ISO date), not before the suspension', example: '2020-05-11', format: 'date' })
  @IsIsoDate()
  resumedOn!: string;
}

/** Body of POST /operations/{operationId}/abandonment (command `operation.AbandonOperation`). */
export class AbandonOperationDto {
  @ApiProperty({ description: 'Date the operation is given up (ISO date), not before the previous step', example: '2021-06-21', format: 'date' })
  @IsIsoDate()
  abandonedOn!: string;

  @ApiProperty({ description: 'Why (at most 1000 characters)', example: 'Démolition-reconstruction retenue', maxLength: 1000 })
  @IsText(1000)
  reason!: string;
}

/** Body of POST /operations/{operationId}/planned-logements (command `operation.AmendPlannedLogements`). */
export class AmendPlannedLogementsDto {
  @ApiProperty({ description: 'New planned logements (integer ≥ 1, not below those already delivered)', example: 116, minimum: 1, maximum: MAX_LOGEMENTS })
  @IsIntegerIn(1, MAX_LOGEMENTS)
  plannedLogements!: number;

  @ApiProperty({ description: 'Date of the amendment (ISO date)', example: '2020-08-20', format: 'date' })
  @IsIsoDate()
  amendedOn!: string;

  @ApiProperty({ description: 'Why (at most 1000 characters)', example: '4 logements retirés du programme (bloc démoli)', maxLength: 1000 })
  @IsText(1000)
  reason!: string;
}
