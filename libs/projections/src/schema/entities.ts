import { Column, Entity, PrimaryColumn } from 'typeorm';

// TypeORM entities of the current-state read models (ledgers are aggregated with SQL, see queries/).
// Schema: migrations/1732200000001-read-models.ts. Money columns are bigint cents, returned as strings by pg.

/** Checkpoint of a projection, committed in the same transaction as its rows. */
@Entity('rm_projection_checkpoint')
export class ProjectionCheckpointEntity {
  @PrimaryColumn('text') name!: string;
  @Column('integer') version!: number;
  @Column('text') checkpoint!: string;
  @Column('bigint') events!: string;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

@Entity('rm_epci')
export class EpciEntity {
  @PrimaryColumn('text', { name: 'epci_code' }) epciCode!: string;
  @Column('text') name!: string;
  @Column('integer', { nullable: true }) communes!: number | null;
}

@Entity('rm_financer')
export class FinancerEntity {
  @PrimaryColumn('text', { name: 'financer_code' }) financerCode!: string;
  @Column('text') name!: string;
  @Column('text') category!: string;
  @Column('text', { name: 'epci_code', nullable: true }) epciCode!: string | null;
}

@Entity('rm_bailleur')
export class BailleurEntity {
  @PrimaryColumn('text', { name: 'bailleur_code' }) bailleurCode!: string;
  @Column('text') name!: string;
}

@Entity('rm_cite')
export class CiteEntity {
  @PrimaryColumn('text', { name: 'cite_id' }) citeId!: string;
  @Column('text') name!: string;
  @Column('text', { array: true }) communes!: string[];
  @Column('text', { name: 'epci_code' }) epciCode!: string;
  @Column('text', { name: 'bailleur_code', nullable: true }) bailleurCode!: string | null;
  @Column('integer', { nullable: true }) logements!: number | null;
  @Column('boolean') unesco!: boolean;
  @Column('boolean') priority!: boolean;
}

@Entity('rm_operation')
export class OperationEntity {
  @PrimaryColumn('text', { name: 'operation_id' }) operationId!: string;
  @Column('text') kind!: 'logements' | 'urbaine';
  @Column('text', { name: 'cite_id' }) citeId!: string;
  @Column('text', { name: 'epci_code' }) epciCode!: string;
  @Column('text', { name: 'bailleur_code', nullable: true }) bailleurCode!: string | null;
  @Column('text', { nullable: true }) financing!: string | null;
  @Column('text', { name: 'axis_code' }) axisCode!: string;
  @Column('text') title!: string;
  @Column('text', { name: 'lead_kind', nullable: true }) leadKind!: string | null;
  @Column('text', { name: 'lead_name', nullable: true }) leadName!: string | null;
  @Column('integer', { name: 'planned_logements' }) plannedLogements!: number;
  @Column('date', { name: 'programmed_on' }) programmedOn!: string;
  @Column('jsonb', { name: 'planned_dates' }) plannedDates!: Record<string, string>;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt!: Date;
}

@Entity('rm_grant')
export class GrantEntity {
  @PrimaryColumn('text', { name: 'grant_id' }) grantId!: string;
  @Column('text', { name: 'financer_code' }) financerCode!: string;
  @Column('text', { name: 'financer_category' }) financerCategory!: string;
  @Column('text', { name: 'operation_id' }) operationId!: string;
  @Column('text', { name: 'operation_kind' }) operationKind!: string;
  @Column('text', { name: 'epci_code' }) epciCode!: string;
  @Column('text', { name: 'axis_code' }) axisCode!: string;
  @Column('text') dispositif!: string;
  @Column('text', { name: 'beneficiary_kind' }) beneficiaryKind!: string;
  @Column('text', { name: 'beneficiary_code', nullable: true }) beneficiaryCode!: string | null;
  @Column('text', { name: 'beneficiary_name' }) beneficiaryName!: string;
  @Column('date', { name: 'convention_date' }) conventionDate!: string;
  @Column('text', { name: 'decision_ref', nullable: true }) decisionRef!: string | null;
  @Column('bigint', { name: 'amount_cents' }) amountCents!: string;
  @Column('bigint', { name: 'paid_cents' }) paidCents!: string;
  @Column('text') status!: 'decided' | 'cancelled';
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt!: Date;
}

export const READ_MODEL_ENTITIES = [ProjectionCheckpointEntity, EpciEntity, FinancerEntity, BailleurEntity, CiteEntity, OperationEntity, GrantEntity];
