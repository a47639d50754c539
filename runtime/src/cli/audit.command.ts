/** `gridflow audit verify | list | prune`: the tamper-evident audit log. */
import type { Command } from 'commander';
import { AuditLog } from '../audit/audit.store.ts';
import { AUDIT_CSV_HEADER, auditCsvLine } from '../audit/audit-csv.ts';
import { migrateLatest } from '../db/migrate.ts';
import type { CliContext } from './context.ts';
import { exitCodes } from './output.ts';


/** Registers the audit commands. */
export function registerAuditCommands(program: Command, ctx: CliContext, setExit: (code: number) => void): void {
  const en = ctx.config.locale === 'en';
  const audit = program.command('audit').description('verify, search and export the audit log');
  const log = async () => {
    const db = await ctx.database();
    await migrateLatest(db);
    return new AuditLog(db);
  };
  audit.command('verify').description('check the hash chain; names the first broken record').action(async () => {
    const verdict = await (await log()).verify();
    if (verdict.ok) {
      console.log(en ? `Audit chain intact: ${verdict.count} record(s)` : `审计链完整：共 ${verdict.count} 条记录`);
      return;
    }
    const why = verdict.reason === 'content'
      ? (en ? 'its content was changed' : '内容被修改')
      : (en ? 'a record before it was removed, reordered or changed' : '其前面的记录被删除、调换或修改');
    console.error(en ? `Audit chain broken at record ${verdict.brokenAt}: ${why}` : `审计链在第 ${verdict.brokenAt} 条记录处断开：${why}`);
    setExit(exitCodes.user);
  });
  audit.command('list').description('search records, newest first')
    .option('--action <action>').option('--actor <username>').option('--since <date>').option('--until <date>')
    .option('--limit <n>', 'at most n records', '500').option('--csv', 'CSV for auditors')
    .action(async (opts: { action?: string; actor?: string; since?: string; until?: string; limit: string; csv?: boolean }) => {
      const query: Parameters<AuditLog['search']>[0] = { limit: Number(opts.limit) };
      if (opts.action) query.action = opts.action;
      if (opts.actor) query.actor = opts.actor;
      if (opts.since) query.since = new Date(opts.since);
      if (opts.until) query.until = new Date(opts.until);
      const records = await (await log()).search(query);
      if (opts.csv) {
        console.log(AUDIT_CSV_HEADER);
        for (const r of records) console.log(auditCsvLine(r));
        return;
      }
      for (const r of records) console.log(`${r.id}  ${r.occurredAt}  ${r.actor.username}  ${r.action}  ${r.target.type}:${r.target.id ?? ''}  ${r.outcome}`);
    });
  audit.command('prune <before>').description(`remove records before a date (kept at least 184 days)`).action(async (before: string) => {
    const removed = await (await log()).prune(new Date(before));
    console.log(en ? `Removed ${removed} record(s)` : `已删除 ${removed} 条记录`);
  });
}
