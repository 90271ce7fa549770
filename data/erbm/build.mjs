#!/usr/bin/env node
// ERBM 2017–2022 reconstruction: writes data/erbm/erbm-2017-2022.jsonl (format: docs/import-format.md).
// Plain Node 20 ES module, no dependencies, deterministic (seeded PRNG below, no Math.random, no clock).
//
// Sources (see /work/shared/seeds and /work/shared/erbm/REFERENCE.md):
//   000 = Focus ERBM (signing 7 March 2017, Oignies; 23 000 logements)
//   001 = Pôle métropolitain de l'Artois / Euralens 2022 (Cité des Arts, Écocité du 8, Grenay cité n°5)
//   002 = Bilan partenarial ERBM à mi-parcours 2017/2022 (main source of the published figures)
//   003 = Mission Bassin Minier, rapport d'activité 2021 (cités per EPCI and their phase in 2021)
//   REF = REFERENCE.md (compiled facts, incl. press figures for some cités)
// Every row that is a split or a date chosen by this script is marked estimated=true with
// source "estimation: …"; published figures keep estimated=false.

import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, 'erbm-2017-2022.jsonl');

// ───────────────────────────────────────────────────────────── published figures (002 §1a, §2e)
const PUBLISHED = {
  targetLogements: 23000, // 002 §1a, 000
  energyGoal: 130, // 002 §1a "inférieures à 130 kWh/m²"
  logementsSubsidiesEur: 95_800_000, // 002 §1a "près de 96 M€" (État + Région + EPCI, cumulated at end 2022)
  urbanEtatRegion2021_2022Eur: 41_200_000, // 002 §1a "plus de 40 M€" in 2021 and 2022 (works grants, estimated 41.2)
  ptsNordEur: 3_450_000, // 002 §1a Département du Nord, PTS
  agenceEauEur: 12_000_000, // 002 §1a Agence de l'eau Artois-Picardie, réseaux
  insertionLogementsHours: 233_557, // 002 §2e
  insertionLogementsRecruited: 276, // 002 §2e
  insertionLogementsRsa: 72, // 002 §2e
  insertionProgrammeHours: 531_240, // 002 §2e "plus de 530 000" (531 240 chosen, estimated)
  insertionProgrammeDeld: 850, // 002 §2e
};

// Split of the ~96 M€ between financers (estimation from REF §4 envelopes: État 100 M€ ≈ 10 M€/an 2018–2027,
// Région 30 M€, EPCI 70 M€ over the programme; ≈ half consumed at mid-term).
const LOGEMENTS_SUBSIDY_SPLIT_EUR = { etat: 50_300_000, region: 13_400_000, epci: 32_100_000 };

// ───────────────────────────────────────────────────────────── seeded PRNG (mulberry32)
let prngState = 20170307;
function rnd() {
  prngState = (prngState + 0x6d2b79f5) | 0;
  let t = prngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const rint = (a, b) => a + Math.floor(rnd() * (b - a + 1));
const rfloat = (a, b) => a + rnd() * (b - a);

// ───────────────────────────────────────────────────────────── date helpers (ISO YYYY-MM-DD, UTC)
const DAY = 86400000;
const D = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10));
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const addDays = (s, n) => iso(D(s) + n * DAY);
const daysBetween = (a, b) => Math.round((D(b) - D(a)) / DAY);
const lerpDate = (a, b, f) => addDays(a, Math.round(daysBetween(a, b) * f));
const minDate = (...xs) => xs.reduce((m, x) => (x < m ? x : m));
const maxDate = (...xs) => xs.reduce((m, x) => (x > m ? x : m));
const END = '2022-12-31';
const KNOWN_CAP = '2023-01-31';

// Integer split with exact total (largest remainder). minEach: floor per item.
function splitInt(total, weights, minEach = 0) {
  const n = weights.length;
  const base = new Array(n).fill(minEach);
  let rest = total - minEach * n;
  if (rest < 0) throw new Error(`splitInt: total ${total} < ${n}×${minEach}`);
  const sw = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (rest * w) / sw);
  const fl = raw.map(Math.floor);
  let left = rest - fl.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - fl[i], i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; k < left; k++) fl[order[k][1]] += 1;
  return base.map((b, i) => b + fl[i]);
}

// ───────────────────────────────────────────────────────────── reference tables
// Axes: 002 sommaire (REF §2).
const AXES = [
  ['1', "Améliorer le cadre de vie", null],
  ['1a', 'Rénover les cités minières', '1'],
  ['1b', 'Renforcer les centres villes', '1'],
  ['1c', 'Favoriser la transition écologique et énergétique', '1'],
  ['1d', 'Faciliter la mobilité des biens et des personnes', '1'],
  ['2', "Développer l'activité économique et rendre l'emploi accessible à tous", null],
  ['2a', 'Agir via des aides économiques et le dispositif « bassin urbain à dynamiser »', '2'],
  ['2b', 'Agir via les labels qualité et les pôles d\'excellence', '2'],
  ['2c', "Agir via l'économie sociale et solidaire et la sensibilisation à l'entrepreneuriat", '2'],
  ['2d', "Rendre l'emploi accessible : insérer et former", '2'],
  ['2e', "Agir par l'insertion et la formation", '2'],
  ['2f', 'Agir contre la pauvreté', '2'],
  ['2g', "Agir par l'éducation", '2'],
  ['3', 'Rendre le territoire attractif', null],
  ['3a', 'Valoriser par les espaces naturels', '3'],
  ['3b', 'Valoriser par le patrimoine culturel', '3'],
  ['3c', "Améliorer l'accès à la santé", '3'],
  ['3d', 'Faire rayonner le territoire', '3'],
  ['4', 'Construire un futur ambitieux', null],
  ['4a', 'Reconvertir et optimiser le foncier', '4'],
  ['4b', 'Encourager les coopérations et une gouvernance partagée', '4'],
  ['4c', "Renforcer l'ingénierie de projet", '4'],
  ['4d', 'Imaginer les futurs du territoire', '4'],
];

// EPCI: REF §3 (000, 003, public sources). communes only where a source gives the total.
const EPCI = [
  ['CABBALR', "Communauté d'agglomération de Béthune-Bruay, Artois Lys Romane", 100, '000; REF §3'],
  ['CALL', "Communauté d'agglomération de Lens-Liévin", 36, 'REF §3'],
  ['CAHC', "Communauté d'agglomération d'Hénin-Carvin", 14, 'REF §3; public source (14 communes)'],
  ['CAD', "Communauté d'agglomération du Douaisis (Douaisis Agglo)", null, 'REF §3'],
  ['CCCO', "Communauté de communes Cœur d'Ostrevent", null, 'REF §3; 002 §2e'],
  ['CAPH', "Communauté d'agglomération de La Porte du Hainaut", null, 'REF §3; 003'],
  ['CAVM', "Communauté d'agglomération Valenciennes Métropole", null, 'REF §3'],
  ['CCOM', 'Communauté de communes Osartis-Marquion', null, 'REF §3; 002 §3c (Baralle)'],
];
const EPCI_NAME = Object.fromEntries(EPCI.map(([c, n]) => [c, n]));
// Nord vs Pas-de-Calais (for PTS Nord): public geography.
const EPCI_NORD = new Set(['CAD', 'CCCO', 'CAPH', 'CAVM']);

// Financers: REF §4 (002). The 8 EPCI are also financers (category epci, same code).
const FINANCERS = [
  ['ETAT', 'État (aides à la pierre, fonds conjoint État-Région)', 'etat', null],
  ['REGION_HDF', 'Région Hauts-de-France', 'region', null],
  ['DEPT_NORD', 'Département du Nord', 'departement', null],
  ['DEPT_PDC', 'Département du Pas-de-Calais', 'departement', null],
  ['AGENCE_EAU_AP', "Agence de l'eau Artois-Picardie", 'agence', null],
  ['FEDER', 'Union européenne – FEDER', 'union-europeenne', null],
  ['ADEME', "ADEME (Agence de la transition écologique)", 'agence', null],
  ['ANAH', "Agence nationale de l'habitat (ANAH)", 'agence', null],
  ['ANRU', 'Agence nationale pour la rénovation urbaine (ANRU)', 'agence', null],
  ['ANCT', 'Agence nationale de la cohésion des territoires (ANCT)', 'agence', null],
  ['ACTION_LOGEMENT', 'Action Logement', 'autre', null],
  ['BANQUE_DES_TERRITOIRES', 'Caisse des Dépôts – Banque des Territoires', 'autre', null],
  ['EPF_HDF', 'Établissement public foncier Hauts-de-France', 'autre', null],
  ...EPCI.map(([c, n]) => [c, n, 'epci', c]),
];

// Bailleurs: REF §5 (002, 001).
const BAILLEURS = [
  ['MAISONS_ET_CITES', 'Maisons & Cités', 'REF §5; 002 §1a'],
  ['SIA_HABITAT', 'SIA Habitat', 'REF §5; 002 §1a'],
  ['PAS_DE_CALAIS_HABITAT', 'Pas-de-Calais Habitat', 'REF §5; 002 §2e'],
  ['SEPTENTRIONALE', 'Septentrionale', 'REF §5; 001 (îlot Parmentier, Lens)'],
];
const BAILLEUR_NAME = Object.fromEntries(BAILLEURS.map(([c, n]) => [c, n]));

