#!/usr/bin/env node
// Validates data/erbm/erbm-2017-2022.jsonl against the rules of docs/import-format.md, computes the end-2022
// figures exactly as the backend defines them, and compares them with published-figures.json.
// Usage: node data/erbm/check.mjs [file.jsonl]   — plain Node 20, no dependencies. Exit 1 on any violation/mismatch.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const FILE = process.argv[2] ?? join(HERE, 'erbm-2017-2022.jsonl');
const PUB = join(HERE, 'published-figures.json');
const AS_OF = '2022-12-31';
const KNOWN_CAP = '2023-01-31T23:59:59.999Z';

const errors = [];
const warnings = [];
let LN = 0;
const err = (msg) => errors.push(`line ${LN}: ${msg}`);
const warn = (msg) => warnings.push(`line ${LN}: ${msg}`);

// ───────────────────────────────────────────── format helpers
const RE_CMDID = /^[A-Za-z0-9._:-]{1,120}$/;
const RE_ID = /^[a-z0-9][a-z0-9-]{0,79}$/;
const RE_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;
const RE_DATE = /^\d{4}-\d{2}-\d{2}$/;
const RE_DT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const isDate = (s) => typeof s === 'string' && RE_DATE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
const isInt = (n, min = 0) => Number.isInteger(n) && n >= min;
const isStr = (s) => typeof s === 'string' && s.trim().length > 0;
const isObj = (o) => o !== null && typeof o === 'object' && !Array.isArray(o);

const EPCI_CODES = ['CABBALR', 'CALL', 'CAHC', 'CAD', 'CCCO', 'CAPH', 'CAVM', 'CCOM'];
const FIN_CATEGORIES = ['etat', 'region', 'departement', 'epci', 'agence', 'union-europeenne', 'bailleur', 'autre'];
const LOT_TYPES = ['PALULOS', 'PLUS', 'PLAI', 'PLS', 'FONDS_PROPRES', 'AUTRE'];
const FINANCING = ['erbm', 'fonds-propres'];
const LEAD_KINDS = ['commune', 'epci'];
const BENE_KINDS = ['bailleur', 'commune', 'epci', 'autre'];
const DISPOSITIFS = ['aides-a-la-pierre', 'fonds-conjoint-etat-region', 'npnru', 'pts-nord', 'agence-eau-reseaux', 'fonds-friches', 'plan-de-relance', 'feder', 'droit-commun', 'autre'];
const PUBLICS = ['deld', 'rsa', 'jeunes', 'rqth', 'autres'];
const LOG_PHASES = ['programmation', 'etudes', 'avp', 'autorisation', 'travaux', 'livraisons', 'terminee'];
const URB_PHASES = ['programmation', 'etudes', 'avp', 'autorisation', 'travaux', 'terminee'];
const DPE = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
const dpeOf = (ep) => (ep <= 70 ? 'A' : ep <= 110 ? 'B' : ep <= 180 ? 'C' : ep <= 250 ? 'D' : ep <= 330 ? 'E' : ep <= 420 ? 'F' : 'G');

function checkEnergy(e, what) {
  if (!isObj(e)) return err(`${what}: object expected`);
  if (!isInt(e.primaryEnergyKwhPerM2Year, 1)) err(`${what}.primaryEnergyKwhPerM2Year: positive integer expected`);
  if (!DPE.includes(e.dpeClass)) err(`${what}.dpeClass: A–G expected`);
  if (e.dpeScale !== '2021') err(`${what}.dpeScale: "2021" expected`);
  if (isInt(e.primaryEnergyKwhPerM2Year, 1) && DPE.includes(e.dpeClass)) {
    const c = dpeOf(e.primaryEnergyKwhPerM2Year);
    if (e.dpeClass < c) err(`${what}: class ${e.dpeClass} better than the primary-energy class ${c} (${e.primaryEnergyKwhPerM2Year} kWhEP/m².an)`);
    else if (e.dpeClass > c) warn(`${what}: class ${e.dpeClass} worse than primary-energy class ${c} (only possible through GHG)`);
  }
}
function checkPublics(p, what) {
  if (!isObj(p)) return err(`${what}: object expected`);
  const keys = Object.keys(p).sort().join(',');
  if (keys !== [...PUBLICS].sort().join(',')) err(`${what}: keys must be exactly ${PUBLICS.join(', ')}`);
  for (const k of PUBLICS) if (!isInt(p[k])) err(`${what}.${k}: non-negative integer expected`);
}
function insertionFigures(d) {
  for (const k of PUBLICS) if (d.recruitments?.[k] > d.participants?.[k]) err(`recruitments.${k} ${d.recruitments[k]} > participants.${k} ${d.participants[k]}`);
  if (d.hours > 0 && PUBLICS.every((k) => (d.participants?.[k] ?? 0) === 0)) err(`${d.hours} hours declared without any participant`);
}
function notBeforeLastStatus(op, date, field) {
  if (isDate(date) && op.lastStatusDate && date < op.lastStatusDate) err(`${field} ${date} before the operation's previous step (${op.lastStatusDate})`);
}
const sumPublics = (p) => PUBLICS.reduce((a, k) => a + (p?.[k] ?? 0), 0);

// ───────────────────────────────────────────── state
let programme = null;
let lastTargetVersion = 0;
let lastTargetEffective = null;
const axisSets = new Map();
const axisCodes = new Set();
const epcis = new Map();
const financers = new Map();
const bailleurs = new Set();
const cites = new Map();
const ops = new Map();
const grants = new Map();
const paymentIds = new Set();
const deliveryIds = new Set();
const decls = new Map();
const commandIds = new Set();
let prevKnown = '';
let nonMonotonic = 0;

