import { type INestApplication } from '@nestjs/common';
import { type EventStore } from '@erbm/event-store';
import { type JobProcessors, JOB_NAMES } from '@erbm/application';
import { API_KEYS, type ApiKeys, type AppConfig, EVENT_STORE, READ_DB, REDIS, readConfig, startJobWorker } from '@erbm/platform';
import type Redis from 'ioredis';
import { ProjectionRunner, bilanProjection } from '@erbm/projections';
import { freshDatabase, logReadable, redisUrl } from '@erbm/test-support';
import request, { type Response, type Test } from 'supertest';
import { type DataSource } from 'typeorm';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the e2e tests drive the API application itself
import { createApi } from '../../../apps/api/src/bootstrap';

/** Headers of a command request besides the acting organisation. */
export type Headers = Record<string, string>;

/**
 * The API on a fresh PostgreSQL database (and the local Redis), driven through supertest, with the helpers the
 * e2e suites share: commands as an organisation, reads, projection catch-up and the event count.
 */
export class TestApi {
  /** API keys by organisation, issued on first use through the admin endpoints. */
  private readonly keys = new Map<string, Promise<string>>();

  private constructor(
    readonly app: INestApplication,
    /** The configuration the API runs on (the object it was given: a suite may change a field it reads per request). */
    readonly config: AppConfig,
    readonly adminKey: string,
  ) {
    this.keys.set('delegation', Promise.resolve(adminKey));
  }

  /**
   * Creates `erbm_test_e2e_<name>` afresh, starts the API on it (migrations run on start) and bootstraps a délégation
   * API key the way `cli auth bootstrap` does. The API gets its configuration explicitly, never from `process.env`
   * (where a setting meant for one API would reach every API started after it): the defaults of `readConfig({})`,
   * that database, the test Redis (`redisUrl()`), a BullMQ queue of its own (`erbm-e2e-<name>-<pid>-<time>`), then
   * `overrides` (an OIDC issuer, a rate limit, SIRETs, an unreachable Redis…).
   */
  static async start(name: string, overrides: Partial<AppConfig> = {}): Promise<TestApi> {
    const config: AppConfig = {
      ...readConfig({}),
      databaseUrl: await freshDatabase(`erbm_test_e2e_${name}`),
      databaseUrlGiven: true,
      redisUrl: redisUrl(),
      jobQueueName: `erbm-e2e-${name}-${process.pid}-${Date.now()}`,
      ...overrides,
    };
    const app = await createApi({ logger: false, config });
    await app.init();
    const admin = await app.get<ApiKeys>(API_KEYS).bootstrap('delegation', 'Délégation ERBM (e2e)', 'e2e');
    return new TestApi(app, config, admin.key);
  }

  /** An API key of `organisation`: a client registered and a key issued by the délégation (POST /auth/…), cached. */
  keyFor(organisation: string): Promise<string> {
    let key = this.keys.get(organisation);
    if (!key) {
      key = (async () => {
        const client = await request(this.http).post('/auth/clients').set('Authorization', `Bearer ${this.adminKey}`).send({ organisation, name: `e2e ${organisation}` });
        if (client.status !== 201) throw new Error(`cannot register a client of ${organisation}: ${client.status} ${JSON.stringify(client.body)}`);
        const issued = await request(this.http).post(`/auth/clients/${(client.body as { clientId: string }).clientId}/keys`).set('Authorization', `Bearer ${this.adminKey}`).send();
        if (issued.status !== 201) throw new Error(`cannot issue a key to ${organisation}: ${issued.status} ${JSON.stringify(issued.body)}`);
        return (issued.body as { key: string }).key;
      })();
      this.keys.set(organisation, key);
    }
    return key;
  }

  /**
   * Makes a supertest request authenticate as an organisation when it is sent: `organisation`, else the legacy
   * `X-Acting-Organisation` header the request carries, else the délégation. With `null`, no credential is sent.
   */
  private as(test: Test, organisation: string | null | undefined): Test {
    if (organisation === null) return test;
    const send = test.then.bind(test);
    (test as { then: Test['then'] }).then = (onFulfilled, onRejected) => {
      const declared = (test as unknown as { _header?: Record<string, string> })._header?.['x-acting-organisation'];
      const org = organisation ?? declared ?? 'delegation';
      return this.keyFor(org).then((key) => {
        if ((test as unknown as { _header?: Record<string, string> })._header?.authorization === undefined) test.set('Authorization', `Bearer ${key}`);
        return send(onFulfilled, onRejected);
      }, onRejected);
    };
    return test;
  }

