/**
 * French labels of the insertion persons and contracts (ADR 0024; REFERENCE.md §8): publics as the clauses sociales
 * name them, contract kinds, and the table texts of the bilan.
 */
export const PUBLIC_LABELS: Record<string, string> = {
  DELD: "Demandeurs d'emploi de longue durée",
  RSA: 'Bénéficiaires du RSA',
  JEUNE_MOINS_26: 'Jeunes de moins de 26 ans',
  RQTH: 'Travailleurs handicapés (RQTH)',
  SENIOR_PLUS_50: "Demandeurs d'emploi de 50 ans et plus",
  ASS_AAH: "Bénéficiaires de l'ASS ou de l'AAH",
  SIAE_EPIDE_E2C: 'Personnes suivies en SIAE, EPIDE ou E2C',
  QPV: "Résidents d'un quartier prioritaire (QPV)",
  AUTRE: 'Autres publics éligibles',
};

export const CONTRACT_KIND_LABELS: Record<string, string> = {
  CDD: 'CDD',
  CDI: 'CDI',
  CDDI: "CDD d'insertion (CDDI)",
  INTERIM: "Mission d'intérim",
  CTTI: "Contrat de travail temporaire d'insertion (CTTI)",
  PROFESSIONNALISATION: 'Contrat de professionnalisation',
  APPRENTISSAGE: "Contrat d'apprentissage",
  PEC: 'Parcours emploi compétences (PEC)',
  AUTRE: 'Autre contrat',
};

export const INSERTION_PERSON_LABELS = {
  title: 'Insertion : personnes distinctes et contrats',
  byPublic: 'Personnes distinctes par public',
  byEpci: 'Personnes distinctes par EPCI',
  byKind: "Contrats d'insertion par type",
  public: 'Public',
  contractKind: 'Type de contrat',
  persons: 'Personnes distinctes',
  recruited: 'dont personnes recrutées',
  withoutId: 'dont personnes déclarées sans identifiant (comptes par public, une fois par déclaration)',
  logementsPersons: 'Personnes distinctes (réhabilitation des logements)',
  contracts: "Contrats d'insertion",
  /** Under the persons table: how persons are counted. */
  personsNote:
    "Une personne est comptée une fois, quel que soit le nombre de déclarations, d'opérations ou de marchés où elle figure, grâce à un identifiant pseudonyme (aucune donnée nominative). Les déclarations antérieures sans identifiant comptent leurs participants une fois par déclaration : une même personne peut alors être comptée plusieurs fois.",
  /** Under a table by public: publics overlap. */
  overlapNote: (total: number): string =>
    `Les publics se recoupent : une personne compte dans chacun de ses publics (par exemple bénéficiaire du RSA et jeune de moins de 26 ans), la somme des lignes peut donc dépasser le total de ${total.toLocaleString('fr-FR').replace(/\u202f/g, ' ')} personnes distinctes.`,
  epciNote: "Une personne ayant travaillé dans plusieurs EPCI compte dans chacun d'eux ; la somme des lignes peut dépasser le total.",
  contractsNote:
    "Un contrat déclaré sur plusieurs périodes est compté une fois. Seules les déclarations qui nomment les personnes par un identifiant pseudonyme listent leurs contrats : les déclarations faites en nombre de personnes par public n'en comptent aucun.",
};
