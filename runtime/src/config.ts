/** Runtime configuration: parsed once at start from the environment; every key has a default. */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { parseLocale, passwordPolicy } from '@gridflow/engine';
import type { Locale, LockoutPolicy, PasswordPolicy } from '@gridflow/engine';
import { builtInPlugins } from './plugins/load-plugins.ts';
import { loadAttachmentsConfig } from './attachments/attachments.config.ts';
import type { AttachmentsConfig } from './attachments/attachments.config.ts';

/** GridFlow runtime configuration. */
export interface Config {
  /** DATA_DIR: folder for the embedded database, engine data and attachments. Default ./data */
  dataDir: string;
  /** DATABASE_URL: sqlite:<file> or mysql://user:password@host:port/database. Default sqlite:<DATA_DIR>/gridflow.db */
  databaseUrl: string;
  /** HOST: address the HTTP server binds to. Default 127.0.0.1 */
  host: string;
  /** PORT: HTTP port. Default 3000 */
  port: number;
  /** GRIDFLOW_LANG: language of CLI output and default UI language (zh-CN or en). Default zh-CN */
  locale: Locale;
  /** LOG_LEVEL: pino log level. Default info */
  logLevel: string;
  /** GRIDFLOW_DEMO_PASSWORD: password given to demo accounts by `gridflow demo`. Default Gridflow@2026 */
  demoPassword: string;
  /** GRIDFLOW_PLUGINS: plugin modules to load, comma separated. Default: the built-in plugins */
  plugins: string[];
  engine: EngineConfig;
  security: SecurityConfig;
  /** Attachment storage and limits (GRIDFLOW_ATTACHMENTS_*, GRIDFLOW_S3_*; see docs/operations/attachments.md). */
  attachments: AttachmentsConfig;
  /** Case intake: when reports count as possible duplicates (GRIDFLOW_DUPLICATE_*). */
  intake: IntakeConfig;
  /** Delivery of notifications through channel plugins (GRIDFLOW_NOTIFY_*; see docs/notifications.md). */
  notifications: NotificationsConfig;
}

/** Delivery of notifications through channel plugins. */
export interface NotificationsConfig {
  /** GRIDFLOW_NOTIFY_CHANNELS: ids of the channels notifications go through, comma separated; `none` for in-app only. Default (unset): every registered channel */
  channels?: string[];
  /** GRIDFLOW_NOTIFY_MAX_ATTEMPTS: attempts of a delivery before it is marked failed. Default 8 */
  maxAttempts: number;
  /** GRIDFLOW_NOTIFY_RETRY_SECONDS: backoff before retry n is this × 2^(n−1) seconds, capped at one hour. Default 30 */
  retrySeconds: number;
  /** GRIDFLOW_PUBLIC_URL: GridFlow's address as users reach it (e.g. https://gridflow.example.gov.cn); links in notifications are absolute with it. Default unset (links are paths) */
  publicUrl?: string;
}

/** Case intake settings. */
export interface IntakeConfig {
  /** GRIDFLOW_DUPLICATE_RADIUS_METERS: an open case of the same type this close (great-circle distance) is a possible duplicate. Default 200 */
  duplicateRadiusMeters: number;
  /** GRIDFLOW_DUPLICATE_WINDOW_HOURS: only cases reported this recently count as possible duplicates. Default 72 */
  duplicateWindowHours: number;
}

/** Sign-in, sessions and request limits. */
export interface SecurityConfig {
  /** GRIDFLOW_PASSWORD_POLICY: dengbao (≥ 8, 3 of 4 classes) or length-only (≥ 12). Default dengbao */
  passwordPolicy: PasswordPolicy;
  /** GRIDFLOW_LOCKOUT_ATTEMPTS / GRIDFLOW_LOCKOUT_MINUTES: failures that lock an account, and for how long. Default 5 / 15 */
  lockout: LockoutPolicy;
  /** GRIDFLOW_SESSION_IDLE_MINUTES: a session ends after this long without requests. Default 30 */
  sessionIdleMinutes: number;
  /** GRIDFLOW_SESSION_MAX_HOURS: a session ends this long after sign-in, however active. Default 12 */
  sessionMaxHours: number;
  /** GRIDFLOW_COOKIE_SECURE: auto (Secure when the request came over TLS), always or never. Default auto */
  cookieSecure: 'auto' | 'always' | 'never';
  /** GRIDFLOW_TRUST_PROXY: express trust proxy setting (hops or addresses) when behind a TLS proxy. Default unset */
  trustProxy?: string;
  /** GRIDFLOW_LOGIN_RATE_LIMIT: sign-in attempts per minute per client address. Default 20 */
  loginRateLimit: number;
  /** GRIDFLOW_API_RATE_LIMIT: API requests per minute per client address. Default 600 */
  apiRateLimit: number;
  /** GRIDFLOW_OIDC_*: OpenID Connect sign-in, when the district has an identity provider. */
  oidc?: OidcConfig;
}

