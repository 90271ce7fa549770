import { createHash, timingSafeEqual } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Metrics } from './metrics';

const problem = (status: number, code: string, detail: string) =>
  JSON.stringify({ type: 'about:blank', title: status === 401 ? 'Unauthorized' : 'Not Found', status, code, detail });

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Serves `GET /metrics` of a process without an HTTP API (the worker, `METRICS_PORT`), for `Authorization: Bearer
 * <token>` only (compared in constant time): 401 problem+json without it, 404 problem+json for any other path.
 * Resolves with the listening server once it listens (port 0: a free port, see `server.address()`).
 */
export function serveMetrics(metrics: Metrics, options: { port: number; token: string; host?: string }): Promise<Server> {
  const expected = digest(options.token);
  const server = createServer((req, res) => {
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
      res.end(body);
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') return send(404, 'application/problem+json', problem(404, 'ROUTE.NOT_FOUND', `${req.method} ${path} does not exist; GET /metrics`));
    const m = /^Bearer +(\S{1,4096})$/i.exec(req.headers.authorization?.trim() ?? '');
    if (!m || !timingSafeEqual(digest(m[1]), expected)) {
      return send(401, 'application/problem+json', problem(401, 'AUTH.UNAUTHENTICATED', 'Send Authorization: Bearer <METRICS_TOKEN>'), { 'WWW-Authenticate': 'Bearer realm="erbm"' });
    }
    metrics.registry.metrics().then(
      (text) => send(200, metrics.registry.contentType, text),
      (e: Error) => send(503, 'application/problem+json', JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: e.message })),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve(server));
  });
}

/** The port a server listens on. */
export const portOf = (server: Server): number => (server.address() as AddressInfo).port;
