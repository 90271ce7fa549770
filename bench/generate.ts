import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { energyClass2021 } from '@erbm/operations';
import { mulberry32 } from '@erbm/forecasting';
import { type BenchCommand, type GeneratedEvent, InMemoryDomain } from './domain';

/**
 * A realistic, domain-valid ERBM history of about `events` events (default 1 000 000) over 2017-03-07 → 2026-10-31:
 * the reference data of the 2017–2022 reconstruction (programme, target, axes, 8 EPCI, 21 financers, 4 bailleurs),
 * 50 cités, then logements operations (programming, phases, plan revisions, suspensions, amendments, abandonments,
 * deliveries and their corrections) and urban operations, their grants (decisions, amendments, payments,
 * cancellations) and monthly insertion declarations (and corrections). Volumes are scaled up so that `events`
 * events exist (about 80 events per operation): this is a load test, not a plausible ERBM (which has ~300
 * operations). Every command goes through the real use cases (`InMemoryDomain`), so events are exactly the
 * domain's. Deterministic (seeded PRNG): the same `events` gives the same history.
 */
export function* generateHistory(events = 1_000_000, seed = 2017): Generator<GeneratedEvent> {
  const domain = new InMemoryDomain();
  let emitted = 0;
  const emit = function* (c: BenchCommand): Generator<GeneratedEvent> {
    for (const e of domain.execute(c)) {
      if (emitted++ >= events) return;
      yield e;
    }
  };
  const rnd = mulberry32(seed);
  const ref = referenceCommands();
  for (const c of ref.commands) yield* emit(c);
  const cites = ref.cites;
  for (const c of cites) yield* emit({ commandId: `bench-cite-${c.citeId}`, type: 'programme.RegisterCite', data: { ...c }, organisation: 'delegation', knownAt: '2017-03-07T12:00:00.000Z' });

  // Operations start uniformly over 2017-04 → 2024-12; each yields its commands in knowledge-time order; a heap merges them.
  const operations = Math.max(1, Math.ceil(events / 78));
  const first = day('2017-04-01');
  const last = day('2024-12-31');
  const heap = new Heap<{ next: BenchCommand; rest: Generator<BenchCommand> }>((a, b) => a.next.knownAt < b.next.knownAt);
  let started = 0;
  const startNext = () => {
    if (started >= operations) return;
    const i = started++;
    const startDay = first + Math.floor(((last - first) * i) / operations);
    const cite = cites[Math.floor(rnd() * cites.length)];
    const gen = rnd() < 0.1 ? urbanOperation(i, startDay, cite, mulberry32(seed * 7919 + i)) : logementsOperation(i, startDay, cite, mulberry32(seed * 7919 + i));
    const n = gen.next();
    if (!n.done) heap.push({ next: n.value, rest: gen });
  };
  // Operations are started in programming order, so the heap holds only the operations under way.
  startNext();
  while (heap.size > 0 && emitted < events) {
    while (started < operations && heap.size > 0 && heap.peek().next.knownAt >= isoAt(first + Math.floor(((last - first) * started) / operations), 0)) startNext();
    const top = heap.pop();
    yield* emit(top.next);
    const n = top.rest.next();
    if (!n.done && n.value.knownAt <= END) heap.push({ next: n.value, rest: top.rest });
    if (heap.size === 0) startNext();
  }
}

const END = '2026-10-31T23:59:59.999Z';
const DAY = 86_400_000;
const day = (iso: string): number => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY);
const isoDay = (d: number): string => new Date(d * DAY).toISOString().slice(0, 10);
const isoAt = (d: number, seconds: number): string => new Date(d * DAY + seconds * 1000).toISOString();

interface Cite {
  citeId: string;
  name: string;
  communes: string[];
  epciCode: string;
  bailleurCode: string;
  logements: number;
  unesco: boolean;
  priority: boolean;
}

