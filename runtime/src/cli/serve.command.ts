/** `gridflow serve` and `gridflow demo`: run GridFlow; demo first loads the demo district. */
import type { Command } from 'commander';
import type { Knex } from 'knex';
import { hashPassword } from '../users/passwords.service.ts';
import { demoDistrictPackageDir } from '@gridflow/definitions';
import { DefinitionsService } from '../definitions/definitions.service.ts';
import { migrateLatest } from '../db/migrate.ts';
import { startServer } from '../server/serve.ts';
import { redactUrl } from '../db/connection.ts';
import { loadPlugins } from '../plugins/load-plugins.ts';
import { boundTopicNames } from '../engine-host/core-topics.ts';
import type { PluginRegistry } from '@gridflow/engine';
import { EngineHost } from '../engine-host/engine-host.ts';
import { startNotificationDelivery } from '../notifications/notification-delivery.ts';
import { createLogger } from '../server/serve.ts';
import { acquireDataDirLock } from '../backup/data-dir-lock.ts';
import type { CliContext } from './context.ts';

/** Gives demo accounts that have no password the demo password; returns one login per role. */
async function prepareDemoLogins(db: Knex, password: string): Promise<{ username: string; name: string; role: string }[]> {
  const passwordHash = await hashPassword(password);
  await db('users').whereNull('password_hash').where({ source: 'definitions' })
    .update({ password_hash: passwordHash, must_change_password: false, password_changed_at: new Date() });
  const rows = await db('users as u').join('user_roles as ur', 'ur.user_id', 'u.id').join('roles as r', 'r.code', 'ur.role_code')
    .where('u.status', 'active').orderBy('u.username').select('u.username', 'u.display_name as name', 'r.code as roleCode', 'r.name as role') as
    { username: string; name: string; roleCode: string; role: string }[];
  const perRole = new Map<string, { username: string; name: string; role: string }>();
  for (const r of rows) if (!perRole.has(r.roleCode)) perRole.set(r.roleCode, { username: r.username, name: r.name, role: r.role });
  return [...perRole.values()];
}

async function serveUntilStopped(ctx: CliContext, db: Knex, registry: PluginRegistry, banner: (url: string, engine: string) => void): Promise<void> {
  const logger = createLogger(ctx.config);
  // Before the engine side starts: topic handlers and requests may notify, and notifications are queued for the channels in use.
  const notifications = startNotificationDelivery(db, registry, ctx.config.notifications, logger);
  const engine = await EngineHost.start(db, ctx.config.engine, registry, logger);
  const running = await startServer(db, ctx.config, { logger, engine });
  banner(running.url, ctx.config.engine.url ?? `${ctx.config.engine.flavour} ${engine.connection.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
  await notifications.stop();
  await engine.stop();
}

/** Registers serve and demo. */
export function registerServeCommands(program: Command, ctx: CliContext): void {
  const en = ctx.config.locale === 'en';
  program.command('serve').description('run the GridFlow server').action(async () => {
    const lock = acquireDataDirLock(ctx.config);
    try {
      const db = await ctx.database();
      await migrateLatest(db);
      await serveUntilStopped(ctx, db, await loadPlugins(ctx.config.plugins), (url, engine) => {
        console.log(en ? `Process engine: ${engine}` : `流程引擎：${engine}`);
        console.log(en ? `GridFlow is running at ${url}` : `GridFlow 已启动：${url}`);
      });
    } finally {
      lock.release();
    }
  });

  program.command('demo').description('load the demo district on the configured database and run the server')
    .option('--no-serve', 'load the demo district and exit')
    .action(async (opts: { serve: boolean }) => {
      const lock = acquireDataDirLock(ctx.config);
      try {
        await runDemo(opts.serve);
      } finally {
        lock.release();
      }
    });

  async function runDemo(serve: boolean): Promise<void> {
    const db = await ctx.database();
    await migrateLatest(db);
    const registry = await loadPlugins(ctx.config.plugins);
    const { outcomes } = await new DefinitionsService(db, undefined, boundTopicNames(registry)).import(demoDistrictPackageDir, 'demo');
    const logins = await prepareDemoLogins(db, ctx.config.demoPassword);
    const loaded = outcomes.map((o) => `${o.key}@${o.version}${o.status === 'unchanged' ? (en ? ' (already loaded)' : '（已存在）') : ''}`).join(', ');
    const banner = (url: string, engine?: string) => {
      console.log(en ? `\nGridFlow demo district: ${loaded}` : `\nGridFlow 示范区配置：${loaded}`);
      console.log(en ? `Database: ${redactUrl(ctx.config.databaseUrl)}` : `数据库：${redactUrl(ctx.config.databaseUrl)}`);
      if (engine) console.log(en ? `Process engine: ${engine}` : `流程引擎：${engine}`);
      if (url) console.log(en ? `Open ${url}\nWorkbench: ${url}/workbench` : `访问地址：${url}\n工作台：${url}/workbench`);
      console.log(en ? `Demo logins (password ${ctx.config.demoPassword}):` : `演示账号（密码均为 ${ctx.config.demoPassword}）：`);
      for (const l of logins) console.log(`  ${l.username.padEnd(12)} ${l.name}  ${l.role}`);
      if (url) console.log(en ? 'Press Ctrl+C to stop.' : '按 Ctrl+C 停止。');
    };
    if (serve) await serveUntilStopped(ctx, db, registry, banner);
    else banner('');
  }
}