  get http() {
    return this.app.getHttpServer();
  }

  get db(): DataSource {
    return this.app.get<DataSource>(READ_DB);
  }

  /** POST a JSON body as `organisation` (its API key; null: no credential), with extra headers. */
  post(path: string, organisation: string | null, body: object, headers: Headers = {}) {
    return this.as(request(this.http).post(path).set('X-Acting-User', 'e2e@erbm.test').set(headers).send(body), organisation);
  }

  /**
   * A supertest agent on the API (raw bodies, unusual headers) whose requests authenticate as `organisation`
   * (default: the request's X-Acting-Organisation header, else the délégation; null: no credential).
   */
  raw(organisation?: string | null) {
    const agent = request(this.http);
    return {
      get: (path: string) => this.as(agent.get(path), organisation),
      post: (path: string) => this.as(agent.post(path), organisation),
      put: (path: string) => this.as(agent.put(path), organisation),
      delete: (path: string) => this.as(agent.delete(path), organisation),
      patch: (path: string) => this.as(agent.patch(path), organisation),
    };
  }

  /** GET as `organisation` (default: the request's X-Acting-Organisation header, else the délégation; null: anonymous). */
  get(path: string, organisation?: string | null) {
    return this.as(request(this.http).get(path), organisation);
  }

  /** Brings the `identity` read model (admin listing) up to date with every event committed so far. */
  async refreshIdentity(): Promise<void> {
    await logReadable(this.db);
    await this.app.get<ApiKeys>(API_KEYS).refresh();
  }

  /**
   * Brings the `bilan` read models up to date with every event committed so far, even while a transaction open
   * elsewhere on the PostgreSQL server (another suite, another program) holds the log back (`logReadable`).
   */
  async project(): Promise<void> {
    const runner = new ProjectionRunner(this.db, this.app.get<EventStore>(EVENT_STORE), bilanProjection);
    await runner.prepare();
    await logReadable(this.db);
    await runner.catchUp();
  }

  /**
   * Number of domain events in the store (the global log), leaving out the identity events that issuing test keys
   * on first use appends (`identity.*`). `storeCount()` counts every event.
   */
  async eventCount(): Promise<number> {
    const rows: { n: number }[] = await this.db.query(`SELECT count(*)::int AS n FROM es_events WHERE type NOT LIKE 'identity.%'`);
    return rows[0].n;
  }

  /** Number of events in the store, all of them: `SELECT count(*) FROM es_events`. */
  async storeCount(): Promise<number> {
    const rows: { n: number }[] = await this.db.query('SELECT count(*)::int AS n FROM es_events');
    return rows[0].n;
  }

  /**
   * Starts an in-process BullMQ worker on the queue the API was started with (`config.jobQueueName`), on its own
   * blocking Redis connection. Job types the suite does not exercise get a processor that fails loudly.
   * Returns the function that stops the worker and closes its connection.
   */
  startJobWorker(processors: Partial<JobProcessors>): () => Promise<void> {
    const unused = () => Promise.reject(new Error('job type not used by this suite'));
    const all = Object.fromEntries(JOB_NAMES.map((name) => [name, processors[name] ?? unused])) as unknown as JobProcessors;
    const connection = this.app.get<Redis>(REDIS).duplicate({ maxRetriesPerRequest: null });
    const worker = startJobWorker(connection, all, this.config.jobQueueName);
    return async () => {
      await worker.close();
      connection.disconnect();
    };
  }

  close(): Promise<void> {
    return this.app.close();
  }
}

/** Asserts the status, showing the body when it differs (a failing command explains itself). */
export function expectStatus(res: Response, status: number): void {
  expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status });
}

/** Asserts a problem+json answer with this status and code. */
export function expectProblem(res: Response, status: number, code: string): void {
  expect({ status: res.status, code: (res.body as { code?: string }).code, body: res.body as unknown }).toMatchObject({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
}
