import { inspect } from 'node:util';
import { type CommanderError } from 'commander';
import { CSV_COLUMNS } from '@erbm/application';
import { DomainError } from '@erbm/shared';

/**
 * Exit codes of the CLI (docs/cli.md):
 * - 0: done;
 * - 1: the demo does not reproduce the published figures, or an unexpected error;
 * - 2: usage or input error (unknown command or option, bad option value, missing or unreadable file, rejected import
 *   lines): correct the command or the file and run it again (imports are idempotent);
 * - 3: the environment does not allow the command: the database cannot be used (unreachable, missing, login
 *   refused), the configuration is invalid or the embedded database is open in another process. Nothing was done;
 *   fix DATABASE_URL or the configuration, or start PostgreSQL, then run it again.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, unavailable: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI reports as one line (`message`, in French) with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** A usage or input error (exit code 2). */
export const usageError = (message: string, cause?: unknown): CliError => new CliError(message, EXIT.usage, { cause });

/** What the CLI prints for an error: one line and the exit code. */
export interface Explained {
  message: string;
  exitCode: ExitCode;
}

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').trim();

/**
 * Turns any error thrown by a command into one French line and an exit code (see EXIT): CliError as is; commander's
 * usage errors (CommanderError) translated; PostgreSQL connection failures (refused, unknown host, timeout, missing
 * database, login refused) described with the server of `databaseUrl`; IMPORT.UNREADABLE_FILE worded from its
 * violations; another DomainError (a command refused) with its code and message (exit 2, or 3 when a service is
 * unavailable); anything else as an unexpected error (exit 1) with a hint to run with --verbose.
 */
export function explainError(e: unknown, databaseUrl?: string): Explained {
  if (e instanceof CliError) return { message: oneLine(e.message), exitCode: e.exitCode };
  if (isCommanderError(e)) return { message: translateCommanderError(e), exitCode: EXIT.usage };
  const db = describeDatabaseError(e, databaseUrl);
  if (db) return { message: db, exitCode: EXIT.unavailable };
  if (e instanceof DomainError && e.code === 'IMPORT.UNREADABLE_FILE') return { message: `Fichier refusé, rien n’a été importé : ${describeUnreadableFile(e)}`, exitCode: EXIT.usage };
  // A command refused by the domain (unknown client, key already revoked…): its code and message, as the API gives them.
  if (e instanceof DomainError) return { message: `Refusé (${e.code}) : ${oneLine(e.message)}`, exitCode: e.kind === 'unavailable' ? EXIT.unavailable : EXIT.usage };
  const fs = describeFileError(e);
  if (fs) return { message: fs, exitCode: EXIT.usage };
  const message = e instanceof Error ? e.message : String(e);
  return { message: `Erreur inattendue : ${oneLine(message)} (relancer avec --verbose pour le détail)`, exitCode: EXIT.failed };
}

/** The full error, for --verbose / ERBM_DEBUG=1: stack, properties and causes, without colours. */
export const detailOf = (e: unknown): string => inspect(e, { colors: false, depth: 6 });

function isCommanderError(e: unknown): e is CommanderError {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof code === 'string' && code.startsWith('commander.');
}

/** The suggestion commander appends ("(Did you mean --rebuild?)"), in French. */
function suggestion(message: string): string {
  const one = /\(Did you mean ([^?]+)\?\)/.exec(message);
  if (!one) return '';
  return one[1].startsWith('one of ') ? ` (vouliez-vous dire l’une de : ${one[1].slice(7)} ?)` : ` (vouliez-vous dire ${one[1]} ?)`;
}

/**
 * commander's usage errors in French, from their code and the names quoted in its English message (commander 14).
 * An unknown code or wording keeps commander's message.
 */
export function translateCommanderError(e: CommanderError): string {
  const m = e.message.replace(/^error: /, '');
  const quoted = [...m.matchAll(/'([^']*)'/g)].map((q) => q[1]);
  const help = ' ; voir --help';
  switch (e.code) {
    case 'commander.unknownCommand':
      return `Commande inconnue : ${quoted[0]}${suggestion(m)}${help}`;
    case 'commander.unknownOption':
      return `Option inconnue : ${quoted[0]}${suggestion(m)}${help}`;
    case 'commander.missingArgument':
      return `Argument manquant : <${quoted[0]}>${help}`;
    case 'commander.optionMissingArgument':
      return `L’option ${quoted[0]} attend une valeur${help}`;
    case 'commander.missingMandatoryOptionValue':
      return `Option obligatoire absente : ${quoted[0]}${help}`;
    case 'commander.excessArguments': {
      const counts = /Expected (\d+) arguments? but got (\d+)/.exec(m);
      return counts ? `Trop d’arguments : ${counts[2]} donnés, ${counts[1]} attendu${counts[1] === '1' ? '' : 's'}${help}` : `Trop d’arguments${help}`;
    }
    case 'commander.invalidArgument': {
      // "option '--as-of <date>' argument '2022-13-45' is invalid. <our message>"
      const reason = m.replace(/^.*? is invalid\.\s*/, '');
      return `Valeur invalide pour ${quoted[0]} : « ${quoted[1]} »${reason ? ` — ${reason}` : ''}`;
    }
    case 'commander.help':
      return `Commande attendue${help}`;
    default:
      return oneLine(m);
  }
}

