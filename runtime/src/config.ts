/** Runtime configuration: parsed once at start from the environment; every key has a default. */
import { resolve } from 'node:path';
import { parseLocale } from '@gridflow/engine';
import type { Locale } from '@gridflow/engine';

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
  };
}
