import { DomainError } from '@erbm/shared';

/**
 * How a command that lost the race for its stream (no `If-Match`, another write landed between its read and its
 * append) is tried again: up to `attempts` tries in all, waiting before each retry a random time between 0 and
 * `min(capMs, baseMs × 2^(retry − 1))` ("full jitter", so that writers that collided do not collide again in step).
 */
export interface ContentionPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** First back-off ceiling, in milliseconds. */
  baseMs: number;
  /** Largest back-off ceiling, in milliseconds. */
  capMs: number;
  /** Seconds sent in `Retry-After` with the 409 `COMMAND.CONTENTION` that remains after the last try. */
  retryAfterSeconds: number;
}

/**
 * Default: 12 tries, back-off ceilings 5, 10, 20, 40, 80, 160 then 250 ms (at most ~1.6 s of waiting in all, half
 * that on average). Measured need: 8 concurrent writers of one operation, each losing at most 7 races (one writer
 * wins each round), all succeed (test/e2e/write-safety.e2e.spec.ts).
 */
export const DEFAULT_CONTENTION_POLICY: ContentionPolicy = { attempts: 12, baseMs: 5, capMs: 250, retryAfterSeconds: 1 };

/** Thrown by one try of a command whose append met a concurrent writer; caught by {@link retryOnContention}. */
export class LostRace extends Error {
  constructor(readonly streamId: string) {
    super(`Stream ${streamId} changed between the read and the append`);
    this.name = 'LostRace';
  }
}

/** 409 `COMMAND.CONTENTION`: the stream kept changing for every try; the HTTP answer carries `Retry-After`. */
export class ContentionError extends DomainError {
  constructor(streamId: string, attempts: number, readonly retryAfterSeconds: number) {
    super('COMMAND.CONTENTION', 'conflict', `Stream ${streamId} kept changing under concurrent writes (${attempts} tries); retry the command after ${retryAfterSeconds} s`);
    this.name = 'ContentionError';
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `tryOnce` until it does not throw {@link LostRace}, with jittered exponential back-off between tries.
 * A thin wrapper around one execution of a command: the try re-reads the stream and decides again.
 * @throws ContentionError after `policy.attempts` lost races; any other error of a try at once.
 */
export async function retryOnContention<T>(tryOnce: () => Promise<T>, policy: ContentionPolicy = DEFAULT_CONTENTION_POLICY, random: () => number = Math.random): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await tryOnce();
    } catch (e) {
      if (!(e instanceof LostRace)) throw e;
      if (attempt >= policy.attempts) throw new ContentionError(e.streamId, attempt, policy.retryAfterSeconds);
      await sleep(Math.floor(random() * Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1))));
    }
  }
}
