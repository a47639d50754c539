/** `gridflow db migrate | rollback | status`. */
import type { Command } from 'commander';
import { migrateLatest, migrateRollback, migrationStatus } from '../db/migrate.ts';
import type { CliContext } from './context.ts';

/** Registers the database commands. */
export function registerDbCommands(program: Command, ctx: CliContext): void {
  const en = ctx.config.locale === 'en';
  const db = program.command('db').description('database schema migrations');
  db.command('migrate').description('apply pending migrations').action(async () => {
    const applied = await migrateLatest(await ctx.database());
    console.log(applied.length === 0 ? (en ? 'Already up to date' : '数据库已是最新') : applied.map((n) => `↑ ${n}`).join('\n'));
  });
  db.command('rollback').description('revert the last batch of migrations').option('--all', 'revert every migration')
    .action(async (opts: { all?: boolean }) => {
      const reverted = await migrateRollback(await ctx.database(), opts.all);
      console.log(reverted.length === 0 ? (en ? 'Nothing to roll back' : '没有可回滚的迁移') : reverted.map((n) => `↓ ${n}`).join('\n'));
    });
  db.command('status').description('list applied and pending migrations').action(async () => {
    const { applied, pending } = await migrationStatus(await ctx.database());
    for (const n of applied) console.log(`✔ ${n}`);
    for (const n of pending) console.log(`… ${n}${en ? ' (pending)' : '（待执行）'}`);
  });
}
