import { type Channel } from '@erbm/event-store';
import { type FieldViolation } from '@erbm/shared';
import { type CommandEnvelope } from './command-executor';

/** One parsed line of an import file (docs/import-format.md): a command envelope, or the reason it is unreadable. */
export type ImportLine = { line: number; envelope: CommandEnvelope } | { line: number; error: FieldViolation[] };

/**
 * Parses JSON Lines in the import format. Blank lines are skipped. Each line becomes a command envelope whose
 * actor channel is `channel`; a line that is not a JSON object or lacks the envelope fields yields an error entry,
 * never an exception, so one bad row never blocks the others.
 */
export function parseImportLines(text: string, channel: Channel, correlationId: string): ImportLine[] {
  const out: ImportLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      out.push({ line, error: [{ field: '(line)', rule: 'isJson', message: 'is not valid JSON' }] });
      return;
    }
    const errors: FieldViolation[] = [];
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      out.push({ line, error: [{ field: '(line)', rule: 'isObject', message: 'must be a JSON object' }] });
      return;
    }
    const actor = row.actor as Record<string, unknown> | undefined;
    if (typeof row.commandId !== 'string') errors.push({ field: 'commandId', rule: 'isString', message: 'is required' });
    if (typeof row.type !== 'string') errors.push({ field: 'type', rule: 'isString', message: 'is required' });
    if (!actor || typeof actor.organisation !== 'string' || typeof actor.user !== 'string') {
      errors.push({ field: 'actor', rule: 'isActor', message: 'must be {organisation, user}' });
    }
    if (row.knownAt !== undefined && typeof row.knownAt !== 'string') errors.push({ field: 'knownAt', rule: 'isDateTime', message: 'must be an ISO date-time' });
    const unknown = Object.keys(row).filter((k) => !['commandId', 'type', 'actor', 'knownAt', 'source', 'estimated', 'data'].includes(k));
    for (const k of unknown) errors.push({ field: k, rule: 'whitelist', message: 'is not a known field' });
    if (errors.length) {
      out.push({ line, error: errors });
      return;
    }
    out.push({
      line,
      envelope: {
        commandId: row.commandId as string,
        type: row.type as string,
        data: row.data,
        actor: { organisation: actor!.organisation as string, user: actor!.user as string, channel },
        correlationId,
        knownAt: row.knownAt as string | undefined,
        source: typeof row.source === 'string' ? row.source : null,
        estimated: row.estimated === true,
      },
    });
  });
  return out;
}