/** Reference commands of the reconstruction (data/erbm) but its cités, and 50 generated cités across the 8 EPCI. */
function referenceCommands(): { commands: BenchCommand[]; cites: Cite[] } {
  const lines = readFileSync(join(__dirname, '../data/erbm/erbm-2017-2022.jsonl'), 'utf8').split('\n').filter(Boolean);
  const commands: BenchCommand[] = [];
  const epcis: string[] = [];
  const bailleurs: string[] = [];
  for (const l of lines) {
    const c = JSON.parse(l) as { commandId: string; type: string; data: Record<string, unknown>; knownAt: string };
    if (!c.type.startsWith('programme.') || c.type === 'programme.RegisterCite') continue;
    if (c.type === 'programme.RegisterEpci') epcis.push(c.data.epciCode as string);
    if (c.type === 'programme.RegisterBailleur') bailleurs.push(c.data.bailleurCode as string);
    commands.push({ commandId: `bench-${c.commandId}`, type: c.type, data: c.data, organisation: 'delegation', knownAt: c.knownAt });
  }
  const cites = Array.from({ length: 50 }, (_, i): Cite => ({
    citeId: `bench-cite-${String(i + 1).padStart(2, '0')}`,
    name: `Cité minière n° ${i + 1}`,
    communes: [`Commune ${i + 1}`],
    epciCode: epcis[i % epcis.length],
    bailleurCode: bailleurs[i % bailleurs.length],
    logements: 200 + ((i * 37) % 800),
    unesco: i % 5 === 0,
    priority: i % 3 === 0,
  }));
  return { commands, cites };
}

/** Energy before (G–E) and after works (B–C), with the DPE class of the 2021 scale. */
function energies(rnd: () => number) {
  const before = 260 + Math.floor(rnd() * 200);
  const after = 75 + Math.floor(rnd() * 90);
  return {
    energyBefore: { primaryEnergyKwhPerM2Year: before, dpeClass: energyClass2021(before), dpeScale: '2021' },
    energyAfter: { primaryEnergyKwhPerM2Year: after, dpeClass: energyClass2021(after), dpeScale: '2021' },
  };
}

const people = (rnd: () => number) => {
  const participants = { deld: 1 + Math.floor(rnd() * 3), rsa: Math.floor(rnd() * 3), jeunes: Math.floor(rnd() * 3), rqth: Math.floor(rnd() * 2), autres: Math.floor(rnd() * 2) };
  const recruitments = { deld: Math.floor(rnd() * (participants.deld + 1) * 0.5), rsa: rnd() < 0.2 ? Math.min(1, participants.rsa) : 0, jeunes: 0, rqth: 0, autres: 0 };
  return { participants, recruitments };
};

/** Knowledge times of one operation's commands: after the business date, strictly increasing. */
function clock(rnd: () => number) {
  let last = '';
  return (businessDay: number): string => {
    let t = isoAt(businessDay + 1 + Math.floor(rnd() * 20), Math.floor(rnd() * 36_000) + 25_200);
    if (t <= last) t = new Date(Date.parse(last) + 1000).toISOString();
    last = t;
    return t;
  };
}

interface Grant {
  grantId: string;
  financer: string;
  amountCents: number;
  paidCents: number;
  decidedDay: number;
}