// Cités. [citeId, name, communes, epci, bailleur|null, logements|null, unesco, priority, source]
// Reference data of 002 §1a/§3b: 35 priority cités identified in 2018, 7 200 logements, 20 of them UNESCO-listed,
// 18 of them in the Pas-de-Calais (002 §1b). Rules (data/erbm/README.md, ADR 0020):
// - priority: the 17 Nord cités of the 003 list except the Cité du Nouveau Monde of the CAD (003 names 18 Nord cités,
//   002 implies 17), the 11 Pas-de-Calais cités of 003, the three Pas-de-Calais cités 001/002 place in the ERBM
//   (Cité des Arts, cité n°5 Grenay, Cité d'Orient), the Écocité du 8 (001) and 3 Pas-de-Calais cités the sources do
//   not name (one in each Pas-de-Calais EPCI with the fewest named cités: CABBALR, CAHC, CCOM) = 35, 18 in the PdC.
// - logements: the published counts (Croisette 118, Darcy 383, Pinson 193, Schneider 219, Cité des Arts 171); the rest
//   of the 7 200 in equal shares over the priority cités without a count (KEY_EQUAL_SHARE); null where unknown and
//   not priority. The Écocité du 8's 180 logements are new builds (001), not logements miniers: null.
// - unesco: named by a source (Cité n°10 Sains-en-Gohelle, 002; cité n°5 Grenay, 001) plus KEY_UNESCO: the cités
//   003 puts in « phase opérationnelle » or « fin de phase schéma directeur – phase opérationnelle » in 2021 and the
//   Cité des Arts (cité 9 de Lens), the most advanced projects, since 003 says the Mission Bassin Minier gives its
//   priority to the cités of the UNESCO perimeter: 20 in all.
const MC = 'MAISONS_ET_CITES', SIA = 'SIA_HABITAT', PDCH = 'PAS_DE_CALAIS_HABITAT', SEPT = 'SEPTENTRIONALE';
const K = null; // logements from KEY_EQUAL_SHARE
const U = 'key'; // unesco from KEY_UNESCO
const CITES = [
  ['arbres-victoire', 'Cité des Arbres – Cité de la Victoire', ['Houdain', 'Haillicourt'], 'CABBALR', MC, K, U, true, '003 §2 (fin de phase schéma directeur – phase opérationnelle)'],
  ['anatole-france-nouveau-monde', 'Cité Anatole France – Cité du Nouveau Monde', ['Bruay-La-Buissière'], 'CABBALR', MC, K, false, true, '003 §2 (phase schéma directeur – phase opérationnelle)'],
  ['agache', 'Cité Agache', ['Fenain'], 'CCCO', MC, K, U, true, '003 §2 (phase opérationnelle)'],
  ['barrois', 'Cité Barrois', ['Pecquencourt'], 'CCCO', MC, K, U, true, '003 §2 (phase opérationnelle); 002 §1a (Pecquenchanvre, 50 logements, Maisons et Cités)'],
  ['champ-fleuri', 'Cité du Champ fleuri', ['Masny'], 'CCCO', MC, K, U, true, '003 §2 (fin de phase schéma directeur – phase opérationnelle)'],
  ['heurteau', 'Cité Heurteau', ['Hornaing'], 'CCCO', MC, K, U, true, '003 §2 (phase opérationnelle)'],
  ['croix-de-pierre', 'Cité Croix de Pierre', ['Dechy'], 'CAD', MC, K, U, true, '003 §2 (fin de phase schéma directeur – phase opérationnelle)'],
  ['belleforiere', 'Cité de la Belleforière', ['Roost-Warendin'], 'CAD', MC, K, false, true, '003 §2 (phase schéma directeur)'],
  ['bois-bommart', 'Cité Bois Bommart', ['Flers-en-Escrebieux'], 'CAD', MC, K, false, true, '003 §2 (phase schéma directeur)'],
  ['justice-auby', 'Cité de la Justice', ['Auby'], 'CAD', MC, K, false, true, '003 §2 ("Aubry" in OCR; phase schéma directeur – phase opérationnelle)'],
  ['moulin-auby', 'Cité du Moulin', ['Auby'], 'CAD', MC, K, false, true, '003 §2 ("Aubry" in OCR; phase schéma directeur)'],
  ['hauts-pres', 'Cité les Hauts-Prés', ['Lallaing'], 'CAD', MC, K, false, true, '003 §2 (phase schéma directeur – phase opérationnelle)'],
  ['nouveau-monde-cad', 'Cité du Nouveau Monde (Douaisis)', ['commune non précisée (003)'], 'CAD', MC, null, false, false, '003 §2 (commune not given); not counted among the 35 (002: 17 Nord cités)'],
  ['malmaison-balance', 'Cités Malmaison et Balance', ['Guesnain'], 'CAD', MC, K, false, true, '003 §2 (phase schéma directeur)'],
  ['bellevue-ancienne', 'Cité Bellevue Ancienne', ['Harnes'], 'CALL', MC, K, U, true, '003 §2 (fin de phase schéma directeur – phase opérationnelle)'],
  ['cite-10-sains', 'Cité n°10', ['Sains-en-Gohelle'], 'CALL', MC, K, true, true, '003 §2 (phase opérationnelle); 002 §1a (classée Unesco, Maisons et Cités)'],
  ['cites-5-12-4-11', 'Cités 5/12 et 4/11', ['Sallaumines'], 'CALL', MC, K, false, true, '003 §2 (phase schéma directeur – phase opérationnelle)'],
  ['cite-4-lens', 'Cité n°4', ['Lens'], 'CALL', MC, K, U, true, '003 §2 (fin de phase schéma directeur – phase opérationnelle)'],
  ['parc-croisette', 'Résidence du Parc et Cité de la Croisette', ['Méricourt'], 'CALL', SIA, 118, U, true, '003 §2; 002 §1a (SIA); REF §6 press: 118 logements'],
  ['declercq', 'Cité Declercq', ['Oignies'], 'CAHC', MC, K, U, true, '003 §2 (fin de phase schéma directeur – phase opérationnelle)'],
  ['parisienne', 'Cité de la Parisienne', ['Drocourt'], 'CAHC', MC, K, U, true, '003 §2 (fin de phase schéma directeur – phase opérationnelle); commune: apphim.fr (cité La Parisienne de Drocourt)'],
  ['noumea', 'Cité Nouméa', ['Rouvroy'], 'CAHC', MC, K, U, true, '003 §2 (phase opérationnelle)'],
  ['darcy', 'Cité Darcy', ['Hénin-Beaumont'], 'CAHC', MC, 383, false, true, '003 §2; REF §6 (Région: 383 logements, 1re tranche 105)'],
  ['pinson', 'Cité du Pinson', ['Raismes'], 'CAPH', SIA, 193, U, true, '003 §2 (phase opérationnelle); REF §6 press: SIA Habitat, 193 logements'],
  ['schneider', 'Cité Schneider', ['Lourches', 'Escaudain', 'Rœulx'], 'CAPH', MC, 219, U, true, '003 §2 (phase opérationnelle); REF §6 press: Maisons & Cités, 219 logements'],
  ['arenberg', 'Quartier Arenberg', ['Wallers'], 'CAPH', MC, K, false, true, '003 §2 (phase schéma directeur)'],
  ['sabatier', 'Quartier Sabatier', ['Raismes'], 'CAPH', MC, K, U, true, '003 §2 (phase opérationnelle)'],
  ['saint-pierre-conde', 'Cité Saint-Pierre', ["Condé-sur-l'Escaut"], 'CAVM', MC, K, U, true, '003 §2 (phase opérationnelle)'],
  ['cuvinot', 'Cité Cuvinot', ['Onnaing', 'Vicq'], 'CAVM', MC, K, U, true, '003 §2 (phase opérationnelle)'],
  // named elsewhere, not in the 003 list
  ['cite-des-arts', 'Cité des Arts (ex-îlot Parmentier, cité 9)', ['Lens'], 'CALL', MC, 171, U, true, '002 §1a (94 logements à l\'origine, 171 après programme mixte); 001'],
  ['chauffour', 'Cité Chauffour', ['Somain'], 'CCCO', null, 87, false, false, '002 §1a (87 logements partagent l\'autoconsommation)'],
  ['orient-harnes', "Cité d'Orient", ['Harnes'], 'CALL', MC, K, false, true, '002 §3b (chaire post-minier sur une cité de l\'ERBM); REF §6'],
  ['bernard-louches', 'Cités Bernard et Louches', ['Denain'], 'CAPH', MC, null, false, false, '002 §2a (accessibilité des cités Bernard et Louches); REF §6'],
  ['ecocite-8', 'Cité 8 – « Écocité du 8 »', ['Loison-sous-Lens'], 'CALL', null, null, false, true, '001 (180 logements neufs en 2 phases, travaux 2025)'],
  ['cite-5-grenay', 'Cité minière n°5 (îlot Saint-Louis)', ['Grenay'], 'CALL', MC, K, true, true, '001 (inscrite au Patrimoine mondial)'],
  // priority cités no source names (002: 35 cités, 18 in the Pas-de-Calais)
  ['cite-prioritaire-cabbalr', 'Cité prioritaire non nommée – CABBALR', ['commune non précisée (002)'], 'CABBALR', MC, K, false, true, '002 §1a, §1b (35 cités dont 18 dans le Pas-de-Calais); cité non nommée par les sources'],
  ['cite-prioritaire-cahc', 'Cité prioritaire non nommée – CAHC', ['commune non précisée (002)'], 'CAHC', MC, K, false, true, '002 §1a, §1b (35 cités dont 18 dans le Pas-de-Calais); cité non nommée par les sources'],
  ['cite-prioritaire-ccom', 'Cité prioritaire non nommée – CCOM', ['commune non précisée (002)'], 'CCOM', MC, K, false, true, '002 §1a, §1b (35 cités dont 18 dans le Pas-de-Calais); cité non nommée par les sources'],
];
const PRIORITY = { cites: 35, logements: 7200, unesco: 20, pasDeCalais: 18 }; // 002 §1a, §3b, §1b
const EPCI_PDC = new Set(['CABBALR', 'CALL', 'CAHC', 'CCOM']); // Pas-de-Calais EPCI (public geography)
{
  const prio = CITES.filter((c) => c[7]);
  const known = prio.filter((c) => c[5] !== K).reduce((a, c) => a + (c[5] ?? 0), 0);
  // KEY_EQUAL_SHARE: the rest of the 7 200 in equal shares over the priority cités without a published count
  // (except the Écocité du 8, whose logements are new builds).
  const open = prio.filter((c) => c[5] === K && c[0] !== 'ecocite-8');
  const shares = splitInt(PRIORITY.logements - known, open.map(() => 1));
  open.forEach((c, i) => { c[5] = shares[i]; c.logEst = true; });
  for (const c of CITES) if (c[6] === U) { c[6] = true; c.unescoEst = true; }
  const n = prio.length, u = prio.filter((c) => c[6]).length, l = prio.reduce((a, c) => a + (c[5] ?? 0), 0), pdc = prio.filter((c) => EPCI_PDC.has(c[3])).length;
  if (n !== PRIORITY.cites || u !== PRIORITY.unesco || l !== PRIORITY.logements || pdc !== PRIORITY.pasDeCalais) throw new Error(`priority cités ${n}/${u}/${l}/${pdc}`);
}
// Pseudo-cités: the cités outside the 35 priority cités, which no source names, one per EPCI. They carry the
// bailleurs' own-funds programmes and the ERBM operations programmed outside the 35 cités (002 §1a: the aides à la
// pierre cover the 23 000 logements, the 35 cités only 7 200).
const PSEUDO_CITES = EPCI.map(([c]) => [`autres-cites-${c.toLowerCase()}`, `Cités minières hors des 35 cités prioritaires – ${c} (non nommées par les sources)`, [`communes du territoire ${c}`], c]);

