import { type DomainEvent, type FinancerCategory, type OperationKind } from '@erbm/shared';

/** Beneficiary of a grant (SCDL Subventions: nomBeneficiaire / idBeneficiaire). */
export interface Beneficiary {
  kind: 'bailleur' | 'commune' | 'epci' | 'autre';
  /** Bailleur or EPCI code when the beneficiary is registered, else null. */
  code: string | null;
  name: string;
}

export const DISPOSITIFS = [
  'aides-a-la-pierre',
  'fonds-conjoint-etat-region',
  'npnru',
  'pts-nord',
  'agence-eau-reseaux',
  'fonds-friches',
  'plan-de-relance',
  'feder',
  'droit-commun',
  'autre',
] as const;
export type Dispositif = (typeof DISPOSITIFS)[number];

/**
 * `funding.GrantDecided.v1`: a financer decided a subsidy (convention signed).
 * Amount in integer euro cents. The operation's kind and EPCI and the financer's category are copied in as they
 * were known at decision time, so reports never need to join back.
 */
export type GrantDecided = DomainEvent<
  'funding.GrantDecided.v1',
  {
    grantId: string;
    financerCode: string;
    financerCategory: FinancerCategory;
    operationId: string;
    operationKind: OperationKind;
    epciCode: string;
    beneficiary: Beneficiary;
    dispositif: Dispositif;
    axisCode: string;
    amountCents: number;
    conventionDate: string;
    decisionRef: string | null;
  }
>;

/** `funding.GrantAmended.v1`: the grant's total amount was changed by an amendment (avenant). */
export type GrantAmended = DomainEvent<
  'funding.GrantAmended.v1',
  { grantId: string; previousAmountCents: number; amountCents: number; amendedOn: string; reason: string }
>;

/** `funding.GrantPaymentMade.v1`: an instalment was paid (versement). */
export type GrantPaymentMade = DomainEvent<
  'funding.GrantPaymentMade.v1',
  { grantId: string; paymentId: string; paidOn: string; amountCents: number }
>;

/** `funding.GrantCancelled.v1`: the grant was cancelled; its unpaid remainder no longer counts. */
export type GrantCancelled = DomainEvent<'funding.GrantCancelled.v1', { grantId: string; cancelledOn: string; reason: string }>;

export type GrantEvent = GrantDecided | GrantAmended | GrantPaymentMade | GrantCancelled;

export const GRANT_EVENT_TYPES = [
  'funding.GrantDecided.v1',
  'funding.GrantAmended.v1',
  'funding.GrantPaymentMade.v1',
  'funding.GrantCancelled.v1',
] as const satisfies readonly GrantEvent['type'][];
