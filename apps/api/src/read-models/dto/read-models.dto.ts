import { ApiExtraModels, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CheckpointDto } from '../../http/api-docs';
import { type LogementsProgress } from '@erbm/platform';
import {
  type BilanAxisRow,
  type BilanReport,
  type ByPublic,
  type EnergyEstimated,
  type EnergyResults,
  type EstimatedPart,
  type FigureEvent,
  type FigureEvents,
  type FigureUnit,
  type GroupTimeline,
  type InsertionDimension,
  type InsertionFigures,
  type InsertionRow,
  type Money,
  type PhaseCount,
  type ProgressDimension,
  type ProgressGroup,
  type SubsidyDimension,
  type SubsidyRow,
  type TimelinePoint,
  PROGRESS_DIMENSIONS,
} from '@erbm/reporting';

/*
 * Response DTOs of the read models (GET /progress/logements, /operations-by-phase, /subsidies, /insertion, /energy,
 * /reports/bilan, /reports/bilan/figures/{key}/events): the JSON the queries of libs/reporting return. Each class
 * implements the query's type, so a field added there without its documentation fails the typecheck.
 */

export class ProgressTotalDto implements Pick<ProgressGroup, 'key' | 'label' | 'delivered'> {
  @ApiProperty({ description: 'Code of the group (EPCI or bailleur code, cité id, financer code, axis code, financing, year)', example: 'CALL' })
  key!: string;

  @ApiProperty({ example: "Communauté d'agglomération de Lens-Liévin" })
  label!: string;

  @ApiProperty({ description: 'Logements livrés', example: 4210 })
  delivered!: number;
}

export class ProgressGroupDto extends ProgressTotalDto implements ProgressGroup {

  @ApiProperty({ description: 'The part of `delivered` that comes from estimated events (logements)', example: 3900 })
  deliveredEstimated!: number;
}

export class TimelinePointDto implements TimelinePoint {
  @ApiProperty({ description: 'Month YYYY-MM', example: '2021-01' })
  month!: string;

  @ApiProperty({ description: 'Logements livrés in the month (a correction may make it negative)', example: 60 })
  delivered!: number;

  @ApiProperty({ description: 'Logements livrés up to the end of the month', example: 9040 })
  cumulative!: number;
}

export class GroupTimelineDto implements GroupTimeline {
  @ApiProperty({ example: 'CALL' })
  key!: string;

  @ApiProperty({ example: "Communauté d'agglomération de Lens-Liévin" })
  label!: string;

  @ApiProperty({ type: [TimelinePointDto], description: 'Months with deliveries in the group only' })
  points!: TimelinePointDto[];
}

export class LogementsProgressDto implements LogementsProgress {
  @ApiProperty({ example: '2022-12-31' })
  asOf!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'Target in logements on asOf (null when no target is recorded)', example: 23000 })
  target!: number | null;

  @ApiProperty({ description: 'Logements livrés on asOf (in the caller’s scope)', example: 12016 })
  delivered!: number;

  @ApiProperty({ enum: PROGRESS_DIMENSIONS, example: 'epci' })
  by!: ProgressDimension;

  @ApiProperty({ type: [ProgressTotalDto], description: 'By financer an operation counts for each of its financers: groups may add up to more than `delivered`' })
  groups!: ProgressTotalDto[];

  @ApiProperty({ type: [TimelinePointDto], description: 'Cumulative logements livrés by month, all operations' })
  timeline!: TimelinePointDto[];

  @ApiProperty({ type: [GroupTimelineDto], description: 'The same, for each group' })
  timelineByGroup!: GroupTimelineDto[];

  @ApiProperty({ type: CheckpointDto, description: 'The projection checkpoint every part of the answer reflects' })
  checkpoint!: CheckpointDto;
}

export class PhaseCountDto implements PhaseCount {
  @ApiProperty({ enum: ['logements', 'urbaine'] })
  kind!: 'logements' | 'urbaine';

