import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { adminUrl, databaseUrl, freshDatabase, redisUrl } from '@erbm/test-support';

/**
 * The CLI as a user runs it (`npm run cli -- …` is `node -r ./tools/register.js apps/cli/src/main.ts …`), in a
 * child process: each common mistake gets one French line on stderr, no stack trace, no ANSI colour, and the
 * documented exit code (docs/cli.md: 2 usage or input, 3 database or configuration unusable).
 */
const ROOT = resolve(__dirname, '../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with `env` on top of this process's environment (without ERBM_DEBUG, so errors are short). */
function cli(args: string[], env: Record<string, string>): Promise<Run> {
  const { ERBM_DEBUG: _debug, ...inherited } = process.env;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-r', './tools/register.js', 'apps/cli/src/main.ts', ...args], {
      cwd: ROOT,
      env: { ...inherited, REDIS_URL: redisUrl(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const ANSI = /\u001b\[/;
const STACK_FRAME = /^\s*at /m;
const lines = (s: string): string[] => s.split('\n').filter((l) => l.trim() !== '');

/** Exit code `code`, nothing on stdout, exactly one line on stderr matching `message`, no stack frame, no colour. */
function expectOneLineError(run: Run, code: number, message: RegExp): void {
  expect({ code: run.code, stderr: lines(run.stderr), stdout: run.stdout }).toEqual({ code, stderr: [expect.stringMatching(message)], stdout: '' });
  expect(run.stderr).not.toMatch(STACK_FRAME);
  expect(run.stderr).not.toMatch(ANSI);
}

/** A TCP port on 127.0.0.1 where nothing listens (taken from the system, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

async function withAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Events in the database at `url` (0 when the CLI never created the event store there). */
async function eventCount(url: string): Promise<number> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const [{ t }] = (await c.query<{ t: string | null }>(`SELECT to_regclass('es_events')::text AS t`)).rows;
    return t ? Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM es_events')).rows[0].n) : 0;
  } finally {
    await c.end();
  }
}

const HEADER = ['commandId', 'type', 'knownAt', 'source', 'estimated', 'data'];
const LAUNCH = { programmeId: 'erbm', name: 'Engagement pour le Renouveau du Bassin Minier', signedOn: '2017-03-07', startYear: 2017, endYear: 2027 };
const csvRow = (sep: string) => ['cli-e2e-launch', 'programme.LaunchProgramme', '', 'e2e', 'false', `"${JSON.stringify(LAUNCH).replace(/"/g, '""')}"`].join(sep);

describe('CLI: the common mistakes get one French line and a documented exit code', () => {
  let db: string;
  let dir: string;
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(async () => {
    // Nothing is ever imported into it: every test that uses it checks that it stays empty.
    db = await freshDatabase('erbm_test_e2e_cli_errors');
    dir = mkdtempSync(join(tmpdir(), 'erbm-cli-errors-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('an unreachable database: exit 3 naming the server, for project and for the demo', async () => {
    const url = `postgres://postgres@127.0.0.1:${await closedPort()}/erbm`;
    const message = /^Base de données injoignable : aucun PostgreSQL ne répond sur 127\.0\.0\.1:\d+ \(connexion refusée\) ; vérifier DATABASE_URL/;
    expectOneLineError(await cli(['project'], { DATABASE_URL: url }), 3, message);
    expectOneLineError(await cli(['demo'], { DATABASE_URL: url }), 3, message);
  });

  it('a missing database: exit 3 naming it, and it is not created', async () => {
    const name = `erbm_test_e2e_cli_missing_${process.env.ERBM_TEST_DB_SUFFIX ?? 'x'}`;
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    expectOneLineError(await cli(['report', '--as-of', '2022-12-31'], { DATABASE_URL: databaseUrl(name) }), 3, new RegExp(`^Base de données introuvable : « ${name} » n’existe pas sur `));
    expect((await withAdmin((c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]))).rowCount).toBe(0);
  });

  it('an invalid configuration: exit 3 naming the variable', async () => {
    expectOneLineError(await cli(['project'], { DATABASE_URL: db, READ_MODEL_SCHEMA: 'Bad' }), 3, /^Configuration invalide \(variables d’environnement\) : READ_MODEL_SCHEMA /);
  });

  it('a missing file: exit 2, before the database is touched', async () => {
    expectOneLineError(await cli(['import', 'nope.jsonl'], { DATABASE_URL: db }), 2, /^Fichier introuvable : .*nope\.jsonl$/);
    expect(await eventCount(db)).toBe(0);
  });

  it('a CSV given as JSON Lines: exit 2, saying it is CSV and how to name it; nothing imported', async () => {
    const csv = [HEADER.join(','), csvRow(',')].join('\n');
    expectOneLineError(await cli(['import', file('weekly.jsonl', csv)], { DATABASE_URL: db }), 2, /^weekly\.jsonl est un CSV .*pas du JSON Lines .*renommer le fichier en \.csv/);
    expect(await eventCount(db)).toBe(0);
  });

  it('a CSV whose header is wrong: exit 2, naming the columns and the expected header; nothing imported', async () => {
    const csv = [['commandId', 'type', 'knowAt', 'source', 'estimated', 'data'].join(','), csvRow(',')].join('\n');
    expectOneLineError(
      await cli(['import', file('wrong-header.csv', csv)], { DATABASE_URL: db }),
      2,
      /^Fichier refusé, rien n’a été importé : en-tête CSV incorrect \(colonnes manquantes : knownAt ; colonnes inconnues : knowAt\) ; l’en-tête attendu est commandId,type,knownAt,source,estimated,data/,
    );
    expect(await eventCount(db)).toBe(0);
  });

  it('a file without any command: exit 2', async () => {
    expectOneLineError(await cli(['import', file('vide.csv', `${HEADER.join(',')}\n`)], { DATABASE_URL: db }), 2, /^vide\.csv ne contient aucune commande à importer \(seulement l’en-tête\)\.$/);
  });

  it('a CSV separated by semicolons, as spreadsheets in French save it, is imported', async () => {
    // Its own database: the others stay empty, whatever the order of the tests.
    const target = await freshDatabase('erbm_test_e2e_cli_semicolons');
    const run = await cli(['import', file('tableur.csv', [HEADER.join(';'), csvRow(';')].join('\r\n'))], { DATABASE_URL: target });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.not.stringMatching(/Erreur|refusé/) as unknown });
    expect(run.stdout).toMatch(/Lignes : 1 — acceptées 1, doublons 0, rejetées 0/);
    expect(await eventCount(target)).toBeGreaterThan(0);
  });

  it('an unknown command, an unknown option, a bad date: exit 2 in French', async () => {
    expectOneLineError(await cli(['frobnicate'], { DATABASE_URL: db }), 2, /^Commande inconnue : frobnicate ; voir --help$/);
    expectOneLineError(await cli(['project', '--rebiuld'], { DATABASE_URL: db }), 2, /^Option inconnue : --rebiuld \(vouliez-vous dire --rebuild \?\) ; voir --help$/);
    expectOneLineError(await cli(['report', '--as-of', '2022-13-45'], { DATABASE_URL: db }), 2, /^Valeur invalide pour --as-of <date> : « 2022-13-45 » — date attendue au format AAAA-MM-JJ/);
  });

  it('--verbose and ERBM_DEBUG=1 print the full error before the same line', async () => {
    for (const run of [await cli(['--verbose', 'import', 'nope.jsonl'], { DATABASE_URL: db }), await cli(['import', 'nope.jsonl'], { DATABASE_URL: db, ERBM_DEBUG: '1' })]) {
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(STACK_FRAME);
      expect(run.stderr).toMatch(/code: 'ENOENT'/);
      expect(lines(run.stderr).at(-1)).toMatch(/^Fichier introuvable : .*nope\.jsonl$/);
    }
  });

  it('the help of every command is in French, and says the exit codes', async () => {
    const commands = [[], ['demo'], ['report'], ['import'], ['project'], ['migrate'], ['copy-events'], ['auth'], ['auth', 'bootstrap'], ['auth', 'issue-key'], ['auth', 'revoke-key']];
    const runs = await Promise.all(commands.map((c) => cli([...c, '--help'], { DATABASE_URL: db })));
    runs.forEach((run, i) => {
      expect({ command: commands[i], code: run.code }).toEqual({ command: commands[i], code: 0 });
      expect(run.stdout).toMatch(/^Utilisation : erbm/);
      expect(run.stdout).toMatch(/afficher l’aide de la commande/);
      expect(run.stdout).not.toMatch(/Usage:|Options:|Commands:|display help|default:/);
    });
    expect(runs[0].stdout).toMatch(/Codes de sortie :\n {2}0 {2}terminé\n {2}1 .*\n {2}2 .*\n[\s\S]* {2}3 {2}base de données inutilisable/);
  });
});