function actorCheck(org, allowed) {
  // allowed: list of exact strings or prefixes like 'bailleur:' meaning any registered
  if (!allowed.includes(org)) err(`actor ${org} not allowed here (expected ${allowed.join(' | ')})`);
}
function orgRegistered(org) {
  if (org === 'delegation') return true;
  const m = /^(epci|financer|bailleur):([A-Z][A-Z0-9_]{1,39})$/.exec(org);
  if (!m) return false;
  return m[1] === 'epci' ? epcis.has(m[2]) : m[1] === 'financer' ? financers.has(m[2]) : bailleurs.has(m[2]);
}
const opOwner = (op) => (op.kind === 'logements' ? [`bailleur:${op.bailleur}`, 'delegation'] : [`epci:${op.epci}`, 'delegation']);
const curPhase = (op) => op.phases[op.phases.length - 1];

function getOp(id, { kind } = {}) {
  const op = ops.get(id);
  if (!op) { err(`operation ${id} does not exist (yet)`); return null; }
  if (kind && op.kind !== kind) { err(`operation ${id} is not a ${kind} operation`); return null; }
  return op;
}
function businessDateCheck(knownAt, bd, what) {
  if (!isDate(bd)) return;
  if (bd > AS_OF) err(`${what} ${bd} is after ${AS_OF}`);
  if (knownAt && knownAt.slice(0, 10) < bd) err(`knownAt ${knownAt} before business date ${what} ${bd}`);
}