  @ApiProperty({ type: String, nullable: true, description: 'Financing of a logements operation (`erbm`, `fonds-propres`…); null for urban operations', example: 'erbm' })
  financing!: string | null;

  @ApiProperty({ description: 'Phase reached by asOf (`programmee`, `etudes`, `avp`, `autorisation`, `travaux`, `livraisons`, `terminee`), or `suspendue` / `abandonnee`', example: 'travaux' })
  phase!: string;

  @ApiProperty({ example: 12 })
  operations!: number;

  @ApiProperty({ description: 'The operations counted whose phase or status then comes from an estimated event', example: 10 })
  operationsEstimated!: number;

  @ApiProperty({ description: 'Planned logements of these operations', example: 1450 })
  plannedLogements!: number;
}

const SUBSIDY_KEY = { type: String, description: 'Value of this dimension, when grouped by it' };

/** Values of the grouping dimensions of a subsidy row (only those asked in groupBy). */
export class SubsidyKeysDto implements Partial<Record<SubsidyDimension, string>> {
  @ApiPropertyOptional({ ...SUBSIDY_KEY, example: 'ETAT' })
  financer?: string;
  @ApiPropertyOptional({ ...SUBSIDY_KEY, example: 'etat' })
  financerCategory?: string;
  @ApiPropertyOptional({ ...SUBSIDY_KEY, example: 'CALL' })
  epci?: string;
  @ApiPropertyOptional({ ...SUBSIDY_KEY, example: '1a' })
  axis?: string;
  @ApiPropertyOptional({ ...SUBSIDY_KEY, example: 'rehabilitation-logements' })
  dispositif?: string;
  @ApiPropertyOptional({ ...SUBSIDY_KEY, example: '2021' })
  year?: string;
  @ApiPropertyOptional({ ...SUBSIDY_KEY, example: 'logements' })
  operationKind?: string;
}

export class SubsidyRowDto implements SubsidyRow {
  @ApiProperty({ type: SubsidyKeysDto })
  keys!: SubsidyKeysDto;

  @ApiProperty({ description: 'Amount decided (after amendments and cancellations), integer euro cents', example: 96000000 })
  decidedCents!: number;

  @ApiProperty({ description: 'Amount paid, integer euro cents', example: 48000000 })
  paidCents!: number;

  @ApiProperty({ description: 'The part of decidedCents that comes from estimated events, integer euro cents', example: 90000000 })
  decidedEstimatedCents!: number;

  @ApiProperty({ description: 'The part of paidCents that comes from estimated events, integer euro cents', example: 40000000 })
  paidEstimatedCents!: number;
}

const INSERTION_KEY = { type: String, description: 'Value of this dimension, when grouped by it' };

/** Values of the grouping dimensions of an insertion row (only those asked in groupBy). */
export class InsertionKeysDto implements Partial<Record<InsertionDimension, string>> {
  @ApiPropertyOptional({ ...INSERTION_KEY, example: 'CALL' })
  epci?: string;
  @ApiPropertyOptional({ ...INSERTION_KEY, description: 'Bailleur code, empty for declarations without one', example: 'SIA_HABITAT' })
  bailleur?: string;
  @ApiPropertyOptional({ ...INSERTION_KEY, description: 'Operation id, empty for works contracts outside an operation', example: 'op-darcy-t1' })
  operation?: string;
  @ApiPropertyOptional({ ...INSERTION_KEY, description: '`logements`, `urbaine` or `hors-operation`', example: 'logements' })
  operationKind?: string;
  @ApiPropertyOptional({ ...INSERTION_KEY, description: "Programme axis: always `2e` (« Agir par l'insertion et la formation », where the mid-term review reports insertion)", example: '2e' })
  axis?: string;
  @ApiPropertyOptional({ ...INSERTION_KEY, description: 'Year of the end of the period', example: '2021' })
  year?: string;
}

