/** The command envelope of @erbm/application, restated structurally so test support depends on no layer. */
export interface CommandEnvelope {
  commandId: string;
  type: string;
  data: unknown;
  actor: { organisation: string; user: string; channel: 'api' | 'import' | 'cli' | 'system' };
  knownAt?: string;
  expectedVersion?: number;
}

/** Anything that executes command envelopes (the CommandExecutor). */
export interface Executes {
  execute(c: CommandEnvelope): Promise<unknown>;
}

let counter = 0;

/** Builds a command envelope; `org` is the acting organisation, `knownAt` an optional backfilled knowledge time. */
export function cmd(type: string, data: Record<string, unknown>, org = 'delegation', extra: Partial<CommandEnvelope> = {}): CommandEnvelope {
  counter += 1;
  return { commandId: `test-${process.pid}-${counter}`, type, data, actor: { organisation: org, user: 'test', channel: extra.knownAt ? 'import' : 'api' }, ...extra };
}

export const energy = (kwh: number, dpeClass: string) => ({ primaryEnergyKwhPerM2Year: kwh, dpeClass, dpeScale: '2021' });

/**
 * A small hand-made programme: target 23 000, EPCI CALL and CAHC, bailleurs SIA_HABITAT and MAISONS_ET_CITES,
 * financers ETAT, REGION_HDF and CALL (epci), two cités, one logements operation each (100 and 50 planned).
 */
export async function seedReference(ex: Executes): Promise<void> {
  const run = (c: CommandEnvelope) => ex.execute(c);
  await run(cmd('programme.LaunchProgramme', { programmeId: 'erbm', name: 'ERBM', signedOn: '2017-03-07', startYear: 2017, endYear: 2027 }));
  await run(cmd('programme.SetTarget', { programmeId: 'erbm', targetVersion: 1, logements: 23000, energyGoalKwhPerM2Year: 130, targetDate: '2027-12-31', effectiveFrom: '2017-03-07', source: 'seeds 002' }));
  await run(cmd('programme.RegisterEpci', { epciCode: 'CALL', name: 'Lens-Liévin', communes: 36 }));
  await run(cmd('programme.RegisterEpci', { epciCode: 'CAHC', name: 'Hénin-Carvin', communes: 14 }));
  await run(cmd('programme.RegisterBailleur', { bailleurCode: 'SIA_HABITAT', name: 'SIA Habitat' }));
  await run(cmd('programme.RegisterBailleur', { bailleurCode: 'MAISONS_ET_CITES', name: 'Maisons & Cités' }));
  await run(cmd('programme.RegisterFinancer', { financerCode: 'ETAT', name: 'État', category: 'etat', epciCode: null }));
  await run(cmd('programme.RegisterFinancer', { financerCode: 'REGION_HDF', name: 'Région Hauts-de-France', category: 'region', epciCode: null }));
  await run(cmd('programme.RegisterFinancer', { financerCode: 'CALL', name: 'CA Lens-Liévin', category: 'epci', epciCode: 'CALL' }));
  await run(cmd('programme.RegisterCite', { citeId: 'cite-parc', name: 'Résidence du Parc', communes: ['Méricourt'], epciCode: 'CALL', bailleurCode: 'SIA_HABITAT', logements: 118, unesco: false, priority: true }));
  await run(cmd('programme.RegisterCite', { citeId: 'cite-darcy', name: 'Cité Darcy', communes: ['Hénin-Beaumont'], epciCode: 'CAHC', bailleurCode: 'MAISONS_ET_CITES', logements: 383, unesco: false, priority: true }));
  await run(
    cmd('operation.ProgrammeLogementsOperation', {
      operationId: 'op-parc', citeId: 'cite-parc', bailleurCode: 'SIA_HABITAT', title: 'Parc T1', plannedLogements: 100, financing: 'erbm', axisCode: '1a',
      lots: [{ lotType: 'PALULOS', logements: 100 }], programmedOn: '2018-01-10', plannedDates: { travaux: '2019-01-01' },
    }, 'bailleur:SIA_HABITAT'),
  );
  await run(
    cmd('operation.ProgrammeLogementsOperation', {
      operationId: 'op-darcy', citeId: 'cite-darcy', bailleurCode: 'MAISONS_ET_CITES', title: 'Darcy T1', plannedLogements: 50, financing: 'fonds-propres', axisCode: '1a',
      lots: [{ lotType: 'FONDS_PROPRES', logements: 50 }], programmedOn: '2018-02-01', plannedDates: {},
    }, 'bailleur:MAISONS_ET_CITES'),
  );
  for (const [op, org] of [['op-parc', 'bailleur:SIA_HABITAT'], ['op-darcy', 'bailleur:MAISONS_ET_CITES']]) {
    for (const [phase, on] of [['etudes', '2018-03-01'], ['avp', '2018-06-01'], ['autorisation', '2018-09-01'], ['travaux', '2019-02-01']]) {
      await run(cmd('operation.StartPhase', { operationId: op, phase, startedOn: on }, org));
    }
  }
}
