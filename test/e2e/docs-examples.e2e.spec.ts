import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import { type CommandEnvelope, type CommandResult, applyImportLines, parseImportFile } from '@erbm/application';
import { ExecuteCommand, READ_DB, importCommandsProcessor } from '@erbm/platform';
import { type DataSource } from 'typeorm';
import request from 'supertest';
import { TestApi } from './support/api';

/**
 * Docs that run (issue #11): every `curl` of docs/api.md, in the order of the page, sent to an API holding the demo
 * reconstruction (data/erbm/erbm-2017-2022.jsonl, applied with backfill through the command bus, as `npm run demo`
 * does), with the status the page states after `# →` as the expected answer. A `curl` without a stated status fails
 * the suite, so no example can be added unchecked.
 */
const ROOT = join(__dirname, '../..');
const METRICS_TOKEN = 'docs-examples-metrics-token';

/** One request of the page: the curl's arguments, where it is, and the status the page says it answers. */
interface DocRequest {
  line: number;
  command: string;
  args: string[];
  expected: number | null;
}

/** Shell words of one command starting at `from`: quotes, `$VAR` and `\`-newline continuations; stops at an unquoted newline, `|` or `#`. */
function shellWords(text: string, from: number, vars: (name: string) => string): { words: string[]; end: number } {
  const words: string[] = [];
  let word: string | null = null;
  let i = from;
  let piped = false;
  const push = () => {
    if (word !== null && !piped) words.push(word);
    word = null;
  };
  const variable = (): string => {
    const m = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/.exec(text.slice(i));
    if (!m) return '$';
    i += m[0].length - 1;
    return vars(m[1]);
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === '\n') {
      i++;
      continue;
    }
    if (c === '\n') break;
    if (c === ' ' || c === '\t') {
      push();
      continue;
    }
    if (c === '|') {
      push();
      piped = true;
      continue;
    }
    if (c === '#' && word === null) {
      while (i < text.length && text[i] !== '\n') i++;
      break;
    }
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      word = (word ?? '') + text.slice(i + 1, close);
      i = close;
      continue;
    }
    if (c === '"') {
      let s = '';
      for (i++; text[i] !== '"'; i++) {
        if (text[i] === '\\' && '"$\\'.includes(text[i + 1])) s += text[++i];
        else if (text[i] === '$') s += variable();
        else s += text[i];
      }
      word = (word ?? '') + s;
      continue;
    }
    word = (word ?? '') + (c === '$' ? variable() : c);
  }
  push();
  return { words, end: i };
}

/** Every `curl` of the fenced shell blocks of the page, with the status stated on the `# →` line right after it. */
function extractRequests(markdown: string, vars: (name: string) => string): DocRequest[] {
  const out: DocRequest[] = [];
  const fence = /^( *)```(sh|bash|shell)\n([\s\S]*?)^\1```/gm;
  for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) {
    const block = m[3];
    const blockLine = markdown.slice(0, m.index).split('\n').length + 1;
    const starts = /^[ \t]*curl\b/gm;
    for (let s = starts.exec(block); s; s = starts.exec(block)) {
      const from = s.index + s[0].indexOf('curl');
      const { words, end } = shellWords(block, from, vars);
      const next = block.slice(end + 1).split('\n')[0] ?? '';
      const status = /^\s*# → (\d{3})\b/.exec(next);
      out.push({
        line: blockLine + block.slice(0, s.index).split('\n').length - 1,
        command: block.slice(from, end).replace(/\\\n\s*/g, '').replace(/\s+/g, ' ').slice(0, 160),
        args: words,
        expected: status ? Number(status[1]) : null,
      });
      starts.lastIndex = end;
    }
  }
  return out;
}

/** The method, path, headers and body of a curl command line (the options the page uses). */
function parseCurl(args: string[]): { method: string; path: string; headers: [string, string][]; body: string | null } {
  let method: string | null = null;
  let url: string | null = null;
  let body: string | null = null;
  const headers: [string, string][] = [];
  const withValue = (flag: string, value: string) => {
    if (flag === 'X' || flag === '--request') method = value;
    else if (flag === 'H' || flag === '--header') {
      const colon = value.indexOf(':');
      headers.push([value.slice(0, colon).trim(), value.slice(colon + 1).trim()]);
    } else if (flag === 'd' || flag === '--data' || flag === '--data-binary' || flag === '--data-raw') {
      body = value.startsWith('@') && flag !== '--data-raw' ? readFileSync(join(ROOT, value.slice(1)), 'utf8') : value;
    } else throw new Error(`curl option ${flag} is not understood by this test`);
  };
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      if (['--silent', '--include', '--show-error', '--fail'].includes(a)) continue;
      withValue(a, args[++i]);
    } else if (a.startsWith('-') && a.length > 1) {
      for (const flag of a.slice(1)) {
        if ('isSvf'.includes(flag)) continue;
        withValue(flag, args[++i]);
      }
    } else url = a;
  }
  if (!url?.startsWith('http://localhost:3000/')) throw new Error(`the examples call http://localhost:3000, not ${url}`);
  return { method: method ?? (body === null ? 'GET' : 'POST'), path: url.slice('http://localhost:3000'.length), headers, body };
}