// ───────────────────────────────────────────────────────────── logements operations
// [operationId, citeId, bailleur, plannedLogements, financing, programmedOn, travauxStart|null,
//  endState, deliveredByEnd2022, lastPhase (for ops before travaux), extra]
// endState: terminee | livraisons | travaux | early | abandoned. Dates of travaux starts and delivered counts are
// estimations reproducing 002 §1a (4 terminées, 19 en travaux, > 8 000 livrés incl. fonds propres).
const LOG_OPS = [
  // —— ERBM, terminées (4)
  ['heurteau-rehab-t1', 'heurteau', MC, 150, 'erbm', '2017-09-12', '2018-09-03', 'terminee', 150, null, { skipLivraisons: true, lastDelivery: '2020-11-16' }],
  ['noumea-rehab', 'noumea', MC, 180, 'erbm', '2017-10-05', '2018-11-05', 'terminee', 180, null, { correction: true, lastDelivery: '2021-06-21' }],
  ['agache-rehab', 'agache', MC, 160, 'erbm', '2017-11-20', '2019-01-14', 'terminee', 156, null, { amendTo: 156, lastDelivery: '2022-03-14' }],
  ['saint-pierre-rehab-t1', 'saint-pierre-conde', MC, 140, 'erbm', '2018-01-15', '2019-03-04', 'terminee', 140, null, { lastDelivery: '2022-06-20' }],
  // —— ERBM, en travaux / livraisons (19)
  ['arbres-victoire-rehab-t1', 'arbres-victoire', MC, 260, 'erbm', '2018-03-12', '2019-09-02', 'livraisons', 140, null, {}],
  ['anatole-france-rehab', 'anatole-france-nouveau-monde', MC, 240, 'erbm', '2018-06-18', '2020-09-14', 'livraisons', 90, null, {}],
  ['barrois-pecquenchanvre', 'barrois', MC, 50, 'erbm', '2019-02-11', '2020-10-05', 'livraisons', 30, null, { title: '« Pecquenchanvre » – isolation chanvre (30 enduit chaux-chanvre, 20 blocs béton de chanvre)', lowAfter: true }],
  ['barrois-rehab-t2', 'barrois', MC, 170, 'erbm', '2018-09-10', '2020-01-13', 'livraisons', 100, null, {}],
  ['champ-fleuri-rehab', 'champ-fleuri', MC, 190, 'erbm', '2019-01-21', '2021-04-06', 'livraisons', 60, null, {}],
  ['croix-de-pierre-rehab', 'croix-de-pierre', MC, 220, 'erbm', '2019-03-18', '2021-02-01', 'livraisons', 80, null, {}],
  ['justice-auby-rehab', 'justice-auby', MC, 150, 'erbm', '2019-06-03', '2021-09-06', 'livraisons', 40, null, {}],
  ['hauts-pres-rehab', 'hauts-pres', MC, 180, 'erbm', '2019-04-08', '2021-03-08', 'livraisons', 70, null, {}],
  ['bellevue-ancienne-rehab', 'bellevue-ancienne', MC, 250, 'erbm', '2018-05-14', '2019-11-04', 'livraisons', 130, null, {}],
  ['cite-10-sains-rehab', 'cite-10-sains', MC, 300, 'erbm', '2018-02-05', '2019-06-03', 'livraisons', 170, null, { firstDelivery: '2020-01-20', suspend: ['2020-03-17', '2020-05-11', 'Confinement COVID-19 : arrêt des chantiers'] }],
  ['cites-5-12-4-11-rehab', 'cites-5-12-4-11', MC, 380, 'erbm', '2018-04-09', '2019-10-07', 'livraisons', 160, null, { amendTo: 400 }],
  ['cite-4-lens-rehab', 'cite-4-lens', MC, 260, 'erbm', '2018-10-15', '2020-06-15', 'livraisons', 110, null, {}],
  ['parc-croisette-rehab', 'parc-croisette', SIA, 118, 'erbm', '2019-01-07', '2020-09-07', 'livraisons', 90, null, { beforeClass: 'F', title: 'Réhabilitation thermique Résidence du Parc / Cité de la Croisette (F → C, isolant anas de lin sur 2 logements)' }],
  ['cite-des-arts-mc', 'cite-des-arts', MC, 120, 'erbm', '2018-06-25', '2020-10-12', 'livraisons', 24, null, { firstDelivery: '2022-11-28', lastDelivery: '2022-12-16', lots: [['PALULOS', 70], ['PLUS', 35], ['PLAI', 15]], title: 'Cité des Arts (îlot Parmentier) – réhabilitation et démolition-reconstruction, hameaux hybrides' }],
  ['declercq-rehab', 'declercq', MC, 240, 'erbm', '2018-07-09', '2020-02-03', 'livraisons', 120, null, {}],
  ['darcy-rehab-t1', 'darcy', MC, 105, 'erbm', '2019-05-06', '2021-05-03', 'livraisons', 80, null, { title: 'Cité Darcy – première tranche (105 logements)' }],
  ['pinson-rehab', 'pinson', SIA, 193, 'erbm', '2018-03-05', '2019-09-16', 'livraisons', 150, null, {}],
  ['schneider-rehab', 'schneider', MC, 219, 'erbm', '2017-12-11', '2019-05-13', 'livraisons', 180, null, {}],
  ['cuvinot-rehab', 'cuvinot', MC, 300, 'erbm', '2018-04-23', '2019-12-02', 'travaux', 150, null, { noLivraisonsPhase: true }],
  // —— ERBM, earlier phases at end 2022
  ['belleforiere-rehab', 'belleforiere', MC, 200, 'erbm', '2020-03-02', null, 'early', 0, 'etudes', {}],
  ['bois-bommart-rehab', 'bois-bommart', MC, 160, 'erbm', '2020-06-08', null, 'early', 0, 'etudes', {}],
  ['malmaison-balance-rehab', 'malmaison-balance', MC, 190, 'erbm', '2020-09-14', null, 'early', 0, 'etudes', {}],
  ['nouveau-monde-cad-rehab', 'nouveau-monde-cad', MC, 120, 'erbm', '2021-10-04', null, 'early', 0, 'programmation', {}],
  ['parisienne-rehab', 'parisienne', MC, 220, 'erbm', '2019-09-09', null, 'early', 0, 'avp', {}],
  ['darcy-rehab-t2', 'darcy', MC, 278, 'erbm', '2021-06-07', null, 'early', 0, 'etudes', { title: 'Cité Darcy – tranches suivantes (278 logements)' }],
  ['arenberg-rehab', 'arenberg', MC, 260, 'erbm', '2020-01-20', null, 'early', 0, 'etudes', {}],
  ['sabatier-rehab', 'sabatier', MC, 230, 'erbm', '2019-11-04', null, 'early', 0, 'autorisation', { grants: true }],
  ['saint-pierre-rehab-t2', 'saint-pierre-conde', MC, 120, 'erbm', '2020-05-18', null, 'early', 0, 'avp', {}],
  // —— ERBM, abandoned
  ['moulin-auby-rehab', 'moulin-auby', MC, 100, 'erbm', '2019-05-13', null, 'abandoned', 0, 'avp', { abandon: ['2021-06-21', 'Schéma directeur : démolition-reconstruction retenue à la place de la réhabilitation'] }],
  // —— Septentrionale at Cité des Arts (own funds; delivery end 2023 per 002)
  ['cite-des-arts-septentrionale', 'cite-des-arts', SEPT, 51, 'fonds-propres', '2019-01-14', '2021-03-01', 'travaux', 0, null, { lots: [['FONDS_PROPRES', 51]], title: 'Cité des Arts (îlot Parmentier) – logements Septentrionale' }],
  // —— Bailleurs' own-funds programmes (fonds propres), grouped per EPCI (002 §1a: counted in the > 8 000)
  ['fp-mc-call-2017', 'autres-cites-call', MC, 700, 'fonds-propres', '2017-03-20', '2017-09-04', 'terminee', 700, null, {}],
  ['fp-mc-call-2020', 'autres-cites-call', MC, 650, 'fonds-propres', '2019-10-07', '2020-06-02', 'livraisons', 446, null, {}],
  ['fp-pdch-call-2019', 'autres-cites-call', PDCH, 200, 'fonds-propres', '2018-11-05', '2019-06-03', 'livraisons', 150, null, {}],
  ['fp-mc-cabbalr-2017', 'autres-cites-cabbalr', MC, 750, 'fonds-propres', '2017-03-27', '2017-10-02', 'terminee', 750, null, {}],
  ['fp-mc-cabbalr-2020', 'autres-cites-cabbalr', MC, 600, 'fonds-propres', '2019-09-16', '2020-07-06', 'livraisons', 470, null, {}],
  ['fp-pdch-cabbalr-2019', 'autres-cites-cabbalr', PDCH, 250, 'fonds-propres', '2018-10-08', '2019-05-06', 'livraisons', 200, null, {}],
  ['fp-mc-cahc-2017', 'autres-cites-cahc', MC, 420, 'fonds-propres', '2017-04-10', '2017-11-06', 'terminee', 420, null, { skipLivraisons: true }],
  ['fp-mc-cahc-2020', 'autres-cites-cahc', MC, 300, 'fonds-propres', '2019-11-04', '2020-09-07', 'livraisons', 190, null, {}],
  ['fp-mc-cad-2017', 'autres-cites-cad', MC, 450, 'fonds-propres', '2017-04-24', '2017-11-13', 'terminee', 450, null, {}],
  ['fp-sia-cad-2018', 'autres-cites-cad', SIA, 420, 'fonds-propres', '2018-02-12', '2018-10-01', 'livraisons', 350, null, {}],
  ['fp-sia-caph-2017', 'autres-cites-caph', SIA, 380, 'fonds-propres', '2017-05-15', '2017-12-04', 'terminee', 380, null, {}],
  ['fp-mc-caph-2019', 'autres-cites-caph', MC, 400, 'fonds-propres', '2018-12-03', '2019-07-01', 'livraisons', 280, null, {}],
  ['fp-sia-cavm-2018', 'autres-cites-cavm', SIA, 300, 'fonds-propres', '2017-09-04', '2018-04-03', 'terminee', 300, null, {}],
  ['fp-mc-cavm-2020', 'autres-cites-cavm', MC, 250, 'fonds-propres', '2019-12-02', '2020-09-14', 'livraisons', 150, null, {}],
  ['fp-mc-ccco-2019', 'autres-cites-ccco', MC, 320, 'fonds-propres', '2018-10-15', '2019-06-11', 'livraisons', 244, null, {}],
  ['fp-mc-ccom-2018', 'autres-cites-ccom', MC, 180, 'fonds-propres', '2017-11-06', '2018-06-04', 'livraisons', 165, null, {}],
  // —— the 15 thermal-renovation operations initiated in 2022 (002 §1a), État + EPCI grants at end 2022
  ['th2022-cabbalr-1', 'autres-cites-cabbalr', MC, 140, 'erbm', '2022-03-07', null, 'early', 0, 'etudes', { new2022: true }],
  ['th2022-cabbalr-2', 'autres-cites-cabbalr', MC, 110, 'erbm', '2022-05-16', null, 'early', 0, 'programmation', { new2022: true }],
  ['th2022-cabbalr-3', 'autres-cites-cabbalr', PDCH, 90, 'erbm', '2022-06-13', null, 'early', 0, 'programmation', { new2022: true }],
  ['th2022-orient-harnes', 'orient-harnes', MC, 120, 'erbm', '2022-03-21', null, 'early', 0, 'etudes', { new2022: true }],
  ['th2022-call-1', 'autres-cites-call', MC, 160, 'erbm', '2022-04-11', null, 'early', 0, 'etudes', { new2022: true }],
  ['th2022-call-2', 'autres-cites-call', PDCH, 80, 'erbm', '2022-09-05', null, 'early', 0, 'programmation', { new2022: true }],
  ['th2022-cahc-1', 'autres-cites-cahc', MC, 130, 'erbm', '2022-04-25', null, 'early', 0, 'etudes', { new2022: true }],
  ['th2022-cahc-2', 'autres-cites-cahc', MC, 90, 'erbm', '2022-10-03', null, 'early', 0, 'programmation', { new2022: true }],
  ['th2022-cad-1', 'autres-cites-cad', SIA, 100, 'erbm', '2022-05-09', null, 'early', 0, 'programmation', { new2022: true }],
  ['th2022-cad-2', 'autres-cites-cad', MC, 120, 'erbm', '2022-06-20', null, 'early', 0, 'etudes', { new2022: true }],
  ['th2022-bernard-louches', 'bernard-louches', MC, 150, 'erbm', '2022-02-14', null, 'early', 0, 'etudes', { new2022: true }],
  ['th2022-caph-1', 'autres-cites-caph', SIA, 90, 'erbm', '2022-07-04', null, 'early', 0, 'programmation', { new2022: true }],
  ['th2022-cavm-1', 'autres-cites-cavm', MC, 110, 'erbm', '2022-04-04', null, 'early', 0, 'etudes', { new2022: true }],
  ['th2022-ccco-1', 'autres-cites-ccco', MC, 100, 'erbm', '2022-05-30', null, 'early', 0, 'programmation', { new2022: true }],
  ['th2022-ccom-1', 'autres-cites-ccom', MC, 60, 'erbm', '2022-09-19', null, 'early', 0, 'programmation', { new2022: true }],
];

