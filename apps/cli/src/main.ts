import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { Command, Option } from 'commander';
import { type EventStore } from '@erbm/event-store';
import { API_KEYS, type ApiKeys, EVENT_STORE, READ_DB, type Runtime, readConfig, startRuntime } from '@erbm/platform';
import { isIsoDate } from '@erbm/shared';
import { type DataSource } from 'typeorm';
import { CliModule } from './cli.module';
import { resetDemoDatabase, databaseName } from './database-admin';
import { compareWithPublished, loadPublished, writeBilan } from './commands/demo';
import { importFile } from './commands/import';
import { catchUpProjections } from './commands/project';
import { copyEventsToKurrentDb } from './commands/copy-events';
import { bootstrap, cliVia, printKey } from './commands/auth';

const ROOT = resolve(__dirname, '../../..');
const RECONSTRUCTION = join(ROOT, 'data/erbm/erbm-2017-2022.jsonl');

/** Resolves the database and job modes once per process (embedded PostgreSQL when none answers) and says which. */
let started: Runtime | null = null;
async function runtime(): Promise<Runtime> {
  if (!started) {
    started = await startRuntime();
    console.error(started.describe());
  }
  return started;
}

/** Runs `fn` in the application context; the context's shutdown also stops the embedded database, if any. */
async function withContext<T>(fn: (ctx: INestApplicationContext) => Promise<T>): Promise<T> {
  await runtime();
  const ctx = await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'] });
  ctx.enableShutdownHooks();
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

const services = (ctx: INestApplicationContext) => ({
  bus: ctx.get(CommandBus),
  store: ctx.get<EventStore>(EVENT_STORE),
  db: ctx.get<DataSource>(READ_DB),
});

const asDate = (v: string): string => {
  if (!isIsoDate(v)) throw new Error(`"${v}" is not a date YYYY-MM-DD`);
  return v;
};

const program = new Command('erbm').description('ERBM programme tracking: import, projections and reports');

program
  .command('migrate')
  .description('apply pending database migrations (event store and read models)')
  .action(async () => {
    await withContext(() => Promise.resolve(console.log(`Migrations applied to ${databaseName(readConfig().databaseUrl)}.`)));
  });

program
  .command('import')
  .description('import a file of commands (docs/import-format.md: JSON Lines, or CSV when it ends in .csv) through the command bus')
  .argument('<file>', 'JSON Lines or CSV file')
  .option('--backfill', "record each line's knownAt as the events' knowledge time (historical data)", false)
  .option('--as <organisation>', 'acting organisation of every row (required for CSV, which carries no actor; default delegation)')
  .option('--report <file>', 'write the per-row report (accepted / duplicate / rejected) as JSON')
  .action(async (file: string, opts: { backfill: boolean; as?: string; report?: string }) => {
    await withContext(async (ctx) => {
      const s = await importFile(services(ctx).bus, resolve(file), opts);
      console.log(`Lignes : ${s.total} — acceptées ${s.accepted}, doublons ${s.duplicates}, rejetées ${s.rejected}`);
      for (const r of s.rows.filter((x) => x.outcome === 'rejected').slice(0, 20)) console.log(`  ligne ${r.line} : ${r.reason}`);
      if (opts.report) writeFileSync(opts.report, JSON.stringify(s, null, 2));
      if (s.rejected > 0) process.exitCode = 2;
    });
  });

program
  .command('project')
  .description('bring the read models up to date with the event log')
  .option('--rebuild', 'empty the read models and replay the whole log', false)
  .action(async (opts: { rebuild: boolean }) => {
    await withContext(async (ctx) => {
      const { db, store } = services(ctx);
      console.log(`${await catchUpProjections(db, store, opts)} events projected.`);
    });
  });

program
  .command('report')
  .description('print the mid-term report (bilan) in French and write it as JSON')
  .requiredOption('--as-of <date>', 'business date YYYY-MM-DD', asDate)
  .option('--known-at <datetime>', 'knowledge time (ISO date-time): what the system knew then')
  .option('--out <file>', 'JSON file to write (default reports/bilan-<asOf>.json)')
  .action(async (opts: { asOf: string; knownAt?: string; out?: string }) => {
    await withContext(async (ctx) => {
      const file = opts.out ?? join(ROOT, 'reports', `bilan-${opts.asOf}.json`);
      const { text } = await writeBilan(services(ctx).db, opts.asOf, file, opts.knownAt);
      console.log(text);
      console.log(`\nRapport JSON : ${file}`);
    });
  });

const auth = program.command('auth').description('API clients and keys (identity): bootstrap the first administrator, issue and revoke keys');

auth
  .command('bootstrap')
  .description('register a client (by default of the délégation) and print its first API key, once')
  .option('--organisation <organisation>', 'organisation of the client (delegation, bailleur:<CODE>…)', 'delegation')
  .requiredOption('--name <name>', 'name of the client, e.g. "Délégation ERBM"')
  .action(async (opts: { organisation: string; name: string }) => {
    await withContext(async (ctx) => printKey(await bootstrap(ctx.get<ApiKeys>(API_KEYS), opts.organisation, opts.name)));
  });

auth
  .command('issue-key')
  .description("issue a new key to an existing client and print it, once (rotation: issue, deploy, then revoke the old key)")
  .requiredOption('--client <clientId>', 'client id')
  .action(async (opts: { client: string }) => {
    await withContext(async (ctx) => printKey(await ctx.get<ApiKeys>(API_KEYS).issueKey(opts.client, cliVia())));
  });

auth
  .command('revoke-key')
  .description('revoke an API key (final)')
  .requiredOption('--key <keyId>', 'key id (the part after erbm_)')
  .option('--reason <reason>', 'why')
  .action(async (opts: { key: string; reason?: string }) => {
    await withContext(async (ctx) => {
      const at = await ctx.get<ApiKeys>(API_KEYS).revokeKey(opts.key, cliVia(), opts.reason ?? null);
      console.log(`Clé ${opts.key} révoquée le ${at}.`);
    });
  });

program
  .command('copy-events')
  .description('copy the PostgreSQL event log (DATABASE_URL) into KurrentDB, same ids and knowledge times; re-run to resume')
  .requiredOption('--to <url>', 'KurrentDB connection string, e.g. kurrentdb://127.0.0.1:2113?tls=false')
  .option('--stream-prefix <prefix>', 'stream prefix of this application in KurrentDB (when several share it)')
  .action(async (opts: { to: string; streamPrefix?: string }) => {
    const rt = await runtime();
    try {
      const r = await copyEventsToKurrentDb({ databaseUrl: rt.databaseUrl, to: opts.to, streamPrefix: opts.streamPrefix });
      console.log(`Événements lus : ${r.read} — copiés ${r.appended}, déjà présents ${r.skipped}.`);
    } finally {
      await rt.stop();
    }
  });

program
  .command('demo')
  .description('reset the demo database, import the ERBM 2017–2022 reconstruction, project, and print the bilan at 2022-12-31')
  .addOption(new Option('--as-of <date>', 'business date of the report').default('2022-12-31').argParser(asDate))
  .action(async (opts: { asOf: string }) => {
    const r = await runtime();
    console.log(`Base de démonstration : ${r.embedded ? r.embedded.dir : databaseName(r.databaseUrl)} (réinitialisée)`);
    try {
      await resetDemoDatabase(r.databaseUrl, r.embedded !== null);
    } catch (e) {
      await r.stop();
      throw e;
    }
    await withContext(async (ctx) => {
      const { bus, db, store } = services(ctx);
      const s = await importFile(bus, RECONSTRUCTION, { backfill: true });
      console.log(`Import de la reconstitution ERBM 2017–2022 : ${s.accepted} commandes acceptées, ${s.duplicates} doublons, ${s.rejected} rejetées.`);
      for (const r of s.rows.filter((x) => x.outcome === 'rejected').slice(0, 20)) console.log(`  ligne ${r.line} : ${r.reason}`);
      const projected = await catchUpProjections(db, store);
      console.log(`Projections à jour : ${projected} événements projetés.\n`);
      const file = join(ROOT, 'reports', `bilan-${opts.asOf}.json`);
      const { report, text } = await writeBilan(db, opts.asOf, file);
      console.log(text);
      const check = compareWithPublished(report, loadPublished(ROOT));
      console.log('\nComparaison avec les chiffres publiés (bilan à mi-parcours 2017–2022)');
      console.log(check.text);
      console.log(`\nRapport JSON : ${file}`);
      if (s.rejected > 0 || (opts.asOf === '2022-12-31' && !check.ok)) {
        console.error('La démonstration ne reproduit pas la situation publiée.');
        process.exitCode = 1;
      }
    });
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
