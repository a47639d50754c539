/** Starting and stopping the HTTP server. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { createApp } from './app.ts';
import { createBlobStore } from '../attachments/attachment.storage.ts';
import type { EngineStatus } from './app.ts';

/** A running server and how to stop it. */
export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** The structured logger (pino) of the runtime: no secrets in logs. */
export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie', 'secret', '*.secret'] });
}

/** Listens on the configured host and port (port 0 picks a free one). */
export async function startServer(db: Knex, config: Config, deps: { logger?: Logger; engine?: EngineStatus } = {}): Promise<RunningServer> {
  const logger = deps.logger ?? createLogger(config);
  const attachments = { config: config.attachments, store: createBlobStore(config.attachments) };
  const app = createApp(db, { logger, security: config.security, attachments, ...(deps.engine ? { engine: deps.engine } : {}) });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return {
    url: `http://${host}:${port}/`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
