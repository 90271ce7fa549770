import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import { type ProjectionCheckpoint, type ReadScope, type SnapshotAnswer, type Sql, readCheckpoint } from '@erbm/reporting';
import { type Request, type Response } from 'express';

/**
 * What a read-model answer depends on besides the projection checkpoint: the path, the normalized query (`asOf`
 * resolved against the clock, `knownAt` as an ISO instant or null, the other parameters as validated) and the
 * reader's scope.
 */
export interface AnswerKey {
  path: string;
  query: Record<string, unknown>;
  scope: ReadScope;
}

/**
 * The weak ETag of a read-model answer: `W/"<22 base64url characters>"`, a SHA-256 of the checkpoint (projection,
 * version, position) and of the answer key. The same checkpoint and the same request give the same tag; a batch
 * committed by the projection, a rebuild or another query, scope or path give another.
 */
export function snapshotEtag(checkpoint: ProjectionCheckpoint, key: AnswerKey): string {
  const query = Object.fromEntries(
    Object.entries(key.query)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  const scope = key.scope.kind === 'all' ? { kind: 'all' } : { kind: key.scope.kind, code: key.scope.code };
  const digest = createHash('sha256')
    .update(JSON.stringify([checkpoint.projection, checkpoint.version, checkpoint.position, key.path, query, scope]))
    .digest('base64url');
  return `W/"${digest.slice(0, 22)}"`;
}

/**
 * Whether an `If-None-Match` header matches `etag` (RFC 9110 §13.1.2, weak comparison): `*`, or a comma-separated
 * list one of whose entity tags has the same opaque tag, with or without `W/`. An absent header matches nothing.
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return header.split(',').some((t) => opaque(t) === wanted);
}

/** Answers kept per read-model database (one per application), by ETag; a tag names one checkpoint and request. */
const ANSWERS_KEPT = 256;
const caches = new WeakMap<object, LRUCache<string, SnapshotAnswer<unknown>>>();
const cacheOf = (db: Sql): LRUCache<string, SnapshotAnswer<unknown>> => {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new LRUCache<string, SnapshotAnswer<unknown>>({ max: ANSWERS_KEPT })));
  return cache;
};

/**
 * Conditional GET of a read-model answer (ADR 0004), cached by projection checkpoint.
 * - Reads the projection checkpoint (one query) and computes the ETag of the request at that checkpoint.
 * - `If-None-Match` matching it: sets 304 Not Modified with the ETag and returns null (the caller sends no body).
 * - An answer already computed for that tag (same checkpoint, path, normalized query and scope) is returned from an
 *   in-process LRU cache of 256 answers, without running `answer`: an answer only changes when the projection
 *   commits a batch, which moves the checkpoint and so the tag.
 * - Otherwise runs `answer` (one snapshot: `readSnapshot`), keeps it under the tag of the checkpoint that snapshot
 *   reflects (which may be newer than the one read first) and sets that ETag.
 * Either way sets `Cache-Control: private, no-cache` (answers depend on the reader: revalidate each time).
 */
export async function conditionalRead<T>(db: Sql, req: Request, res: Response, key: AnswerKey, answer: () => Promise<SnapshotAnswer<T>>): Promise<SnapshotAnswer<T> | null> {
  res.setHeader('Cache-Control', 'private, no-cache');
  const etag = snapshotEtag(await readCheckpoint(db), key);
  if (ifNoneMatchMatches(req.header('if-none-match'), etag)) {
    res.status(304).setHeader('ETag', etag);
    return null;
  }
  const cache = cacheOf(db);
  const kept = cache.get(etag) as SnapshotAnswer<T> | undefined;
  if (kept) {
    res.setHeader('ETag', etag);
    return kept;
  }
  const a = await answer();
  const tag = snapshotEtag(a.checkpoint, key);
  cache.set(tag, a);
  res.setHeader('ETag', tag);
  return a;
}