/** Persons by public (integer counts) and their total. */
export class ByPublicTotalDto implements ByPublic {
  @ApiProperty({ description: "Demandeurs d'emploi de longue durée", example: 12 })
  deld!: number;
  @ApiProperty({ description: 'Bénéficiaires du RSA', example: 8 })
  rsa!: number;
  @ApiProperty({ description: 'Jeunes de moins de 26 ans', example: 10 })
  jeunes!: number;
  @ApiProperty({ description: 'Travailleurs handicapés (RQTH)', example: 2 })
  rqth!: number;
  @ApiProperty({ example: 3 })
  autres!: number;
  @ApiProperty({ example: 35 })
  total!: number;
}

/** Heures d'insertion, participants and recruitments. */
export class InsertionFiguresDto implements InsertionFigures {
  @ApiProperty({ description: "Heures d'insertion", example: 11500 })
  hours!: number;

  @ApiProperty({ type: ByPublicTotalDto })
  participants!: ByPublicTotalDto;

  @ApiProperty({ type: ByPublicTotalDto })
  recruitments!: ByPublicTotalDto;
}

export class InsertionRowDto extends InsertionFiguresDto implements InsertionRow {
  @ApiProperty({ type: InsertionKeysDto })
  keys!: InsertionKeysDto;

  @ApiProperty({ type: InsertionFiguresDto, description: 'The part of each figure that comes from estimated events (same units)' })
  estimated!: InsertionFiguresDto;
}

const DPE_COUNTS = { type: 'object', additionalProperties: { type: 'integer' }, description: 'Logements by DPE class (A–G); classes without logements are left out', example: { D: 40, E: 60 } } as const;

export class EnergyEstimatedDto implements EnergyEstimated {
  @ApiProperty({ description: 'Logements with energy figures from estimated events', example: 11000 })
  logements!: number;
  @ApiProperty({ description: 'Logements under the goal from estimated events', example: 10000 })
  logementsUnderGoal!: number;
  @ApiProperty(DPE_COUNTS)
  dpeBefore!: Record<string, number>;
  @ApiProperty(DPE_COUNTS)
  dpeAfter!: Record<string, number>;
}

export class EnergyResultsDto implements EnergyResults {
  @ApiProperty({ description: 'Logements livrés with their energy figures', example: 12016 })
  logements!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Average primary energy before works, weighted by logements, kWhEP/m².an (0.1); null without logements', example: 312.4 })
  averageBeforeKwhPerM2Year!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'The same after works', example: 104.2 })
  averageAfterKwhPerM2Year!: number | null;

  @ApiProperty({ description: 'Goal in force on asOf, kWhEP/m².an (strictly below it counts)', example: 130 })
  goalKwhPerM2Year!: number;

  @ApiProperty({ example: 11020 })
  logementsUnderGoal!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'logementsUnderGoal / logements (0–1, 4 decimals)', example: 0.9171 })
  shareUnderGoal!: number | null;

  @ApiProperty(DPE_COUNTS)
  dpeBefore!: Record<string, number>;

  @ApiProperty(DPE_COUNTS)
  dpeAfter!: Record<string, number>;

  @ApiProperty({ type: EnergyEstimatedDto, description: 'The part of each count that comes from estimated events (logements)' })
  estimated!: EnergyEstimatedDto;
}

/** GET /energy: the energy results with the projection checkpoint they reflect. */
export class EnergyAnswerDto extends EnergyResultsDto {
  @ApiProperty({ type: CheckpointDto, description: 'The projection checkpoint the answer reflects' })
  checkpoint!: CheckpointDto;
}

export class MoneyDto implements Money {
  @ApiProperty({ description: 'Integer euro cents', example: 96000000 })
  cents!: number;

  @ApiProperty({ description: 'Decimal euros, as a string', example: '960000.00' })
  eur!: string;
}

export class BilanProgrammeDto {
  @ApiProperty({ type: Number, nullable: true, example: 1 })
  targetVersion!: number | null;
  @ApiProperty({ type: String, nullable: true, example: '2027-12-31' })
  targetDate!: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 130 })
  energyGoalKwhPerM2Year!: number | null;
  @ApiProperty({ type: String, nullable: true, example: '002 §1a' })
  targetSource!: string | null;
}