// ───────────────────────────────────────────── apply one command
function apply(c) {
  const d = c.data;
  const org = c.actor.organisation;
  const K = c.knownAt;
  switch (c.type) {
    case 'programme.LaunchProgramme': {
      actorCheck(org, ['delegation']);
      if (programme) err('programme already launched');
      if (!RE_ID.test(d.programmeId ?? '')) err('programmeId: kebab id expected');
      if (!isStr(d.name)) err('name required');
      if (!isDate(d.signedOn)) err('signedOn: date expected');
      if (!isInt(d.startYear, 1900) || !isInt(d.endYear, 1900) || d.endYear < d.startYear) err('startYear/endYear invalid');
      businessDateCheck(K, d.signedOn, 'signedOn');
      programme = d.programmeId;
      break;
    }
    case 'programme.SetTarget': {
      actorCheck(org, ['delegation']);
      if (d.programmeId !== programme) err('programmeId unknown');
      if (d.targetVersion !== lastTargetVersion + 1) err(`targetVersion must be ${lastTargetVersion + 1}`);
      lastTargetVersion = d.targetVersion;
      if (isDate(d.targetDate) && isDate(d.effectiveFrom) && d.targetDate < d.effectiveFrom) err('targetDate before effectiveFrom');
      if (lastTargetEffective && d.effectiveFrom < lastTargetEffective) err('effectiveFrom before the previous target\'s');
      lastTargetEffective = d.effectiveFrom;
      if (!isInt(d.logements, 1)) err('logements: positive integer expected');
      if (!isInt(d.energyGoalKwhPerM2Year, 1)) err('energyGoalKwhPerM2Year: positive integer expected');
      if (!isDate(d.targetDate) || !isDate(d.effectiveFrom)) err('targetDate/effectiveFrom: dates expected');
      if (!isStr(d.source)) err('source required');
      break;
    }
    case 'programme.PublishAxisSet': {
      actorCheck(org, ['delegation']);
      if (d.programmeId !== programme) err('programmeId unknown');
      if (!isStr(d.axisSetVersion) || axisSets.has(d.axisSetVersion)) err('axisSetVersion missing or duplicate');
      if (!isDate(d.effectiveFrom)) err('effectiveFrom: date expected');
      if (!Array.isArray(d.axes) || d.axes.length === 0) { err('axes: non-empty array expected'); break; }
      const codes = new Set();
      for (const a of d.axes) {
        if (!isStr(a.code) || codes.has(a.code)) err(`axis code ${a.code} missing or duplicate`);
        if (!isStr(a.label)) err(`axis ${a.code}: label required`);
        if (a.parentCode !== null && !codes.has(a.parentCode)) err(`axis ${a.code}: parentCode ${a.parentCode} unknown (parents must come first)`);
        codes.add(a.code);
      }
      if (d.axes.filter((a) => a.parentCode === null).length !== 4) warn('expected 4 top-level axes');
      axisSets.set(d.axisSetVersion, codes);
      for (const x of codes) axisCodes.add(x);
      if (!isStr(d.source)) err('source required');
      break;
    }
    case 'programme.RegisterEpci': {
      actorCheck(org, ['delegation']);
      if (!EPCI_CODES.includes(d.epciCode)) err(`epciCode ${d.epciCode} not one of the 8 EPCI`);
      if (epcis.has(d.epciCode)) err(`EPCI ${d.epciCode} already registered`);
      if (!isStr(d.name)) err('name required');
      if (!(d.communes === null || isInt(d.communes, 1))) err('communes: integer or null');
      epcis.set(d.epciCode, d);
      break;
    }
    case 'programme.RegisterFinancer': {
      actorCheck(org, ['delegation']);
      if (!RE_CODE.test(d.financerCode ?? '')) err('financerCode: UPPER_SNAKE code expected');
      if (financers.has(d.financerCode)) err(`financer ${d.financerCode} already registered`);
      if (!isStr(d.name)) err('name required');
      if (!FIN_CATEGORIES.includes(d.category)) err(`category ${d.category} invalid`);
      if (d.category === 'epci') { if (!epcis.has(d.epciCode)) err(`epciCode ${d.epciCode} unknown`); }
      else if (d.epciCode !== null) err('epciCode must be null unless category is epci');
      financers.set(d.financerCode, d);
      break;
    }
    case 'programme.RegisterBailleur': {
      actorCheck(org, ['delegation']);
      if (!RE_CODE.test(d.bailleurCode ?? '')) err('bailleurCode: UPPER_SNAKE code expected');
      if (bailleurs.has(d.bailleurCode)) err(`bailleur ${d.bailleurCode} already registered`);
      if (!isStr(d.name)) err('name required');
      bailleurs.add(d.bailleurCode);
      break;
    }
    case 'programme.RegisterCite': {
      actorCheck(org, ['delegation']);
      if (!RE_ID.test(d.citeId ?? '')) err('citeId: kebab id expected');
      if (cites.has(d.citeId)) err(`cité ${d.citeId} already registered`);
      if (!isStr(d.name)) err('name required');
      if (!Array.isArray(d.communes) || d.communes.length < 1 || !d.communes.every(isStr)) err('communes: non-empty string[] expected');
      if (!epcis.has(d.epciCode)) err(`epciCode ${d.epciCode} unknown`);
      if (d.bailleurCode !== null && !bailleurs.has(d.bailleurCode)) err(`bailleurCode ${d.bailleurCode} unknown`);
      if (!(d.logements === null || isInt(d.logements))) err('logements: integer or null');
      if (typeof d.unesco !== 'boolean' || typeof d.priority !== 'boolean') err('unesco/priority: booleans expected');
      cites.set(d.citeId, { ...d, knownOn: K?.slice(0, 10) });
      break;
    }
    case 'operation.ProgrammeLogementsOperation':
    case 'operation.ProgrammeUrbanOperation': {
      const kind = c.type.endsWith('LogementsOperation') ? 'logements' : 'urbaine';
      if (!RE_ID.test(d.operationId ?? '')) err('operationId: kebab id expected');
      if (ops.has(d.operationId)) { err(`operation ${d.operationId} already exists`); break; }
      const cite = cites.get(d.citeId);
      if (!cite) { err(`cité ${d.citeId} does not exist (yet)`); break; }
      if (!isStr(d.title)) err('title required');
      if (!axisCodes.has(d.axisCode)) err(`axisCode ${d.axisCode} not in a published axis set`);
      if (!isDate(d.programmedOn)) err('programmedOn: date expected');
      businessDateCheck(K, d.programmedOn, 'programmedOn');
      const allowedPlanned = kind === 'logements' ? LOG_PHASES.slice(1) : URB_PHASES.slice(1);
      if (!isObj(d.plannedDates)) err('plannedDates: object expected');
      else {
        let prev = d.programmedOn;
        for (const k of Object.keys(d.plannedDates)) if (!allowedPlanned.includes(k)) err(`plannedDates.${k}: not a phase of a ${kind} operation`);
        for (const p of allowedPlanned) {
          const v = d.plannedDates[p];
          if (v === undefined) continue;
          if (!isDate(v)) { err(`plannedDates.${p}: date expected`); continue; }
          if (v < prev) err(`plannedDates.${p} ${v} before previous planned phase / programmedOn ${prev}`);
          prev = v;
        }
      }
      const op = { id: d.operationId, kind, citeId: d.citeId, epci: cite.epciCode, programmedOn: d.programmedOn, lastStatusDate: d.programmedOn, plannedDates: { ...(d.plannedDates ?? {}) }, phases: [{ phase: 'programmation', startedOn: d.programmedOn }], suspended: null, suspensions: [], abandonedOn: null, deliveries: new Map(), delivered: 0, amendments: [] };
      if (kind === 'logements') {
        if (!bailleurs.has(d.bailleurCode)) err(`bailleurCode ${d.bailleurCode} unknown`);
        actorCheck(org, [`bailleur:${d.bailleurCode}`, 'delegation']);
        if (!isInt(d.plannedLogements, 1)) err('plannedLogements: integer > 0 expected');
        if (!FINANCING.includes(d.financing)) err(`financing ${d.financing} invalid`);
        if (!Array.isArray(d.lots) || d.lots.length === 0) err('lots: non-empty array expected');
        else {
          let s = 0;
          for (const l of d.lots) {
            if (!LOT_TYPES.includes(l.lotType)) err(`lotType ${l.lotType} invalid`);
            if (!isInt(l.logements, 1)) err('lot logements: integer > 0 expected');
            s += l.logements;
          }
          if (s !== d.plannedLogements) err(`lots sum ${s} ≠ plannedLogements ${d.plannedLogements}`);
        }
        Object.assign(op, { bailleur: d.bailleurCode, planned: d.plannedLogements, financing: d.financing });
      } else {
        actorCheck(org, [`epci:${cite.epciCode}`, 'delegation']);
        if (!LEAD_KINDS.includes(d.leadKind)) err(`leadKind ${d.leadKind} invalid`);
        if (!isStr(d.leadName)) err('leadName required');
      }
      ops.set(d.operationId, op);
      break;
    }
    case 'operation.StartPhase': {
      const op = getOp(d.operationId); if (!op) break;
      actorCheck(org, opOwner(op));
      if (op.abandonedOn) err('operation abandoned');
      if (op.suspended) err('operation suspended');
      const seq = op.kind === 'logements' ? LOG_PHASES : URB_PHASES;
      const cur = curPhase(op);
      const i = seq.indexOf(cur.phase), j = seq.indexOf(d.phase);
      if (j < 0) { err(`phase ${d.phase} not valid for a ${op.kind} operation`); break; }
      const ok = j === i + 1 || (op.kind === 'logements' && cur.phase === 'travaux' && d.phase === 'terminee');
      if (!ok) err(`phase ${d.phase} cannot follow ${cur.phase}`);
      if (!isDate(d.startedOn)) err('startedOn: date expected');
      else if (d.startedOn < cur.startedOn) err(`startedOn ${d.startedOn} before start of ${cur.phase} (${cur.startedOn})`);
      businessDateCheck(K, d.startedOn, 'startedOn');
      notBeforeLastStatus(op, d.startedOn, 'startedOn');
      if (d.phase === 'terminee' && op.kind === 'logements') {
        if (op.delivered !== op.planned) err(`terminee with ${op.delivered} delivered ≠ ${op.planned} planned`);
        const lastDel = [...op.deliveries.values()].map((x) => x.deliveredOn).sort().pop();
        if (lastDel && d.startedOn < lastDel) err(`terminee ${d.startedOn} before the last delivery ${lastDel}`);
      }
      op.phases.push({ phase: d.phase, startedOn: d.startedOn });
      op.lastStatusDate = d.startedOn;
      break;
    }
    case 'operation.RevisePhasePlan': {
      const op = getOp(d.operationId); if (!op) break;
      actorCheck(org, opOwner(op));
      const seq = op.kind === 'logements' ? LOG_PHASES : URB_PHASES;
      if (!seq.slice(1).includes(d.phase)) err(`phase ${d.phase} invalid`);
      if (!isDate(d.plannedOn)) err('plannedOn: date expected');
      if (!isStr(d.reason)) err('reason required');
      if (op.abandonedOn) err('operation abandoned');
      if (seq.indexOf(d.phase) <= seq.indexOf(curPhase(op).phase)) err(`revising ${d.phase}, already started`);
      if (op.plannedDates[d.phase] === d.plannedOn) err('plannedOn unchanged');
      op.plannedDates[d.phase] = d.plannedOn;
      break;
    }
    case 'operation.SuspendOperation': {
      const op = getOp(d.operationId); if (!op) break;
      actorCheck(org, opOwner(op));
      if (op.suspended || op.abandonedOn || curPhase(op).phase === 'terminee') err('cannot suspend (already suspended, abandoned or terminee)');
      if (!isDate(d.suspendedOn) || d.suspendedOn < curPhase(op).startedOn) err('suspendedOn invalid or before current phase start');
      if (!isStr(d.reason)) err('reason required');
      businessDateCheck(K, d.suspendedOn, 'suspendedOn');
      notBeforeLastStatus(op, d.suspendedOn, 'suspendedOn');
      op.lastStatusDate = d.suspendedOn;
      op.suspended = d.suspendedOn;
      op.suspensions.push({ from: d.suspendedOn, to: null });
      break;
    }
    case 'operation.ResumeOperation': {
      const op = getOp(d.operationId); if (!op) break;
      actorCheck(org, opOwner(op));
      if (!op.suspended) { err('operation not suspended'); break; }
      if (!isDate(d.resumedOn) || d.resumedOn < op.suspended) err('resumedOn invalid or before suspendedOn');
      businessDateCheck(K, d.resumedOn, 'resumedOn');
      notBeforeLastStatus(op, d.resumedOn, 'resumedOn');
      op.lastStatusDate = d.resumedOn;
      op.suspensions[op.suspensions.length - 1].to = d.resumedOn;
      op.suspended = null;
      break;
    }
    case 'operation.AbandonOperation': {
      const op = getOp(d.operationId); if (!op) break;
      actorCheck(org, opOwner(op));
      if (op.abandonedOn || curPhase(op).phase === 'terminee') err('cannot abandon (abandoned or terminee)');
      if (!isDate(d.abandonedOn) || d.abandonedOn < curPhase(op).startedOn) err('abandonedOn invalid or before current phase start');
      if (!isStr(d.reason)) err('reason required');
      businessDateCheck(K, d.abandonedOn, 'abandonedOn');
      notBeforeLastStatus(op, d.abandonedOn, 'abandonedOn');
      op.abandonedOn = d.abandonedOn;
      break;
    }
    case 'operation.RecordLogementsDelivery':
    case 'operation.CorrectLogementsDelivery': {
      const op = getOp(d.operationId, { kind: 'logements' }); if (!op) break;
      actorCheck(org, [`bailleur:${op.bailleur}`]);
      const correcting = c.type.endsWith('Correct' + 'LogementsDelivery') || c.type === 'operation.CorrectLogementsDelivery';
      const travaux = op.phases.find((p) => p.phase === 'travaux');
      if (!isInt(d.logements, 1)) err('logements: integer > 0 expected');
      if (!isDate(d.deliveredOn)) err('deliveredOn: date expected');
      else if (!travaux) err('no travaux phase started');
      else if (d.deliveredOn < travaux.startedOn) err(`deliveredOn ${d.deliveredOn} before travaux start ${travaux.startedOn}`);
      for (const s of op.suspensions) if (isDate(d.deliveredOn) && d.deliveredOn >= s.from && (s.to === null || d.deliveredOn < s.to)) err(`deliveredOn ${d.deliveredOn} inside a suspension`);
      checkEnergy(d.energyBefore, 'energyBefore');
      checkEnergy(d.energyAfter, 'energyAfter');
      if (!correcting) {
        if (!RE_ID.test(d.deliveryId ?? '')) err('deliveryId: kebab id expected');
        if (deliveryIds.has(d.deliveryId)) err(`deliveryId ${d.deliveryId} duplicate`);
        if (op.abandonedOn) err('operation abandoned');
        if (op.suspended) err('operation suspended');
        const ph = curPhase(op).phase;
        if (ph !== 'travaux' && ph !== 'livraisons') err(`delivery in phase ${ph} (only travaux/livraisons)`);
        businessDateCheck(K, d.deliveredOn, 'deliveredOn');
        deliveryIds.add(d.deliveryId);
        op.deliveries.set(d.deliveryId, { ...d });
        op.delivered += d.logements;
      } else {
        const prev = op.deliveries.get(d.deliveryId);
        if (!prev) { err(`delivery ${d.deliveryId} not found on ${op.id}`); break; }
        if (!isStr(d.reason)) err('reason required');
        if (K && K.slice(0, 10) < prev.deliveredOn) err('correction known before the delivery');
        if (prev.deliveredOn === d.deliveredOn && prev.logements === d.logements && JSON.stringify(prev.energyBefore) === JSON.stringify(d.energyBefore) && JSON.stringify(prev.energyAfter) === JSON.stringify(d.energyAfter)) err('correction changes nothing');
        op.delivered += d.logements - prev.logements;
        op.deliveries.set(d.deliveryId, { ...d });
        if (curPhase(op).phase === 'terminee' && op.delivered !== op.planned) err('correction breaks delivered = planned of a terminee operation');
      }
      if (op.delivered > op.planned) err(`cumulated deliveries ${op.delivered} > planned ${op.planned}`);
      break;
    }
    case 'operation.AmendPlannedLogements': {
      const op = getOp(d.operationId, { kind: 'logements' }); if (!op) break;
      actorCheck(org, [`bailleur:${op.bailleur}`, 'delegation']);
      if (!isInt(d.plannedLogements, 1)) err('plannedLogements: integer > 0 expected');
      if (d.plannedLogements < op.delivered) err(`plannedLogements ${d.plannedLogements} < already delivered ${op.delivered}`);
      if (!isDate(d.amendedOn)) err('amendedOn: date expected');
      if (!isStr(d.reason)) err('reason required');
      if (op.abandonedOn || op.suspended || curPhase(op).phase === 'terminee') err('operation not in progress (abandoned, suspended or terminee)');
      if (d.plannedLogements === op.planned) err('plannedLogements unchanged');
      businessDateCheck(K, d.amendedOn, 'amendedOn');
      op.amendments.push({ on: d.amendedOn, planned: d.plannedLogements, before: op.planned });
      op.planned = d.plannedLogements;
      break;
    }
    case 'funding.DecideGrant': {
      if (!RE_ID.test(d.grantId ?? '')) err('grantId: kebab id expected');
      if (grants.has(d.grantId)) { err(`grant ${d.grantId} duplicate`); break; }
      const fin = financers.get(d.financerCode);
      if (!fin) err(`financer ${d.financerCode} unknown`);
      actorCheck(org, [`financer:${d.financerCode}`, 'delegation']);
      const op = getOp(d.operationId);
      if (!isObj(d.beneficiary) || !BENE_KINDS.includes(d.beneficiary.kind) || !(d.beneficiary.code === null || isStr(d.beneficiary.code)) || !isStr(d.beneficiary.name)) err('beneficiary invalid');
      if (!DISPOSITIFS.includes(d.dispositif)) err(`dispositif ${d.dispositif} invalid`);
      if (!axisCodes.has(d.axisCode)) err(`axisCode ${d.axisCode} unknown`);
      if (!isInt(d.amountCents, 1)) err('amountCents: integer > 0 expected');
      if (!isDate(d.conventionDate)) err('conventionDate: date expected');
      if (!(d.decisionRef === null || isStr(d.decisionRef))) err('decisionRef: string or null');
      businessDateCheck(K, d.conventionDate, 'conventionDate');
      if (op && isDate(d.conventionDate) && d.conventionDate < op.programmedOn) err(`conventionDate ${d.conventionDate} before the operation was programmed (${op.programmedOn})`);
      grants.set(d.grantId, { ...d, category: fin?.category, opKind: op?.kind, amount: d.amountCents, paid: 0, cancelledOn: null });
      break;
    }
    case 'funding.AmendGrant': {
      const g = grants.get(d.grantId); if (!g) { err(`grant ${d.grantId} unknown`); break; }
      actorCheck(org, [`financer:${g.financerCode}`, 'delegation']);
      if (g.cancelledOn) err('grant cancelled');
      if (!isInt(d.amountCents, 1)) err('amountCents: integer > 0 expected');
      if (d.amountCents < g.paid) err(`amended amount ${d.amountCents} < already paid ${g.paid}`);
      if (d.amountCents === g.amount) err('amendment does not change the amount');
      if (!isDate(d.amendedOn) || d.amendedOn < g.conventionDate) err('amendedOn invalid or before conventionDate');
      if (!isStr(d.reason)) err('reason required');
      businessDateCheck(K, d.amendedOn, 'amendedOn');
      g.amount = d.amountCents;
      break;
    }
    case 'funding.RecordGrantPayment': {
      const g = grants.get(d.grantId); if (!g) { err(`grant ${d.grantId} unknown`); break; }
      actorCheck(org, [`financer:${g.financerCode}`, 'delegation']);
      if (g.cancelledOn) err('grant cancelled');
      if (!RE_ID.test(d.paymentId ?? '') || paymentIds.has(d.paymentId)) err('paymentId invalid or duplicate');
      paymentIds.add(d.paymentId);
      if (!isDate(d.paidOn) || d.paidOn < g.conventionDate) err(`paidOn ${d.paidOn} invalid or before conventionDate ${g.conventionDate}`);
      if (!isInt(d.amountCents, 1)) err('amountCents: integer > 0 expected');
      businessDateCheck(K, d.paidOn, 'paidOn');
      g.paid += d.amountCents;
      if (g.paid > g.amount) err(`total paid ${g.paid} > grant amount ${g.amount}`);
      break;
    }
    case 'funding.CancelGrant': {
      const g = grants.get(d.grantId); if (!g) { err(`grant ${d.grantId} unknown`); break; }
      actorCheck(org, [`financer:${g.financerCode}`, 'delegation']);
      if (g.cancelledOn) err('grant already cancelled');
      if (!isDate(d.cancelledOn) || d.cancelledOn < g.conventionDate) err('cancelledOn invalid or before conventionDate');
      if (!isStr(d.reason)) err('reason required');
      businessDateCheck(K, d.cancelledOn, 'cancelledOn');
      g.cancelledOn = d.cancelledOn;
      break;
    }
    case 'insertion.DeclareInsertionHours': {
      if (!RE_ID.test(d.declarationId ?? '')) err('declarationId: kebab id expected');
      if (decls.has(d.declarationId)) { err(`declaration ${d.declarationId} duplicate`); break; }
      let op = null;
      if (d.operationId !== null) op = getOp(d.operationId);
      if (!epcis.has(d.epciCode)) err(`epciCode ${d.epciCode} unknown`);
      if (op && op.epci !== d.epciCode) err(`epciCode ${d.epciCode} ≠ EPCI of the operation's cité (${op.epci})`);
      if (!(org === 'delegation' || /^(bailleur|epci):/.test(org))) err(`actor ${org}: bailleur, EPCI or delegation expected`);
      if (op && org.startsWith('bailleur:') && op.kind === 'logements' && org !== `bailleur:${op.bailleur}`) err('declaring bailleur is not the operation\'s bailleur');
      if (!isStr(d.marcheRef)) err('marcheRef required');
      if (!isDate(d.periodStart) || !isDate(d.periodEnd) || d.periodEnd < d.periodStart) err('period invalid');
      if (!isInt(d.hours)) err('hours: non-negative integer expected');
      checkPublics(d.participants, 'participants');
      checkPublics(d.recruitments, 'recruitments');
      insertionFigures(d);
      if (isDate(d.periodStart) && isDate(d.periodEnd) && (Date.parse(d.periodEnd) - Date.parse(d.periodStart)) / 86400000 + 1 > 366) err('period longer than 366 days');
      businessDateCheck(K, d.periodEnd, 'periodEnd');
      decls.set(d.declarationId, { ...d, opKind: op?.kind ?? null });
      break;
    }
    case 'insertion.CorrectInsertionDeclaration': {
      const x = decls.get(d.declarationId); if (!x) { err(`declaration ${d.declarationId} unknown`); break; }
      if (!isInt(d.hours)) err('hours: non-negative integer expected');
      checkPublics(d.participants, 'participants');
      checkPublics(d.recruitments, 'recruitments');
      if (!isStr(d.reason)) err('reason required');
      insertionFigures(d);
      if (x.hours === d.hours && PUBLICS.every((k) => x.participants[k] === d.participants?.[k] && x.recruitments[k] === d.recruitments?.[k])) err('correction changes nothing');
      Object.assign(x, { hours: d.hours, participants: d.participants, recruitments: d.recruitments });
      break;
    }
    default:
      err(`unknown command type ${c.type}`);
  }
}

