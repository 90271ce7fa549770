import { systemClock } from '@erbm/shared';

/**
 * French labels shared by every rendering of the bilan (plain text, CSV, XLSX, HTML, PDF, charts), so the formats
 * say the same thing in the same words.
 */
export const PHASE_LABELS: Record<string, string> = {
  programmation: 'Programmation (schéma directeur)',
  etudes: 'Diagnostic / études',
  avp: 'Avant-projet (AVP)',
  autorisation: 'Autorisation de travaux',
  travaux: 'Travaux',
  livraisons: 'Livraisons',
  terminee: 'Terminée (réception)',
  suspendue: 'Suspendue',
  abandonnee: 'Abandonnée',
};

/** Phases in the order of an operation's life (then the statuses), the order of every phase table. */
export const PHASE_ORDER = ['programmation', 'etudes', 'avp', 'autorisation', 'travaux', 'livraisons', 'terminee', 'suspendue', 'abandonnee'];

export const KIND_LABELS: Record<string, string> = { logements: 'Logements', urbaine: 'Renouvellement urbain des cités' };

/** How a logements operation is financed (`financing`). */
export const FINANCING_LABELS: Record<string, string> = { erbm: 'Aides ERBM', 'fonds-propres': 'Fonds propres des bailleurs' };

/** Grant dispositifs (seeds 002, REFERENCE.md §3). */
export const DISPOSITIF_LABELS: Record<string, string> = {
  'aides-a-la-pierre': 'Aides à la pierre',
  'fonds-conjoint-etat-region': 'Fonds conjoint État-Région',
  'agence-eau-reseaux': 'Agence de l’eau (réseaux des cités)',
  'pts-nord': 'Projets de territoire structurants (Département du Nord)',
  'fonds-propres': 'Fonds propres des bailleurs',
};

const LONG_DATE = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const PARIS = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'Europe/Paris' });

/** An ISO date (`2022-12-31`, or the date part of a date-time) in words: « 31 décembre 2022 » (Intl, fr-FR). */
export const frLongDate = (iso: string): string => LONG_DATE.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`));

/** An ISO date-time in words, Paris time: « 16 janvier 2023 à 1 h 00 (heure de Paris) » (Intl, fr-FR). */
export function frLongDateTime(iso: string): string {
  const parts = Object.fromEntries(PARIS.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.day} ${parts.month} ${parts.year} à ${Number(parts.hour)} h ${parts.minute} (heure de Paris)`;
}

/**
 * The knowledge line of every report: « Connaissances au 16 janvier 2023 à 0 h 00 UTC » for a report as known at a
 * time; for a report of everything recorded, the time it was produced (`producedAt`: the caller's Clock; default the
 * system clock).
 */
export function knowledgeLine(knownAt: string | null, producedAt: string = systemClock.now()): string {
  return knownAt ? `Connaissances au ${frLongDateTime(knownAt)}` : `Connaissances au ${frLongDateTime(producedAt)} (tout ce qui était enregistré à la production du rapport)`;
}

/** The label of the State and Région urban subsidies figure: the years of 2021–2022 reached by `asOf`. */
export function subUrbainesLabel(asOf: string): string {
  const y = Number(asOf.slice(0, 4));
  const period = y < 2021 ? '2021–2022 (période non commencée)' : y === 2021 ? '2021' : '2021–2022';
  return `Aides État et Région aux espaces urbains des cités, ${period}`;
}

export const DPE_CLASSES = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];

