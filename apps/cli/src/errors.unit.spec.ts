import { Command } from 'commander';
import { parseImportCsv } from '@erbm/application';
import { DomainError } from '@erbm/shared';
import { CliError, EXIT, explainError } from './errors';
import { frenchHelp } from './help';

/** The error commander throws for `args` on a small program configured as the CLI's (French help, exitOverride). */
function commanderError(args: string[]): unknown {
  const program = frenchHelp(new Command('erbm'));
  program.command('project').option('--rebuild', 'rebuild').action(() => undefined);
  program
    .command('report')
    .requiredOption('--as-of <date>', 'date', (v: string) => v)
    .action(() => undefined);
  program
    .command('import')
    .argument('<fichier>')
    .action(() => undefined);
  try {
    program.parse(args, { from: 'user' });
  } catch (e) {
    return e;
  }
  throw new Error('no error');
}

const csvError = (text: string): unknown => {
  try {
    parseImportCsv(text, { channel: 'import', correlationId: 'c', actor: { organisation: 'delegation', user: 'u', channel: 'import' } });
  } catch (e) {
    return e;
  }
  throw new Error('no error');
};

describe('CLI errors: one French line and an exit code', () => {
  it('translates commander usage errors, with its suggestion (exit 2)', () => {
    expect(explainError(commanderError(['frobnicate']))).toEqual({ message: 'Commande inconnue : frobnicate ; voir --help', exitCode: EXIT.usage });
    expect(explainError(commanderError(['project', '--rebiuld'])).message).toBe('Option inconnue : --rebiuld (vouliez-vous dire --rebuild ?) ; voir --help');
    expect(explainError(commanderError(['report'])).message).toBe('Option obligatoire absente : --as-of <date> ; voir --help');
    expect(explainError(commanderError(['report', '--as-of'])).message).toBe('L’option --as-of <date> attend une valeur ; voir --help');
    expect(explainError(commanderError(['import'])).message).toBe('Argument manquant : <fichier> ; voir --help');
    expect(explainError(commanderError(['import', 'a', 'b'])).message).toBe('Trop d’arguments : 2 donnés, 1 attendu ; voir --help');
  });

  it('names the server and the way out when PostgreSQL refuses, is unknown or lacks the database (exit 3)', () => {
    const url = 'postgres://erbm:secret@db.example:6543/erbm_prod';
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:6543'), { code: 'ECONNREFUSED' });
    expect(explainError(refused, url)).toEqual({
      message: 'Base de données injoignable : aucun PostgreSQL ne répond sur db.example:6543 (connexion refusée) ; vérifier DATABASE_URL ou démarrer PostgreSQL.',
      exitCode: EXIT.unavailable,
    });
    // Node tries every address of a name (IPv6 and IPv4): an AggregateError whose errors carry the codes.
    expect(explainError(new AggregateError([refused, refused], ''), url).exitCode).toBe(EXIT.unavailable);
    expect(explainError(Object.assign(new Error('getaddrinfo ENOTFOUND db.example'), { code: 'ENOTFOUND' }), url).message).toMatch(/hôte inconnu/);
    const missing = Object.assign(new Error('database "erbm_prod" does not exist'), { code: '3D000' });
    expect(explainError(missing, url).message).toBe(
      'Base de données introuvable : « erbm_prod » n’existe pas sur db.example:6543 ; la créer (createdb erbm_prod ; les migrations s’appliquent au premier lancement) ou corriger DATABASE_URL.',
    );
    expect(explainError(Object.assign(new Error('password authentication failed'), { code: '28P01' }), url).message).toMatch(/utilisateur « erbm »/);
    expect(explainError(Object.assign(new Error('wrapped'), { cause: refused }), url).exitCode).toBe(EXIT.unavailable);
    // The password never appears.
    expect(explainError(missing, url).message).not.toMatch(/secret/);
  });

  it('words an unreadable import file from its violations (exit 2)', () => {
    const header = explainError(csvError('commandId,type,knowAt,source,estimated,data\n'));
    expect(header.exitCode).toBe(EXIT.usage);
    expect(header.message).toBe(
      'Fichier refusé, rien n’a été importé : en-tête CSV incorrect (colonnes manquantes : knownAt ; colonnes inconnues : knowAt) ; l’en-tête attendu est commandId,type,knownAt,source,estimated,data (séparateur virgule ou point-virgule, docs/import-format.md).',
    );
    expect(explainError(csvError('commandId,type,knownAt,source,estimated,data\nc1,t,,"x,,,{}\n')).message).toMatch(/le CSV ne se lit pas \(ligne 2\) : guillemets mal fermés/);
    expect(explainError(csvError('')).message).toMatch(/le CSV est vide/);
  });

  it('keeps CliError as it is, says where a file is missing, and reports anything else as unexpected on one line (exit 1)', () => {
    expect(explainError(new CliError('Fichier introuvable : x', EXIT.usage))).toEqual({ message: 'Fichier introuvable : x', exitCode: EXIT.usage });
    expect(explainError(Object.assign(new Error('ENOENT'), { code: 'ENOENT', path: '/tmp/out/r.json' })).message).toBe('Fichier ou dossier introuvable : /tmp/out/r.json');
    expect(explainError(new Error('boom\n  with detail'))).toEqual({ message: 'Erreur inattendue : boom with detail (relancer avec --verbose pour le détail)', exitCode: EXIT.failed });
  });

  it('gives a command refused by the domain with its code (exit 2; 3 when a service is unavailable)', () => {
    expect(explainError(new DomainError('API_CLIENT.NOT_FOUND', 'not-found', 'No API client c-1'))).toEqual({ message: 'Refusé (API_CLIENT.NOT_FOUND) : No API client c-1', exitCode: EXIT.usage });
    expect(explainError(new DomainError('QUEUE.UNAVAILABLE', 'unavailable', 'Redis is down')).exitCode).toBe(EXIT.unavailable);
  });
});
