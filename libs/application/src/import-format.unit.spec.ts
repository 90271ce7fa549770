import { type Actor } from '@erbm/event-store';
import { DomainError } from '@erbm/shared';
import { parseImportCsv, parseImportFile, parseImportLines, sniffCsvHeader } from './import-format';

const actor: Actor = { organisation: 'bailleur:SIA_HABITAT', user: 'jeanne@sia.example', channel: 'api' };
const opts = { channel: 'import' as const, correlationId: 'imp-1', actor };
const HEADER = 'commandId,type,knownAt,source,estimated,data';

describe('CSV import format', () => {
  it('reads RFC 4180 quoting (commas, doubled quotes, line breaks) and acts as the caller', () => {
    const text = [
      HEADER,
      'c1,operation.StartPhase,2021-01-01T00:00:00Z,"002 §1a, p. 3",true,"{""operationId"":""op-1"",""phase"":""etudes"",""startedOn"":""2019-03-04""}"',
      'c2,operation.StartPhase,,"two',
      'lines",,"{""operationId"":""op-1""}"',
    ].join('\r\n');
    const lines = parseImportCsv(`\uFEFF${text}\r\n`, opts);
    expect(lines).toEqual([
      {
        line: 2,
        envelope: {
          commandId: 'c1',
          type: 'operation.StartPhase',
          data: { operationId: 'op-1', phase: 'etudes', startedOn: '2019-03-04' },
          actor: { ...actor, channel: 'import' },
          correlationId: 'imp-1',
          knownAt: '2021-01-01T00:00:00Z',
          source: '002 §1a, p. 3',
          estimated: true,
        },
      },
      expect.objectContaining({ line: 4, envelope: expect.objectContaining({ commandId: 'c2', source: 'two\nlines', estimated: false, knownAt: undefined }) }),
    ]);
  });

  it('reports unreadable rows (bad JSON, not an object, bad boolean, missing id, column count) without throwing', () => {
    const lines = parseImportCsv([HEADER, 'a,t,,,,{oops', 'b,t,,,,[1]', 'c,t,,,maybe,{}', ',t,,,,{}', 'e,t,,'].join('\n'), opts);
    expect(lines.map((l) => ('error' in l ? [l.line, l.commandId, l.error.map((v) => `${v.field}:${v.rule}`)] : l.line))).toEqual([
      [2, 'a', ['data:isJson']],
      [3, 'b', ['data:isObject']],
      [4, 'c', ['estimated:isBoolean']],
      [5, null, ['commandId:isString']],
      [6, 'e', ['(row):columnCount']],
    ]);
  });

  it('refuses the whole file when the header is wrong or the quoting broken', () => {
    expect(() => parseImportCsv('commandId,type,data\nx,y,{}', opts)).toThrow(DomainError);
    expect(() => parseImportCsv(`${HEADER}\n"x,y`, opts)).toThrow(/IMPORT|CSV/);
    expect(() => parseImportCsv('', opts)).toThrow(/header/);
    expect(() => parseImportFile(HEADER, 'csv', { channel: 'import', correlationId: 'x' })).toThrow(/acting organisation/);
  });

  it('reads a CSV separated by semicolons, as spreadsheets in French save it, when its header is', () => {
    const text = ['commandId;type;knownAt;source;estimated;data', 'c1;operation.StartPhase;;"SIA; export";false;"{""operationId"":""op-1"",""phase"":""etudes""}"'].join('\r\n');
    expect(parseImportCsv(text, opts)).toEqual([
      {
        line: 2,
        envelope: expect.objectContaining({ commandId: 'c1', source: 'SIA; export', estimated: false, data: { operationId: 'op-1', phase: 'etudes' } }) as unknown,
      },
    ]);
    // The separator is the header's: commas in a ;-separated file are data.
    expect(parseImportCsv('commandId;type;knownAt;source;estimated;data\nc2;t;;a,b;;{}', opts)).toMatchObject([{ line: 2, envelope: { source: 'a,b' } }]);
  });

  it('sniffs a CSV header and its separator from the first non-blank line only', () => {
    expect(sniffCsvHeader(`\uFEFF${HEADER}\nx`)).toBe(',');
    expect(sniffCsvHeader('\n"commandId";"type";"data"\n')).toBe(';');
    expect(sniffCsvHeader('{"commandId":"a","type":"t","data":{}}')).toBeNull();
    expect(sniffCsvHeader('commandId,type')).toBeNull();
    expect(sniffCsvHeader('')).toBeNull();
  });

  it('says which header columns are wrong through the violations (rule and column)', () => {
    const error = (f: () => unknown): DomainError => {
      try {
        f();
      } catch (e) {
        return e as DomainError;
      }
      throw new Error('no error');
    };
    const wrong = error(() => parseImportCsv('commandId,type,knownAt,source,estimate,data,data\n', opts));
    expect(wrong.code).toBe('IMPORT.UNREADABLE_FILE');
    expect(wrong.violations.map((v) => `${v.field}:${v.rule}`)).toEqual(['estimated:csvColumnMissing', 'estimate:csvColumnUnknown', 'data:csvColumnRepeated']);
    expect(error(() => parseImportCsv(`${HEADER}\n"x,y`, opts)).violations[0].rule).toBe('csvSyntax');
    expect(error(() => parseImportCsv('', opts)).violations[0].rule).toBe('csvNoHeader');
    expect(error(() => parseImportFile(HEADER, 'csv', { channel: 'import', correlationId: 'x' })).violations[0].rule).toBe('csvNeedsActor');
  });

  it('JSON Lines: the caller replaces the actor of the file when given; without it each line needs one', () => {
    const text = '{"commandId":"j1","type":"t","actor":{"organisation":"delegation","user":"x"},"data":{}}\n{"commandId":"j2","type":"t","data":{}}';
    const asCaller = parseImportLines(text, 'import', 'c', actor);
    expect(asCaller.map((l) => ('envelope' in l ? l.envelope.actor.organisation : 'error'))).toEqual(['bailleur:SIA_HABITAT', 'bailleur:SIA_HABITAT']);
    const fromFile = parseImportLines(text, 'import', 'c');
    expect(fromFile.map((l) => ('envelope' in l ? l.envelope.actor.organisation : l.error[0].field))).toEqual(['delegation', 'actor']);
  });

  it('JSON Lines: a row whose data is not an object (a JSON string, number, array, null) is unreadable, not read field by field', () => {
    const rows = ['"{\\"deliveryId\\":\\"d1\\"}"', '42', '["a"]', 'null'].map((data, i) => `{"commandId":"s${i}","type":"t","data":${data}}`);
    const lines = parseImportLines(rows.join('\n'), 'import', 'c', actor);
    expect(lines.map((l) => ('error' in l ? l.error : 'accepted'))).toEqual(rows.map(() => [{ field: 'data', rule: 'isObject', message: expect.stringMatching(/^must be a JSON object/) }]));
    expect(lines.map((l) => ('error' in l ? l.commandId : l.envelope.commandId))).toEqual(['s0', 's1', 's2', 's3']);
  });
});
