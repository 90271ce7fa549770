import { type Actor, type Channel } from '@erbm/event-store';
import { DomainError, type FieldViolation } from '@erbm/shared';
import { parse } from 'csv-parse/sync';
import { type CommandEnvelope } from './command-executor';

/** One parsed line of an import file (docs/import-format.md): a command envelope, or the reason it is unreadable. */
export type ImportLine = { line: number; envelope: CommandEnvelope } | { line: number; commandId?: string | null; type?: string | null; error: FieldViolation[] };

/** Formats of an import file: JSON Lines (one JSON object a line) or CSV (RFC 4180, header row). */
export type ImportFormat = 'jsonl' | 'csv';
export const IMPORT_FORMATS: ImportFormat[] = ['jsonl', 'csv'];

/** Columns of the CSV variant, in this order (header row required). */
export const CSV_COLUMNS = ['commandId', 'type', 'knownAt', 'source', 'estimated', 'data'] as const;

const ENVELOPE_FIELDS = ['commandId', 'type', 'actor', 'knownAt', 'source', 'estimated', 'data'];

/** How the lines of a file become envelopes: channel and correlation id of the import, and who acts. */
export interface ImportParseOptions {
  channel: Channel;
  correlationId: string;
  /**
   * The acting organisation and user for every row (the authenticated caller of POST /imports). When given, the
   * file's `actor` fields are ignored; without it (CLI JSON Lines), each line must carry its `actor`.
   */
  actor?: Actor;
}

/**
 * 400 IMPORT.UNREADABLE_FILE: the file as a whole cannot be read (CSV quoting, header). Nothing is queued.
 * `violations` say what is wrong, for callers that word it themselves (the CLI, in French): `(file)` with rule
 * `csvSyntax`, `csvNoHeader` or `csvNeedsActor`, or one violation per header column with rule `csvColumnMissing` or
 * `csvColumnUnknown` or `csvColumnRepeated` (the column name as `field`). Default: `(file)` / `isImportFile`.
 */
export const unreadableFile = (message: string, violations: FieldViolation[] = [{ field: '(file)', rule: 'isImportFile', message }]): DomainError =>
  new DomainError('IMPORT.UNREADABLE_FILE', 'validation', message, violations);

/** Separators of the CSV variant: the comma of RFC 4180, and the semicolon that spreadsheets in French write. */
export type CsvDelimiter = ',' | ';';

/**
 * Whether `text` starts with a header row of the CSV variant, and with which separator: its first non-blank line,
 * split on `,` or on `;` (whichever names more of them), names at least three of `CSV_COLUMNS`. Pure; reads only
 * the first line.
 * @returns the separator, or null when the first line is not such a header.
 */
export function sniffCsvHeader(text: string): CsvDelimiter | null {
  const first = text.replace(/^\uFEFF/, '').split(/\r\n?|\n/).find((l) => l.trim() !== '') ?? '';
  const known = (d: CsvDelimiter) => first.split(d).filter((h) => (CSV_COLUMNS as readonly string[]).includes(h.trim().replace(/^"(.*)"$/, '$1'))).length;
  const [comma, semicolon] = [known(','), known(';')];
  const best = semicolon > comma ? semicolon : comma;
  if (best < 3) return null;
  return semicolon > comma ? ';' : ',';
}

/** Turns one decoded row (a JSON object, or a CSV record mapped to the columns) into an envelope or errors. */
function toLine(line: number, row: Record<string, unknown>, opts: ImportParseOptions): ImportLine {
  const errors: FieldViolation[] = [];
  const commandId = typeof row.commandId === 'string' ? row.commandId : null;
  const type = typeof row.type === 'string' ? row.type : null;
  if (commandId === null || commandId === '') errors.push({ field: 'commandId', rule: 'isString', message: 'is required' });
  if (type === null || type === '') errors.push({ field: 'type', rule: 'isString', message: 'is required' });
  let actor: Actor | undefined = opts.actor ? { ...opts.actor, channel: opts.channel } : undefined;
  if (!actor) {
    const a = row.actor as Record<string, unknown> | undefined;
    if (!a || typeof a !== 'object' || typeof a.organisation !== 'string' || typeof a.user !== 'string') {
      errors.push({ field: 'actor', rule: 'isActor', message: 'must be {organisation, user}' });
    } else {
      actor = { organisation: a.organisation, user: a.user, channel: opts.channel };
    }
  }
  if (row.knownAt !== undefined && typeof row.knownAt !== 'string') errors.push({ field: 'knownAt', rule: 'isDateTime', message: 'must be an ISO date-time' });
  if (row.source !== undefined && row.source !== null && typeof row.source !== 'string') errors.push({ field: 'source', rule: 'isString', message: 'must be a string' });
  if (row.estimated !== undefined && typeof row.estimated !== 'boolean') errors.push({ field: 'estimated', rule: 'isBoolean', message: 'must be true or false' });
  if (row.data !== undefined && (typeof row.data !== 'object' || row.data === null || Array.isArray(row.data))) {
    errors.push({ field: 'data', rule: 'isObject', message: 'must be a JSON object (the command\'s fields), not a string, number or array' });
  }
  for (const k of Object.keys(row).filter((k) => !ENVELOPE_FIELDS.includes(k))) errors.push({ field: k, rule: 'whitelist', message: 'is not a known field' });
  if (errors.length || !actor) return { line, commandId, type, error: errors };
  return {
    line,
    envelope: {
      commandId: commandId as string,
      type: type as string,
      data: row.data,
      actor,
      correlationId: opts.correlationId,
      knownAt: row.knownAt as string | undefined,
      source: typeof row.source === 'string' ? row.source : null,
      estimated: row.estimated === true,
    },
  };
}

