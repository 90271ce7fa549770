import { TestApi, expectStatus } from './support/api';
import { SIA, command, energy, logementsOperationInTravaux, registerReferenceData } from './support/scenario';

/**
 * "As of" a business date and "as known at" a time: a delivery, then a correction of it. The bilan as known before
 * the correction still shows the original figure; as known after, the corrected one; as of a date before the
 * delivery, nothing.
 */
let api: TestApi;
const OP = 'op-as-of';
let deliveryKnownAt: string;
let correctionKnownAt: string;

const bilan = async (query: string) => {
  const res = await api.get(`/reports/bilan?${query}`);
  expectStatus(res, 200);
  return res.body as { logements: { delivered: number; byYear: { key: string; delivered: number }[] }; energy: { averageAfterKwhPerM2Year: number | null } };
};

const recordedAtOfLast = async (): Promise<string> => {
  const res = await api.get(`/operations/${OP}`);
  const events = (res.body as { events: { recordedAt: string }[] }).events;
  return events[events.length - 1].recordedAt;
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  api = await TestApi.start('as_of');
  await registerReferenceData(api);
  await logementsOperationInTravaux(api, OP, 120);
  await command(api, `/operations/${OP}/deliveries`, SIA, { deliveryId: 'liv-01', deliveredOn: '2021-01-20', logements: 60, energyBefore: energy(345, 'F'), energyAfter: energy(104, 'B') });
  deliveryKnownAt = await recordedAtOfLast();
  await pause(20); // the correction is recorded strictly later
  await command(api, `/operations/${OP}/deliveries/liv-01/corrections`, SIA, {
    deliveredOn: '2021-02-03',
    logements: 58,
    energyBefore: energy(345, 'F'),
    energyAfter: energy(98, 'B'),
    reason: 'Deux logements comptés deux fois',
  });
  correctionKnownAt = await recordedAtOfLast();
  await api.project();
});
afterAll(() => api.close());

describe('as of a date, as known at a time', () => {
  it('records the correction after the delivery', () => {
    expect(correctionKnownAt > deliveryKnownAt).toBe(true);
  });

  it('shows the original figure as known before the correction', async () => {
    const b = await bilan(`asOf=2022-12-31&knownAt=${encodeURIComponent(deliveryKnownAt)}`);
    expect(b.logements.delivered).toBe(60);
    expect(b.energy.averageAfterKwhPerM2Year).toBe(104);
    expect(b).toMatchObject({ knownAt: deliveryKnownAt });
  });

  it('shows the corrected figure as known after the correction, and by default', async () => {
    const after = await bilan(`asOf=2022-12-31&knownAt=${encodeURIComponent(correctionKnownAt)}`);
    expect(after.logements.delivered).toBe(58);
    expect(after.energy.averageAfterKwhPerM2Year).toBe(98);
    expect((await bilan('asOf=2022-12-31')).logements.delivered).toBe(58);
  });

  it('shows nothing as known before the delivery', async () => {
    const before = new Date(Date.parse(deliveryKnownAt) - 1).toISOString();
    expect((await bilan(`asOf=2022-12-31&knownAt=${encodeURIComponent(before)}`)).logements.delivered).toBe(0);
  });

  it('follows the business dates: 0 before the delivery, the corrected date moves it', async () => {
    expect((await bilan('asOf=2021-01-19')).logements.delivered).toBe(0);
    // corrected delivery date 2021-02-03: not yet delivered on 2021-01-31 as known now…
    expect((await bilan('asOf=2021-01-31')).logements.delivered).toBe(0);
    // …but delivered on 2021-01-20 as known before the correction
    expect((await bilan(`asOf=2021-01-31&knownAt=${encodeURIComponent(deliveryKnownAt)}`)).logements.delivered).toBe(60);
    expect((await bilan('asOf=2021-02-03')).logements.delivered).toBe(58);
  });

  it('answers the progress read model the same way', async () => {
    const res = await api.get(`/progress/logements?asOf=2022-12-31&by=year&knownAt=${encodeURIComponent(deliveryKnownAt)}`);
    expect(res.body).toMatchObject({ delivered: 60, groups: [{ key: '2021', delivered: 60 }] });
    const now = await api.get('/progress/logements?asOf=2022-12-31&by=year');
    expect(now.body).toMatchObject({ delivered: 58, groups: [{ key: '2021', delivered: 58 }] });
  });

  it('refuses an impossible asOf or knownAt', async () => {
    const bad = await api.get('/reports/bilan?asOf=2022-02-30');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'REQUEST.INVALID', violations: [{ field: 'asOf', rule: 'isIsoDate' }] });
    expect((await api.get('/reports/bilan?knownAt=yesterday')).status).toBe(400);
    expect((await api.get('/reports/bilan?asOf=2101-01-01')).body).toMatchObject({ code: 'REQUEST.INVALID', violations: [{ field: 'asOf' }] });
  });

  it('reads as of every date a command can record, up to 2100-12-31 (issue 11, item 4)', async () => {
    for (const asOf of ['1900-01-01', '2099-12-31', '2100-12-31']) expect((await api.get(`/progress/logements?asOf=${asOf}`)).status).toBe(200);
  });
});
