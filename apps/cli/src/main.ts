import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConsoleLogger, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { type EventStore } from '@erbm/event-store';
import { API_KEYS, type ApiKeys, EVENT_STORE, READ_DB, type Runtime, readConfig, startRuntime } from '@erbm/platform';
import { isIsoDate } from '@erbm/shared';
import { type DataSource } from 'typeorm';
import { CliModule } from './cli.module';
import { resetDemoDatabase, databaseName } from './database-admin';
import { compareWithPublished, loadPublished, writeBilan } from './commands/demo';
import { importFile, importLines, readImportFile } from './commands/import';
import { catchUpProjections } from './commands/project';
import { copyEventsToKurrentDb } from './commands/copy-events';
import { bootstrap, cliVia, printKey } from './commands/auth';
import { backtestText, forecastJson, forecastText } from './commands/forecast';
import { type ForecastGroupBy, backtest, forecastLogements } from '@erbm/forecasting';
import { CliError, EXIT, detailOf, explainError } from './errors';
import { frenchHelp } from './help';
import { VERBOSE } from './verbose';

const ROOT = resolve(__dirname, '../../..');
const RECONSTRUCTION = join(ROOT, 'data/erbm/erbm-2017-2022.jsonl');


/**
 * Resolves the database and job modes once per process (embedded PostgreSQL when none answers).
 * @throws CliError (exit code 3) when the configuration is invalid or the runtime cannot start (embedded database
 *   open in another process…), with the platform's message.
 */
let started: Runtime | null = null;
async function runtime(): Promise<Runtime> {
  if (started) return started;
  try {
    readConfig();
  } catch (e) {
    throw new CliError(`Configuration invalide (variables d’environnement) : ${(e as Error).message}`, EXIT.unavailable, { cause: e });
  }
  try {
    started = await startRuntime();
  } catch (e) {
    throw new CliError(`Démarrage impossible : ${(e as Error).message}`, EXIT.unavailable, { cause: e });
  }
  return started;
}

/** Says which modes the process runs in (on stderr), once, when the database has answered; with --verbose only. */
let announced = false;
function announce(r: Runtime): void {
  if (announced || !VERBOSE) return;
  announced = true;
  console.error(r.describe());
}

/**
 * Nest's logger for the CLI: warnings and errors, colours only on a terminal, except what Nest's ExceptionHandler
 * prints of an error it then throws (`abortOnError: false`): the CLI reports that one itself, in one line (in full
 * with --verbose).
 */
class CliLogger extends ConsoleLogger {
  override error(message: unknown, ...rest: unknown[]): void {
    if (rest.at(-1) === 'ExceptionHandler') return;
    super.error(message, ...rest);
  }
}

/** Runs `fn` in the application context; the context's shutdown also stops the embedded database, if any. */
async function withContext<T>(fn: (ctx: INestApplicationContext) => Promise<T>): Promise<T> {
  const r = await runtime();
  const logger = new CliLogger({ logLevels: ['warn'], colors: Boolean(process.stderr.isTTY) });
  const ctx = await NestFactory.createApplicationContext(CliModule, { logger, abortOnError: false });
  announce(r);
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

/** Option parser of a business date. @throws InvalidArgumentError (usage error, exit code 2) */
const asDate = (v: string): string => {
  if (!isIsoDate(v)) throw new InvalidArgumentError('date attendue au format AAAA-MM-JJ (entre 1900 et 2100), par exemple 2022-12-31.');
  return v;
};

/** Option parser of a knowledge time (ISO 8601 date or date-time), returned as an ISO instant like the API does. */
const asDateTime = (v: string): string => {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) || Number.isNaN(Date.parse(v))) {
    throw new InvalidArgumentError('date-heure ISO 8601 attendue, par exemple 2023-01-16T00:00:00Z.');
  }
  return new Date(v).toISOString();
};

