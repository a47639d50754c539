/** @gridflow/runtime: the GridFlow server, its CLI and its storage. */
export { loadConfig } from './config.ts';
export type { Config, EngineConfig } from './config.ts';
export { openDatabase, parseDatabaseUrl, redactUrl } from './db/connection.ts';
export { migrateLatest, migrateRollback, migrationStatus } from './db/migrate.ts';
export { createApp } from './server/app.ts';
export { startServer, createLogger } from './server/serve.ts';
export { DefinitionsService } from './definitions/definitions.service.ts';
export { EngineHost } from './engine-host/engine-host.ts';
export { AuditLog } from './audit/audit.store.ts';
export { runCli } from './cli/main.ts';
export type * from './contracts/index.ts';
