import { createHash } from 'node:crypto';

/** SHA-1 of `parts` joined by `:` after a fixed namespace, laid out as a UUID v5 (version and variant bits set). */
function uuidV5Layout(parts: string[]): string {
  const h = createHash('sha1');
  h.update('erbm-event:');
  parts.forEach((p, i) => h.update(i === 0 ? p : `:${p}`));
  const d = h.digest();
  d[6] = (d[6] & 0x0f) | 0x50;
  d[8] = (d[8] & 0x3f) | 0x80;
  const hex = d.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Event id derivation **v1** (until ADR 0018): SHA-1 over `erbm-event:<commandId>:<index>`. The command id alone
 * names the events, so a key is global to every organisation. Kept to recognise and document the events recorded
 * with it; new events use {@link eventIdFor}.
 */
export function eventIdV1(commandId: string, index: number): string {
  return uuidV5Layout([commandId, String(index)]);
}

/**
 * Event id derivation **v2** (ADR 0018): SHA-1 over `erbm-event:v2:<organisation>:<commandId>:<index>` in UUID v5
 * layout. The idempotency key is scoped to the organisation that sends it: the same `commandId` from two
 * organisations gives two sets of ids (two commands), while a retry by the same organisation gives the same ids, and
 * the store's idempotent append turns it into a no-op. A v2 id never equals a v1 id of the same key (different
 * hashed text), so the two derivations cannot collide.
 *
 * @param organisation the acting organisation (`bailleur:SIA_HABITAT`, `delegation`…)
 * @param commandId the idempotency key
 * @param index the event's 0-based index in the command's output
 */
export function eventIdFor(organisation: string, commandId: string, index: number): string {
  return uuidV5Layout(['v2', organisation, commandId, String(index)]);
}