const program = frenchHelp(new Command('erbm'))
  .description('Suivi du programme ERBM : import de commandes, projections et rapports (docs/cli.md)')
  .option('--verbose', 'afficher aussi les lignes techniques (base, schéma, points de reprise des projections, progression) et, en cas d’erreur, le détail complet (pile d’appels, causes) ; aussi ERBM_DEBUG=1')
  .addHelpText(
    'after',
    `
Codes de sortie :
  0  terminé
  1  la démonstration ne reproduit pas les chiffres publiés, ou erreur inattendue
  2  erreur d’usage ou de saisie (commande, option, valeur, fichier absent ou illisible, lignes rejetées) : rien n’a
     été fait, ou seules les lignes acceptées l’ont été ; corriger puis relancer (un import se rejoue sans doublon)
  3  base de données inutilisable (injoignable, absente, connexion refusée) ou configuration invalide : rien n’a
     été fait`,
  );

program
  .command('migrate')
  .description('appliquer les migrations en attente (journal d’événements et modèles de lecture)')
  .action(async () => {
    await withContext(() => Promise.resolve(console.log(`Migrations appliquées à la base ${databaseName(readConfig().databaseUrl)}.`)));
  });

program
  .command('import')
  .description('importer un fichier de commandes par le bus de commandes (JSON Lines, ou CSV si le nom finit par .csv ; voir docs/import-format.md)')
  .argument('<fichier>', 'fichier JSON Lines ou CSV (séparé par des virgules ou des points-virgules)')
  .option('--backfill', 'enregistrer le knownAt de chaque ligne comme date de connaissance des événements (données historiques)', false)
  .option('--as <organisation>', 'organisation qui agit pour chaque ligne (delegation, bailleur:<CODE>… ; par défaut delegation ; un CSV ne porte pas d’acteur)')
  .option('--report <fichier>', 'écrire le compte rendu ligne par ligne (acceptée / doublon / rejetée) en JSON')
  .action(async (file: string, opts: { backfill: boolean; as?: string; report?: string }) => {
    // The file is read and checked before the database is opened: a wrong file changes nothing.
    const lines = readImportFile(resolve(file), opts);
    await withContext(async (ctx) => {
      const s = await importLines(services(ctx).bus, lines, opts);
      console.log(`Lignes : ${s.total} — acceptées ${s.accepted}, doublons ${s.duplicates}, rejetées ${s.rejected}`);
      for (const r of s.rows.filter((x) => x.outcome === 'rejected').slice(0, 20)) console.log(`  ligne ${r.line} : ${r.reason}`);
      if (opts.report) writeFileSync(opts.report, JSON.stringify(s, null, 2));
      if (s.rejected > 0) process.exitCode = EXIT.usage;
    });
  });

program
  .command('project')
  .description('mettre les modèles de lecture à jour avec le journal d’événements')
  .option('--rebuild', 'vider les modèles de lecture et rejouer tout le journal', false)
  .action(async (opts: { rebuild: boolean }) => {
    await withContext(async (ctx) => {
      const { db, store } = services(ctx);
      console.log(`${await catchUpProjections(db, store, opts)} événements projetés.`);
    });
  });

program
  .command('report')
  .description('afficher le bilan à mi-parcours à une date et l’écrire en JSON')
  .requiredOption('--as-of <date>', 'date métier AAAA-MM-JJ', asDate)
  .option('--known-at <date-heure>', 'date de connaissance (ISO 8601) : ce que le système savait alors', asDateTime)
  .option('--out <fichier>', 'fichier JSON à écrire (par défaut reports/bilan-<date>.json)')
  .action(async (opts: { asOf: string; knownAt?: string; out?: string }) => {
    await withContext(async (ctx) => {
      const file = opts.out ?? join(ROOT, 'reports', `bilan-${opts.asOf}.json`);
      const { text } = await writeBilan(services(ctx).db, opts.asOf, file, opts.knownAt);
      console.log(text);
      console.log(`\nRapport JSON : ${file}`);
    });
  });

/** Option parser of a number (scenarios). @throws InvalidArgumentError */
const asNumber = (v: string): number => {
  if (!/^-?\d+(\.\d+)?$/.test(v)) throw new InvalidArgumentError('nombre attendu, par exemple 20 ou 0.5.');
  return Number(v);
};
const asRuns = (v: string): number => {
  if (!/^\d+$/.test(v) || Number(v) < 100 || Number(v) > 20000) throw new InvalidArgumentError('entier entre 100 et 20000 attendu.');
  return Number(v);
};
const asSeed = (v: string): number => {
  if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) throw new InvalidArgumentError('entier entre 0 et 4294967295 attendu.');
  return Number(v);
};

