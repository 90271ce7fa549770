import { type Argument, type Command, type CommanderError, Help, type Option } from 'commander';

/** commander's help headings in French. */
const TITLES: Record<string, string> = {
  'Usage:': 'Utilisation :',
  'Arguments:': 'Arguments :',
  'Options:': 'Options :',
  'Global Options:': 'Options générales :',
  'Commands:': 'Commandes :',
};

/** "(default: x)" and "(choices: …)" that commander appends to descriptions, in French; a flag's "(default: false)" goes. */
const frenchExtras = (s: string): string =>
  s
    .replace(/ \(default: false\)$/, '')
    .replace(/\(default: /, '(par défaut : ')
    .replace(/\(choices: /, '(valeurs : ');

/**
 * Makes `program` (and the subcommands created from it afterwards, which inherit these settings) speak French in
 * its help, and hands every usage error to the caller instead of printing commander's English line and exiting:
 * `parseAsync` then rejects with the CommanderError, which errors.ts translates (exit code 2). Help and version
 * still exit 0.
 */
export function frenchHelp(program: Command): Command {
  return program
    .helpOption('-h, --help', 'afficher l’aide de la commande')
    .helpCommand('help [commande]', 'afficher l’aide d’une commande')
    .configureHelp({
      styleTitle: (title: string) => TITLES[title] ?? title,
      commandUsage: (cmd: Command) => Help.prototype.commandUsage.call(new Help(), cmd).replace('[command]', '[commande]'),
      optionDescription: (option: Option) => frenchExtras(Help.prototype.optionDescription.call(new Help(), option)),
      argumentDescription: (argument: Argument) => frenchExtras(Help.prototype.argumentDescription.call(new Help(), argument)),
    })
    .configureOutput({ outputError: () => undefined })
    .exitOverride((err: CommanderError) => {
      if (err.exitCode === 0) process.exit(0);
      throw err;
    });
}
