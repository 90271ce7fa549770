import { type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { ThrottlerException, ThrottlerGuard, type ThrottlerRequest } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { type AuthenticatedRequest } from './roles';

/**
 * Rate limit per API client (its client id; the IP address when unauthenticated), across every route, with the
 * counters in Redis. Not registered as a guard by itself: the AccessGuard calls it after authentication.
 * If Redis cannot be reached, requests are let through (logged) rather than refused.
 */
@Injectable()
export class ClientThrottlerGuard extends ThrottlerGuard {
  private readonly log = new Logger('RateLimit');

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const r = req as unknown as AuthenticatedRequest;
    return Promise.resolve(r.principal ? `client:${r.principal.clientId}` : `ip:${r.ip ?? 'unknown'}`);
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return createHash('sha256').update(`erbm-rate-${name}-${tracker}`).digest('hex');
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    try {
      return await super.handleRequest(props);
    } catch (e) {
      if (e instanceof ThrottlerException) throw e;
      this.log.warn(`rate limiting skipped: ${(e as Error).message}`);
      return true;
    }
  }
}
