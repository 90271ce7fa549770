import { createHash, randomBytes } from 'node:crypto';
import { type CommandExecutor } from '@erbm/application';
import { type Actor, type EventStore } from '@erbm/event-store';
import { type ApiKeyEvent, apiKeyAggregate, apiKeyStream } from '@erbm/identity';
import { ProjectionRunner, identityProjection } from '@erbm/projections';
import { type Clock } from '@erbm/shared';
import bcrypt from 'bcryptjs';
import { type DataSource } from 'typeorm';
import { AuthenticationError, type Principal, principalFor } from './principal';

/** bcrypt cost of key secrets. */
export const KEY_HASH_COST = 10;
/** How long a successful verification is remembered (the bcrypt compare is skipped; revocation is still checked). */
export const VERIFIED_CACHE_MS = 30_000;
/** `last_used_at` is written at most this often per key. */
export const LAST_USED_EVERY_MS = 60_000;

const KEY_FORMAT = /^erbm_([a-z0-9]{16,32})_([A-Za-z0-9_-]{32,64})$/;

/** A new key: `erbm_<keyId>_<secret>`, the secret 32 random bytes in base64url. Shown once, never stored. */
export function generateApiKey(): { keyId: string; secret: string; key: string } {
  const keyId = randomBytes(10).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { keyId, secret, key: `erbm_${keyId}_${secret}` };
}

export function parseApiKey(key: string): { keyId: string; secret: string } | null {
  const m = KEY_FORMAT.exec(key);
  return m ? { keyId: m[1], secret: m[2] } : null;
}

export const hashSecret = (secret: string): Promise<string> => bcrypt.hash(secret, KEY_HASH_COST);

/**
 * A bcrypt hash of a random secret at the keys' cost, made once per process: an unknown key id is compared against
 * it, so that a wrong secret takes the same time whether or not the key id exists (no timing oracle on key ids).
 */
let dummyHash: Promise<string> | undefined;
const unknownKeyHash = (): Promise<string> => (dummyHash ??= hashSecret(randomBytes(32).toString('base64url')));

export interface ClientView {
  clientId: string;
  organisation: string;
  name: string;
  registeredAt: string;
  keys: { keyId: string; issuedAt: string; lastUsedAt: string | null; revokedAt: string | null }[];
}

/** Who asks, through which command id (default: derived from the target) and correlation id. */
export interface Via {
  actor: Actor;
  commandId?: string;
  correlationId?: string;
}

export interface IssuedKey {
  clientId: string;
  keyId: string;
  organisation: string;
  /** The key, shown once. */
  key: string;
  issuedAt: string;
}

/**
 * API keys and clients: authentication of a presented key (fold of the key's stream + bcrypt, ADR 0007), and the
 * délégation's administration (register a client, issue and revoke keys) through the command executor.
 */
export class ApiKeys {
  private readonly verified = new Map<string, { keyId: string; until: number }>();
  private readonly lastUsed = new Map<string, number>();
  private readonly runner: ProjectionRunner;
  private prepared = false;

  constructor(private readonly store: EventStore, private readonly db: DataSource, private readonly executor: CommandExecutor, private readonly clock: Clock) {
    this.runner = new ProjectionRunner(db, store, identityProjection);
  }

  /**
   * The principal of a presented key. An unknown key id costs one bcrypt comparison too (against a dummy hash), so
   * a wrong secret answers in the same time whether or not the id exists.
   * @throws AuthenticationError (malformed, unknown, wrong secret, revoked).
   */
  async authenticate(key: string): Promise<Principal> {
    const parsed = parseApiKey(key);
    if (!parsed) throw new AuthenticationError('AUTH.UNAUTHENTICATED', 'Malformed API key');
    const { events } = await this.store.readStream(apiKeyStream(parsed.keyId));
    const state = events.reduce((s, e) => apiKeyAggregate.evolve(s, { type: e.type, data: e.data } as ApiKeyEvent), apiKeyAggregate.initialState());
    if (state.status === 'none' || !state.keyHash || !state.clientId) {
      await bcrypt.compare(parsed.secret, await unknownKeyHash());
      throw new AuthenticationError('AUTH.UNAUTHENTICATED', 'Unknown API key');
    }
    const now = Date.parse(this.clock.now());
    const digest = createHash('sha256').update(key).digest('hex');
    const cached = this.verified.get(digest);
    if (!(cached && cached.keyId === parsed.keyId && cached.until > now)) {
      if (!(await bcrypt.compare(parsed.secret, state.keyHash))) throw new AuthenticationError('AUTH.UNAUTHENTICATED', 'Unknown API key');
      this.verified.set(digest, { keyId: parsed.keyId, until: now + VERIFIED_CACHE_MS });
    }
    if (state.status === 'revoked') {
      this.verified.delete(digest);
      throw new AuthenticationError('AUTH.KEY_REVOKED', `This API key was revoked on ${state.revokedAt}`);
    }
    const principal = principalFor(state.organisation, state.clientId, null, 'api-key', parsed.keyId);
    if (!principal) throw new AuthenticationError('AUTH.UNAUTHENTICATED', 'The key belongs to no known organisation');
    await this.touch(parsed.keyId, now);
    return principal;
  }

