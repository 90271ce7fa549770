import { type EventStore } from '@erbm/event-store';
import { ProjectionRunner, bilanProjection, currentReadModelSchema, identityProjection, projectionStatus } from '@erbm/projections';
import { type DataSource } from 'typeorm';
import { progressBar } from '../progress';

/**
 * Brings the read models of the configured schema (`READ_MODEL_SCHEMA`, default `public`) up to date with the event
 * log (what the worker does continuously): the `bilan` projection, then `identity`. With `rebuild`, empties them
 * first and replays the whole log. Prints the schema and, at the end, each projection's checkpoint and whether it
 * reached the head of the log (`à jour` or `en retard`: the check of a blue/green rebuild, docs/operations.md), in
 * French. Returns the number of events
 * the `bilan` projection applied.
 */
export async function catchUpProjections(db: DataSource, store: EventStore, opts: { rebuild?: boolean } = {}): Promise<number> {
  const schema = await currentReadModelSchema(db);
  console.log(`Modèles de lecture dans le schéma ${schema}.`);
  const runner = new ProjectionRunner(db, store, bilanProjection);
  // Same batch size, so that each batch of the log is read once for both.
  const identity = new ProjectionRunner(db, store, identityProjection, runner.batchSize);
  if (opts.rebuild) {
    await db.query(`UPDATE rm_projection_checkpoint SET version = -1 WHERE name = ANY($1::text[])`, [[bilanProjection.name, identityProjection.name]]);
  }
  await runner.prepare();
  await identity.prepare();
  const [{ n }] = await db.query<{ n: string }[]>('SELECT count(*) AS n FROM public.es_events');
  const [{ done }] = await db.query<{ done: string }[]>('SELECT events AS done FROM rm_projection_checkpoint WHERE name = $1', [bilanProjection.name]);
  const bar = progressBar('Projections', Number(n), 1000);
  bar.update(Number(done));
  // Both projections side by side, each batch of the log read once for both (what `npm run bench` measures).
  const [applied] = await ProjectionRunner.catchUpTogether([runner, identity], ([bilan]) => bar.update(Number(done) + bilan));
  bar.stop();
  for (const s of await projectionStatus(db, store)) {
    console.log(`  ${schema}.${s.name} v${s.version} : checkpoint ${s.checkpoint}, ${s.events} événements, ${s.caughtUp ? 'à jour' : 'en retard'} (${s.updatedAt.toISOString()})`);
  }
  return applied;
}
