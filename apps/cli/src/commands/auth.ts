import { type ApiKeys, type IssuedKey } from '@erbm/platform';
import { userInfo } from 'node:os';

/** Who runs the CLI, recorded as the actor's user of the identity events (channel `cli`, as the délégation). */
export const cliUser = (): string => {
  try {
    return `cli:${userInfo().username}`.slice(0, 200);
  } catch {
    return 'cli';
  }
};

/** Prints a key once, with how to use it. */
export function printKey(k: IssuedKey): void {
  console.log(`Client   : ${k.clientId} (${k.organisation})`);
  console.log(`Clé      : ${k.keyId}`);
  console.log(`\n  ${k.key}\n`);
  console.log("Cette clé n'est affichée qu'une fois : conservez-la dans un coffre. Usage : Authorization: Bearer <clé>");
}

/** `auth bootstrap`: the first client (of the délégation, by default) and its key, without any HTTP credential. */
export function bootstrap(keys: ApiKeys, organisation: string, name: string): Promise<IssuedKey> {
  return keys.bootstrap(organisation, name, cliUser());
}

export const cliVia = () => ({ actor: { organisation: 'delegation', user: cliUser(), channel: 'cli' as const, clientId: null } });
