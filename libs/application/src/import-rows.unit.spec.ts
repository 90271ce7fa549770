import { DomainError, ruleViolated } from '@erbm/shared';
import { type CommandEnvelope, type CommandResult } from './command-executor';
import { type ImportLine } from './import-format';
import { applyImportLines } from './import-rows';

const actor = { organisation: 'bailleur:SIA_HABITAT', user: 'u', channel: 'import' as const };
const row = (line: number, commandId: string, knownAt?: string): ImportLine => ({ line, envelope: { commandId, type: 't', data: {}, actor, knownAt } });
const result = (commandId: string, duplicate = false): CommandResult => ({ commandId, streamId: 's', version: 1, events: [{ eventId: 'e', type: 'x' }], duplicate });

describe('applyImportLines (shared by the CLI and the import job)', () => {
  it('reports each row in order; a rejected row never blocks the next; knownAt kept only for a backfill', async () => {
    const seen: CommandEnvelope[] = [];
    const execute = (e: CommandEnvelope): Promise<CommandResult> => {
      seen.push(e);
      if (e.commandId === 'bad') return Promise.reject(ruleViolated('OPERATION.DELIVERY_EXCEEDS_PLANNED', 'too many', 'logements'));
      return Promise.resolve(result(e.commandId, e.commandId === 'dup'));
    };
    const progress: number[] = [];
    const lines: ImportLine[] = [row(1, 'ok', '2020-01-01T00:00:00Z'), { line: 2, commandId: 'x', error: [{ field: 'data', rule: 'isJson', message: 'is not valid JSON' }] }, row(3, 'bad'), row(4, 'dup')];
    const out = await applyImportLines(lines, execute, { backfill: false, onRow: (_r, done) => void progress.push(done) });
    expect(out.map((r) => [r.line, r.outcome, r.code, r.events])).toEqual([
      [1, 'accepted', null, 1],
      [2, 'rejected', 'IMPORT.UNREADABLE_ROW', 0],
      [3, 'rejected', 'OPERATION.DELIVERY_EXCEEDS_PLANNED', 0],
      [4, 'duplicate', null, 1],
    ]);
    expect(out[2].violations).toEqual([{ field: 'logements', rule: 'OPERATION.DELIVERY_EXCEEDS_PLANNED', message: 'too many' }]);
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(seen[0].knownAt).toBeUndefined();
    await applyImportLines([row(1, 'ok', '2020-01-01T00:00:00Z')], execute, { backfill: true });
    expect(seen.at(-1)!.knownAt).toBe('2020-01-01T00:00:00Z');
  });

  it('skips rows already recorded (a retried job resumes) and stops on a non-domain error', async () => {
    const execute = (e: CommandEnvelope): Promise<CommandResult> => (e.commandId === 'down' ? Promise.reject(new Error('database unreachable')) : Promise.resolve(result(e.commandId)));
    const out = await applyImportLines([row(1, 'a'), row(2, 'b')], execute, { backfill: false, skip: (l) => l === 1 });
    expect(out.map((r) => r.line)).toEqual([2]);
    await expect(applyImportLines([row(1, 'down')], execute, { backfill: false })).rejects.toThrow('database unreachable');
    await expect(applyImportLines([row(1, 'down')], execute, { backfill: false })).rejects.not.toBeInstanceOf(DomainError);
  });
});
