/**
 * GridFlow's side of the engine: starts the built-in engine (or connects to ENGINE_URL), keeps the
 * projection in step (outbox consumer + reconciler), and runs the plugins' topic handlers.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { createEngineClient, EngineProcess, ensureEngineJar, WorkerHost } from '@gridflow/engine';
import type { PluginRegistry } from '@gridflow/engine';
import type { EngineConfig } from '../config.ts';
import { CasesService } from '../cases/cases.service.ts';
import type { EngineConnection } from '../engine-sync/engine-connection.ts';
import { OutboxConsumer } from '../engine-sync/outbox-consumer.ts';
import { Reconciler } from '../engine-sync/reconciler.ts';
import { workerOutcomeStore } from '../engine-sync/worker-outcome-store.ts';
import { deployActiveDefinitions } from './deploy-definitions.ts';
import { removeEngineEndpoint, writeEngineEndpoint } from '../backup/engine-endpoint.ts';
import { settlePendingSubmissions } from '../forms/form-submissions.ts';
import { withCoreTopics } from './core-topics.ts';

/** Reconcile every 5 minutes as well as after start and after the engine comes back. */
const RECONCILE_EVERY_MS = 5 * 60_000;

/** Options of the engine host. */
export interface EngineHostOptions {
  /** The time GridFlow's own topic handlers go by (tests move it). */
  clock?: () => Date;
}

/** The running engine side of GridFlow. */
export class EngineHost {
  readonly connection: EngineConnection;
  readonly consumer: OutboxConsumer;
  readonly cases: CasesService;
  readonly reconciler: Reconciler;
  private workers: WorkerHost | undefined;
  private timer: NodeJS.Timeout | undefined;
  status: 'up' | 'down' = 'up';

  private constructor(
    private readonly db: Knex, private readonly config: EngineConfig, private readonly registry: PluginRegistry,
    private readonly logger: Logger, readonly process: EngineProcess | undefined, connection: EngineConnection,
    private readonly clock: () => Date,
  ) {
    this.connection = connection;
    this.consumer = new OutboxConsumer(db, connection);
    this.cases = new CasesService(db, connection);
    this.reconciler = new Reconciler(db, connection, this.consumer, this.cases);
  }

  /** Starts (or connects to) the engine and everything that keeps GridFlow in step with it. */
  static async start(db: Knex, config: EngineConfig, registry: PluginRegistry, logger: Logger, options: EngineHostOptions = {}): Promise<EngineHost> {
    let engineProcess: EngineProcess | undefined;
    let connection: EngineConnection;
    if (config.url) {
      connection = { url: config.url, secret: config.secret ?? '' };
    } else {
      const secret = randomBytes(24).toString('base64url');
      const options: ConstructorParameters<typeof EngineProcess>[0] = {
        jar: ensureEngineJar(config.flavour), flavour: config.flavour, dataDir: config.dataDir, secret, port: config.port,
        log: (line) => logger.debug({ engine: config.flavour }, line),
      };
      if (config.database) options.database = config.database;
      if (config.javaOptions) options.javaOptions = config.javaOptions;
      engineProcess = new EngineProcess(options);
      await engineProcess.start();
      writeEngineEndpoint(config.dataDir, { url: engineProcess.url, secret, flavour: config.flavour });
      connection = { url: engineProcess.url, secret };
    }
    const host = new EngineHost(db, config, registry, logger, engineProcess, connection, options.clock ?? (() => new Date()));
    await host.begin();
    return host;
  }

  private async begin(): Promise<void> {
    const { logger } = this;
    this.process?.on('crashed', (code: number | null, signal: string | null) => {
      this.status = 'down';
      logger.error({ code, signal }, 'the process engine stopped unexpectedly; restarting it');
    });
    this.process?.on('started', () => logger.info('process engine started'));
    this.process?.on('failed', (e: unknown) => logger.error({ err: e }, 'the process engine could not be restarted'));
    this.consumer.on('engineDown', (e: unknown) => {
      this.status = 'down';
      logger.error({ err: e }, 'lost the process engine; the task projection will catch up when it is back');
    });
    this.consumer.on('engineUp', () => {
      this.status = 'up';
      logger.info('process engine is back; reconciling');
      void this.reconcile(0);
    });
    await this.reconcile(0);
    const engine = createEngineClient({ baseUrl: this.connection.url, secret: this.connection.secret });
    const deployed = await deployActiveDefinitions(this.db, engine);
    for (const d of deployed) logger.info(d, d.created ? 'deployed processes' : 'processes already deployed');
    this.consumer.start();
    this.workers = new WorkerHost({
      engineRestUrl: `${this.connection.url}/engine-rest`, secret: this.connection.secret,
      registry: withCoreTopics(this.registry, { db: this.db, engine, clock: this.clock, logger: this.logger }),
      workerId: this.config.workerId, store: workerOutcomeStore(this.db),
      events: { failed: (task, error, retriesLeft) => logger.warn({ topic: task.topic, taskId: task.id, retriesLeft, err: error.message }, 'topic handler failed') },
    });
    this.workers.start();
    this.timer = setInterval(() => void this.reconcile(RECONCILE_EVERY_MS / 2), RECONCILE_EVERY_MS);
    this.timer.unref();
  }

  /** One reconciliation pass; failures are logged (the next pass retries). */
  async reconcile(startingOlderThanMs: number): Promise<void> {
    try {
      const report = await this.reconciler.run(startingOlderThanMs);
      const changed = report.casesStarted + report.mergedEnded + report.tasksAdded + report.tasksUpdated + report.tasksClosed;
      if (changed > 0) this.logger.warn(report, 'reconciliation repaired drift between the engine and GridFlow');
      const settled = await settlePendingSubmissions(this.db);
      if (settled.accepted + settled.rejected > 0) this.logger.warn(settled, 'settled form submissions left pending by an interruption');
    } catch (e) {
      this.logger.warn({ err: e }, 'reconciliation failed; will retry');
    }
  }

  /** Stops workers, the consumer and the built-in engine. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.workers?.stop();
    await this.consumer.stop();
    await this.process?.stop();
    if (this.process) removeEngineEndpoint(this.config.dataDir);
  }
}
