import { type Server } from 'node:http';
import { Metrics } from './metrics';
import { portOf, serveMetrics } from './metrics-server';

/** The worker's metrics endpoint (METRICS_PORT), on a free local port. */
describe('serveMetrics', () => {
  const token = 'worker-scrape-token-0123456789abcdef';
  const metrics = new Metrics({ processMetrics: false });
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = await serveMetrics(metrics, { port: 0, token, host: '127.0.0.1' });
    base = `http://127.0.0.1:${portOf(server)}`;
    metrics.observeCommand({ type: 'operation.RecordLogementsDelivery', outcome: 'accepted', code: null, seconds: 0.02 });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves the metrics to the bearer of the token', async () => {
    const res = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await res.text()).toContain('erbm_commands_total{type="operation.RecordLogementsDelivery",outcome="accepted",code="none"} 1');
  });

  it('refuses anyone else with 401 problem+json, and answers 404 elsewhere', async () => {
    const attempts: Record<string, string>[] = [{}, { Authorization: `Bearer ${token}x` }, { Authorization: token }];
    for (const headers of attempts) {
      const res = await fetch(`${base}/metrics`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="erbm"');
      expect(await res.json()).toMatchObject({ status: 401, code: 'AUTH.UNAUTHENTICATED' });
    }
    const other = await fetch(`${base}/health`, { headers: { Authorization: `Bearer ${token}` } });
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ status: 404, code: 'ROUTE.NOT_FOUND' });
  });
});