// ───────────────────────────────────────────── read + validate envelope
const text = readFileSync(FILE, 'utf8');
const lines = text.split('\n');
if (lines[lines.length - 1] === '') lines.pop();
const typeCounts = {};
for (const raw of lines) {
  LN++;
  let c;
  try { c = JSON.parse(raw); } catch (e) { err(`invalid JSON: ${e.message}`); continue; }
  const keys = Object.keys(c).sort().join(',');
  if (keys !== 'actor,commandId,data,estimated,knownAt,source,type') err(`top-level fields must be exactly commandId,type,actor,knownAt,source,estimated,data (got ${keys})`);
  if (!RE_CMDID.test(c.commandId ?? '')) err('commandId format');
  if (!/^erbm-rec-\d{6}$/.test(c.commandId ?? '')) err('commandId must be erbm-rec-NNNNNN');
  if (commandIds.has(c.commandId)) err(`duplicate commandId ${c.commandId}`);
  commandIds.add(c.commandId);
  if (!isObj(c.actor) || !isStr(c.actor.organisation) || !isStr(c.actor.user)) { err('actor.organisation and actor.user required'); continue; }
  if (!/^(delegation|(epci|financer|bailleur):[A-Z][A-Z0-9_]{1,39})$/.test(c.actor.organisation)) err(`actor.organisation ${c.actor.organisation} malformed`);
  else if (!orgRegistered(c.actor.organisation)) err(`actor ${c.actor.organisation} not registered (yet)`);
  if (!RE_DT.test(c.knownAt ?? '') || Number.isNaN(Date.parse(c.knownAt))) err('knownAt: ISO date-time expected');
  else {
    if (c.knownAt > KNOWN_CAP) err(`knownAt ${c.knownAt} after 2023-01-31`);
    if (c.knownAt < '2017-03-07') err(`knownAt ${c.knownAt} before the signing`);
    if (c.knownAt < prevKnown) nonMonotonic++;
    prevKnown = c.knownAt;
  }
  if (!isStr(c.source)) err('source: non-empty string expected');
  if (typeof c.estimated !== 'boolean') err('estimated: boolean expected');
  if (c.estimated === false && /^estimation/i.test(c.source)) err('row sourced "estimation" marked estimated=false');
  if (!isObj(c.data)) { err('data: object expected'); continue; }
  typeCounts[c.type] = (typeCounts[c.type] ?? 0) + 1;
  apply(c);
}
LN = 0;

