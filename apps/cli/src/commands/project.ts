import { type EventStore } from '@erbm/event-store';
import { ProjectionRunner, bilanProjection } from '@erbm/read-models';
import { type DataSource } from 'typeorm';
import { progressBar } from '../progress';

/**
 * Brings the read models up to date with the event log (what the worker does continuously). With `rebuild`,
 * empties them first and replays the whole log.
 */
export async function catchUpProjections(db: DataSource, store: EventStore, opts: { rebuild?: boolean } = {}): Promise<number> {
  const runner = new ProjectionRunner(db, store, bilanProjection);
  if (opts.rebuild) {
    await db.query(`UPDATE rm_projection_checkpoint SET version = -1 WHERE name = $1`, [bilanProjection.name]);
  }
  await runner.prepare();
  const [{ n }] = await db.query<{ n: string }[]>('SELECT count(*) AS n FROM es_events');
  const [{ done }] = await db.query<{ done: string }[]>('SELECT events AS done FROM rm_projection_checkpoint WHERE name = $1', [bilanProjection.name]);
  const bar = progressBar('Projections', Number(n), 1000);
  bar.update(Number(done));
  const applied = await runner.catchUp((p) => bar.update(Number(done) + p.events));
  bar.stop();
  return applied;
}