export class DeliveredPartDto {
  @ApiProperty({ example: 7800 })
  delivered!: number;
  @ApiProperty({ description: 'The part from estimated events', example: 7600 })
  deliveredEstimated!: number;
}

export class BilanLogementsDto {
  @ApiProperty({ type: Number, nullable: true, example: 23000 })
  target!: number | null;
  @ApiProperty({ example: 12016 })
  delivered!: number;
  @ApiProperty({ description: 'The part of delivered that comes from estimated events (logements)', example: 11000 })
  deliveredEstimated!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'delivered / target × 100, one decimal', example: 52.2 })
  percentage!: number | null;
  @ApiProperty({ type: [ProgressGroupDto] })
  byEpci!: ProgressGroupDto[];
  @ApiProperty({ type: [ProgressGroupDto] })
  byBailleur!: ProgressGroupDto[];
  @ApiProperty({ type: [ProgressGroupDto] })
  byCite!: ProgressGroupDto[];
  @ApiProperty({ type: [ProgressGroupDto], description: 'A co-financed operation counts for each of its financers: the groups add up to more than deliveredWithFinancer' })
  byFinancer!: ProgressGroupDto[];
  @ApiProperty({ type: DeliveredPartDto, description: 'Logements livrés on operations aided by at least one financer, each counted once' })
  deliveredWithFinancer!: DeliveredPartDto;
  @ApiProperty({ type: [ProgressGroupDto] })
  byAxis!: ProgressGroupDto[];
  @ApiProperty({ type: [ProgressGroupDto] })
  byFinancing!: ProgressGroupDto[];
  @ApiProperty({ type: [ProgressGroupDto] })
  byYear!: ProgressGroupDto[];
  @ApiProperty({ type: [TimelinePointDto] })
  timeline!: TimelinePointDto[];
}

export class BilanOperationKindDto {
  @ApiProperty({ description: 'Operations terminées (ERBM-financed for logements)', example: 40 })
  terminees!: number;
  @ApiProperty({ description: 'Operations in travaux or livraisons (ERBM-financed for logements)', example: 25 })
  enTravaux!: number;
  @ApiProperty({ type: [PhaseCountDto] })
  byPhase!: PhaseCountDto[];
}

export class BilanOperationsDto {
  @ApiProperty({ type: BilanOperationKindDto })
  logements!: BilanOperationKindDto;
  @ApiProperty({ type: BilanOperationKindDto })
  urbaines!: BilanOperationKindDto;
}

export class BilanFinancerSubsidyDto {
  @ApiProperty({ example: 'ETAT' })
  financer!: string;
  @ApiProperty({ description: "The financer's French name", example: 'Région Hauts-de-France' })
  label!: string;
  @ApiProperty({ type: MoneyDto })
  decided!: MoneyDto;
  @ApiProperty({ type: MoneyDto })
  paid!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'The part of decided that comes from estimated events' })
  decidedEstimated!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'The part of paid that comes from estimated events' })
  paidEstimated!: MoneyDto;
}

export class BilanSubsidyEstimatedDto {
  @ApiProperty({ example: 90000000 })
  logementsCents!: number;
  @ApiProperty({ example: 0 })
  urbainesEtatRegion2021_2022Cents!: number;
  @ApiProperty({ example: 90000000 })
  decidedCents!: number;
  @ApiProperty({ example: 40000000 })
  paidCents!: number;
}

export class EstimatedPartDto implements EstimatedPart {
  @ApiProperty({ type: Number, nullable: true, description: "The part of the figure from estimated events, in the figure's unit (cents for money); null for an average", example: 7600 })
  estimated!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'estimated / figure (0–1, 4 decimals); for an average, the share of the logements averaged over; null when the figure is 0', example: 0.9212 })
  share!: number | null;
}