// ───────────────────────────────────────────────────────────── allocation keys (data/erbm/README.md, ADR 0020)
// The figures above that are not published per operation (sizes, delivered counts, own-funds volumes) are set here
// from the sourced totals with documented keys, so that no per-EPCI share is chosen by hand.
const CITE_SIZE = Object.fromEntries(CITES.map((c) => [c[0], c[5]]));
const CITE_EPCI = Object.fromEntries([...CITES, ...PSEUDO_CITES].map((c) => [c[0], c[3]]));
// KEY_EPCI_STOCK: an EPCI's share of the programme's logements. 004 (CRTE chapeau commun du Pôle métropolitain de
// l'Artois): « rénovation énergétique des cités minières (14.000 logements en dix ans) » for CABBALR, CALL and CAHC,
// i.e. 14 000 of the 23 000 (002 §1a); the other 9 000 to the five other EPCI. Within each group, in proportion to
// the EPCI's logements in the 35 priority cités (above).
const PMA = new Set(['CABBALR', 'CALL', 'CAHC']);
const PMA_LOGEMENTS = 14_000; // 004
const KEY_EPCI_STOCK = (() => {
  const prio = {};
  for (const c of CITES) if (c[7]) prio[c[3]] = (prio[c[3]] ?? 0) + (c[5] ?? 0);
  const group = (inPma) => EPCI.map(([e]) => e).filter((e) => PMA.has(e) === inPma);
  const sum = (es) => es.reduce((a, e) => a + (prio[e] ?? 0), 0);
  const key = {};
  for (const inPma of [true, false]) {
    const es = group(inPma), s = sum(es);
    const groupShare = inPma ? PMA_LOGEMENTS / PUBLISHED.targetLogements : 1 - PMA_LOGEMENTS / PUBLISHED.targetLogements;
    for (const e of es) key[e] = (groupShare * (prio[e] ?? 0)) / s;
  }
  return key;
})();
// KEY_CITE_SIZE: an ERBM operation in a priority cité covers the cité's logements. Two tranches share them in the
// ratio of their former estimated sizes, except where a tranche is published (Darcy first tranche 105, REF §6;
// Pecquenchanvre 50 logements of the cité Barrois, 002 §1a; Cité des Arts: 171 with Septentrionale's 51).
// An operation still delivering keeps its estimated progress (delivered / planned) of the former table.
{
  const PUBLISHED_TRANCHE = { 'darcy-rehab-t1': 105, 'barrois-pecquenchanvre': 50, 'cite-des-arts-mc': 120, 'cite-des-arts-septentrionale': 51 };
  const byCite = {};
  for (const r of LOG_OPS) if (CITE_SIZE[r[1]] != null && !r[10].new2022 && !r[1].startsWith('autres-cites')) (byCite[r[1]] ??= []).push(r);
  for (const [citeId, list] of Object.entries(byCite)) {
    const size = CITE_SIZE[citeId];
    const fixed = list.filter((r) => PUBLISHED_TRANCHE[r[0]] !== undefined);
    const free = list.filter((r) => PUBLISHED_TRANCHE[r[0]] === undefined);
    const rest = size - fixed.reduce((a, r) => a + PUBLISHED_TRANCHE[r[0]], 0);
    const shares = free.length ? splitInt(rest, free.map((r) => r[3])) : [];
    const sized = [...fixed.map((r) => [r, PUBLISHED_TRANCHE[r[0]]]), ...free.map((r, i) => [r, shares[i]])];
    for (const [r, planned] of sized) {
      const [, , , oldPlanned, , , , endState, oldDelivered] = r;
      const x = r[10];
      let p0 = planned;
      if (x.amendTo !== undefined) { const delta = x.amendTo - oldPlanned; p0 = planned - delta; x.amendTo = planned; }
      r[3] = p0;
      r[8] = endState === 'terminee' ? planned : oldDelivered === 0 ? 0 : Math.max(1, Math.round((planned * oldDelivered) / oldPlanned));
      if (x.lots && r[4] === 'erbm' && x.lots.reduce((a, [, n]) => a + n, 0) !== p0) throw new Error(`${r[0]}: lots ≠ ${p0}`);
    }
  }
}
// KEY_DOUBLING: 002 §1a « multiplication par deux du rythme habituel de réhabilitation de logements par les bailleurs
// grâce à la mobilisation des aides à la pierre »: the subsidised (erbm) operations deliver as much as the usual rhythm
// (own funds), i.e. half of DELIVERED_END_2022. Terminated operations delivered all they planned; the Cité des Arts
// keeps its first deliveries of end November 2022 (001); the rest goes to the operations still delivering in
// proportion to planned logements × days since the start of works (KEY_WORKS), each at most planned − 1 (water-filling).
const DELIVERED_END_2022 = 8_100;
{
  const erbmDone = LOG_OPS.filter((r) => r[4] === 'erbm' && (r[7] === 'terminee' || r[0] === 'cite-des-arts-mc'));
  const open = LOG_OPS.filter((r) => r[4] === 'erbm' && ['livraisons', 'travaux'].includes(r[7]) && r[8] > 0 && r[0] !== 'cite-des-arts-mc');
  let rest = Math.round(DELIVERED_END_2022 / 2) - erbmDone.reduce((a, r) => a + r[8], 0);
  const cap = (r) => (r[10].amendTo ?? r[3]) - 1;
  let free = [...open];
  const out = new Map();
  while (free.length) {
    const k = splitInt(rest, free.map((r) => r[3] * daysBetween(r[6], END)));
    const over = free.filter((r, i) => k[i] > cap(r));
    if (!over.length) { free.forEach((r, i) => out.set(r, k[i])); break; }
    for (const r of over) { out.set(r, cap(r)); rest -= cap(r); }
    free = free.filter((r) => !over.includes(r));
  }
  for (const [r, n] of out) r[8] = n;
}
// Deliveries on own funds (002 §1a: the > 8 000 include the bailleurs' own-funds rehabilitations). The published
// total is read as DELIVERED_END_2022 (« plus de 8 000 »: the next hundred above); own funds deliver the rest after
// the ERBM operations, shared between EPCI by KEY_EPCI_STOCK and, within an EPCI, between its own-funds programmes in
// proportion to their former estimated volumes. A finished programme delivered all it planned; one still delivering
// keeps its estimated progress.
{
  const erbm = LOG_OPS.filter((r) => r[4] === 'erbm').reduce((a, r) => a + r[8], 0);
  const fp = LOG_OPS.filter((r) => r[4] === 'fonds-propres' && r[8] > 0);
  const epciOf = (r) => CITE_EPCI[r[1]];
  const codes = EPCI.map(([e]) => e);
  const perEpci = splitInt(DELIVERED_END_2022 - erbm, codes.map((e) => KEY_EPCI_STOCK[e]));
  codes.forEach((e, i) => {
    const rows = fp.filter((r) => epciOf(r) === e);
    if (!rows.length) { if (perEpci[i]) throw new Error(`no own-funds programme in ${e}`); return; }
    const k = splitInt(perEpci[i], rows.map((r) => r[8]));
    rows.forEach((r, j) => {
      const ratio = r[3] / r[8];
      r[8] = k[j];
      r[3] = r[7] === 'terminee' ? k[j] : Math.round(k[j] * ratio);
      if (r[10].lots) r[10].lots = [['FONDS_PROPRES', r[3]]];
    });
  });
}
// ERBM operations outside the 35 priority cités programmed before 2022 (000, Focus ERBM: « près de 8 000 logements en
// travaux et/ou programmés fin 2021 »; 002 §1a: the aides à la pierre cover the 23 000 logements). Read as
// WORKS_OR_PROGRAMMED_END_2021 (« près de 8 000 »: 2.5 % under) logements of ERBM operations programmed, not finished and not
// abandoned at 2021-12-31; the operations in the priority cités give most of it, the rest is one operation per EPCI on its
// « cités hors liste » entry, shared by KEY_EPCI_STOCK, programmed in 2021 and still in études at end 2022.
const WORKS_OR_PROGRAMMED_END_2021 = 7_800;
{
  const open = LOG_OPS.filter((r) => r[4] === 'erbm' && r[5] <= '2021-12-31' && r[7] !== 'abandoned' && !(r[7] === 'terminee' && r[10].lastDelivery < '2021-11-01'));
  const have = open.reduce((a, r) => a + (r[10].amendTo ?? r[3]), 0);
  const codes = EPCI.map(([e]) => e);
  const sizes = splitInt(WORKS_OR_PROGRAMMED_END_2021 - have, codes.map((e) => KEY_EPCI_STOCK[e]));
  const months = ['02', '03', '04', '05', '06', '07', '09', '10'];
  codes.forEach((e, i) => {
    if (sizes[i] <= 0) return;
    LOG_OPS.push([`erbm-hors-cp-${e.toLowerCase()}-2021`, `autres-cites-${e.toLowerCase()}`, MC, sizes[i], 'erbm', `2021-${months[i]}-${String(8 + i).padStart(2, '0')}`, null, 'early', 0, 'etudes',
      { title: `Réhabilitation thermique – cités hors liste prioritaire – ${e} (programmation 2021)` }]);
  });
}

// ───────────────────────────────────────────────────────────── urban operations (espaces publics des cités)
// [operationId, citeId, leadKind, leadName, programmedOn, lastPhase at end 2022, travauxStart|null, termineeOn|null]
// 002 §1a: 1 terminée, 10 en travaux at end 2022; phases of 2021 from 003 (SD = programmation/études, OP = avp → travaux).
const URBAN_OPS = [
  ['urb-arbres-victoire', 'arbres-victoire', 'epci', EPCI_NAME.CABBALR, '2018-10-01', 'avp', null, null],
  ['urb-anatole-france-nouveau-monde', 'anatole-france-nouveau-monde', 'commune', 'Commune de Bruay-La-Buissière', '2018-10-15', 'etudes', null, null],
  ['urb-agache', 'agache', 'commune', 'Commune de Fenain', '2018-09-17', 'travaux', '2021-04-12', null],
  ['urb-barrois', 'barrois', 'commune', 'Commune de Pecquencourt', '2018-09-24', 'travaux', '2021-09-06', null],
  ['urb-champ-fleuri', 'champ-fleuri', 'commune', 'Commune de Masny', '2018-11-05', 'autorisation', null, null],
  ['urb-heurteau', 'heurteau', 'commune', 'Commune de Hornaing', '2018-10-08', 'autorisation', null, null],
  ['urb-croix-de-pierre', 'croix-de-pierre', 'commune', 'Commune de Dechy', '2018-11-19', 'autorisation', null, null],
  ['urb-belleforiere', 'belleforiere', 'commune', 'Commune de Roost-Warendin', '2019-03-04', 'etudes', null, null],
  ['urb-bois-bommart', 'bois-bommart', 'commune', 'Commune de Flers-en-Escrebieux', '2019-03-11', 'etudes', null, null],
  ['urb-justice-auby', 'justice-auby', 'commune', "Commune d'Auby", '2019-01-14', 'avp', null, null],
  ['urb-moulin-auby', 'moulin-auby', 'commune', "Commune d'Auby", '2019-01-14', 'etudes', null, null],
  ['urb-hauts-pres', 'hauts-pres', 'commune', 'Commune de Lallaing', '2019-02-04', 'avp', null, null],
  ['urb-nouveau-monde-cad', 'nouveau-monde-cad', 'epci', EPCI_NAME.CAD, '2019-06-03', 'etudes', null, null],
  ['urb-malmaison-balance', 'malmaison-balance', 'commune', 'Commune de Guesnain', '2019-04-01', 'etudes', null, null],
  ['urb-bellevue-ancienne', 'bellevue-ancienne', 'commune', 'Commune de Harnes', '2018-10-22', 'autorisation', null, null],
  ['urb-cite-10-sains', 'cite-10-sains', 'commune', 'Commune de Sains-en-Gohelle', '2018-09-10', 'travaux', '2021-03-15', null],
  ['urb-cites-5-12-4-11', 'cites-5-12-4-11', 'commune', 'Commune de Sallaumines', '2018-11-12', 'avp', null, null],
  ['urb-cite-4-lens', 'cite-4-lens', 'commune', 'Commune de Lens', '2018-10-29', 'autorisation', null, null],
  ['urb-parc-croisette', 'parc-croisette', 'commune', 'Commune de Méricourt', '2018-10-01', 'travaux', '2021-10-04', null],
  ['urb-cite-des-arts', 'cite-des-arts', 'epci', EPCI_NAME.CALL, '2018-06-25', 'travaux', '2021-02-01', null],
  ['urb-cite-5-grenay', 'cite-5-grenay', 'commune', 'Commune de Grenay', '2019-09-02', 'travaux', '2022-03-07', null],
  ['urb-ecocite-8', 'ecocite-8', 'commune', 'Commune de Loison-sous-Lens', '2020-02-03', 'etudes', null, null],
  ['urb-declercq', 'declercq', 'commune', 'Commune de Oignies', '2018-10-15', 'autorisation', null, null],
  ['urb-parisienne', 'parisienne', 'commune', 'Commune de Drocourt', '2019-01-21', 'avp', null, null],
  ['urb-noumea', 'noumea', 'commune', 'Commune de Rouvroy', '2018-09-03', 'terminee', '2021-03-01', '2022-10-14'],
  ['urb-darcy', 'darcy', 'commune', 'Commune de Hénin-Beaumont', '2019-10-07', 'etudes', null, null],
  ['urb-pinson', 'pinson', 'commune', 'Commune de Raismes', '2018-09-10', 'travaux', '2021-05-17', null],
  ['urb-schneider', 'schneider', 'epci', EPCI_NAME.CAPH, '2018-09-17', 'travaux', '2021-06-07', null],
  ['urb-arenberg', 'arenberg', 'commune', 'Commune de Wallers', '2019-05-06', 'etudes', null, null],
  ['urb-sabatier', 'sabatier', 'commune', 'Commune de Raismes', '2018-12-03', 'autorisation', null, null],
  ['urb-saint-pierre-conde', 'saint-pierre-conde', 'commune', "Commune de Condé-sur-l'Escaut", '2018-09-24', 'travaux', '2021-07-05', null],
  ['urb-cuvinot', 'cuvinot', 'epci', EPCI_NAME.CAVM, '2018-10-08', 'travaux', '2022-01-17', null],
];

