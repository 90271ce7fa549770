import { type HistoryEvent, diff, euros, frenchDate, frenchInteger, history, historyEntry } from './history';

const meta = (commandId: string, organisation = 'bailleur:SIA_HABITAT', channel = 'api') => ({
  commandId,
  correlationId: `corr-${commandId}`,
  actor: { organisation, user: 'jeanne@sia.example', channel, clientId: 'client-sia' },
  source: null,
  estimated: false,
});
const perf = (kwh: number, dpeClass: string) => ({ primaryEnergyKwhPerM2Year: kwh, dpeClass, dpeScale: '2021' });

const delivered: HistoryEvent = {
  streamPosition: 6,
  type: 'operation.LogementsDelivered.v1',
  recordedAt: '2021-01-25T10:00:00.000Z',
  data: { operationId: 'op-1', deliveryId: 'l1', deliveredOn: '2021-01-20', logements: 60, energyBefore: perf(300, 'E'), energyAfter: perf(100, 'B'), citeId: 'c', epciCode: 'CALL', bailleurCode: 'SIA_HABITAT' },
  metadata: meta('cmd-l1'),
};

describe('history entries', () => {
  it('formats French dates, integers and euros', () => {
    expect(frenchDate('2021-01-20')).toBe('20/01/2021');
    expect(frenchInteger(233557)).toBe('233 557');
    expect(euros(150000000)).toBe('1 500 000,00 €');
    expect(euros(1205)).toBe('12,05 €');
  });

  it('describes a delivery: business date, actor, ids, summary, no changes', () => {
    expect(historyEntry(delivered)).toEqual({
      position: 6,
      type: 'operation.LogementsDelivered.v1',
      recordedAt: '2021-01-25T10:00:00.000Z',
      businessDate: '2021-01-20',
      actor: { organisation: 'bailleur:SIA_HABITAT', user: 'jeanne@sia.example', channel: 'api', clientId: 'client-sia' },
      correlationId: 'corr-cmd-l1',
      commandId: 'cmd-l1',
      summary: '60 logements livrés le 20/01/2021',
      changes: [],
      reason: null,
      source: null,
      estimated: false,
    });
  });

  it('gives a correction its reason and the before → after of each changed field only', () => {
    const e = historyEntry({
      streamPosition: 7,
      type: 'operation.LogementsDeliveryCorrected.v1',
      recordedAt: '2021-02-03T09:00:00.000Z',
      data: {
        operationId: 'op-1',
        deliveryId: 'l1',
        deliveredOn: '2021-01-20',
        logements: 55,
        energyBefore: perf(300, 'E'),
        energyAfter: perf(105, 'B'),
        previous: { deliveredOn: '2021-01-20', logements: 60, energyBefore: perf(300, 'E'), energyAfter: perf(100, 'B') },
        reason: 'Double comptage de 5 logements',
      },
      metadata: meta('cmd-fix', 'bailleur:SIA_HABITAT', 'import'),
    });
    expect(e).toMatchObject({
      businessDate: '2021-01-20',
      summary: 'Livraison l1 corrigée : 60 → 55 logements livrés le 20/01/2021',
      reason: 'Double comptage de 5 logements',
      actor: { channel: 'import' },
      changes: [
        { field: 'logements', before: 60, after: 55 },
        { field: 'energyAfter.primaryEnergyKwhPerM2Year', before: 100, after: 105 },
      ],
    });
  });

  it('shows amendments of grants and planned logements, and insertion corrections per public', () => {
    expect(
      historyEntry({
        streamPosition: 2,
        type: 'funding.GrantAmended.v1',
        recordedAt: '2020-05-01T00:00:00.000Z',
        data: { grantId: 'g1', previousAmountCents: 150000000, amountCents: 120000000, amendedOn: '2020-04-30', reason: 'Avenant n°1' },
        metadata: meta('cmd-g', 'financer:ETAT'),
      }),
    ).toMatchObject({
      businessDate: '2020-04-30',
      summary: 'Subvention modifiée le 30/04/2020 : 1 500 000,00 € → 1 200 000,00 €',
      changes: [{ field: 'amountCents', before: 150000000, after: 120000000 }],
      reason: 'Avenant n°1',
    });
    expect(
      historyEntry({
        streamPosition: 3,
        type: 'operation.PlannedLogementsAmended.v1',
        recordedAt: '2020-05-01T00:00:00.000Z',
        data: { operationId: 'op-1', previousPlannedLogements: 120, plannedLogements: 100, amendedOn: '2020-04-30', reason: 'Démolition de 20 logements' },
        metadata: meta('cmd-p'),
      }).changes,
    ).toEqual([{ field: 'plannedLogements', before: 120, after: 100 }]);
    const publics = (rsa: number) => ({ deld: 1, rsa, jeunes: 2, rqth: 0, autres: 0 });
    expect(
      historyEntry({
        streamPosition: 2,
        type: 'insertion.InsertionDeclarationCorrected.v1',
        recordedAt: '2021-08-01T00:00:00.000Z',
        data: { declarationId: 'i1', hours: 1100, participants: publics(3), recruitments: publics(1), previous: { hours: 1200, participants: publics(4), recruitments: publics(1) }, reason: 'Erreur de saisie' },
        metadata: meta('cmd-i'),
      }),
    ).toMatchObject({
      businessDate: null,
      summary: "Déclaration corrigée : 1 200 → 1 100 heures d'insertion",
      changes: [
        { field: 'hours', before: 1200, after: 1100 },
        { field: 'participants.rsa', before: 4, after: 3 },
      ],
    });
  });

  it('keeps unknown event types with a generic summary, and orders by stream position', () => {
    const unknown: HistoryEvent = { ...delivered, streamPosition: 1, type: 'operation.SomethingNew.v2', data: {} };
    const h = history([delivered, unknown]);
    expect(h.map((e) => e.position)).toEqual([1, 6]);
    expect(h[0]).toMatchObject({ summary: 'Événement operation.SomethingNew.v2', businessDate: null, changes: [] });
  });

  it('diffs nested leaves and reports added or removed ones as null', () => {
    expect(diff({ a: { x: 1 } }, { a: { x: 1, y: 2 } }, ['a'])).toEqual([{ field: 'a.y', before: null, after: 2 }]);
  });
});
