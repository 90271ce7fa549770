import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import { API_KEYS, APP_CONFIG, type AppConfig, type ApiKeys, AuthenticationError, OIDC_VERIFIER, type OidcVerifier, type Principal, type Role } from '@erbm/platform';
import { Forbidden, Unauthenticated } from './auth-errors';
import { ClientThrottlerGuard } from './client-throttler.guard';
import { type AuthenticatedRequest, METRICS_SCRAPE_KEY, PUBLIC_KEY, ROLES_KEY, roleAllowed } from './roles';

/**
 * The one global guard of the API (issue #3):
 * 1. public routes (`@Public()`: /health) pass untouched (the OpenAPI UI is not a Nest route), and so do scrapes of
 *    `@MetricsScrape()` routes (/metrics) bearing the configured `METRICS_TOKEN` (not rate-limited: not a client);
 * 2. authenticates `Authorization: Bearer <API key or JWT>` or `X-API-Key: <API key>` and puts the principal on
 *    the request;
 * 3. rate-limits per client (IP when unauthenticated) — 429;
 * 4. refuses the unauthenticated — 401 AUTH.UNAUTHENTICATED / AUTH.KEY_REVOKED / AUTH.TOKEN_INVALID;
 * 5. checks the route's roles (`@Roles`) — 403 AUTH.FORBIDDEN.
 * Ownership of what a command writes is then checked by the command executor (403 AUTH.NOT_OWNER), and reads
 * are filtered by the principal's scope.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly throttler: ClientThrottlerGuard,
    @Inject(API_KEYS) private readonly keys: ApiKeys,
    @Inject(OIDC_VERIFIER) private readonly oidc: OidcVerifier | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (this.reflector.getAllAndOverride<boolean>(METRICS_SCRAPE_KEY, targets) && this.bearsMetricsToken(req)) return true;
    let failure: Unauthenticated | null = null;
    try {
      req.principal = await this.authenticate(req);
    } catch (e) {
      if (!(e instanceof AuthenticationError)) throw e;
      failure = new Unauthenticated(e.code, e.message);
    }
    await this.throttler.canActivate(context);
    if (failure) throw failure;
    const principal = req.principal as Principal;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roleAllowed(principal.role, allowed)) {
      throw new Forbidden(`The role ${principal.role} (${principal.organisation}) may not use ${req.method} ${req.route?.path ?? req.path}`);
    }
    return true;
  }

  /** True when `METRICS_TOKEN` is set and the request bears it (compared in constant time, on SHA-256 digests). */
  private bearsMetricsToken(req: AuthenticatedRequest): boolean {
    const token = this.config.metricsToken;
    const m = /^Bearer +(\S{1,4096})$/i.exec(req.header('authorization')?.trim() ?? '');
    if (!token || !m) return false;
    const digest = (s: string) => createHash('sha256').update(s).digest();
    return timingSafeEqual(digest(m[1]), digest(token));
  }

  private async authenticate(req: AuthenticatedRequest): Promise<Principal> {
    const authorization = req.header('authorization');
    const apiKey = req.header('x-api-key');
    if (authorization !== undefined) {
      const m = /^Bearer +(\S{1,4096})$/i.exec(authorization.trim());
      if (!m) throw new AuthenticationError('AUTH.UNAUTHENTICATED', 'Authorization must be "Bearer <API key or token>"');
      return this.credential(m[1]);
    }
    if (apiKey !== undefined) return this.credential(apiKey.trim());
    throw new AuthenticationError('AUTH.UNAUTHENTICATED', 'Authentication required: send Authorization: Bearer <API key or token>');
  }

  private credential(value: string): Promise<Principal> {
    if (value.startsWith('erbm_')) return this.keys.authenticate(value);
    if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value)) {
      if (!this.oidc) throw new AuthenticationError('AUTH.TOKEN_INVALID', 'Bearer tokens are not accepted: no OIDC issuer is configured');
      return this.oidc.authenticate(value);
    }
    throw new AuthenticationError('AUTH.UNAUTHENTICATED', 'Unrecognised credential: expected an API key erbm_<keyId>_<secret> or a JWT');
  }
}