/** The life of a logements operation, as commands in knowledge-time order. */
function* logementsOperation(i: number, p: number, cite: Cite, rnd: () => number): Generator<BenchCommand> {
  const id = `bench-op-${i}`;
  const org = `bailleur:${cite.bailleurCode}`;
  const at = clock(rnd);
  let seq = 0;
  const c = (type: string, data: Record<string, unknown>, d: number, organisation = org): BenchCommand => ({ commandId: `${id}-${++seq}`, type, data, organisation, knownAt: at(d) });
  const erbm = rnd() < 0.8;
  let planned = 40 + Math.floor(rnd() * 120);
  const plannedDates = { etudes: isoDay(p + 60), avp: isoDay(p + 180), autorisation: isoDay(p + 330), travaux: isoDay(p + 450), livraisons: isoDay(p + 600), terminee: isoDay(p + 1100) };
  yield c('operation.ProgrammeLogementsOperation', {
    operationId: id, citeId: cite.citeId, bailleurCode: cite.bailleurCode, title: `Réhabilitation ${cite.name} – tranche ${i}`, plannedLogements: planned,
    financing: erbm ? 'erbm' : 'fonds-propres', axisCode: '1a', lots: [{ lotType: erbm ? 'PALULOS' : 'FONDS_PROPRES', logements: planned }], programmedOn: isoDay(p), plannedDates,
  }, p);
  const grants: Grant[] = [];
  if (erbm) {
    const perLogement = 800_000 + Math.floor(rnd() * 700_000);
    for (const [k, financer, share, dispositif] of [[0, 'ETAT', 0.5, 'aides-a-la-pierre'], [1, 'REGION_HDF', 0.3, 'fonds-conjoint-etat-region'], [2, cite.epciCode, 0.2, 'droit-commun']] as const) {
      const d = p + 30 + k * 30 + Math.floor(rnd() * 30);
      const g: Grant = { grantId: `${id}-g${k}`, financer, amountCents: Math.round(planned * perLogement * share), paidCents: 0, decidedDay: d };
      grants.push(g);
      yield c('funding.DecideGrant', {
        grantId: g.grantId, financerCode: financer, operationId: id, beneficiary: { kind: 'bailleur', code: cite.bailleurCode, name: cite.bailleurCode }, dispositif, axisCode: '1a',
        amountCents: g.amountCents, conventionDate: isoDay(d), decisionRef: `DEC-${g.grantId}`,
      }, d, `financer:${financer}`);
    }
  }
  let d = p + 120;
  const phase = function* (name: string, gap: number): Generator<BenchCommand> {
    d += gap + Math.floor(rnd() * gap * 0.5);
    yield c('operation.StartPhase', { operationId: id, phase: name, startedOn: isoDay(d) }, d);
  };
  yield* phase('etudes', 40);
  yield* phase('avp', 100);
  if (rnd() < 0.3) yield c('operation.RevisePhasePlan', { operationId: id, phase: 'travaux', plannedOn: isoDay(p + 520), reason: 'Recalage du planning' }, d + 5);
  if (rnd() < 0.02) {
    yield c('operation.AbandonOperation', { operationId: id, abandonedOn: isoDay(d + 60), reason: 'Démolition-reconstruction retenue' }, d + 60);
    for (const g of grants) yield c('funding.CancelGrant', { grantId: g.grantId, cancelledOn: isoDay(d + 90), reason: 'Opération abandonnée' }, d + 90, `financer:${g.financer}`);
    return;
  }
  yield* phase('autorisation', 120);
  if (rnd() < 0.05) {
    planned += 5;
    yield c('operation.AmendPlannedLogements', { operationId: id, plannedLogements: planned, amendedOn: isoDay(d + 10), reason: 'Ajout de logements' }, d + 10);
  }
  yield* phase('travaux', 100);
  const works = d;
  // Payments: an advance at travaux, instalments along the deliveries, a balance at réception (≤ 100 %).
  const pay = function* (g: Grant, share: number, on: number): Generator<BenchCommand> {
    const amount = Math.min(Math.round(g.amountCents * share), g.amountCents - g.paidCents);
    if (amount <= 0) return;
    g.paidCents += amount;
    yield c('funding.RecordGrantPayment', { grantId: g.grantId, paymentId: `${g.grantId}-v${Math.round(on)}`, paidOn: isoDay(on), amountCents: amount }, on, `financer:${g.financer}`);
  };
  for (const g of grants) yield* pay(g, 0.2, works + 5);
  let delivered = 0;
  let nd = 0;
  let declared = 0;
  let insertionDay = works;
  const marches = 1 + Math.floor(rnd() * 2);
  let suspended = false;
  let inLivraisons = false;
  while (delivered < planned) {
    d += 8 + Math.floor(rnd() * 12);
    // monthly insertion declarations for each marché
    while (insertionDay + 30 <= d) {
      for (let mk = 0; mk < marches; mk++) {
        const decl = `${id}-ins-${++declared}`;
        const { participants, recruitments } = people(rnd);
        yield c('insertion.DeclareInsertionHours', {
          declarationId: decl, operationId: id, epciCode: cite.epciCode, marcheRef: `${id}-M${mk + 1}`, periodStart: isoDay(insertionDay), periodEnd: isoDay(insertionDay + 29),
          hours: 100 + Math.floor(rnd() * 500), participants, recruitments,
        }, insertionDay + 30);
        if (rnd() < 0.02) {
          yield c('insertion.CorrectInsertionDeclaration', { declarationId: decl, hours: 90, participants, recruitments, reason: 'Heures déclarées deux fois' }, insertionDay + 35);
        }
      }
      insertionDay += 30;
    }
    if (!suspended && rnd() < 0.003) {
      suspended = true;
      yield c('operation.SuspendOperation', { operationId: id, suspendedOn: isoDay(d), reason: 'Arrêt de chantier' }, d);
      d += 30 + Math.floor(rnd() * 60);
      yield c('operation.ResumeOperation', { operationId: id, resumedOn: isoDay(d) }, d);
      continue;
    }
    if (!inLivraisons && delivered > 0) {
      inLivraisons = true;
      yield c('operation.StartPhase', { operationId: id, phase: 'livraisons', startedOn: isoDay(d) }, d);
    }
    const n = Math.min(planned - delivered, 1 + Math.floor(rnd() * 4));
    const deliveryId = `${id}-liv-${++nd}`;
    const en = energies(rnd);
    yield c('operation.RecordLogementsDelivery', { operationId: id, deliveryId, deliveredOn: isoDay(d), logements: n, ...en }, d);
    delivered += n;
    if (n > 1 && rnd() < 0.02) {
      yield c('operation.CorrectLogementsDelivery', { operationId: id, deliveryId, deliveredOn: isoDay(d), logements: n - 1, ...en, reason: 'Double comptage' }, d + 3);
      delivered -= 1;
    }
    if (nd % 6 === 0) for (const g of grants) yield* pay(g, 0.1, d + 2);
  }
  d += 30 + Math.floor(rnd() * 60);
  yield c('operation.StartPhase', { operationId: id, phase: 'terminee', startedOn: isoDay(d) }, d);
  for (const g of grants) {
    if (rnd() < 0.03) yield c('funding.AmendGrant', { grantId: g.grantId, amountCents: g.amountCents + 1_000_000, amendedOn: isoDay(d + 10), reason: 'Avenant' }, d + 10, `financer:${g.financer}`);
    yield* pay(g, 1, d + 40);
  }
}