// ───────────────────────────────────────────────────────────── insertion (002 §2e) and its estimated splits
const PUBLICS = ['deld', 'rsa', 'jeunes', 'rqth', 'autres'];
// logements operations: hours/recruited/rsa published; other publics and participants estimated
const INS_LOG = { hours: PUBLISHED.insertionLogementsHours, recr: { deld: 96, rsa: 72, jeunes: 70, rqth: 12, autres: 26 }, part: { deld: 372, rsa: 181, jeunes: 205, rqth: 38, autres: 84 } };
// urban operations in works: the rest of the programme's hours and DELD (002 §2e); other publics estimated
const INS_URB = {
  hours: PUBLISHED.insertionProgrammeHours - INS_LOG.hours,
  recr: { deld: 80, rsa: 42, jeunes: 55, rqth: 7, autres: 20 },
  part: { deld: PUBLISHED.insertionProgrammeDeld - INS_LOG.part.deld, rsa: 210, jeunes: 265, rqth: 40, autres: 110 },
};

// ───────────────────────────────────────────────────────────── DPE (REF §9, scale 2021, primary energy)
function dpeClass(ep) {
  if (ep <= 70) return 'A';
  if (ep <= 110) return 'B';
  if (ep <= 180) return 'C';
  if (ep <= 250) return 'D';
  if (ep <= 330) return 'E';
  if (ep <= 420) return 'F';
  return 'G';
}
const energy = (ep) => ({ primaryEnergyKwhPerM2Year: ep, dpeClass: dpeClass(ep), dpeScale: '2021' });

// ═════════════════════════════════════════════════════════════ emission machinery
const rows = [];
let seq = 0;
const lastKnown = new Map(); // entity → last knownAt (ISO date)
const RECON = 'reconstruction';

/**
 * bd: business date of the fact; lag: days until it was known (≈ 1 month); deps: entity keys that must be known first;
 * key: entity whose history this row extends. knownAt is clamped to ≤ 2023-01-31.
 */
function emit(type, org, data, { bd, lag, fixedKnown, deps = [], key, source, estimated }) {
  let k = fixedKnown ?? addDays(bd, lag ?? rint(25, 38));
  for (const d of [...deps, key]) if (d && lastKnown.has(d) && lastKnown.get(d) > k) k = lastKnown.get(d);
  if (k > KNOWN_CAP) k = maxDate(KNOWN_CAP, bd ?? KNOWN_CAP);
  if (bd && k < bd) k = bd;
  if (key) lastKnown.set(key, k);
  if (typeof source !== 'string' || typeof estimated !== 'boolean') throw new Error(`row ${type} lacks source/estimated`);
  rows.push({ seq: seq++, knownDate: k, cmd: { type, actor: { organisation: org, user: RECON }, knownAt: `${k}T00:00:00.000Z`, source, estimated, data } });
  return k;
}

// ───────────────────────────────────────────────────────────── reference data
const SIGN = '2017-03-07';
const DEL = 'delegation';
emit('programme.LaunchProgramme', DEL, { programmeId: 'erbm', name: 'Engagement pour le Renouveau du Bassin Minier Nord-Pas de Calais', signedOn: SIGN, startYear: 2017, endYear: 2027 },
  { fixedKnown: SIGN, key: 'programme', source: '000 (Focus ERBM, signature à Oignies le 7 mars 2017); 002 introduction', estimated: false });
emit('programme.SetTarget', DEL, { programmeId: 'erbm', targetVersion: 1, logements: PUBLISHED.targetLogements, energyGoalKwhPerM2Year: PUBLISHED.energyGoal, targetDate: '2027-12-31', effectiveFrom: SIGN, source: '002 §1a (23 000 logements, < 130 kWh/m²); 000' },
  { fixedKnown: SIGN, key: 'programme', source: '002 §1a; 000', estimated: false });
emit('programme.PublishAxisSet', DEL, { programmeId: 'erbm', axisSetVersion: 'bilan-2022', effectiveFrom: SIGN, axes: AXES.map(([code, label, parentCode]) => ({ code, label, parentCode })), source: '002 sommaire' },
  { fixedKnown: SIGN, key: 'programme', source: '002 sommaire (structure du bilan à mi-parcours, appliquée depuis la signature)', estimated: false });
for (const [code, name, communes, src] of EPCI)
  emit('programme.RegisterEpci', DEL, { epciCode: code, name, communes }, { fixedKnown: SIGN, deps: ['programme'], key: `epci:${code}`, source: src, estimated: false });
for (const [code, name, category, epciCode] of FINANCERS)
  emit('programme.RegisterFinancer', DEL, { financerCode: code, name, category, epciCode }, { fixedKnown: SIGN, deps: epciCode ? [`epci:${epciCode}`] : ['programme'], key: `fin:${code}`, source: 'REF §4 (002)', estimated: false });
for (const [code, name, src] of BAILLEURS)
  emit('programme.RegisterBailleur', DEL, { bailleurCode: code, name }, { fixedKnown: SIGN, deps: ['programme'], key: `bail:${code}`, source: src, estimated: false });

const CITE = {};
for (const [id, name, communes, epci] of PSEUDO_CITES) {
  CITE[id] = { id, epci, logements: null };
  emit('programme.RegisterCite', DEL, { citeId: id, name, communes, epciCode: epci, bailleurCode: null, logements: null, unesco: false, priority: false },
    { fixedKnown: SIGN, deps: [`epci:${epci}`], key: `cite:${id}`, source: 'estimation: regroupement des cités hors des 35 cités prioritaires, non nommées par les sources (opérations sur fonds propres et opérations ERBM hors cités prioritaires), 002 §1a', estimated: true });
}
const PRIORITY_LIST_DATE = '2018-06-29'; // 002 §1a "identifiées en 2018" (day estimated)
for (const c of CITES) {
  const [id, name, communes, epci, bailleur, logements, unesco, priority, src] = c;
  CITE[id] = { id, name, epci, bailleur, logements, priority };
  const est = Boolean(c.logEst || c.unescoEst || priority || communes[0].startsWith('commune non'));
  emit('programme.RegisterCite', DEL, { citeId: id, name, communes, epciCode: epci, bailleurCode: bailleur, logements, unesco, priority },
    { fixedKnown: PRIORITY_LIST_DATE, deps: [`epci:${epci}`, bailleur ? `bail:${bailleur}` : null].filter(Boolean), key: `cite:${id}`,
      source: src + (c.logEst ? '; logements: estimation (part égale des 7 200 logements des 35 cités, 002 §1a)' : '')
        + (c.unescoEst ? '; unesco: estimation (cité en phase opérationnelle en 2021 selon 003, 20 cités Unesco sur 35 selon 002 §3b)' : '')
        + (priority ? '; priority: 35 cités identifiées en 2018 (002 §1a), règle de data/erbm/README.md' : ''), estimated: est });
}


// ───────────────────────────────────────────────────────────── logements operations
const PHASES = ['programmation', 'etudes', 'avp', 'autorisation', 'travaux', 'livraisons', 'terminee'];

/**
 * The plan revisions a slipping operation records (issue #13): when a phase is about to start more than
 * REPLAN_DAYS after the date planned for it (the plan as revised so far, later phases moved with a revision), its
 * owner revises the plan to the actual start, REPLAN_NOTICE days before it (not before the previous phase started).
 * `explicit` are the revisions already issued (phase → { on, plannedOn }). No random draw: the rest of the file is
 * unchanged. Returns [date, phase, plannedOn] to emit.
 */
const REPLAN_DAYS = 90;
const REPLAN_NOTICE = 60;
function planRevisions(order, starts, plannedDates, explicit, programmedOn) {
  const plan = { ...plannedDates };
  const shift = (phase, to) => {
    const d = daysBetween(plan[phase], to);
    plan[phase] = to;
    for (const q of order.slice(order.indexOf(phase) + 1)) if (plan[q]) plan[q] = addDays(plan[q], d);
  };
  const out = [];
  let prev = programmedOn;
  for (const p of order.slice(1)) {
    if (!starts[p]) continue;
    const x = explicit[p];
    if (x && x.on <= starts[p]) shift(p, x.plannedOn);
    if (plan[p] && daysBetween(plan[p], starts[p]) > REPLAN_DAYS) {
      const on = maxDate(prev, addDays(starts[p], -REPLAN_NOTICE));
      out.push([on, p, starts[p]]);
      shift(p, starts[p]);
    }
    prev = starts[p];
  }
  return out;
}
const REPLAN_REASON = {
  etudes: 'Report du lancement des études (désignation de la maîtrise d’œuvre)',
  avp: 'Report de l’avant-projet (concertation avec les habitants et la commune)',
  autorisation: 'Report du dépôt des autorisations (avis ABF / Mission Bassin Minier)',
  travaux: 'Report du démarrage des travaux (consultation des entreprises)',
  livraisons: 'Report des premières livraisons (avancement du chantier)',
  terminee: 'Report de l’achèvement (dernières livraisons décalées)',
};
const OPS = {}; // operationId → state used by grants / insertion
const EST_OP = 'estimation: dates et volumes reconstitués pour reproduire 002 §1a (4 terminées, 19 en travaux, > 8 000 livrés)';

function energyPair(extra) {
  let before;
  if (extra.beforeClass === 'F') before = rint(335, 415);
  else {
    const r = rnd();
    before = r < 0.3 ? rint(265, 330) : r < 0.78 ? rint(331, 420) : rint(421, 455);
  }
  let after;
  if (extra.lowAfter) after = rint(78, 105);
  else {
    const r = rnd();
    after = r < 0.85 ? rint(86, 128) : rint(131, 176);
  }
  return [energy(before), energy(after)];
}