export class BilanNamesDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { ETAT: 'État' } })
  financer!: Record<string, string>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { CALL: "Communauté d'agglomération de Lens-Liévin" } })
  epci!: Record<string, string>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { '1a': 'Rénover les cités minières' } })
  axis!: Record<string, string>;
}

export class BilanSubsidyRowDto extends SubsidyRowDto {
  @ApiProperty({ example: '960000.00' })
  decidedEur!: string;
  @ApiProperty({ example: '480000.00' })
  paidEur!: string;
}

export class BilanSubsidiesDto {
  @ApiProperty({ description: 'State, Région and EPCI subsidies decided for logements operations, integer cents', example: 96000000 })
  logementsCents!: number;
  @ApiProperty({ example: '960000.00' })
  logementsEur!: string;
  @ApiProperty({ description: 'State and Région subsidies decided in 2021–2022 for urban operations, integer cents', example: 1500000000 })
  urbainesEtatRegion2021_2022Cents!: number;
  @ApiProperty({ example: '15000000.00' })
  urbainesEtatRegion2021_2022Eur!: string;
  @ApiProperty({ type: MoneyDto })
  decided!: MoneyDto;
  @ApiProperty({ type: MoneyDto })
  paid!: MoneyDto;
  @ApiProperty({ type: BilanSubsidyEstimatedDto, description: 'The part of each total from estimated events, integer cents' })
  estimated!: BilanSubsidyEstimatedDto;
  @ApiProperty({ type: [BilanFinancerSubsidyDto] })
  byFinancer!: BilanFinancerSubsidyDto[];
  @ApiProperty({ type: [BilanSubsidyRowDto], description: 'By financer × EPCI × axis × dispositif × year' })
  byFinancerAxisDispositifYear!: BilanSubsidyRowDto[];
}

export class BilanInsertionDto {
  @ApiProperty({ example: 233557 })
  logementsHours!: number;
  @ApiProperty({ example: 193 })
  logementsRecruited!: number;
  @ApiProperty({ example: 40 })
  logementsRsa!: number;
  @ApiProperty({ example: 400000 })
  programmeHours!: number;
  @ApiProperty({ example: 120 })
  programmeParticipantsDeld!: number;
  @ApiProperty({ type: InsertionRowDto, nullable: true })
  programme!: InsertionRowDto | null;
  @ApiProperty({ type: InsertionRowDto, nullable: true })
  logements!: InsertionRowDto | null;
  @ApiProperty({ type: [InsertionRowDto] })
  byEpci!: InsertionRowDto[];
  @ApiProperty({ type: [InsertionRowDto] })
  byYear!: InsertionRowDto[];
}

/** A row of the bilan's table by axis of the programme. */
export class BilanAxisRowDto implements BilanAxisRow {
  @ApiProperty({ description: 'Axis code (REFERENCE.md §2)', example: '1a' })
  code!: string;
  @ApiProperty({ description: 'French label of the axis (published axis set)', example: 'Rénover les cités minières' })
  label!: string;
  @ApiProperty({ description: 'Logements livrés by operations on this axis', example: 8100 })
  logementsDelivered!: number;
  @ApiProperty({ type: MoneyDto, description: 'Subsidies decided on this axis' })
  subsidiesDecided!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'Subsidies paid on this axis' })
  subsidiesPaid!: MoneyDto;
  @ApiProperty({ description: "Heures d'insertion (hours); all on 2e « Agir par l'insertion et la formation »", example: 531240 })
  insertionHours!: number;
}