// ───────────────────────────────────────────── end-state consistency
for (const op of ops.values()) if (op.suspended) warnings.push(`operation ${op.id} still suspended at end of file`);

// ───────────────────────────────────────────── figures at a business date
// Each published figure (published-figures.json) has its own as-of date; the figures are computed at that date as
// the backend defines them (libs/read-models: bilan, report/published.ts).
const phaseAt = (op, date) => { let p = null; for (const x of op.phases) if (x.startedOn <= date) p = x.phase; return p; };
const suspendedAt = (op, date) => op.suspensions.some((s) => s.from <= date && (s.to === null || s.to > date));
const abandonedAt = (op, date) => op.abandonedOn !== null && op.abandonedOn <= date;
const plannedAt = (op, date) => { let p = op.amendments.length ? op.amendments[0].before : op.planned; for (const a of op.amendments) if (a.on <= date) p = a.planned; return p; };
const logOps = [...ops.values()].filter((o) => o.kind === 'logements');
const urbOps = [...ops.values()].filter((o) => o.kind === 'urbaine');
const targets = lines.map((l) => { try { return JSON.parse(l); } catch { return null; } }).filter((c) => c?.type === 'programme.SetTarget');
const PDC = new Set(['CABBALR', 'CALL', 'CAHC', 'CCOM']); // Pas-de-Calais EPCI