const forecast = program
  .command('forecast')
  .description('prévision des logements livrés (simulation P10/P50/P90, date de l’objectif), en français ou en JSON ; « forecast backtest » : sa calibration (docs/forecasting.md)')
  .option('--as-of <date>', 'date métier AAAA-MM-JJ (obligatoire)', asDate)
  .option('--known-at <date-heure>', 'date de connaissance (ISO 8601) : ce que le système savait alors', asDateTime)
  .option('--by <groupe>', 'aussi par epci ou par bailleur')
  .option('--seed <graine>', 'graine de la simulation (par défaut 20170307)', asSeed)
  .option('--runs <tirages>', 'nombre de tirages (100–20000, par défaut 2000)', asRuns)
  .option('--programming-pace <pourcent>', 'scénario : rythme de programmation +x % (par exemple 20)', asNumber)
  .option('--slippage-factor <facteur>', 'scénario : glissements × k (par exemple 0.5 pour les diviser par deux)', asNumber)
  .option('--json', 'écrire la réponse en JSON', false)
  .action(async (opts: { asOf?: string; knownAt?: string; by?: string; seed?: number; runs?: number; programmingPace?: number; slippageFactor?: number; json: boolean }) => {
    if (!opts.asOf) throw new CliError('option obligatoire : --as-of <date> (par exemple --as-of 2022-12-31).', EXIT.usage);
    if (opts.by && opts.by !== 'epci' && opts.by !== 'bailleur') throw new CliError('--by : epci ou bailleur.', EXIT.usage);
    const scenario =
      opts.programmingPace === undefined && opts.slippageFactor === undefined
        ? undefined
        : { programmingPace: opts.programmingPace === undefined ? undefined : opts.programmingPace / 100, slippageFactor: opts.slippageFactor };
    await withContext(async (ctx) => {
      const f = await forecastLogements(services(ctx).db, { asOf: opts.asOf!, knownAt: opts.knownAt }, { by: opts.by as ForecastGroupBy | undefined, seed: opts.seed, runs: opts.runs, scenario });
      console.log(opts.json ? JSON.stringify(forecastJson(f), null, 2) : forecastText(f));
    });
  });

forecast
  .command('backtest')
  .description('calibration : prévisions faites à chaque demi-année de 2019-12-31 à 2021-12-31 avec ce qui était connu alors, comparées au réalisé un an plus tard')
  .option('--seed <graine>', 'graine de la simulation', asSeed)
  .option('--runs <tirages>', 'nombre de tirages (100–20000)', asRuns)
  .option('--json', 'écrire la réponse en JSON', false)
  .action(async (own: { seed?: number; runs?: number; json: boolean }, cmd: Command) => {
    // `forecast` has the same options: commander gives them to it when they follow `backtest`.
    const parent = cmd.parent?.opts<{ seed?: number; runs?: number; json?: boolean }>() ?? {};
    const opts = { seed: own.seed ?? parent.seed, runs: own.runs ?? parent.runs, json: own.json || parent.json === true };
    await withContext(async (ctx) => {
      const b = await backtest(services(ctx).db, {}, { seed: opts.seed, runs: opts.runs });
      console.log(opts.json ? JSON.stringify(b, null, 2) : backtestText(b));
    });
  });

const auth = program.command('auth').description('clients et clés de l’API : créer le premier administrateur, émettre et révoquer des clés');

auth
  .command('bootstrap')
  .description('enregistrer un client (par défaut de la délégation) et afficher sa première clé d’API, une seule fois')
  .option('--organisation <organisation>', 'organisation du client (delegation, bailleur:<CODE>…)', 'delegation')
  .requiredOption('--name <nom>', 'nom du client, par exemple "Délégation ERBM"')
  .action(async (opts: { organisation: string; name: string }) => {
    await withContext(async (ctx) => printKey(await bootstrap(ctx.get<ApiKeys>(API_KEYS), opts.organisation, opts.name)));
  });

auth
  .command('issue-key')
  .description('émettre une nouvelle clé pour un client existant et l’afficher, une seule fois (rotation : émettre, déployer, puis révoquer l’ancienne)')
  .requiredOption('--client <clientId>', 'identifiant du client')
  .action(async (opts: { client: string }) => {
    await withContext(async (ctx) => printKey(await ctx.get<ApiKeys>(API_KEYS).issueKey(opts.client, cliVia())));
  });

