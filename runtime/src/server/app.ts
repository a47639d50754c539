/** The express application: API routes, start page and error handling. */
import { randomUUID } from 'node:crypto';
import express from 'express';
import type { Knex } from 'knex';
import { UserError } from '@gridflow/engine';
import type { DefinitionsResponse, HealthResponse } from '../contracts/index.ts';
import type { Logger } from 'pino';
import { DefinitionsStore } from '../definitions/definitions.store.ts';
import { orgRouter } from '../org/org.router.ts';
import { errorHandler } from './error-handler.ts';
import { renderHomePage } from './home-page.ts';

/** What the app needs to know of the engine side. */
export interface EngineStatus {
  status: 'up' | 'down';
}

/** Builds the HTTP application over a migrated database. */
export function createApp(db: Knex, logger: Logger, engine?: EngineStatus): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    res.setHeader('x-request-id', randomUUID());
    res.setHeader('x-content-type-options', 'nosniff');
    next();
  });
  app.use(express.json({ limit: '1mb' }));

  app.get('/api/health', async (_req, res) => {
    await db.raw('select 1');
    const body: HealthResponse = { status: 'ok' };
    if (engine) body.engine = engine.status;
    res.status(engine?.status === 'down' ? 503 : 200).json(body);
  });
  app.get('/api/definitions', async (_req, res) => {
    const body: DefinitionsResponse = { versions: await new DefinitionsStore(db).list() };
    res.json(body);
  });
  app.use('/api/org', orgRouter(db));
  app.get('/', async (_req, res) => {
    const levels = Object.fromEntries((await db('org_units').where({ active: true }).groupBy('level').select('level').count({ n: '*' }) as { level: string; n: number }[])
      .map((r) => [r.level, Number(r.n)]));
    const district = await db('org_units').where({ level: 'district', active: true }).first('code', 'name');
    const [{ n: departments } = { n: 0 }] = await db('departments').where({ active: true }).count({ n: '*' });
    const [{ n: users } = { n: 0 }] = await db('users').where({ status: 'active' }).count({ n: '*' });
    const versions = await new DefinitionsStore(db).list();
    res.type('html').send(renderHomePage({ district, levels, departments: Number(departments), users: Number(users), versions }));
  });
  app.use('/api', (req, _res, next) => {
    next(new UserError('notFound', { 'zh-CN': `接口不存在：${req.method} ${req.originalUrl}`, en: `No such endpoint: ${req.method} ${req.originalUrl}` }, { status: 404 }));
  });
  app.use(errorHandler(logger));
  return app;
}
