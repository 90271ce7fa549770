import { notFound, ruleViolated } from '@erbm/shared';
import { type GrantState } from './grant.aggregate';

/** Named business rules of grants, asserted by code in tests. */
export const GrantRules = {
  mustExist(state: GrantState): void {
    if (state.status === 'none') throw notFound('GRANT.NOT_FOUND', 'No grant with this id', 'grantId');
  },
  mustNotBeCancelled(state: GrantState): void {
    if (state.status === 'cancelled') throw ruleViolated('GRANT.CANCELLED', 'The grant was cancelled; it accepts no further change', 'grantId');
  },
  /** Payments can never exceed the grant's amount (REFERENCE.md: "payments can never exceed the amount"). */
  paymentsWithinAmount(state: GrantState, extraPaidCents: number): void {
    if (state.paidCents + extraPaidCents > state.amountCents) {
      throw ruleViolated(
        'GRANT.PAYMENT_EXCEEDS_AMOUNT',
        `Payments would total ${state.paidCents + extraPaidCents} cents, above the grant's ${state.amountCents} cents`,
        'amountCents',
      );
    }
  },
  notBeforeConvention(state: GrantState, date: string, field: string): void {
    if (state.conventionDate && date < state.conventionDate) {
      throw ruleViolated('GRANT.DATE_BEFORE_CONVENTION', `${field} ${date} is before the convention date ${state.conventionDate}`, field);
    }
  },
};