auth
  .command('revoke-key')
  .description('révoquer une clé d’API (définitif)')
  .requiredOption('--key <keyId>', 'identifiant de la clé (la partie après erbm_)')
  .option('--reason <motif>', 'motif de la révocation')
  .action(async (opts: { key: string; reason?: string }) => {
    await withContext(async (ctx) => {
      const at = await ctx.get<ApiKeys>(API_KEYS).revokeKey(opts.key, cliVia(), opts.reason ?? null);
      console.log(`Clé ${opts.key} révoquée le ${at}.`);
    });
  });

program
  .command('copy-events')
  .description('copier le journal d’événements PostgreSQL (DATABASE_URL) dans KurrentDB, mêmes identifiants et dates de connaissance ; relancer pour reprendre')
  .requiredOption('--to <url>', 'chaîne de connexion KurrentDB, par exemple kurrentdb://127.0.0.1:2113?tls=false')
  .option('--stream-prefix <préfixe>', 'préfixe des flux de cette application dans KurrentDB (quand plusieurs la partagent)')
  .action(async (opts: { to: string; streamPrefix?: string }) => {
    const rt = await runtime();
    announce(rt);
    try {
      const r = await copyEventsToKurrentDb({ databaseUrl: rt.databaseUrl, to: opts.to, streamPrefix: opts.streamPrefix });
      console.log(`Événements lus : ${r.read} — copiés ${r.appended}, déjà présents ${r.skipped}.`);
    } finally {
      await rt.stop();
    }
  });

program
  .command('demo')
  .description('réinitialiser la base de démonstration, importer la reconstitution ERBM 2017–2022, projeter et afficher le bilan au 31 décembre 2022 (code 1 si un chiffre daté des sources n’est pas reproduit à sa date)')
  .addOption(new Option('--as-of <date>', 'date métier du bilan').default('2022-12-31').argParser(asDate))
  .action(async (opts: { asOf: string }) => {
    const r = await runtime();
    await resetDemoDatabase(r.databaseUrl, r.embedded !== null);
    announce(r);
    console.log(`Base de démonstration : ${r.embedded ? r.embedded.dir : databaseName(r.databaseUrl)} (réinitialisée)`);
    await withContext(async (ctx) => {
      const { bus, db, store } = services(ctx);
      const s = await importFile(bus, RECONSTRUCTION, { backfill: true });
      console.log(`Import de la reconstitution ERBM 2017–2022 : ${s.accepted} commandes acceptées, ${s.duplicates} doublons, ${s.rejected} rejetées.`);
      for (const r of s.rows.filter((x) => x.outcome === 'rejected').slice(0, 20)) console.log(`  ligne ${r.line} : ${r.reason}`);
      const projected = await catchUpProjections(db, store);
      console.log(`Projections à jour : ${projected} événements projetés.\n`);
      const file = join(ROOT, 'reports', `bilan-${opts.asOf}.json`);
      const { text } = await writeBilan(db, opts.asOf, file);
      console.log(text);
      const published = loadPublished(ROOT);
      const check = await compareWithPublished(db, published);
      console.log(`\nComparaison avec les ${published.length} chiffres datés des sources, chacun à sa date (data/erbm/published-figures.json)`);
      console.log(check.text);
      console.log(`\nRapport JSON : ${file}`);
      if (s.rejected > 0 || !check.ok) {
        console.error('La démonstration ne reproduit pas la situation publiée.');
        process.exitCode = EXIT.failed;
      }
    });
  });

/** The configured database, to name its server in an error message (null when the configuration itself is wrong). */
function databaseUrlForErrors(): string | undefined {
  try {
    return started?.databaseUrl ?? readConfig().databaseUrl;
  } catch {
    return undefined;
  }
}

// Every error ends here: one French line on stderr (the full error first with --verbose / ERBM_DEBUG=1), the embedded
// database stopped if it was started, and the exit code of docs/cli.md (2 usage or input, 3 database or configuration).
program.parseAsync(process.argv).catch(async (e: unknown) => {
  const { message, exitCode } = explainError(e, databaseUrlForErrors());
  if (VERBOSE) console.error(detailOf(e));
  console.error(message);
  await started?.stop().catch(() => undefined);
  process.exit(exitCode);
});