function figuresAt(AS) {
  const F = {};
  const t = targets.filter((c) => c.data.effectiveFrom <= AS && c.knownAt.slice(0, 10) <= AS);
  F['logements.target'] = t.length ? t.sort((a, b) => a.data.targetVersion - b.data.targetVersion).at(-1).data.logements : null;
  F['epci.count'] = [...epcis.keys()].length;
  const prio = [...cites.values()].filter((c) => c.priority && c.knownOn <= AS);
  F['cites.priority'] = prio.length;
  F['cites.priorityLogements'] = prio.reduce((a, c) => a + (c.logements ?? 0), 0);
  F['cites.priorityUnesco'] = prio.filter((c) => c.unesco).length;
  F['cites.priorityPasDeCalais'] = prio.filter((c) => PDC.has(c.epciCode)).length;
  let delivered = 0;
  for (const op of logOps) for (const dv of op.deliveries.values()) if (dv.deliveredOn <= AS) delivered += dv.logements;
  F['logements.delivered'] = delivered;
  const live = (o) => o.programmedOn <= AS && !suspendedAt(o, AS) && !abandonedAt(o, AS);
  const erbm = logOps.filter((o) => o.financing === 'erbm');
  F['operations.logements.terminees'] = erbm.filter((o) => live(o) && phaseAt(o, AS) === 'terminee').length;
  F['operations.logements.enTravaux'] = erbm.filter((o) => live(o) && ['travaux', 'livraisons'].includes(phaseAt(o, AS))).length;
  F['operations.logements.worksOrProgrammedLogements'] = erbm.filter((o) => o.programmedOn <= AS && !abandonedAt(o, AS) && phaseAt(o, AS) !== 'terminee').reduce((a, o) => a + plannedAt(o, AS), 0);
  F['operations.logements.programmedInYear'] = logOps.filter((o) => o.programmedOn <= AS && o.programmedOn.slice(0, 4) === AS.slice(0, 4)).length;
  F['operations.urbaines.terminees'] = urbOps.filter((o) => live(o) && phaseAt(o, AS) === 'terminee').length;
  F['operations.urbaines.enTravaux'] = urbOps.filter((o) => live(o) && phaseAt(o, AS) === 'travaux').length;
  let subsLog = 0, subsUrbER = 0, subsPts = 0, subsEau = 0;
  for (const g of grants.values()) {
    if (!(g.conventionDate <= AS && !(g.cancelledOn && g.cancelledOn <= AS))) continue;
    if (g.opKind === 'logements' && ['etat', 'region', 'epci'].includes(g.category)) subsLog += g.amount;
    if (g.opKind === 'urbaine' && ['etat', 'region'].includes(g.category) && g.conventionDate >= '2021-01-01') subsUrbER += g.amount;
    if (g.dispositif === 'pts-nord') subsPts += g.amount;
    if (g.dispositif === 'agence-eau-reseaux') subsEau += g.amount;
  }
  F['subsidies.logementsEur'] = subsLog / 100;
  F['subsidies.urbainesEtatRegion2021_2022Eur'] = subsUrbER / 100;
  F['subsidies.ptsNordEur'] = subsPts / 100;
  F['subsidies.agenceEauEur'] = subsEau / 100;
  let insLogH = 0, insLogR = 0, insLogRsa = 0, insH = 0, insDeld = 0;
  for (const x of decls.values()) {
    if (x.periodEnd > AS) continue;
    insH += x.hours;
    insDeld += x.participants.deld;
    if (x.opKind === 'logements') { insLogH += x.hours; insLogR += sumPublics(x.recruitments); insLogRsa += x.recruitments.rsa; }
  }
  F['insertion.logementsHours'] = insLogH;
  F['insertion.logementsRecruited'] = insLogR;
  F['insertion.logementsRsa'] = insLogRsa;
  F['insertion.programmeHours'] = insH;
  F['insertion.programmeParticipantsDeld'] = insDeld;
  return F;
}