/** The bilan as JSON (GET /reports/bilan); money in integer cents and decimal-euro strings. */
@ApiExtraModels(EstimatedPartDto)
export class BilanReportDto implements BilanReport {
  @ApiProperty({ example: '2022-12-31' })
  asOf!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Knowledge time asked, null for "as known now"' })
  knownAt!: string | null;
  @ApiProperty({ type: BilanProgrammeDto })
  programme!: BilanProgrammeDto;
  @ApiProperty({ type: BilanLogementsDto })
  logements!: BilanLogementsDto;
  @ApiProperty({ type: BilanOperationsDto })
  operations!: BilanOperationsDto;
  @ApiProperty({ type: BilanSubsidiesDto })
  subsidies!: BilanSubsidiesDto;
  @ApiProperty({ type: BilanInsertionDto })
  insertion!: BilanInsertionDto;
  @ApiProperty({ type: EnergyResultsDto })
  energy!: EnergyResultsDto;
  @ApiProperty({ type: [BilanAxisRowDto], description: 'Table by axis of the programme, in code order' })
  byAxis!: BilanAxisRowDto[];
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Drill-down: each figure key → the link listing the events behind it (GET /reports/bilan/figures/{key}/events)',
    example: { 'logements.byEpci.CALL': '/reports/bilan/figures/logements.byEpci.CALL/events?asOf=2022-12-31' },
  })
  figures?: Record<string, string>;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/EstimatedPartDto' },
    description: 'For each figure key of `figures`: the part of the figure that comes from estimated events',
    example: { 'logements.delivered': { estimated: 7600, share: 0.9212 } },
  })
  estimates?: Record<string, EstimatedPartDto>;
  @ApiPropertyOptional({ type: BilanNamesDto, description: 'French names of the financer, EPCI and axis codes of the report' })
  names?: BilanNamesDto;
  @ApiProperty({ type: CheckpointDto, description: 'The projection checkpoint every table of the bilan reflects (read in one snapshot)' })
  checkpoint!: CheckpointDto;
}

const FIGURE_UNITS: FigureUnit[] = ['logements', 'cents', 'hours', 'persons', 'operations', 'kWhEP/m².an'];

export class FigureActorDto {
  @ApiProperty({ example: 'bailleur:SIA_HABITAT' })
  organisation!: string;
  @ApiProperty({ example: 'patrimoine@sia-habitat.fr' })
  user!: string;
  @ApiProperty({ example: 'api' })
  channel!: string;
}

export class FigureEventDto implements FigureEvent {
  @ApiProperty({ example: '1042' })
  globalPosition!: string;
  @ApiProperty({ description: '0, or 0 / 1 for the two rows of a delivery correction', example: 0 })
  seq!: number;
  @ApiProperty({ example: 'operation.LogementsDelivered.v1' })
  type!: string;
  @ApiProperty({ example: 'operation-op-darcy-t1' })
  streamId!: string;
  @ApiProperty({ format: 'date-time' })
  recordedAt!: string;
  @ApiProperty({ description: "The fact's business date as the figure filters on it", example: '2021-01-20' })
  businessDate!: string;
  @ApiProperty({ type: FigureActorDto, nullable: true })
  actor!: FigureActorDto | null;
  @ApiProperty({ type: 'object', additionalProperties: true })
  data!: Record<string, unknown>;
  @ApiProperty({ description: "The event's contribution to the figure, in its unit", example: 60 })
  contribution!: number;
}

export class FigureEventsDto implements FigureEvents {
  @ApiProperty({ example: 'logements.byEpci.CALL' })
  key!: string;
  @ApiProperty({ example: 'Logements livrés — CALL' })
  label!: string;
  @ApiProperty({ enum: FIGURE_UNITS, example: 'logements' })
  unit!: FigureUnit;
  @ApiProperty({ example: '2022-12-31' })
  asOf!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  knownAt!: string | null;
  @ApiProperty({ description: 'Sum of the contributions: the figure (unrounded for averages)', example: 4210 })
  total!: number;
  @ApiPropertyOptional({ description: 'For money figures: the total in decimal euros', example: '960000.00' })
  totalEur?: string;
  @ApiProperty({ example: 35 })
  count!: number;
  @ApiProperty({ type: [FigureEventDto] })
  events!: FigureEventDto[];
  @ApiProperty({ type: CheckpointDto, description: 'The projection checkpoint of the ledger rows listed' })
  checkpoint!: CheckpointDto;
}
