/** The express application: hardening, sign-in, scoped API routes, start page and error handling. */
import { randomUUID } from 'node:crypto';
import express from 'express';
import type { Knex } from 'knex';
import helmet from 'helmet';
import { rateLimit } from 'express-rate-limit';
import { UserError } from '@gridflow/engine';
import type { Logger } from 'pino';
import type { SecurityConfig } from '../config.ts';
import { PolicyLoader } from '../access/policy.loader.ts';
import { AuthService } from '../auth/auth.service.ts';
import { Authenticator } from '../auth/authenticate.ts';
import { authRouter } from '../auth/auth.router.ts';
import { oidcRouter } from '../auth/oidc.ts';
import { SessionStore } from '../auth/session.store.ts';
import { DefinitionsStore } from '../definitions/definitions.store.ts';
import { definitionsRouter } from '../definitions/definitions.router.ts';
import type { EngineConnection } from '../engine-sync/engine-connection.ts';
import type { RequestContext } from '../http/request-context.ts';
import type { RegisteredRoute } from '../http/route.ts';
import { docsRouter } from '../http/docs.router.ts';
import { orgRouter } from '../org/org.router.ts';
import { usersRouter } from '../users/users.router.ts';
import { casesRouter } from '../cases/cases.router.ts';
import { intakeRouter } from '../intake/intake.router.ts';
import { tasksRouter } from '../tasks/tasks.router.ts';
import { auditRouter } from '../audit/audit.router.ts';
import { registersRouter } from '../registers/registers.router.ts';
import { workbenchRouter } from './workbench.ts';
import { notificationsRouter } from '../notifications/notifications.router.ts';
import { assessmentRouter } from '../assessment/assessment.router.ts';
import { clockRouter } from '../clock/clock.router.ts';
import { supervisionsRouter } from '../supervision/supervisions.router.ts';
import { attachmentsRouter } from '../attachments/attachments.router.ts';
import type { BlobStore } from '../attachments/attachment.storage.ts';
import type { AttachmentsConfig } from '../attachments/attachments.config.ts';
import { whistleRouter } from '../whistle/whistle.router.ts';
import { errorHandler } from './error-handler.ts';
import { healthRouter } from './health.router.ts';
import { renderHomePage } from './home-page.ts';

/** What the app needs to know of the engine side. */
export interface EngineStatus {
  status: 'up' | 'down';
  connection?: EngineConnection;
}

/** Options of the HTTP application. */
export interface AppOptions {
  logger: Logger;
  security: SecurityConfig;
  attachments: { config: AttachmentsConfig; store: BlobStore };
  engine?: EngineStatus;
  clock?: () => Date;
}

/** The app with the routes it declares (for docs and the authorization matrix). */
export type GridflowApp = express.Express & { locals: { routes: RegisteredRoute[] } };

const tooMany = { 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests; please try again later' };

/** Builds the HTTP application over a migrated database. */
export function createApp(db: Knex, options: AppOptions): GridflowApp {
  const { logger, security } = options;
  const clock = options.clock ?? (() => new Date());
  const app = express() as GridflowApp;
  const routes: RegisteredRoute[] = [];
  app.locals.routes = routes;
  app.disable('x-powered-by');
  if (security.trustProxy) app.set('trust proxy', /^\d+$/.test(security.trustProxy) ? Number(security.trustProxy) : security.trustProxy);
  app.use(helmet({ contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"] } } }));
  app.use((req, res, next) => {
    const requestId = randomUUID();
    res.setHeader('x-request-id', requestId);
    const ctx: RequestContext = { requestId, client: { ...(req.ip ? { ip: req.ip } : {}), ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}) } };
    res.locals.ctx = ctx;
    const started = process.hrtime.bigint();
    // Paths only (queries may carry personal data); never headers or bodies.
    res.on('finish', () => logger.info({
      requestId, method: req.method, path: req.path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6, user: ctx.user?.principal.username,
    }, 'request'));
    next();
  });
  const limited = (limit: number) => rateLimit({
    windowMs: 60_000, limit, standardHeaders: 'draft-8', legacyHeaders: false,
    handler: (_req, _res, next) => next(new UserError('rateLimited', tooMany, { status: 429 })),
  });
  app.use('/api', limited(security.apiRateLimit));
  const signInLimit = limited(security.loginRateLimit);
  app.use('/api/auth/login', signInLimit);
  app.use('/api/auth/oidc', signInLimit);
  app.use(express.json({ limit: '1mb' }));

  const policies = new PolicyLoader(db);
  const sessions = new SessionStore(db, { idleMinutes: security.sessionIdleMinutes, maxHours: security.sessionMaxHours }, clock);
  const authenticator = new Authenticator(db, sessions, policies, security.passwordPolicy, clock);
  const auth = new AuthService(db, sessions, { password: security.passwordPolicy, lockout: security.lockout }, clock);
  app.use('/api', authenticator.middleware());

  app.use('/api/health', healthRouter(db, options.engine, routes));
  if (security.oidc) app.use('/api/auth/oidc', oidcRouter(db, security.oidc, auth, security, routes));
  app.use('/api/auth', authRouter(auth, authenticator, security, routes));
  app.use('/api/definitions', definitionsRouter(db, routes));
  app.use('/api/org', orgRouter(db, routes));
  app.use('/api/users', usersRouter(db, sessions, clock, routes));
  app.use('/api/cases', casesRouter(db, clock, routes, options.engine));
  app.use('/api', intakeRouter(db, options, clock, routes));
  app.use('/api/tasks', tasksRouter(db, options.engine, clock, routes));
  app.use('/api/audit', auditRouter(db, clock, routes));
  app.use('/api/registers', registersRouter(db, clock, routes));
  app.use('/api/notifications', notificationsRouter(db, clock, routes));
  app.use('/api/assessment', assessmentRouter(db, clock, routes));
  app.use('/api', clockRouter(db, options.engine, clock, routes, logger));
  app.use('/api', supervisionsRouter(db, clock, routes));
  app.use('/api', whistleRouter(db, options.engine, clock, routes));
  app.use('/api/attachments', attachmentsRouter(db, options.attachments.store, options.attachments.config, clock, routes, logger));
  app.use('/api/docs', docsRouter(routes));
  app.use(workbenchRouter());
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
    next(new UserError('notFound', { 'zh-CN': `接口不存在：${req.method} ${req.path}`, en: `No such endpoint: ${req.method} ${req.path}` }, { status: 404 }));
  });
  app.use(errorHandler(logger));
  return app;
}