/**
 * Parses JSON Lines in the import format. Blank lines are skipped. Each line becomes a command envelope whose
 * actor channel is `channel`; a line that is not a JSON object or lacks the envelope fields yields an error entry,
 * never an exception, so one bad row never blocks the others.
 */
export function parseImportLines(text: string, channel: Channel, correlationId: string, actor?: Actor): ImportLine[] {
  const out: ImportLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(raw);
    } catch {
      out.push({ line, error: [{ field: '(line)', rule: 'isJson', message: 'is not valid JSON' }] });
      return;
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      out.push({ line, error: [{ field: '(line)', rule: 'isObject', message: 'must be a JSON object' }] });
      return;
    }
    out.push(toLine(line, row as Record<string, unknown>, { channel, correlationId, actor }));
  });
  return out;
}

/**
 * Parses the CSV variant (RFC 4180 quoting, UTF-8, optional BOM): a header row naming exactly the columns
 * `commandId,type,knownAt,source,estimated,data` (any order), then one command a row. The separator is the comma,
 * or the semicolon when the header row is separated by semicolons (as spreadsheets in French save CSV; see
 * sniffCsvHeader): the whole file then uses `;`. `data` is the command's JSON
 * object; empty `knownAt`/`source`/`estimated` mean absent; `estimated` is `true` or `false`. The actor is never
 * read from the file: it is `opts.actor`. A row's `line` is the file line where the row ends (the header is line 1).
 * CRLF and CR line breaks are read as LF, inside quoted values too.
 * @throws DomainError IMPORT.UNREADABLE_FILE when the quoting is broken or the header is wrong.
 */
export function parseImportCsv(text: string, opts: ImportParseOptions & { actor: Actor }): ImportLine[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // Line breaks are normalised to LF first (csv-parse counts a CRLF inside quotes as two lines).
    const delimiter = sniffCsvHeader(text) ?? ',';
    records = parse(text.replace(/\r\n?/g, '\n'), { delimiter, info: true, relax_column_count: true, skip_empty_lines: true, bom: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const message = `The CSV cannot be read: ${(e as Error).message}`;
    throw unreadableFile(message, [{ field: '(file)', rule: 'csvSyntax', message }]);
  }
  if (records.length === 0) throw unreadableFile('The CSV has no header row', [{ field: '(file)', rule: 'csvNoHeader', message: 'The CSV has no header row' }]);
  const header = records[0].record.map((h) => h.trim());
  const missing = CSV_COLUMNS.filter((c) => !header.includes(c));
  const extra = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  if (missing.length || extra.length || header.length !== CSV_COLUMNS.length) {
    throw unreadableFile(`The CSV header must name the columns ${CSV_COLUMNS.join(',')} (missing [${missing.join(', ')}], unknown [${extra.join(', ')}])`, [
      ...missing.map((c) => ({ field: c, rule: 'csvColumnMissing', message: 'is a required column' })),
      ...extra.map((c) => ({ field: c, rule: 'csvColumnUnknown', message: 'is not a column of the import format' })),
      ...header.filter((h, i) => header.indexOf(h) !== i).map((c) => ({ field: c, rule: 'csvColumnRepeated', message: 'is named twice' })),
    ]);
  }
  return records.slice(1).map(({ record, info }) => {
    const line = info.lines;
    const cell = (c: (typeof CSV_COLUMNS)[number]): string | undefined => record[header.indexOf(c)];
    const commandId = cell('commandId') || null;
    const type = cell('type') || null;
    if (record.length !== header.length) {
      return { line, commandId, type, error: [{ field: '(row)', rule: 'columnCount', message: `has ${record.length} columns, not ${header.length}` }] };
    }
    const row: Record<string, unknown> = { commandId: commandId ?? undefined, type: type ?? undefined };
    const errors: FieldViolation[] = [];
    const knownAt = cell('knownAt')!.trim();
    if (knownAt !== '') row.knownAt = knownAt;
    if (cell('source') !== '') row.source = cell('source');
    const estimated = cell('estimated')!.trim().toLowerCase();
    if (estimated === 'true') row.estimated = true;
    else if (estimated === 'false') row.estimated = false;
    else if (estimated !== '') errors.push({ field: 'estimated', rule: 'isBoolean', message: 'must be true, false or empty' });
    try {
      const data: unknown = JSON.parse(cell('data')!);
      if (typeof data !== 'object' || data === null || Array.isArray(data)) errors.push({ field: 'data', rule: 'isObject', message: 'must be a JSON object' });
      else row.data = data;
    } catch {
      errors.push({ field: 'data', rule: 'isJson', message: 'is not valid JSON' });
    }
    const parsed = toLine(line, row, opts);
    if (errors.length) return { line, commandId, type, error: [...errors, ...('error' in parsed ? parsed.error : [])] };
    return parsed;
  });
}

/** Parses an import file in either format (see parseImportLines and parseImportCsv). */
export function parseImportFile(text: string, format: ImportFormat, opts: ImportParseOptions): ImportLine[] {
  if (format === 'csv') {
    if (!opts.actor) {
      const message = 'A CSV import needs an acting organisation (the file carries no actor)';
      throw unreadableFile(message, [{ field: '(file)', rule: 'csvNeedsActor', message }]);
    }
    return parseImportCsv(text, { ...opts, actor: opts.actor });
  }
  return parseImportLines(text, opts.channel, opts.correlationId, opts.actor);
}
