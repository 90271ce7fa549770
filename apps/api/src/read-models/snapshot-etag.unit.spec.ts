import { type ProjectionCheckpoint, type SnapshotAnswer, type Sql } from '@erbm/reporting';
import { type Request, type Response } from 'express';
import { type AnswerKey, conditionalRead, ifNoneMatchMatches, snapshotEtag } from './snapshot-etag';

const AT_10: ProjectionCheckpoint = { projection: 'bilan', version: 1, position: '900/10' };
const AT_11: ProjectionCheckpoint = { projection: 'bilan', version: 1, position: '901/11' };
const KEY: AnswerKey = { path: '/reports/bilan', query: { asOf: '2022-12-31', knownAt: undefined }, scope: { kind: 'all' } };

/** A read-model database whose checkpoint row is `checkpoint`, counting its queries. */
function database(checkpoint: ProjectionCheckpoint): Sql & { queries: string[] } {
  const queries: string[] = [];
  return {
    queries,
    query: <T>(sql: string) => {
      queries.push(sql);
      return Promise.resolve([{ version: checkpoint.version, checkpoint: checkpoint.position }] as T);
    },
  };
}

function exchange(ifNoneMatch?: string): { req: Request; res: Response & { statusCode: number; headers: Record<string, string> } } {
  const req = { header: (name: string) => (name.toLowerCase() === 'if-none-match' ? ifNoneMatch : undefined) } as unknown as Request;
  const res = {
    statusCode: 200,
    headers: {} as Record<string, string>,
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    setHeader(name: string, value: string) {
      this.headers[name.toLowerCase()] = value;
      return this;
    },
  };
  return { req, res: res as unknown as Response & typeof res };
}

describe('ETags of read-model answers', () => {
  it('are weak, and change with the checkpoint, the version, the query, the path and the scope', () => {
    const tag = snapshotEtag(AT_10, KEY);
    expect(tag).toMatch(/^W\/"[A-Za-z0-9_-]{22}"$/);
    expect(snapshotEtag({ ...AT_10 }, { ...KEY, query: { knownAt: undefined, asOf: '2022-12-31' } })).toBe(tag);
    const others = [
      snapshotEtag(AT_11, KEY),
      snapshotEtag({ ...AT_10, version: 2 }, KEY),
      snapshotEtag(AT_10, { ...KEY, query: { asOf: '2022-12-31', knownAt: '2023-01-16T00:00:00.000Z' } }),
      snapshotEtag(AT_10, { ...KEY, path: '/reports/bilan.csv' }),
      snapshotEtag(AT_10, { ...KEY, scope: { kind: 'epci', code: 'CALL' } }),
      snapshotEtag(AT_10, { ...KEY, scope: { kind: 'bailleur', code: 'CALL' } }),
    ];
    expect(new Set([tag, ...others]).size).toBe(others.length + 1);
  });

  it('match If-None-Match by weak comparison, in a list or as *', () => {
    const tag = snapshotEtag(AT_10, KEY);
    expect(ifNoneMatchMatches(tag, tag)).toBe(true);
    expect(ifNoneMatchMatches(tag.slice(2), tag)).toBe(true);
    expect(ifNoneMatchMatches(`"x", ${tag}`, tag)).toBe(true);
    expect(ifNoneMatchMatches('*', tag)).toBe(true);
    expect(ifNoneMatchMatches('W/"other"', tag)).toBe(false);
    expect(ifNoneMatchMatches(undefined, tag)).toBe(false);
  });
});

describe('conditional read of a read-model answer', () => {
  const answer = (checkpoint: ProjectionCheckpoint) => jest.fn((): Promise<SnapshotAnswer<string>> => Promise.resolve({ checkpoint, value: 'bilan' }));

  it('answers 304 from the checkpoint alone when If-None-Match matches: the queries do not run', async () => {
    const db = database(AT_10);
    const { req, res } = exchange(snapshotEtag(AT_10, KEY));
    const run = answer(AT_10);
    expect(await conditionalRead(db, req, res, KEY, run)).toBeNull();
    expect(run).not.toHaveBeenCalled();
    expect(db.queries).toHaveLength(1);
    expect(res.statusCode).toBe(304);
    expect(res.headers.etag).toBe(snapshotEtag(AT_10, KEY));
    expect(res.headers['cache-control']).toBe('private, no-cache');
  });

  it('runs the answer when the projection moved, with the ETag of the checkpoint its snapshot reflects', async () => {
    const db = database(AT_10);
    const { req, res } = exchange(snapshotEtag(AT_10, { ...KEY, query: { asOf: '2021-12-31' } }));
    const run = answer(AT_11); // a batch committed between the checkpoint read and the snapshot
    expect(await conditionalRead(db, req, res, KEY, run)).toEqual({ checkpoint: AT_11, value: 'bilan' });
    expect(run).toHaveBeenCalledTimes(1);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe(snapshotEtag(AT_11, KEY));
  });

  it('keeps the answer of a checkpoint: the same request at the same checkpoint reads the checkpoint alone', async () => {
    const db = database(AT_10);
    const run = answer(AT_10);
    const first = exchange();
    expect(await conditionalRead(db, first.req, first.res, KEY, run)).toEqual({ checkpoint: AT_10, value: 'bilan' });
    const second = exchange();
    expect(await conditionalRead(db, second.req, second.res, KEY, run)).toEqual({ checkpoint: AT_10, value: 'bilan' });
    expect(run).toHaveBeenCalledTimes(1);
    expect(db.queries).toHaveLength(2); // one checkpoint read per request, nothing else
    expect(second.res.headers.etag).toBe(snapshotEtag(AT_10, KEY));
    // Another request, or another database (another application), is computed afresh.
    const other = exchange();
    await conditionalRead(db, other.req, other.res, { ...KEY, path: '/reports/bilan.csv' }, run);
    const elsewhere = exchange();
    await conditionalRead(database(AT_10), elsewhere.req, elsewhere.res, KEY, run);
    expect(run).toHaveBeenCalledTimes(3);
  });

  it('computes the answer again once the projection moved', async () => {
    let at = AT_10;
    const db: Sql = { query: <T>() => Promise.resolve([{ version: at.version, checkpoint: at.position }] as T) };
    const run = jest.fn((): Promise<SnapshotAnswer<string>> => Promise.resolve({ checkpoint: at, value: at.position }));
    const first = exchange();
    expect(await conditionalRead(db, first.req, first.res, KEY, run)).toEqual({ checkpoint: AT_10, value: AT_10.position });
    at = AT_11;
    const second = exchange();
    expect(await conditionalRead(db, second.req, second.res, KEY, run)).toEqual({ checkpoint: AT_11, value: AT_11.position });
    expect(run).toHaveBeenCalledTimes(2);
    expect(second.res.headers.etag).toBe(snapshotEtag(AT_11, KEY));
  });
});
