import { createHash } from 'node:crypto';

/**
 * Deterministic event id (UUID v5 layout, SHA-1 over a fixed namespace) derived from the command id and the event's
 * index in the command's output. A retried command therefore produces the same event ids, and the store's
 * idempotent append turns the retry into a no-op.
 */
export function eventIdFor(commandId: string, index: number): string {
  const h = createHash('sha1').update('erbm-event:').update(commandId).update(':').update(String(index)).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