// ───────────────────────────────────────────── compare with the published figures, each at its date
// Precisions (data/erbm/README.md): exact: v = X; « plus de X »: X < v ≤ 1.10 X; « près de X »: 0.95 X ≤ v ≤ X.
const PRECISIONS = ['exact', 'plus de', 'près de'];
function matches(precision, v, x) {
  if (typeof v !== 'number') return false;
  if (precision === 'exact') return v === x;
  if (precision === 'plus de') return v > x && v <= x * 1.1;
  if (precision === 'près de') return v >= x * 0.95 && v <= x;
  return false;
}
const pub = JSON.parse(readFileSync(PUB, 'utf8'));
const fmt = (n) => (typeof n === 'number' ? n.toLocaleString('fr-FR', { maximumFractionDigits: 2 }).replace(/\u202f|\u00a0/g, ' ') : String(n));
const mismatches = [];
const dates = [...new Set(pub.map((p) => p.asOf))].sort();
const byDate = Object.fromEntries(dates.map((d) => [d, figuresAt(d)]));
for (const p of pub) {
  for (const f of ['key', 'label', 'value', 'precision', 'asOf', 'document', 'quote']) if (p[f] === undefined || p[f] === '') errors.push(`published figure ${p.key ?? '?'}: field ${f} missing`);
  if (!PRECISIONS.includes(p.precision)) errors.push(`published figure ${p.key}: precision ${p.precision} not one of ${PRECISIONS.join(', ')}`);
  if (!isDate(p.asOf)) errors.push(`published figure ${p.key}: asOf ${p.asOf} not a date`);
}

