import { type INestApplication } from '@nestjs/common';
import { type EventStore } from '@erbm/event-store';
import { EVENT_STORE, READ_DB } from '@erbm/platform';
import { ProjectionRunner, bilanProjection } from '@erbm/read-models';
import { freshDatabase } from '@erbm/test-support';
import request, { type Response } from 'supertest';
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
  private constructor(readonly app: INestApplication) {}

  /** Creates `erbm_test_e2e_<name>` afresh, points DATABASE_URL at it and starts the API (migrations run on start). */
  static async start(name: string): Promise<TestApi> {
    process.env.DATABASE_URL = await freshDatabase(`erbm_test_e2e_${name}`);
    const app = await createApi({ logger: false });
    await app.init();
    return new TestApi(app);
  }

  get http() {
    return this.app.getHttpServer();
  }

  get db(): DataSource {
    return this.app.get<DataSource>(READ_DB);
  }

  /** POST a JSON body as `organisation` (X-Acting-Organisation; null: header absent), with extra headers. */
  post(path: string, organisation: string | null, body: object, headers: Headers = {}) {
    const req = request(this.http).post(path).set('X-Acting-User', 'e2e@erbm.test');
    if (organisation !== null) req.set('X-Acting-Organisation', organisation);
    return req.set(headers).send(body);
  }

  /** A bare supertest agent on the API (raw bodies, unusual headers). */
  raw() {
    return request(this.http);
  }

  get(path: string) {
    return request(this.http).get(path);
  }

  /** Brings the `bilan` read models up to date with the event store. */
  async project(): Promise<void> {
    const runner = new ProjectionRunner(this.db, this.app.get<EventStore>(EVENT_STORE), bilanProjection);
    await runner.prepare();
    await runner.catchUp();
  }

  /** Number of events in the store (the global log). */
  async eventCount(): Promise<number> {
    const rows: { n: number }[] = await this.db.query('SELECT count(*)::int AS n FROM es_events');
    return rows[0].n;
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