for (const [opId, citeId, bailleur, planned0, financing, programmedOn, T, endState, delivered, lastPhase, extra] of LOG_OPS) {
  const cite = CITE[citeId];
  if (!cite) throw new Error(`unknown cite ${citeId}`);
  const org = `bailleur:${bailleur}`;
  const events = []; // [date, order, fn]
  const push = (date, fn) => events.push([date, events.length, fn]);
  const src = extra.new2022 ? '002 §1a (15 nouvelles opérations initiées en 2022); estimation: cité, bailleur, volume, dates'
    : financing === 'fonds-propres' ? '002 §1a (livraisons des bailleurs sur fonds propres incluses dans les > 8 000); estimation: répartition par EPCI et bailleur'
      : EST_OP;

  // actual phase starts
  const starts = { programmation: programmedOn };
  let terminee = null, firstDel = null, lastDel = null, delDates = [];
  if (T) {
    const span = daysBetween(programmedOn, T);
    starts.etudes = addDays(programmedOn, Math.round(span * rfloat(0.08, 0.2)));
    starts.avp = addDays(programmedOn, Math.round(span * rfloat(0.35, 0.5)));
    starts.autorisation = addDays(programmedOn, Math.round(span * rfloat(0.65, 0.85)));
    starts.travaux = T;
    if (delivered > 0) {
      firstDel = extra.firstDelivery ?? addDays(T, rint(200, 320));
      if (endState === 'terminee') {
        const dur = Math.max(330, Math.round(planned0 * (financing === 'fonds-propres' ? rfloat(1.6, 2.2) : rfloat(3.2, 4.2))));
        lastDel = extra.lastDelivery ?? minDate(addDays(firstDel, dur), '2022-10-31');
        terminee = addDays(lastDel, rint(35, 60));
      } else {
        lastDel = extra.lastDelivery ?? addDays('2022-12-20', -rint(0, 40));
      }
      const n = Math.max(1, Math.min(delivered, Math.round(daysBetween(firstDel, lastDel) / rint(45, 75)) + 1, 22));
      for (let i = 0; i < n; i++) delDates.push(n === 1 ? firstDel : lerpDate(firstDel, lastDel, i / (n - 1)));
      delDates = delDates.map((d, i) => (i === 0 || i === n - 1 ? d : addDays(d, rint(-6, 6))));
      if (extra.suspend) {
        const [s, r] = extra.suspend;
        delDates = delDates.map((d) => (d >= s && d < r ? addDays(r, daysBetween(s, d) + 3) : d)).sort();
      }
      if (!extra.skipLivraisons && !extra.noLivraisonsPhase) starts.livraisons = firstDel;
    }
    if (terminee) starts.terminee = terminee;
  } else {
    const reached = PHASES.slice(0, PHASES.indexOf(lastPhase) + 1);
    const lastStart = extra.new2022 ? addDays(programmedOn, rint(60, 150))
      : extra.abandon ? addDays(extra.abandon[0], -rint(90, 200)) : addDays('2022-12-31', -rint(60, 400));
    const L = maxDate(addDays(programmedOn, 30 * (reached.length - 1)), minDate(lastStart, '2022-11-30'));
    reached.forEach((p, i) => { if (i > 0) starts[p] = lerpDate(programmedOn, L, i / (reached.length - 1)); });
  }

  // planned dates at programming time (with slippage vs actual; useful for forecasts)
  const slip = T ? (rnd() < 0.25 ? rint(-20, 30) : rint(60, 300)) : rint(30, 240);
  const plannedT = T ? addDays(T, -slip) : addDays(minDate(starts[lastPhase] ?? programmedOn, '2022-12-31'), rint(300, 700));
  const plannedTravaux = maxDate(plannedT, addDays(programmedOn, 120));
  const plannedDates = {
    etudes: lerpDate(programmedOn, plannedTravaux, 0.15),
    avp: lerpDate(programmedOn, plannedTravaux, 0.45),
    autorisation: lerpDate(programmedOn, plannedTravaux, 0.75),
    travaux: plannedTravaux,
    livraisons: addDays(plannedTravaux, 240),
    terminee: addDays(plannedTravaux, 240 + Math.max(300, Math.round(planned0 * 3.3))),
  };
  const lots = extra.lots ?? (financing === 'fonds-propres' ? [['FONDS_PROPRES', planned0]] : [['PALULOS', planned0]]);
  const title = extra.title ?? (financing === 'fonds-propres' ? `Programme de réhabilitation sur fonds propres – ${BAILLEUR_NAME[bailleur]} – ${cite.epci} (${programmedOn.slice(0, 4)})`
    : extra.new2022 ? `Rénovation thermique 2022 – ${cite.name ?? 'cités ' + cite.epci}` : `Réhabilitation thermique – ${cite.name}`);

  push(programmedOn, () => emit('operation.ProgrammeLogementsOperation', org, {
    operationId: opId, citeId, bailleurCode: bailleur, title, plannedLogements: planned0, financing, axisCode: '1a',
    lots: lots.map(([lotType, logements]) => ({ lotType, logements })), programmedOn, plannedDates,
  }, { bd: programmedOn, deps: [`cite:${citeId}`, `bail:${bailleur}`], key: `op:${opId}`, source: src, estimated: true }));

  for (const p of PHASES.slice(1)) {
    if (!starts[p]) continue;
    push(starts[p], () => emit('operation.StartPhase', org, { operationId: opId, phase: p, startedOn: starts[p] },
      { bd: starts[p], key: `op:${opId}`, source: p === 'terminee' ? '002 §1a (4 opérations terminées); estimation: date' : src, estimated: true }));
  }
  // slippage made explicit: a revision of the travaux date before the actual start
  if (T && slip > 120) {
    const on = maxDate(addDays(plannedTravaux, -45), starts.autorisation ?? programmedOn);
    const when = minDate(on, T);
    push(when, () => emit('operation.RevisePhasePlan', org, { operationId: opId, phase: 'travaux', plannedOn: T, reason: 'Recalage du planning après instruction de l\'autorisation de travaux et consultation des entreprises' },
      { bd: when, key: `op:${opId}`, source: 'estimation: glissement de planning reconstitué', estimated: true }));
  } else if (!T && endState === 'early' && !extra.new2022 && slip > 150) {
    const when = starts[lastPhase] ?? programmedOn;
    const to = addDays(plannedTravaux, slip);
    push(when, () => emit('operation.RevisePhasePlan', org, { operationId: opId, phase: 'travaux', plannedOn: to, reason: 'Schéma directeur prolongé (concertation, avis Mission Bassin Minier / ABF)' },
      { bd: when, key: `op:${opId}`, source: 'estimation: glissement de planning reconstitué', estimated: true }));
  }
  {
    const explicit = {};
    if (T && slip > 120) explicit.travaux = { on: minDate(maxDate(addDays(plannedTravaux, -45), starts.autorisation ?? programmedOn), T), plannedOn: T };
    for (const [when, phase, to] of planRevisions(PHASES, starts, plannedDates, explicit, programmedOn)) {
      push(when, () => emit('operation.RevisePhasePlan', org, { operationId: opId, phase, plannedOn: to, reason: REPLAN_REASON[phase] },
        { bd: when, lag: 30, key: `op:${opId}`, source: 'estimation: glissement de planning reconstitué (révision au-delà de 90 jours)', estimated: true }));
    }
  }
  if (extra.suspend) {
    const [s, r, reason] = extra.suspend;
    push(s, () => emit('operation.SuspendOperation', org, { operationId: opId, suspendedOn: s, reason }, { bd: s, lag: 7, key: `op:${opId}`, source: 'estimation: suspension de chantier lors du confinement du 17 mars 2020', estimated: true }));
    push(r, () => emit('operation.ResumeOperation', org, { operationId: opId, resumedOn: r }, { bd: r, lag: 7, key: `op:${opId}`, source: 'estimation: reprise des chantiers après le 11 mai 2020', estimated: true }));
  }
  if (extra.abandon) {
    const [a, reason] = extra.abandon;
    push(a, () => emit('operation.AbandonOperation', org, { operationId: opId, abandonedOn: a, reason }, { bd: a, key: `op:${opId}`, source: 'estimation: abandon reconstitué (003: cité du Moulin en phase schéma directeur)', estimated: true }));
  }

  // deliveries
  let planned = planned0;
  const delAmounts = delDates.length ? splitInt(delivered, delDates.map(() => rfloat(0.6, 1.4)), 1) : [];
  delDates.forEach((d, i) => {
    const deliveryId = `${opId}-liv-${String(i + 1).padStart(2, '0')}`;
    const [before, after] = energyPair(extra);
    let logements = delAmounts[i];
    const correct = extra.correction && i === 1;
    if (correct) logements += 2;
    push(d, () => emit('operation.RecordLogementsDelivery', org, { operationId: opId, deliveryId, deliveredOn: d, logements, energyBefore: before, energyAfter: after },
      { bd: d, key: `op:${opId}`, source: (financing === 'fonds-propres' ? '002 §1a (> 8 000 livrés, fonds propres inclus)' : '002 §1a (> 8 000 livrés)') + '; estimation: répartition par opération et par lot de livraison, DPE 2021 reconstitués', estimated: true }));
    if (correct) {
      const cd = addDays(d, 40);
      push(cd, () => emit('operation.CorrectLogementsDelivery', org, { operationId: opId, deliveryId, logements: delAmounts[i], deliveredOn: d, energyBefore: before, energyAfter: after, reason: 'Double comptage de 2 logements déjà réceptionnés au lot précédent' },
        { bd: cd, key: `op:${opId}`, source: 'estimation: correction reconstituée', estimated: true }));
    }
  });
  if (extra.amendTo) {
    // amendment between two deliveries, while cumulative ≤ new planned
    const idx = Math.floor(delDates.length / 2);
    const ad = addDays(delDates[idx - 1] ?? starts.travaux, 5);
    const reason = extra.amendTo < planned0 ? '4 logements retirés du programme (bloc démoli pour désordres structurels)' : 'Intégration de 20 logements supplémentaires de la cité 4/11 au programme';
    push(ad, () => emit('operation.AmendPlannedLogements', org, { operationId: opId, plannedLogements: extra.amendTo, amendedOn: ad, reason },
      { bd: ad, key: `op:${opId}`, source: 'estimation: modification de programme reconstituée', estimated: true }));
    planned = extra.amendTo;
  }
  if (endState === 'terminee' && delivered !== planned) throw new Error(`${opId}: terminee but delivered ${delivered} ≠ planned ${planned}`);
  if (delivered > planned) throw new Error(`${opId}: delivered > planned`);

  events.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  for (const [, , fn] of events) fn();
  OPS[opId] = { opId, kind: 'logements', citeId, epci: cite.epci, bailleur, planned, financing, starts, terminee, endState, extra, programmedOn };
}