console.log(`file: ${FILE}`);
console.log(`commands: ${lines.length}; knownAt non-monotonic steps: ${nonMonotonic}`);
console.log('by type:', Object.entries(typeCounts).map(([t, n]) => `${t}=${n}`).join(', '));
for (const d of dates) {
  console.log(`\nFigures at ${d} vs published:`);
  const table = [];
  for (const p of pub.filter((x) => x.asOf === d)) {
    const v = byDate[d][p.key];
    const ok = matches(p.precision, v, p.value);
    table.push([p.key, fmt(v), `${p.precision} ${fmt(p.value)}`, `${p.document}`, ok ? 'OK' : 'MISMATCH']);
    if (!ok) mismatches.push(`${p.key}@${d}`);
  }
  const w = [0, 1, 2, 3, 4].map((i) => Math.max(...table.map((r) => r[i].length)));
  for (const r of table) console.log('  ' + r.map((c, i) => c.padEnd(w[i])).join('  '));
}
{
  const AS = '2022-12-31';
  const byEpci = {}, byFinancing = {}, byYear = {}, byCiteKind = {};
  let delivered = 0;
  for (const op of logOps) for (const dv of op.deliveries.values()) if (dv.deliveredOn <= AS) {
    delivered += dv.logements;
    byEpci[op.epci] = (byEpci[op.epci] ?? 0) + dv.logements;
    byFinancing[op.financing] = (byFinancing[op.financing] ?? 0) + dv.logements;
    byYear[dv.deliveredOn.slice(0, 4)] = (byYear[dv.deliveredOn.slice(0, 4)] ?? 0) + dv.logements;
    const k = cites.get(op.citeId)?.priority ? 'cités prioritaires' : 'hors cités prioritaires';
    byCiteKind[k] = (byCiteKind[k] ?? 0) + dv.logements;
  }
  const insByKind = {}, insByYear = {};
  for (const x of decls.values()) { insByKind[x.opKind ?? 'hors-operation'] = (insByKind[x.opKind ?? 'hors-operation'] ?? 0) + x.hours; insByYear[x.periodEnd.slice(0, 4)] = (insByYear[x.periodEnd.slice(0, 4)] ?? 0) + x.hours; }
  console.log('\nDetails at 2022-12-31:');
  console.log('  logements.byEpci:', Object.entries(byEpci).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v} (${((100 * v) / delivered).toFixed(1)} %)`).join(', '));
  console.log('  logements delivered by financing:', JSON.stringify(byFinancing), ' by cité kind:', JSON.stringify(byCiteKind), ' by year:', JSON.stringify(byYear));
  console.log('  insertion hours by operation kind:', JSON.stringify(insByKind), ' by year:', JSON.stringify(insByYear));
  console.log(`  operations: ${logOps.length} logements (${logOps.filter((o) => o.financing === 'erbm').length} erbm), ${urbOps.length} urbaines; grants ${grants.size}; declarations ${decls.size}`);
}
if (warnings.length) { console.log(`\n${warnings.length} warning(s):`); for (const x of warnings.slice(0, 30)) console.log('  ' + x); }
if (errors.length) { console.log(`\n${errors.length} RULE VIOLATION(S):`); for (const x of errors.slice(0, 60)) console.log('  ' + x); }
if (mismatches.length) console.log(`\nMISMATCH with published figures: ${mismatches.join(', ')}`);
if (errors.length || mismatches.length) process.exit(1);
console.log(`\nAll rules pass; all ${pub.length} published figures reproduced at their dates (${dates.join(', ')}).`);