export const L = {
  title: 'Engagement pour le Renouveau du Bassin Minier',
  bilanAu: 'Bilan au',
  situationAu: 'Situation au',
  connaissancesAu: 'connaissances au',
  connaissancesNow: 'connaissances à la date de production',
  sections: {
    synthese: 'Synthèse',
    logements: '1. Logements miniers rénovés',
    operations: '2. Opérations par phase',
    subventions: '3. Subventions',
    insertion: "4. Insertion (heures d'insertion des clauses sociales)",
    energie: '5. Performance énergétique des logements livrés',
    sources: 'Sources',
  },
  sheets: ['Synthèse', 'Par EPCI', 'Par bailleur', 'Par cité', 'Par financeur', 'Par axe', 'Phases', 'Subventions', 'Insertion', 'Énergie'] as const,
  axisTable: 'Par axe du programme',
  partEstimee: 'Part estimée',
  estimeNote:
    'Part estimée : part de la valeur qui provient d’événements marqués « estimé » dans le registre (répartition plausible d’un total publié, non une valeur déclarée).',
  enTravauxNote:
    '« En phase de travaux » : opérations logements aidées par l’ERBM (hors fonds propres des bailleurs) dont la phase en cours est « Travaux » ou « Livraisons » (logements livrés par tranches) ; « Terminée » : réception prononcée. Les tableaux par phase comptent toutes les opérations, y compris celles en fonds propres.',
  financerNote: (sum: string, distinct: string) =>
    `Une opération cofinancée compte une fois pour chacun de ses financeurs : la somme de la colonne (${sum}) dépasse donc le nombre de logements livrés sur des opérations aidées, comptés une seule fois (${distinct}).`,
  totalDistinct: 'Total sans double compte (opérations aidées par au moins un financeur)',
  indicateur: 'Indicateur',
  valeur: 'Valeur',
  montant: 'Montant',
  objectif: 'Objectif du programme (logements)',
  livres: 'Logements livrés',
  taux: "Taux d'atteinte de l'objectif",
  echeance: 'Échéance de l’objectif',
  byEpci: 'Logements livrés par EPCI',
  byBailleur: 'Logements livrés par bailleur',
  byCite: 'Logements livrés par cité',
  byFinancer: 'Logements livrés par financeur (opérations aidées par le financeur)',
  byAxis: 'Logements livrés par axe du programme',
  epci: 'EPCI',
  code: 'Code',
  bailleur: 'Bailleur',
  cite: 'Cité',
  financeur: 'Financeur',
  livresCol: 'Logements livrés',
  part: 'Part',
  operationsCol: 'Opérations',
  terminees: 'Terminées',
  enTravaux: 'En phase de travaux',
  type: 'Type',
  financement: 'Financement',
  phase: 'Phase',
  logementsPrevus: 'Logements prévus',
  opLogements: 'Logements (aides ERBM)',
  opUrbaines: 'Renouvellement urbain des cités',
  phasesLogements: 'Opérations logements (toutes, y compris fonds propres) par phase',
  phasesUrbaines: 'Opérations urbaines par phase',
  subLogements: 'Aides État, Région et EPCI aux logements (cumul)',
  subUrbaines: 'Aides État et Région aux espaces urbains des cités, 2021–2022',
  subDecided: 'Total des subventions décidées',
  subPaid: 'Total des subventions versées',
  subByFinancer: 'Subventions par financeur',
  subDetail: 'Subventions par financeur, EPCI, axe, dispositif et année',
  decide: 'Décidé (€)',
  verse: 'Versé (€)',
  partEstimeeDecide: 'Part estimée du décidé',
  partEstimeeVerse: 'Part estimée du versé',
  axe: 'Axe',
  dispositif: 'Dispositif',
  annee: 'Année',
  insLogementsHours: "Heures d'insertion sur la réhabilitation des logements",
  insRecruited: 'Personnes recrutées (logements)',
  insRsa: 'dont bénéficiaires du RSA',
  insProgrammeHours: "Heures d'insertion, tout le programme",
  insDeld: 'Participants demandeurs d’emploi de longue durée (programme)',
  insByPublic: 'Participants par public (DELD / RSA / jeunes / RQTH / autres)',
  insByYear: "Heures d'insertion par année",
  heures: 'Heures',
  recrutements: 'Recrutements',
  participants: 'Participants',
  enBefore: 'Consommation moyenne avant travaux (kWhEP/m².an)',
  enAfter: 'Consommation moyenne après travaux (kWhEP/m².an)',
  enUnderGoal: (goal: number) => `Logements sous l'objectif de ${goal} kWh/m².an`,
  enShare: "Part sous l'objectif",
  enLogements: 'Logements livrés avec mesures énergétiques',
  dpeBefore: 'Étiquettes DPE avant (A…G)',
  dpeAfter: 'Étiquettes DPE après (A…G)',
  dpeClasse: 'Classe DPE',
  avant: 'Avant travaux',
  apres: 'Après travaux',
  charts: {
    trajectory: 'Logements livrés cumulés et trajectoire vers 23 000 fin 2027',
    byEpci: 'Logements livrés par EPCI',
    subsidies: 'Subventions décidées et versées par financeur (M€)',
    insertion: "Heures d'insertion par année",
    cumul: 'Livrés (cumul)',
    trajectoire: 'Trajectoire linéaire',
    fan: 'Prévision : logements livrés (P10–P50–P90), tendance et objectif',
  },
  sourcesText:
    "Système de référence ERBM (registre d'événements) : livraisons déclarées par les bailleurs, conventions et versements des financeurs, déclarations d'insertion des maîtres d'ouvrage, objectif du programme",
} as const;
