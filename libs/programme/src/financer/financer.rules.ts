import { type EpciFacts, type FinancerCategory, notFound, ruleViolated } from '@erbm/shared';

/** Named business rules of financers, asserted by code in tests. */
export const FinancerRules = {
  /**
   * `epciCode` is given iff the category is `epci`:
   * @throws FINANCER.EPCI_CODE_REQUIRED (rule, field `epciCode`) for an `epci` financer without one;
   * @throws FINANCER.EPCI_CODE_NOT_ALLOWED (rule, field `epciCode`) for any other category with one.
   */
  epciCodeMatchesCategory(category: FinancerCategory, epciCode: string | null): void {
    if (category === 'epci' && epciCode === null) {
      throw ruleViolated('FINANCER.EPCI_CODE_REQUIRED', 'A financer of category epci names its EPCI', 'epciCode');
    }
    if (category !== 'epci' && epciCode !== null) {
      throw ruleViolated('FINANCER.EPCI_CODE_NOT_ALLOWED', `A financer of category ${category} has no epciCode`, 'epciCode');
    }
  },
  /** The EPCI of an `epci` financer must be registered: @throws EPCI.NOT_FOUND (not-found, field `epciCode`). */
  epciMustExist(epci: EpciFacts | null | undefined, epciCode: string | null): void {
    if (epciCode !== null && !epci) throw notFound('EPCI.NOT_FOUND', `Unknown EPCI ${epciCode}`, 'epciCode');
  },
};