/** The life of an urban operation (public spaces of a cité, led by the EPCI). */
function* urbanOperation(i: number, p: number, cite: Cite, rnd: () => number): Generator<BenchCommand> {
  const id = `bench-urb-${i}`;
  const org = `epci:${cite.epciCode}`;
  const at = clock(rnd);
  let seq = 0;
  const c = (type: string, data: Record<string, unknown>, d: number, organisation = org): BenchCommand => ({ commandId: `${id}-${++seq}`, type, data, organisation, knownAt: at(d) });
  yield c('operation.ProgrammeUrbanOperation', {
    operationId: id, citeId: cite.citeId, leadKind: 'epci', leadName: cite.epciCode, title: `Espaces publics ${cite.name} – ${i}`, axisCode: '1a', programmedOn: isoDay(p), plannedDates: { travaux: isoDay(p + 500) },
  }, p);
  const grants: Grant[] = [];
  for (const [k, financer] of [[0, 'ETAT'], [1, 'REGION_HDF']] as const) {
    const d = p + 40 + k * 20;
    const g: Grant = { grantId: `${id}-g${k}`, financer, amountCents: 50_000_000 + Math.floor(rnd() * 100_000_000), paidCents: 0, decidedDay: d };
    grants.push(g);
    yield c('funding.DecideGrant', {
      grantId: g.grantId, financerCode: financer, operationId: id, beneficiary: { kind: 'epci', code: cite.epciCode, name: cite.epciCode }, dispositif: 'fonds-conjoint-etat-region',
      axisCode: '1a', amountCents: g.amountCents, conventionDate: isoDay(d), decisionRef: null,
    }, d, `financer:${financer}`);
  }
  let d = p + 90;
  for (const [phase, gap] of [['etudes', 60], ['avp', 120], ['autorisation', 120], ['travaux', 100]] as const) {
    d += gap + Math.floor(rnd() * 40);
    yield c('operation.StartPhase', { operationId: id, phase, startedOn: isoDay(d) }, d);
  }
  for (let m = 0; m < 18; m++) {
    const decl = `${id}-ins-${m + 1}`;
    const { participants, recruitments } = people(rnd);
    yield c('insertion.DeclareInsertionHours', {
      declarationId: decl, operationId: id, epciCode: cite.epciCode, marcheRef: `${id}-M1`, periodStart: isoDay(d + m * 30), periodEnd: isoDay(d + m * 30 + 29),
      hours: 100 + Math.floor(rnd() * 400), participants, recruitments,
    }, d + m * 30 + 30);
    if (m % 3 === 2) for (const g of grants) yield c('funding.RecordGrantPayment', { grantId: g.grantId, paymentId: `${g.grantId}-v${m}`, paidOn: isoDay(d + m * 30 + 31), amountCents: Math.floor(g.amountCents / 8) }, d + m * 30 + 31, `financer:${g.financer}`);
  }
  d += 18 * 30 + 30;
  yield c('operation.StartPhase', { operationId: id, phase: 'terminee', startedOn: isoDay(d) }, d);
}

/** Binary min-heap on `less`. */
class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}
  get size(): number {
    return this.items.length;
  }
  peek(): T {
    return this.items[0];
  }
  push(x: T): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(a[i], a[parent])) break;
      [a[i], a[parent]] = [a[parent], a[i]];
      i = parent;
    }
  }
  pop(): T {
    const a = this.items;
    const top = a[0];
    const lastItem = a.pop() as T;
    if (a.length > 0) {
      a[0] = lastItem;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l], a[m])) m = l;
        if (r < a.length && this.less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}
