import { type BailleurFacts, type EpciFacts, notFound } from '@erbm/shared';
import { type CiteState } from './cite.aggregate';

/** Named business rules of cités, asserted by code in tests. */
export const CiteRules = {
  /** @throws CITE.NOT_FOUND (not-found, field `citeId`) when the cité was never registered. */
  mustExist(state: CiteState): void {
    if (state.status === 'none') throw notFound('CITE.NOT_FOUND', 'No cité with this id', 'citeId');
  },
  /** The cité's EPCI must be registered: @throws EPCI.NOT_FOUND (not-found, field `epciCode`). */
  epciMustExist(epci: EpciFacts | null | undefined, epciCode: string): void {
    if (!epci) throw notFound('EPCI.NOT_FOUND', `Unknown EPCI ${epciCode}`, 'epciCode');
  },
  /** A named bailleur must be registered: @throws BAILLEUR.NOT_FOUND (not-found, field `bailleurCode`). */
  bailleurMustExist(bailleur: BailleurFacts | null | undefined, bailleurCode: string | null): void {
    if (bailleurCode !== null && !bailleur) throw notFound('BAILLEUR.NOT_FOUND', `Unknown bailleur ${bailleurCode}`, 'bailleurCode');
  },
};