// ───────────────────────────────────────────────────────────── urban operations
const URB_SRC = '002 §1a (1 opération terminée, 10 en travaux à fin 2022); 003 §2 (phases 2021); estimation: dates';
for (const [opId, citeId, leadKind, leadName, programmedOn, lastPhase, T, termineeOn] of URBAN_OPS) {
  const cite = CITE[citeId];
  const org = `epci:${cite.epci}`;
  const starts = { programmation: programmedOn };
  const order = ['programmation', 'etudes', 'avp', 'autorisation', 'travaux', 'terminee'];
  const reached = order.slice(0, order.indexOf(lastPhase) + 1);
  const pre = reached.filter((p) => ['etudes', 'avp', 'autorisation'].includes(p));
  const endPre = maxDate(addDays(programmedOn, 90 * Math.max(1, pre.length)), T ?? addDays('2022-12-31', -rint(40, 420)));
  pre.forEach((p, i) => { starts[p] = lerpDate(programmedOn, endPre, T ? (i + 1) / (pre.length + 1) : (i + 1) / pre.length); });
  if (T) starts.travaux = T;
  if (termineeOn) starts.terminee = termineeOn;
  const slip = rint(60, 330);
  const plannedTravaux = T ? addDays(T, -slip) : addDays(maxDate(starts[lastPhase], '2022-06-30'), rint(200, 700));
  const plannedDates = {
    etudes: lerpDate(programmedOn, plannedTravaux, 0.1),
    avp: lerpDate(programmedOn, plannedTravaux, 0.5),
    autorisation: lerpDate(programmedOn, plannedTravaux, 0.8),
    travaux: plannedTravaux,
    terminee: addDays(plannedTravaux, rint(420, 720)),
  };
  const events = [];
  const push = (date, fn) => events.push([date, events.length, fn]);
  push(programmedOn, () => emit('operation.ProgrammeUrbanOperation', org, {
    operationId: opId, citeId, leadKind, leadName, title: `Rénovation des espaces publics – ${cite.name}`, axisCode: '1a', programmedOn, plannedDates,
  }, { bd: programmedOn, deps: [`cite:${citeId}`, `epci:${cite.epci}`], key: `op:${opId}`, source: URB_SRC, estimated: true }));
  for (const p of order.slice(1)) if (starts[p]) push(starts[p], () => emit('operation.StartPhase', org, { operationId: opId, phase: p, startedOn: starts[p] }, { bd: starts[p], key: `op:${opId}`, source: URB_SRC, estimated: true }));
  if (T && slip > 150) {
    const when = minDate(maxDate(addDays(plannedTravaux, -30), starts.autorisation), T);
    push(when, () => emit('operation.RevisePhasePlan', org, { operationId: opId, phase: 'travaux', plannedOn: T, reason: 'Ajustement du phasage des travaux de voirie et réseaux (coordination concessionnaires)' },
      { bd: when, key: `op:${opId}`, source: 'estimation: glissement de planning reconstitué', estimated: true }));
  }
  {
    const explicit = T && slip > 150 ? { travaux: { on: minDate(maxDate(addDays(plannedTravaux, -30), starts.autorisation), T), plannedOn: T } } : {};
    for (const [when, phase, to] of planRevisions(order, starts, plannedDates, explicit, programmedOn)) {
      push(when, () => emit('operation.RevisePhasePlan', org, { operationId: opId, phase, plannedOn: to, reason: REPLAN_REASON[phase] },
        { bd: when, lag: 30, key: `op:${opId}`, source: 'estimation: glissement de planning reconstitué (révision au-delà de 90 jours)', estimated: true }));
    }
  }
  events.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  for (const [, , fn] of events) fn();
  OPS[opId] = { opId, kind: 'urbaine', citeId, epci: cite.epci, leadKind, leadName, starts, terminee: termineeOn, lastPhase, programmedOn };
}

// ───────────────────────────────────────────────────────────── grants
let grantSeq = 0;
function grant({ financer, op, beneficiary, dispositif, amountCents, conventionDate, source, estimated, initialCents, amendOn, amendReason, cancel, payments }) {
  const grantId = `sub-${financer.toLowerCase().replace(/_/g, '-')}-${op.opId}-${String(++grantSeq).padStart(3, '0')}`;
  const org = `financer:${financer}`;
  const evts = [];
  const push = (date, fn) => evts.push([date, evts.length, fn]);
  push(conventionDate, () => emit('funding.DecideGrant', org, {
    grantId, financerCode: financer, operationId: op.opId, beneficiary, dispositif, axisCode: '1a', amountCents: initialCents ?? amountCents, conventionDate, decisionRef: null,
  }, { bd: conventionDate, deps: [`op:${op.opId}:created`, `fin:${financer}`], key: `grant:${grantId}`, source, estimated }));
  if (initialCents && amendOn) push(amendOn, () => emit('funding.AmendGrant', org, { grantId, amountCents, amendedOn: amendOn, reason: amendReason },
    { bd: amendOn, key: `grant:${grantId}`, source: 'estimation: avenant reconstitué', estimated: true }));
  let paid = 0;
  (payments ?? []).forEach(([d, frac], i) => {
    if (d > '2022-12-31' || d < conventionDate) return;
    const amt = i === payments.length - 1 && frac === 'rest' ? amountCents - paid : Math.round((amountCents * frac) / 100 / 100) * 100; // whole euros
    if (amt <= 0 || paid + amt > amountCents) return;
    paid += amt;
    push(d, () => emit('funding.RecordGrantPayment', org, { grantId, paymentId: `${grantId}-v${i + 1}`, paidOn: d, amountCents: amt },
      { bd: d, key: `grant:${grantId}`, source: 'estimation: échéancier de versement reconstitué', estimated: true }));
  });
  if (cancel) push(cancel[0], () => emit('funding.CancelGrant', org, { grantId, cancelledOn: cancel[0], reason: cancel[1] }, { bd: cancel[0], key: `grant:${grantId}`, source: 'estimation: annulation reconstituée (opération abandonnée)', estimated: true }));
  evts.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  for (const [, , fn] of evts) fn();
  return grantId;
}
// make op creation a dependency key for grants / insertion
for (const r of rows) if (r.cmd.type.startsWith('operation.Programme')) lastKnown.set(`op:${r.cmd.data.operationId}:created`, r.knownDate);

// — logements grants: État / Région / EPCI aides à la pierre
const LOG_GRANT_SRC = '002 §1a (État, Région, EPCI : près de 96 M€ cumulés fin 2022); REF §4; estimation: répartition par opération et financeur';
const logFunded = Object.values(OPS).filter((o) => o.kind === 'logements' && o.financing === 'erbm' && (o.starts.autorisation || o.extra.new2022) && o.endState !== 'abandoned');
const epciRate = { CABBALR: 1.0, CALL: 1.1, CAHC: 0.9, CAD: 1.0, CCCO: 0.8, CAPH: 1.0, CAVM: 0.95, CCOM: 0.7 };
const plan = []; // {op, fin, cat, w}
for (const o of logFunded) {
  const conv = o.extra.new2022 ? addDays(maxDate(o.programmedOn, '2022-09-15'), rint(20, 80)) : addDays(o.starts.autorisation, rint(20, 60));
  o.conv = minDate(conv, '2022-12-15', o.starts.travaux ?? '2022-12-15');
  const w = o.planned * rfloat(0.85, 1.15);
  plan.push({ o, fin: 'ETAT', cat: 'etat', w });
  if (!o.extra.new2022) plan.push({ o, fin: 'REGION_HDF', cat: 'region', w: w * rfloat(0.9, 1.1) });
  plan.push({ o, fin: o.epci, cat: 'epci', w: w * epciRate[o.epci] });
}
for (const cat of ['etat', 'region', 'epci']) {
  const items = plan.filter((p) => p.cat === cat);
  const k = splitInt(LOGEMENTS_SUBSIDY_SPLIT_EUR[cat] / 100, items.map((p) => p.w)); // in 100 € units
  items.forEach((p, i) => { p.cents = k[i] * 100 * 100; });
}
for (const p of plan) {
  const o = p.o;
  const bene = { kind: 'bailleur', code: o.bailleur, name: BAILLEUR_NAME[o.bailleur] };
  const conv = p.cat === 'region' ? minDate(addDays(o.conv, rint(0, 25)), '2022-12-20') : o.conv;
  const pays = [];
  if (o.starts.travaux) {
    pays.push([addDays(maxDate(conv, o.starts.travaux), rint(30, 70)), 30]);
    const mid = o.terminee ? lerpDate(o.starts.travaux, o.terminee, 0.5) : addDays(o.starts.travaux, 540);
    pays.push([maxDate(mid, addDays(conv, 120)), 40]);
    if (o.terminee) pays.push([addDays(o.terminee, rint(30, 60)), 'rest']);
  } else if (!o.extra.new2022) pays.push([addDays(conv, rint(60, 120)), 15]);
  let initialCents, amendOn, amendReason;
  if (o.opId === 'agache-rehab' && p.cat === 'epci') { initialCents = Math.round((p.cents * 160) / 156 / 10000) * 10000; amendOn = addDays(o.starts.travaux, 400); amendReason = 'Ajustement à 156 logements (4 logements retirés)'; }
  if (o.opId === 'cites-5-12-4-11-rehab' && p.cat === 'etat') { initialCents = Math.round((p.cents * 380) / 400 / 10000) * 10000; amendOn = addDays(o.starts.travaux, 420); amendReason = 'Avenant : 20 logements supplémentaires'; }
  if (o.opId === 'parc-croisette-rehab' && p.cat === 'region') { initialCents = Math.round((p.cents * 0.9) / 10000) * 10000; amendOn = addDays(o.starts.travaux, 200); amendReason = 'Avenant : surcoût de l\'isolation biosourcée (anas de lin) et des pompes à chaleur hybrides'; }
  // aides à la pierre are programmed per yearly tranche: operations in works get a 2nd convention 1–2 years later
  let cents1 = p.cents, conv2 = null;
  if (o.starts.travaux) {
    const c2 = minDate(addDays(conv, rint(365, 640)), o.terminee ? addDays(o.terminee, -60) : '2022-12-10');
    if (c2 > addDays(conv, 180)) { conv2 = c2; cents1 = Math.round((p.cents * rfloat(0.5, 0.6)) / 10000) * 10000; }
  }
  if (initialCents) initialCents = Math.round((initialCents * cents1) / p.cents / 10000) * 10000;
  if (amendOn) {
    // first payment only after the amendment, so paid never exceeds either amount
    if (pays[0] && pays[0][0] < amendOn) pays[0][0] = addDays(amendOn, 10);
    if (pays[1] && pays[1][0] <= pays[0][0]) pays[1][0] = addDays(pays[0][0], 120);
  }
  grant({ financer: p.fin, op: o, beneficiary: bene, dispositif: 'aides-a-la-pierre', amountCents: cents1, conventionDate: conv, source: LOG_GRANT_SRC, estimated: true, initialCents, amendOn, amendReason, payments: pays });
  if (conv2) {
    const pays2 = [[addDays(conv2, rint(60, 120)), 50]];
    if (o.terminee) pays2.push([addDays(o.terminee, rint(30, 60)), 'rest']);
    grant({ financer: p.fin, op: o, beneficiary: bene, dispositif: 'aides-a-la-pierre', amountCents: p.cents - cents1, conventionDate: conv2, source: LOG_GRANT_SRC + ' (2e tranche)', estimated: true, payments: pays2 });
  }
}
// abandoned operation: État reservation cancelled (excluded from the 96 M€)
{
  const o = OPS['moulin-auby-rehab'];
  grant({ financer: 'ETAT', op: o, beneficiary: { kind: 'bailleur', code: o.bailleur, name: BAILLEUR_NAME[o.bailleur] }, dispositif: 'aides-a-la-pierre', amountCents: 64_000_000, conventionDate: addDays(o.starts.avp, 45),
    source: 'estimation: réservation d\'aides à la pierre sur une opération ensuite abandonnée', estimated: true, cancel: ['2021-07-12', 'Opération abandonnée (démolition-reconstruction retenue)'], payments: [] });
}

