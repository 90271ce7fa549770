import { SetMetadata, UnauthorizedException } from '@nestjs/common';
import { type Principal, type Role, readScopeOf } from '@erbm/platform';
import { type ReadScope } from '@erbm/reporting';
import { type Request } from 'express';

export const PUBLIC_KEY = 'erbm:public';
export const ROLES_KEY = 'erbm:roles';
export const METRICS_SCRAPE_KEY = 'erbm:metrics-scrape';

/** The route needs no authentication (health). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The route also accepts `Authorization: Bearer <METRICS_TOKEN>` when that token is configured (GET /metrics). */
export const MetricsScrape = () => SetMetadata(METRICS_SCRAPE_KEY, true);

/** The roles allowed on a route or controller (the method's decorator wins over the class's). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/**
 * Routes without `@Roles` accept every role but the comité de pilotage, which reads aggregates only and must be
 * named explicitly.
 */
export const DEFAULT_ROLES: readonly Role[] = ['delegation', 'bailleur', 'epci', 'financer'];
/** Aggregated read models: everyone, the comité de pilotage included (scoped by organisation). */
export const AGGREGATE_READERS: Role[] = ['delegation', 'copil', 'bailleur', 'epci', 'financer'];

/** Whether `role` may call a route allowing `allowed` (undefined: DEFAULT_ROLES). Pure; unit-tested. */
export function roleAllowed(role: Role, allowed: readonly Role[] | undefined): boolean {
  return (allowed ?? DEFAULT_ROLES).includes(role);
}

export type AuthenticatedRequest = Request & { principal?: Principal };

/** The caller's principal, set by the AccessGuard. */
export function principalOf(req: Request): Principal {
  const p = (req as AuthenticatedRequest).principal;
  if (!p) throw new UnauthorizedException('Not authenticated');
  return p;
}

/** What the caller may read. */
export const scopeOf = (req: Request): ReadScope => readScopeOf(principalOf(req));