  private async touch(keyId: string, now: number): Promise<void> {
    const last = this.lastUsed.get(keyId);
    if (last !== undefined && now - last < LAST_USED_EVERY_MS) return;
    this.lastUsed.set(keyId, now);
    await this.db.query(
      `INSERT INTO auth_api_key_usage (key_id, last_used_at) VALUES ($1, $2) ON CONFLICT (key_id) DO UPDATE SET last_used_at = EXCLUDED.last_used_at
        WHERE auth_api_key_usage.last_used_at < EXCLUDED.last_used_at - interval '1 minute'`,
      [keyId, new Date(now).toISOString()],
    );
  }

  async registerClient(input: { clientId: string; organisation: string; name: string }, via: Via): Promise<void> {
    await this.executor.execute({ commandId: via.commandId ?? `auth-client-${input.clientId}`, type: 'identity.RegisterApiClient', data: input, actor: via.actor, correlationId: via.correlationId });
    await this.refresh();
  }

  /** Issues a key to the client; the key is in the answer only. */
  async issueKey(clientId: string, via: Via): Promise<IssuedKey> {
    const { keyId, secret, key } = generateApiKey();
    const issuedAt = this.clock.now();
    // With an Idempotency-Key, a retry reuses the command id: its events already sit in the first key's stream,
    // so nothing is appended and the executor answers 409 COMMAND.ID_REUSED (a key is never shown twice).
    await this.executor.execute({
      commandId: via.commandId ?? `auth-key-${keyId}`,
      type: 'identity.IssueApiKey',
      data: { clientId, keyId, keyHash: await hashSecret(secret), issuedAt },
      actor: via.actor,
      correlationId: via.correlationId,
    });
    const { events } = await this.store.readStream(apiKeyStream(keyId));
    await this.refresh();
    return { clientId, keyId, organisation: String(events[0]?.data.organisation ?? ''), key, issuedAt };
  }

  async revokeKey(keyId: string, via: Via, reason: string | null = null): Promise<string> {
    const revokedAt = this.clock.now();
    await this.executor.execute({ commandId: via.commandId ?? `auth-revoke-${keyId}-${randomBytes(6).toString('hex')}`, type: 'identity.RevokeApiKey', data: { keyId, revokedAt, reason }, actor: via.actor, correlationId: via.correlationId });
    this.verified.clear();
    await this.refresh();
    return revokedAt;
  }

  /**
   * Registers a client of `organisation` and issues its first key, acting as the délégation through the CLI
   * channel: how the first délégation administrator is created (`cli auth bootstrap`).
   */
  async bootstrap(organisation: string, name: string, user: string): Promise<IssuedKey> {
    const slug = organisation.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'client';
    const clientId = `${slug}-${randomBytes(4).toString('hex')}`;
    const via: Via = { actor: { organisation: 'delegation', user, channel: 'cli', clientId: null }, commandId: `auth-client-${clientId}` };
    await this.registerClient({ clientId, organisation, name }, via);
    return this.issueKey(clientId, { actor: via.actor });
  }

  /** Every client with its keys (ids, dates, last use; never a hash), from the `identity` projection brought up to date. */
  async listClients(): Promise<ClientView[]> {
    await this.refresh();
    const clients: { client_id: string; organisation: string; name: string; registered_at: Date }[] = await this.db.query(
      'SELECT client_id, organisation, name, registered_at FROM auth_client ORDER BY client_id',
    );
    const keys: { key_id: string; client_id: string; issued_at: Date; revoked_at: Date | null; last_used_at: Date | null }[] = await this.db.query(
      `SELECT k.key_id, k.client_id, k.issued_at, k.revoked_at, u.last_used_at FROM auth_api_key k LEFT JOIN auth_api_key_usage u USING (key_id) ORDER BY k.issued_at, k.key_id`,
    );
    const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
    return clients.map((c) => ({
      clientId: c.client_id,
      organisation: c.organisation,
      name: c.name,
      registeredAt: new Date(c.registered_at).toISOString(),
      keys: keys.filter((k) => k.client_id === c.client_id).map((k) => ({ keyId: k.key_id, issuedAt: new Date(k.issued_at).toISOString(), lastUsedAt: iso(k.last_used_at), revokedAt: iso(k.revoked_at) })),
    }));
  }

  /** Brings the `identity` projection up to date (the worker follows it too). */
  async refresh(): Promise<void> {
    if (!this.prepared) {
      await this.runner.prepare();
      this.prepared = true;
    }
    await this.runner.catchUp();
  }
}
