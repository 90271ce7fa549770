import { type JWTVerifyGetKey, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { AuthenticationError, type Principal, principalFor } from './principal';

export interface OidcConfig {
  issuer: string;
  audience: string;
  jwksUri: string;
}

/** The claim naming the caller's organisation (`delegation`, `bailleur:SIA_HABITAT`…). */
export const ORGANISATION_CLAIM = 'erbm_org';

/**
 * Validates OAuth2/OIDC bearer tokens (JWT) against the configured issuer's JWKS with jose: signature, `iss`, `aud`,
 * `exp`/`nbf`. The organisation comes from the `erbm_org` claim, the user from `email` or `sub`.
 */
export class OidcVerifier {
  private readonly jwks: JWTVerifyGetKey;

  constructor(private readonly config: OidcConfig) {
    this.jwks = createRemoteJWKSet(new URL(config.jwksUri), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  }

  async authenticate(token: string): Promise<Principal> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, { issuer: this.config.issuer, audience: this.config.audience, clockTolerance: 30 }));
    } catch (e) {
      const why = e instanceof errors.JWTExpired ? 'the token has expired' : e instanceof errors.JOSEError ? `the token is not valid (${e.code})` : 'the token could not be verified';
      throw new AuthenticationError('AUTH.TOKEN_INVALID', `Bearer token refused: ${why}`);
    }
    const sub = typeof payload.sub === 'string' ? payload.sub : null;
    const client = [payload.azp, payload.client_id, sub].find((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200);
    const user = typeof payload.email === 'string' && payload.email.length <= 200 ? payload.email : sub;
    const principal = client ? principalFor(payload[ORGANISATION_CLAIM], `oidc:${client}`, user ? user.slice(0, 200) : null, 'oidc') : null;
    if (!principal) throw new AuthenticationError('AUTH.TOKEN_INVALID', `Bearer token refused: no valid ${ORGANISATION_CLAIM} claim or subject`);
    return principal;
  }
}
