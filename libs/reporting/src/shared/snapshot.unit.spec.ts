import { type Sql } from './as-of';
import { readSnapshot } from './snapshot';

/** A fake TypeORM DataSource whose query runners log what they are asked, answering the checkpoint row. */
function pool(log: string[]) {
  let runners = 0;
  const runner = () => {
    const id = ++runners;
    return {
      isTransactionActive: false,
      connect: () => Promise.resolve(log.push(`runner ${id}: connect`)),
      release: () => Promise.resolve(log.push(`runner ${id}: release`)),
      query: <T>(sql: string) => {
        log.push(`runner ${id}: ${sql.split(' ').slice(0, 3).join(' ')}`);
        return Promise.resolve((sql.includes('rm_projection_checkpoint') ? [{ version: 1, checkpoint: '7/42' }] : [{ n: '1' }]) as T);
      },
    };
  };
  return {
    createQueryRunner: runner,
    query: <T>(sql: string) => {
      log.push(`pool: ${sql}`);
      return Promise.resolve([] as T);
    },
  };
}

describe('readSnapshot', () => {
  it('runs the answer on one connection in one read-only REPEATABLE READ transaction, its checkpoint read first', async () => {
    const log: string[] = [];
    const answer = await readSnapshot(pool(log), async (tx) => {
      await tx.query('SELECT a FROM rm_delivery_ledger');
      await tx.query('SELECT b FROM rm_grant_ledger');
      return tx.checkpoint.position;
    });
    expect(answer).toEqual({ checkpoint: { projection: 'bilan', version: 1, position: '7/42' }, value: '7/42' });
    expect(log).toEqual([
      'runner 1: connect',
      'runner 1: BEGIN ISOLATION LEVEL',
      'runner 1: SELECT version, checkpoint',
      'runner 1: SELECT a FROM',
      'runner 1: SELECT b FROM',
      'runner 1: COMMIT',
      'runner 1: release',
    ]);
  });

  it('reuses the open snapshot when nested', async () => {
    const log: string[] = [];
    const db = pool(log);
    const { value } = await readSnapshot(db, (tx) => readSnapshot(tx, (inner) => inner.query('SELECT c FROM rm_epci')));
    expect(value).toEqual({ checkpoint: { projection: 'bilan', version: 1, position: '7/42' }, value: [{ n: '1' }] });
    expect(log.filter((l) => l.endsWith('connect'))).toHaveLength(1);
  });

  it('rolls back, releases the connection and rethrows when the answer fails', async () => {
    const log: string[] = [];
    await expect(readSnapshot(pool(log), () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(log.slice(-2)).toEqual(['runner 1: ROLLBACK', 'runner 1: release']);
  });

  it('takes any other Sql as one connection in a transaction of the caller', async () => {
    const queries: string[] = [];
    const sql: Sql = { query: <T>(q: string) => (queries.push(q), Promise.resolve([] as T)) };
    const { checkpoint } = await readSnapshot(sql, (tx) => tx.query('SELECT 1'));
    expect(checkpoint).toEqual({ projection: 'bilan', version: null, position: '0/0' });
    expect(queries).toHaveLength(2);
  });
});