// — urban grants
const urbOps = Object.values(OPS).filter((o) => o.kind === 'urbaine');
const beneOf = (o) => (o.leadKind === 'epci' ? { kind: 'epci', code: o.epci, name: EPCI_NAME[o.epci] } : { kind: 'commune', code: null, name: o.leadName });
const sizeOf = (o) => CITE[o.citeId].logements ?? 150;
// studies (schéma directeur): fonds conjoint, small amounts, at the start of études
for (const o of urbOps) {
  if (!o.starts.etudes) continue;
  for (const fin of ['ETAT', 'REGION_HDF']) {
    const amt = rint(35, 95) * 1000 * 100;
    const conv = addDays(o.starts.etudes, rint(0, 30));
    if (conv > '2022-12-15') continue;
    grant({ financer: fin, op: o, beneficiary: beneOf(o), dispositif: 'fonds-conjoint-etat-region', amountCents: amt, conventionDate: conv,
      source: '002 §1a (fonds conjoint État-Région 200 M€); estimation: subvention d\'études de schéma directeur', estimated: true, payments: [[addDays(conv, rint(200, 300)), 50], [addDays(conv, rint(420, 560)), 'rest']] });
  }
}
// works: fonds conjoint État-Région with conventions in 2021–2022 (> 40 M€, 002 §1a)
const worksOps = urbOps.filter((o) => o.starts.travaux || o.lastPhase === 'autorisation');
{
  const wts = worksOps.map((o) => sizeOf(o) * (o.starts.travaux ? 1.3 : 0.8) * rfloat(0.8, 1.2));
  const k = splitInt(PUBLISHED.urbanEtatRegion2021_2022Eur / 1000, wts); // k€ per op
  worksOps.forEach((o, i) => {
    const conv = o.starts.travaux ? maxDate(addDays(o.starts.travaux, -rint(30, 75)), '2021-01-11') : maxDate(addDays(o.starts.autorisation, rint(20, 90)), '2021-01-11');
    o.worksConv = minDate(conv, '2022-12-09');
    const etatK = Math.round(k[i] / 2);
    for (const [fin, kk] of [['ETAT', etatK], ['REGION_HDF', k[i] - etatK]]) {
      const cents = kk * 1000 * 100;
      const pays = [];
      if (o.starts.travaux) {
        pays.push([addDays(maxDate(o.starts.travaux, o.worksConv), rint(45, 90)), 30]);
        pays.push([addDays(o.starts.travaux, rint(300, 400)), 30]);
        if (o.terminee) pays.push([addDays(o.terminee, rint(25, 45)), 'rest']);
      }
      let initialCents, amendOn, amendReason;
      if (o.opId === 'urb-cite-10-sains' && fin === 'ETAT') { initialCents = Math.round(cents * 0.92 / 100000) * 100000; amendOn = addDays(o.starts.travaux, 20); amendReason = 'Avenant : extension du périmètre (abords de l\'école)'; if (pays[0][0] < amendOn) pays[0][0] = addDays(amendOn, 15); }
      grant({ financer: fin, op: o, beneficiary: beneOf(o), dispositif: 'fonds-conjoint-etat-region', amountCents: cents, conventionDate: o.worksConv,
        source: '002 §1a (plus de 40 M€ État et Région en 2021 et 2022); estimation: répartition par opération', estimated: true, initialCents, amendOn, amendReason, payments: pays });
    }
  });
}
// PTS Département du Nord 3.45 M€ (Nord cités only)
{
  const nordOps = worksOps.filter((o) => EPCI_NORD.has(o.epci));
  const k = splitInt(PUBLISHED.ptsNordEur / 1000, nordOps.map((o) => sizeOf(o) * rfloat(0.8, 1.2)));
  nordOps.forEach((o, i) => {
    const conv = minDate(addDays(o.worksConv, rint(10, 60)), '2022-12-12');
    grant({ financer: 'DEPT_NORD', op: o, beneficiary: beneOf(o), dispositif: 'pts-nord', amountCents: k[i] * 1000 * 100, conventionDate: conv,
      source: '002 §1a (Département du Nord, PTS, 3,45 M€); estimation: répartition par opération', estimated: true, payments: o.starts.travaux ? [[addDays(maxDate(conv, o.starts.travaux), rint(60, 120)), 40]] : [] });
  });
}
// Agence de l'eau Artois-Picardie 12 M€ (networks), operations with works started
{
  const eauOps = urbOps.filter((o) => o.starts.travaux);
  const k = splitInt(PUBLISHED.agenceEauEur / 1000, eauOps.map((o) => sizeOf(o) * rfloat(0.7, 1.3)));
  eauOps.forEach((o, i) => {
    const conv = maxDate(addDays(o.starts.travaux, -rint(40, 100)), addDays(o.starts.autorisation, 5));
    grant({ financer: 'AGENCE_EAU_AP', op: o, beneficiary: beneOf(o), dispositif: 'agence-eau-reseaux', amountCents: k[i] * 1000 * 100, conventionDate: conv,
      source: "002 §1a (Agence de l'eau Artois-Picardie, 12 M€ réseaux); estimation: répartition par opération", estimated: true,
      payments: [[addDays(o.starts.travaux, rint(90, 150)), 30], [addDays(o.starts.travaux, rint(330, 420)), 30], ...(o.terminee ? [[addDays(o.terminee, 40), 'rest']] : [])] });
  });
}

// ───────────────────────────────────────────────────────────── insertion declarations
const quarterStart = (d) => `${d.slice(0, 4)}-${String(Math.floor((+d.slice(5, 7) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
const quarterEnd = (qs) => addDays(`${+qs.slice(0, 4) + (qs.slice(5, 7) === '10' ? 1 : 0)}-${qs.slice(5, 7) === '10' ? '01' : String(+qs.slice(5, 7) + 3).padStart(2, '0')}-01`, -1);
function quarters(from, to) {
  const out = [];
  for (let qs = quarterStart(from); qs <= to; qs = addDays(quarterEnd(qs), 1)) out.push([maxDate(qs, from), minDate(quarterEnd(qs), to)]);
  return out;
}
function allocPublics(pool, decls) {
  const w = decls.map((d) => d.hours + 1);
  const recr = decls.map(() => ({})), part = decls.map(() => ({}));
  const budget = {};
  for (const p of PUBLICS) {
    const r = splitInt(pool.recr[p], w);
    decls.forEach((d, i) => { recr[i][p] = r[i]; part[i][p] = r[i]; });
    budget[p] = pool.part[p] - pool.recr[p];
  }
  // hours are worked by someone: every declaration gets at least one participant
  decls.forEach((d, i) => {
    if (d.hours > 0 && PUBLICS.every((p) => part[i][p] === 0)) {
      const p = PUBLICS.reduce((a, b) => (budget[b] > budget[a] ? b : a));
      part[i][p] += 1; budget[p] -= 1;
    }
  });
  for (const p of PUBLICS) {
    const extra = splitInt(budget[p], w);
    decls.forEach((d, i) => { part[i][p] += extra[i]; });
  }
  decls.forEach((d, i) => { d.recruitments = recr[i]; d.participants = part[i]; });
}
const insRows = [];
// logements operations (ERBM subsidised, works started): one declaration per marché per quarter
{
  const decls = [];
  for (const o of Object.values(OPS).filter((x) => x.kind === 'logements' && x.financing === 'erbm' && x.starts.travaux)) {
    const to = o.terminee ?? '2022-12-31';
    const short = o.opId.replace(/-rehab.*$/, '').toUpperCase().replace(/-/g, '').slice(0, 10);
    const bcode = { MAISONS_ET_CITES: 'MC', SIA_HABITAT: 'SIA', PAS_DE_CALAIS_HABITAT: 'PDCH', SEPTENTRIONALE: 'SEPT' }[o.bailleur];
    for (const [ps, pe] of quarters(o.starts.travaux, to)) {
      const frac = (daysBetween(ps, pe) + 1) / 91;
      decls.push({ o, ps, pe, marcheRef: `${bcode}-${o.starts.travaux.slice(0, 4)}-${short}-TCE`, w: o.planned * frac, org: `bailleur:${o.bailleur}` });
    }
  }
  const h = splitInt(INS_LOG.hours, decls.map((d) => d.w));
  decls.forEach((d, i) => { d.hours = h[i]; });
  allocPublics(INS_LOG, decls);
  decls.forEach((d) => insRows.push({ ...d, epci: d.o.epci, opId: d.o.opId, source: '002 §2e (233 557 h, 276 recrutés dont 72 RSA, réhabilitation des logements); estimation: répartition par opération, marché et trimestre', estimated: true }));
}
// urban operations in works: the rest of the programme's hours (002 §2e: > 530 000 h, read as
// PUBLISHED.insertionProgrammeHours) and of its 850 DELD, on the works contracts of the cités' public spaces, by
// KEY_WORKS (the cité's logements × days of works in the quarter, the same key as the logements operations'). No
// hours before works start.
{
  const decls = [];
  for (const o of urbOps.filter((x) => x.starts.travaux)) {
    const to = o.terminee ?? '2022-12-31';
    for (const [ps, pe] of quarters(o.starts.travaux, to)) {
      const frac = (daysBetween(ps, pe) + 1) / 91;
      decls.push({ o, ps, pe, marcheRef: `${o.epci}-${o.starts.travaux.slice(0, 4)}-${o.citeId.toUpperCase().replace(/-/g, '').slice(0, 10)}-VRD`, w: sizeOf(o) * frac, org: `epci:${o.epci}` });
    }
  }
  const h = splitInt(INS_URB.hours, decls.map((d) => d.w));
  decls.forEach((d, i) => { d.hours = h[i]; });
  allocPublics(INS_URB, decls);
  decls.forEach((d) => insRows.push({ ...d, epci: d.o.epci, opId: d.o.opId, source: '002 §2e (> 530 000 h et 850 DELD sur 2017–2022); estimation: solde des opérations de logements, réparti sur les chantiers des espaces publics (logements de la cité × jours de travaux)' + (d.epci === 'CCCO' ? '; CCCO en régie' : ''), estimated: true }));
}
insRows.sort((a, b) => (a.pe < b.pe ? -1 : a.pe > b.pe ? 1 : 0));
let declSeq = 0;
let corrected = false;
for (const d of insRows) {
  const declarationId = `ins-${(d.opId ?? d.epci.toLowerCase() + '-hors-op')}-${d.ps.slice(0, 7)}-${String(++declSeq).padStart(4, '0')}`.slice(0, 80);
  const doCorrect = !corrected && d.opId === 'cite-10-sains-rehab' && d.ps >= '2021-01-01';
  const data = { declarationId, operationId: d.opId, epciCode: d.epci, marcheRef: d.marcheRef, periodStart: d.ps, periodEnd: d.pe, hours: doCorrect ? d.hours + 140 : d.hours, participants: d.participants, recruitments: d.recruitments };
  emit('insertion.DeclareInsertionHours', d.org, data, { bd: d.pe, lag: rint(20, 31), deps: [d.opId ? `op:${d.opId}:created` : `epci:${d.epci}`], key: `decl:${declarationId}`, source: d.source, estimated: d.estimated });
  if (doCorrect) {
    corrected = true;
    emit('insertion.CorrectInsertionDeclaration', d.org, { declarationId, hours: d.hours, participants: d.participants, recruitments: d.recruitments, reason: 'Heures d\'un salarié en intérim déclarées deux fois (deux marchés)' },
      { bd: addDays(d.pe, 60), key: `decl:${declarationId}`, source: 'estimation: correction reconstituée', estimated: true });
  }
}

// ───────────────────────────────────────────────────────────── write
rows.sort((a, b) => (a.knownDate < b.knownDate ? -1 : a.knownDate > b.knownDate ? 1 : a.seq - b.seq));
const lines = rows.map((r, i) => JSON.stringify({ commandId: `erbm-rec-${String(i + 1).padStart(6, '0')}`, ...r.cmd }));
writeFileSync(OUT, lines.join('\n') + '\n');
console.log(`wrote ${lines.length} commands to ${OUT}`);
