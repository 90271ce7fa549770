import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { type AggregateStatesOptions, CommandExecutor } from '@erbm/application';
import { type Actor, type NewEvent, PostgresEventStore } from '@erbm/event-store';
import { openDatabase } from '@erbm/projections';
import { systemClock } from '@erbm/shared';
import { type Row, ensureDatabase, fmt, msSince, percentile, siblingUrl, writeResult } from './common';

const actor: Actor = { organisation: 'delegation', user: 'bench', channel: 'cli', clientId: null };
const energy = (kwh: number, dpeClass: string) => ({ primaryEnergyKwhPerM2Year: kwh, dpeClass, dpeScale: '2021' });

/** A logements operation in travaux with 100 000 planned logements, on the reference data it needs. */
async function programme(ex: CommandExecutor, operationId: string): Promise<void> {
  await ex.execute({
    commandId: `${operationId}-programme`, type: 'operation.ProgrammeLogementsOperation', actor,
    data: {
      operationId, citeId: 'bench-cite', bailleurCode: 'BENCH', title: operationId, plannedLogements: 100_000, financing: 'erbm', axisCode: '1a',
      lots: [{ lotType: 'PALULOS', logements: 100_000 }], programmedOn: '2024-01-10', plannedDates: {},
    },
  });
  for (const [phase, startedOn] of [['etudes', '2024-02-01'], ['avp', '2024-04-01'], ['autorisation', '2024-06-01'], ['travaux', '2024-09-01']]) {
    await ex.execute({ commandId: `${operationId}-${phase}`, type: 'operation.StartPhase', actor, data: { operationId, phase, startedOn } });
  }
}

const delivery = (operationId: string) => ({
  commandId: randomUUID(), type: 'operation.RecordLogementsDelivery', actor,
  data: { operationId, deliveryId: randomUUID(), deliveredOn: '2025-01-15', logements: 1, energyBefore: energy(380, 'F'), energyAfter: energy(110, 'B') },
});

/**
 * Latency of one command (`operation.RecordLogementsDelivery` through `CommandExecutor`) on an operation of 5 events
 * and on one of `BENCH_COMMAND_EVENTS` (default 10 000) events, alternately: warm (the executor keeps states),
 * cold (a new executor each time: the snapshot and the events after it are read) and, for reference, without
 * snapshots or kept states (the whole stream read and folded).
 */
export async function benchCommand(): Promise<void> {
  const url = siblingUrl('_command');
  await ensureDatabase(url, true);
  await (await openDatabase(url)).destroy();
  const length = Number(process.env.BENCH_COMMAND_EVENTS ?? 10_000);
  const runs = Number(process.env.BENCH_COMMAND_RUNS ?? 30);
  const store = new PostgresEventStore({ connection: url });
  const executor = (states?: AggregateStatesOptions) => new CommandExecutor(store, systemClock, { states });
  try {
    const ex = executor();
    await ex.execute({ commandId: 'epci', type: 'programme.RegisterEpci', actor, data: { epciCode: 'BENCH', name: 'Bench', communes: 1 } });
    await ex.execute({ commandId: 'bailleur', type: 'programme.RegisterBailleur', actor, data: { bailleurCode: 'BENCH', name: 'Bench' } });
    await ex.execute({
      commandId: 'cite', type: 'programme.RegisterCite', actor,
      data: { citeId: 'bench-cite', name: 'Bench', communes: ['Lens'], epciCode: 'BENCH', bailleurCode: 'BENCH', logements: 100_000, unesco: false, priority: false },
    });
    await programme(ex, 'short');
    await programme(ex, 'long');
    // The long operation's deliveries, appended 500 at a time (as the executor would decide them, one logement each).
    let version = 5;
    while (version < length) {
      const n = Math.min(500, length - version);
      const events: NewEvent[] = Array.from({ length: n }, () => {
        const d = delivery('long');
        return {
          eventId: randomUUID(), type: 'operation.LogementsDelivered.v1',
          data: { ...d.data, citeId: 'bench-cite', epciCode: 'BENCH', bailleurCode: 'BENCH' },
          metadata: { commandId: d.commandId, correlationId: d.commandId, causationId: d.commandId, actor },
        };
      });
      version = (await store.appendToStream('operation-long', events, { expectedVersion: { exact: version } })).nextExpectedVersion;
    }
    const time = async (ex: CommandExecutor, operationId: string) => {
      const t = process.hrtime.bigint();
      await ex.execute(delivery(operationId));
      return msSince(t);
    };
    const results: Record<'warm' | 'cold' | 'whole', { short: number[]; long: number[] }> = { warm: { short: [], long: [] }, cold: { short: [], long: [] }, whole: { short: [], long: [] } };
    const warm = executor();
    // The first command on the long stream folds it once and stores the first snapshot.
    const first = await time(executor(), 'long');
    for (let i = 0; i < runs; i++) {
      for (const op of ['short', 'long'] as const) {
        results.warm[op].push(await time(warm, op));
        results.cold[op].push(await time(executor(), op));
        if (i === 0) results.whole[op].push(await time(executor({ snapshotEvery: 0, cacheSize: 0 }), op));
      }
    }
    const labels = { warm: 'states kept in the process', cold: 'new executor: snapshot + events after it', whole: 'whole stream folded, no snapshot nor kept state (1 run)' };
    const rows: Row[] = (Object.keys(results) as (keyof typeof results)[]).map((k) => {
      const s = percentile(results[k].short, 50);
      const l = percentile(results[k].long, 50);
      return {
        benchmark: 'command',
        scenario: `delivery, ${labels[k]}`,
        result: `${fmt(length)}-event stream: median ${l.toFixed(1)} ms`,
        baseline: `5-event stream: median ${s.toFixed(1)} ms`,
        ratio: (l / s).toFixed(2),
        target: k === 'whole' ? '' : '≤ 2× (issue 15)',
        met: k === 'whole' ? null : l <= 2 * s,
      };
    });
    await writeResult('command', rows, { length, runs, firstOnLongMs: first, results, loadAverage: loadavg() });
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  benchCommand().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