/** An OpenID Connect identity provider. */
export interface OidcConfig {
  /** GRIDFLOW_OIDC_ISSUER: issuer URL (its /.well-known/openid-configuration is read). */
  issuer: string;
  /** GRIDFLOW_OIDC_CLIENT_ID / GRIDFLOW_OIDC_CLIENT_SECRET: the client registered for GridFlow. */
  clientId: string;
  clientSecret?: string;
  /** GRIDFLOW_OIDC_REDIRECT_URI: GridFlow's callback, e.g. https://gridflow.example.gov.cn/api/auth/oidc/callback */
  redirectUri: string;
  /** GRIDFLOW_OIDC_USERNAME_CLAIM: claim holding the GridFlow username. Default preferred_username */
  usernameClaim: string;
  /** GRIDFLOW_OIDC_SCOPES: requested scopes. Default "openid profile" */
  scopes: string;
}

/** Where the process engine is. */
export interface EngineConfig {
  /** ENGINE_URL: an engine (or a load balancer of engine nodes) to use, e.g. http://engine:8089. Unset: GridFlow starts its own. */
  url?: string;
  /** ENGINE_SECRET: password of user `gridflow` on the engine. Required with ENGINE_URL; random per start otherwise. */
  secret?: string;
  /** ENGINE_FLAVOUR: operaton or camunda, for the built-in engine. Default operaton */
  flavour: 'operaton' | 'camunda';
  /** ENGINE_PORT: port of the built-in engine on 127.0.0.1 (0 = any free port). Default 0 */
  port: number;
  /** ENGINE_DATA_DIR: H2 files of the built-in engine. Default $DATA_DIR/engine */
  dataDir: string;
  /** ENGINE_DB_URL / ENGINE_DB_USER / ENGINE_DB_PASSWORD: JDBC database of the built-in engine instead of H2. */
  database?: { jdbcUrl: string; user?: string; password?: string };
  /** ENGINE_JAVA_OPTS: JVM options of the built-in engine (space separated). */
  javaOptions?: string[];
  /** GRIDFLOW_WORKER_ID: id of this runtime's external-task worker. Default gridflow-<hostname>-<pid> */
  workerId: string;
}

/** Reads the configuration from an environment (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.DATA_DIR ?? './data');
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number (0-65535), got "${env.PORT}"`);
  }
  return {
    dataDir,
    databaseUrl: env.DATABASE_URL ?? `sqlite:${resolve(dataDir, 'gridflow.db')}`,
    host: env.HOST ?? '127.0.0.1',
    port,
    locale: parseLocale(env.GRIDFLOW_LANG ?? env.LANG),
    logLevel: env.LOG_LEVEL ?? 'info',
    demoPassword: env.GRIDFLOW_DEMO_PASSWORD ?? 'Gridflow@2026',
    plugins: env.GRIDFLOW_PLUGINS ? env.GRIDFLOW_PLUGINS.split(',').map((p) => p.trim()).filter(Boolean) : builtInPlugins,
    engine: engineConfig(env, dataDir),
    security: securityConfig(env),
    attachments: loadAttachmentsConfig(env, dataDir),
    intake: intakeConfig(env),
    notifications: notificationsConfig(env),
  };
}

/** Reads the notification delivery settings from an environment (process.env by default). */
export function notificationsConfig(env: NodeJS.ProcessEnv = process.env): NotificationsConfig {
  const maxAttempts = positive(env, 'GRIDFLOW_NOTIFY_MAX_ATTEMPTS', 8);
  if (!Number.isInteger(maxAttempts)) throw new Error(`GRIDFLOW_NOTIFY_MAX_ATTEMPTS must be a whole number, got "${env.GRIDFLOW_NOTIFY_MAX_ATTEMPTS}"`);
  const config: NotificationsConfig = { maxAttempts, retrySeconds: positive(env, 'GRIDFLOW_NOTIFY_RETRY_SECONDS', 30) };
  const channels = env.GRIDFLOW_NOTIFY_CHANNELS?.trim();
  if (channels) config.channels = channels === 'none' ? [] : channels.split(',').map((c) => c.trim()).filter(Boolean);
  if (env.GRIDFLOW_PUBLIC_URL) {
    if (!/^https?:\/\/[^/]+/.test(env.GRIDFLOW_PUBLIC_URL)) throw new Error(`GRIDFLOW_PUBLIC_URL must be an http(s) URL, got "${env.GRIDFLOW_PUBLIC_URL}"`);
    config.publicUrl = env.GRIDFLOW_PUBLIC_URL.replace(/\/+$/, '');
  }
  return config;
}

