import { createHash } from 'node:crypto';
import { type ProjectionCheckpoint, type ReadScope, type SnapshotAnswer, type Sql, readCheckpoint } from '@erbm/read-models';
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

/**
 * Conditional GET of a read-model answer (ADR 0004).
 * - With `If-None-Match`: reads the projection checkpoint alone (one query) and, when the request's tag matches,
 *   sets 304 Not Modified with the ETag and returns null without running `answer` (the caller sends no body).
 * - Otherwise runs `answer` (one snapshot: `readSnapshot`) and sets the ETag of the checkpoint that snapshot
 *   reflects (which may be newer than the one read first).
 * Either way sets `Cache-Control: private, no-cache` (answers depend on the reader: revalidate each time).
 */
export async function conditionalRead<T>(db: Sql, req: Request, res: Response, key: AnswerKey, answer: () => Promise<SnapshotAnswer<T>>): Promise<SnapshotAnswer<T> | null> {
  res.setHeader('Cache-Control', 'private, no-cache');
  const ifNoneMatch = req.header('if-none-match');
  if (ifNoneMatch !== undefined) {
    const etag = snapshotEtag(await readCheckpoint(db), key);
    if (ifNoneMatchMatches(ifNoneMatch, etag)) {
      res.status(304).setHeader('ETag', etag);
      return null;
    }
  }
  const a = await answer();
  res.setHeader('ETag', snapshotEtag(a.checkpoint, key));
  return a;
}