const variables: Record<string, string> = {};
/** The answer to each example, in page order (filled by `beforeAll`). */
const answers: { request: string; status: number; body: unknown; expected: number | null }[] = [];
const page = readFileSync(join(ROOT, 'docs/api.md'), 'utf8');
/** Extracted once with placeholders to name the tests; each test extracts its request again with the real keys. */
const listed = extractRequests(page, (name) => `<${name}>`);

let api: TestApi;
let stopWorker: () => Promise<void>;

beforeAll(async () => {
  api = await TestApi.start('docs_examples', { metricsToken: METRICS_TOKEN });
  // The demo's load: the reconstruction through the command bus, knowledge times kept (backfill).
  const lines = parseImportFile(readFileSync(join(ROOT, 'data/erbm/erbm-2017-2022.jsonl'), 'utf8'), 'jsonl', { channel: 'import', correlationId: 'docs-examples-demo' });
  const bus = api.app.get(CommandBus);
  const execute = (e: CommandEnvelope) => bus.execute<ExecuteCommand, CommandResult>(new ExecuteCommand(e));
  const rows = await applyImportLines(lines, execute, { backfill: true });
  const refused = rows.filter((r) => r.outcome !== 'accepted');
  if (refused.length) throw new Error(`the demo data did not load: ${JSON.stringify(refused.slice(0, 3))}`);
  await api.project();
  // The worker's import job, so that the example import ends as the page says.
  stopWorker = api.startJobWorker({ 'import.commands': importCommandsProcessor(api.app.get<DataSource>(READ_DB), execute, () => new Date().toISOString()) });
  Object.assign(variables, {
    ADMIN: api.adminKey,
    SIA_KEY: await api.keyFor('bailleur:SIA_HABITAT'),
    ETAT_KEY: await api.keyFor('financer:ETAT'),
    METRICS_TOKEN,
  });
  // Every example runs here, in page order (each may depend on the ones above it), so that the tests below, which
  // only read their answer, hold in any order (`jest --randomize`).
  const docs = extractRequests(page, (name) => {
    if (!(name in variables)) throw new Error(`unknown shell variable $${name} in docs/api.md`);
    return variables[name];
  });
  for (const doc of docs) {
    const { method, path, headers, body } = parseCurl(doc.args);
    let req = request(api.http)[method.toLowerCase() as 'get' | 'post' | 'delete'](path);
    for (const [name, value] of headers) req = req.set(name, value);
    const res = await (body === null ? req : req.send(body));
    answers.push({ request: `${method} ${path}`, status: res.status, body: res.body as unknown, expected: doc.expected });
  }
}, 600_000);
afterAll(async () => {
  await stopWorker();
  await api.close();
});


it('finds the examples of docs/api.md, each with the status it answers', () => {
  expect(listed.length).toBeGreaterThanOrEqual(14);
  expect(listed.filter((r) => r.expected === null).map((r) => `line ${r.line}: ${r.command}`)).toEqual([]);
});

describe.each(listed.map((r, i) => [`line ${r.line}: ${r.command}`, i] as const))('docs/api.md %s', (_name, index) => {
  it('answers the documented status', () => {
    const { expected, ...answer } = answers[index];
    expect(answer).toMatchObject({ status: expected });
  });
});

it('applies the example import as the page says (counts of the `# → 200 {"status":"completed"…` line)', async () => {
  const stated = /^# → 200 (\{"status":"completed".*)$/m.exec(page)![1];
  const count = (field: string) => Number(new RegExp(`"${field}":(\\d+)`).exec(stated)![1]);
  const importId = /"importId":"(imp-[0-9a-f]{32})"/.exec(page)![1];
  let view: { status: string } = { status: 'queued' };
  for (let i = 0; i < 200 && view.status !== 'completed'; i++) {
    view = (await request(api.http).get(`/imports/${importId}`).set('Authorization', `Bearer ${variables.SIA_KEY}`)).body as { status: string };
    if (view.status !== 'completed') await new Promise((r) => setTimeout(r, 100));
  }
  expect(view).toMatchObject({ status: 'completed', total: count('total'), accepted: count('accepted'), rejected: count('rejected'), duplicates: count('duplicates') });
});