/** Reads the intake settings from an environment (process.env by default). */
export function intakeConfig(env: NodeJS.ProcessEnv = process.env): IntakeConfig {
  return {
    duplicateRadiusMeters: positive(env, 'GRIDFLOW_DUPLICATE_RADIUS_METERS', 200),
    duplicateWindowHours: positive(env, 'GRIDFLOW_DUPLICATE_WINDOW_HOURS', 72),
  };
}

function positive(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${key} must be a positive number, got "${raw}"`);
  return n;
}

function securityConfig(env: NodeJS.ProcessEnv): SecurityConfig {
  const cookieSecure = env.GRIDFLOW_COOKIE_SECURE ?? 'auto';
  if (cookieSecure !== 'auto' && cookieSecure !== 'always' && cookieSecure !== 'never') {
    throw new Error(`GRIDFLOW_COOKIE_SECURE must be auto, always or never, got "${cookieSecure}"`);
  }
  const security: SecurityConfig = {
    passwordPolicy: passwordPolicy(env.GRIDFLOW_PASSWORD_POLICY, Number(env.GRIDFLOW_PASSWORD_MAX_AGE_DAYS ?? 0) || undefined),
    lockout: { maxFailures: positive(env, 'GRIDFLOW_LOCKOUT_ATTEMPTS', 5), lockMinutes: positive(env, 'GRIDFLOW_LOCKOUT_MINUTES', 15) },
    sessionIdleMinutes: positive(env, 'GRIDFLOW_SESSION_IDLE_MINUTES', 30),
    sessionMaxHours: positive(env, 'GRIDFLOW_SESSION_MAX_HOURS', 12),
    cookieSecure,
    loginRateLimit: positive(env, 'GRIDFLOW_LOGIN_RATE_LIMIT', 20),
    apiRateLimit: positive(env, 'GRIDFLOW_API_RATE_LIMIT', 600),
  };
  if (env.GRIDFLOW_TRUST_PROXY) security.trustProxy = env.GRIDFLOW_TRUST_PROXY;
  if (env.GRIDFLOW_OIDC_ISSUER) {
    if (!env.GRIDFLOW_OIDC_CLIENT_ID || !env.GRIDFLOW_OIDC_REDIRECT_URI) {
      throw new Error('GRIDFLOW_OIDC_CLIENT_ID and GRIDFLOW_OIDC_REDIRECT_URI are required with GRIDFLOW_OIDC_ISSUER');
    }
    security.oidc = {
      issuer: env.GRIDFLOW_OIDC_ISSUER, clientId: env.GRIDFLOW_OIDC_CLIENT_ID, redirectUri: env.GRIDFLOW_OIDC_REDIRECT_URI,
      usernameClaim: env.GRIDFLOW_OIDC_USERNAME_CLAIM ?? 'preferred_username', scopes: env.GRIDFLOW_OIDC_SCOPES ?? 'openid profile',
      ...(env.GRIDFLOW_OIDC_CLIENT_SECRET ? { clientSecret: env.GRIDFLOW_OIDC_CLIENT_SECRET } : {}),
    };
  }
  return security;
}

function engineConfig(env: NodeJS.ProcessEnv, dataDir: string): EngineConfig {
  const flavour = env.ENGINE_FLAVOUR ?? 'operaton';
  if (flavour !== 'operaton' && flavour !== 'camunda') throw new Error(`ENGINE_FLAVOUR must be operaton or camunda, got "${flavour}"`);
  if (env.ENGINE_URL && !env.ENGINE_SECRET) throw new Error('ENGINE_SECRET is required with ENGINE_URL (the password of user gridflow on the engine)');
  const config: EngineConfig = {
    flavour,
    port: Number(env.ENGINE_PORT ?? 0),
    dataDir: resolve(env.ENGINE_DATA_DIR ?? resolve(dataDir, 'engine')),
    workerId: env.GRIDFLOW_WORKER_ID ?? `gridflow-${hostname()}-${process.pid}`,
  };
  if (env.ENGINE_URL) config.url = env.ENGINE_URL.replace(/\/+$/, '').replace(/\/engine-rest$/, '');
  if (env.ENGINE_SECRET) config.secret = env.ENGINE_SECRET;
  if (env.ENGINE_DB_URL) config.database = { jdbcUrl: env.ENGINE_DB_URL, user: env.ENGINE_DB_USER ?? '', password: env.ENGINE_DB_PASSWORD ?? '' };
  if (env.ENGINE_JAVA_OPTS) config.javaOptions = env.ENGINE_JAVA_OPTS.split(/\s+/).filter(Boolean);
  return config;
}
