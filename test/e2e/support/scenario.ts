import { type TestApi, expectStatus } from './api';

/** Acting organisations of the scenarios. */
export const DELEGATION = 'delegation';
export const SIA = 'bailleur:SIA_HABITAT';
export const MAISONS = 'bailleur:MAISONS_ET_CITES';
export const ETAT = 'financer:ETAT';
export const CALL = 'epci:CALL';

export const CITE = 'cite-du-12-14';

export const energy = (primaryEnergyKwhPerM2Year: number, dpeClass: string) => ({ primaryEnergyKwhPerM2Year, dpeClass, dpeScale: '2021' });

/** Issues a command and expects 201. */
export async function command(api: TestApi, path: string, organisation: string, body: object): Promise<void> {
  expectStatus(await api.post(path, organisation, body), 201);
}

/**
 * Reference data as the délégation registers it: programme `erbm` with target v1 (23 000 logements, 130 kWhEP/m².an),
 * axis set `bilan-2022`, EPCI CALL, bailleurs SIA_HABITAT and MAISONS_ET_CITES, financers ETAT and REGION_HDF, and the
 * cité `cite-du-12-14` (CALL, SIA Habitat).
 */
export async function registerReferenceData(api: TestApi): Promise<void> {
  await command(api, '/programmes', DELEGATION, {
    programmeId: 'erbm',
    name: 'Engagement pour le Renouveau du Bassin Minier Nord-Pas de Calais',
    signedOn: '2017-03-07',
    startYear: 2017,
    endYear: 2027,
  });
  await command(api, '/programmes/erbm/targets', DELEGATION, {
    targetVersion: 1,
    logements: 23000,
    energyGoalKwhPerM2Year: 130,
    targetDate: '2027-12-31',
    effectiveFrom: '2017-03-07',
    source: '002 §1a',
  });
  await command(api, '/programmes/erbm/axis-sets', DELEGATION, {
    axisSetVersion: 'bilan-2022',
    effectiveFrom: '2017-03-07',
    axes: [
      { code: '1', label: 'Améliorer le cadre de vie', parentCode: null },
      { code: '1a', label: 'Rénover les cités minières', parentCode: '1' },
      { code: '1b', label: 'Renforcer les centres villes', parentCode: '1' },
      { code: '2', label: "Développer l'activité économique", parentCode: null },
      { code: '2a', label: "Rendre l'emploi accessible à tous", parentCode: '2' },
      { code: '2e', label: "Agir par l'insertion et la formation", parentCode: '2' },
    ],
    source: '002 sommaire',
  });
  await command(api, '/epci', DELEGATION, { epciCode: 'CALL', name: "Communauté d'agglomération de Lens-Liévin", communes: 36 });
  await command(api, '/bailleurs', DELEGATION, { bailleurCode: 'SIA_HABITAT', name: 'SIA Habitat' });
  await command(api, '/bailleurs', DELEGATION, { bailleurCode: 'MAISONS_ET_CITES', name: 'Maisons & Cités' });
  await command(api, '/financers', DELEGATION, { financerCode: 'ETAT', name: 'État', category: 'etat', epciCode: null });
  await command(api, '/financers', DELEGATION, { financerCode: 'REGION_HDF', name: 'Région Hauts-de-France', category: 'region' });
  await command(api, '/cites', DELEGATION, {
    citeId: CITE,
    name: 'Cité du 12/14',
    communes: ['Lens'],
    epciCode: 'CALL',
    bailleurCode: 'SIA_HABITAT',
    logements: 240,
    unesco: true,
    priority: true,
  });
}

/**
 * A logements operation of SIA Habitat on the cité, programmed on 2019-01-15 and taken through the phases up to
 * travaux (started 2020-06-02).
 */
export async function logementsOperationInTravaux(api: TestApi, operationId: string, plannedLogements = 120, owner = SIA): Promise<void> {
  await command(api, '/operations/logements', owner, {
    operationId,
    citeId: CITE,
    bailleurCode: owner.slice('bailleur:'.length),
    title: `Cité du 12/14 – réhabilitation (${operationId})`,
    plannedLogements,
    financing: 'erbm',
    axisCode: '1a',
    lots: [
      { lotType: 'PALULOS', logements: plannedLogements - 20 },
      { lotType: 'PLUS', logements: 20 },
    ],
    programmedOn: '2019-01-15',
    plannedDates: { etudes: '2019-03-01', avp: '2019-09-01', autorisation: '2020-01-15', travaux: '2020-06-01', livraisons: '2021-01-15', terminee: '2021-12-15' },
  });
  for (const [phase, startedOn] of [
    ['etudes', '2019-03-04'],
    ['avp', '2019-09-02'],
    ['autorisation', '2020-01-15'],
    ['travaux', '2020-06-02'],
  ]) {
    await command(api, `/operations/${operationId}/phases`, owner, { phase, startedOn });
  }
}