/** PostgreSQL error codes and Node socket codes that mean "this database cannot be used now". */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

/** Codes of `e`, its `errors` (AggregateError: one per address tried) and its causes. */
function codesOf(e: unknown, depth = 0): string[] {
  if (!e || typeof e !== 'object' || depth > 4) return [];
  const own = typeof (e as { code?: unknown }).code === 'string' ? [(e as { code: string }).code] : [];
  const nested = [...((e as { errors?: unknown[] }).errors ?? []), (e as { cause?: unknown }).cause];
  return [...own, ...nested.flatMap((n) => codesOf(n, depth + 1))];
}

/** `host:port` and the database name of a connection string (no credentials). */
function server(url: string | undefined): { where: string; database: string; user: string } | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return { where: `${u.hostname}:${u.port || '5432'}`, database: decodeURIComponent(u.pathname.slice(1)), user: decodeURIComponent(u.username) };
  } catch {
    return null;
  }
}

/**
 * One French line for a PostgreSQL connection failure of `databaseUrl`, or null when `e` is not one.
 * Recognised: socket errors (refused, unknown host, unreachable, reset, timeout), pg's connection timeout,
 * 3D000 (database does not exist), 28P01/28000 (login refused), 57P03 (server starting or shutting down).
 */
export function describeDatabaseError(e: unknown, databaseUrl?: string): string | null {
  const codes = codesOf(e);
  const s = server(databaseUrl);
  const at = s ? ` sur ${s.where}` : '';
  const message = e instanceof Error ? e.message : '';
  const way = 'vérifier DATABASE_URL ou démarrer PostgreSQL';
  if (codes.includes('3D000')) {
    const name = /database "([^"]+)"/.exec(message)?.[1] ?? s?.database ?? '?';
    return `Base de données introuvable : « ${name} » n’existe pas${at} ; la créer (createdb ${name} ; les migrations s’appliquent au premier lancement) ou corriger DATABASE_URL.`;
  }
  if (codes.includes('28P01') || codes.includes('28000')) {
    return `Connexion refusée par PostgreSQL${at} pour l’utilisateur « ${s?.user || '?'} » (authentification) : vérifier DATABASE_URL.`;
  }
  if (codes.includes('57P03')) return `PostgreSQL${at} n’accepte pas encore de connexion (démarrage ou arrêt en cours) : réessayer dans un instant.`;
  const socket = codes.find((c) => UNREACHABLE.has(c));
  if (socket) {
    const why = socket === 'ECONNREFUSED' ? 'connexion refusée' : socket === 'ENOTFOUND' || socket === 'EAI_AGAIN' ? 'hôte inconnu' : socket === 'ETIMEDOUT' ? 'délai dépassé' : socket;
    return `Base de données injoignable : aucun PostgreSQL ne répond${at} (${why}) ; ${way}.`;
  }
  if (/timeout expired|connection timeout/i.test(message)) return `Base de données injoignable : PostgreSQL ne répond pas${at} (délai dépassé) ; ${way}.`;
  return null;
}

/** One French line for a file that cannot be opened (ENOENT, EISDIR, EACCES with a path), or null. */
function describeFileError(e: unknown): string | null {
  const { code, path } = (e ?? {}) as { code?: string; path?: string };
  if (typeof path !== 'string') return null;
  if (code === 'ENOENT') return `Fichier ou dossier introuvable : ${path}`;
  if (code === 'EISDIR') return `${path} est un dossier, pas un fichier`;
  if (code === 'EACCES' || code === 'EPERM') return `Accès refusé : ${path}`;
  return null;
}

/** The violations of IMPORT.UNREADABLE_FILE (libs/application import-format.ts) in French. */
export function describeUnreadableFile(e: DomainError): string {
  const by = (rule: string) => e.violations.filter((v) => v.rule === rule).map((v) => v.field);
  const expected = `l’en-tête attendu est ${CSV_COLUMNS.join(',')} (séparateur virgule ou point-virgule, docs/import-format.md)`;
  const [missing, unknown, repeated] = [by('csvColumnMissing'), by('csvColumnUnknown'), by('csvColumnRepeated')];
  if (missing.length || unknown.length || repeated.length) {
    const parts = [
      missing.length ? `colonnes manquantes : ${missing.join(', ')}` : '',
      unknown.length ? `colonnes inconnues : ${unknown.join(', ')}` : '',
      repeated.length ? `colonnes en double : ${repeated.join(', ')}` : '',
    ].filter(Boolean);
    return `en-tête CSV incorrect (${parts.join(' ; ')}) ; ${expected}.`;
  }
  const rule = e.violations[0]?.rule;
  if (rule === 'csvNoHeader') return `le CSV est vide ; ${expected}.`;
  if (rule === 'csvNeedsActor') return 'un CSV ne porte pas d’acteur : indiquer --as <organisation>.';
  if (rule === 'csvSyntax') {
    const line = /line (\d+)/.exec(e.message)?.[1];
    return `le CSV ne se lit pas${line ? ` (ligne ${line})` : ''} : guillemets mal fermés ? Un champ contenant une virgule, un point-virgule, un guillemet ou un retour à la ligne s’écrit entre guillemets doubles, un guillemet intérieur doublé ("").`;
  }
  return oneLine(e.message);
}
