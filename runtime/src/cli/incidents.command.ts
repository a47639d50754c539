/** `gridflow incidents [--all] [--json]`: engine incidents as GridFlow has projected them. */
import type { Command } from 'commander';
import { migrateLatest } from '../db/migrate.ts';
import type { CliContext } from './context.ts';

/** Registers the incidents command. */
export function registerIncidentsCommand(program: Command, ctx: CliContext): void {
  const en = ctx.config.locale === 'en';
  program.command('incidents').description('list process engine incidents (failed service tasks and jobs)')
    .option('--all', 'include resolved incidents').option('--json', 'print as JSON')
    .action(async (opts: { all?: boolean; json?: boolean }) => {
      const db = await ctx.database();
      await migrateLatest(db);
      const query = db('incidents').orderBy('created_at', 'desc').limit(500)
        .select('id', 'status', 'incident_type as type', 'case_id as caseId', 'process_instance_id as processInstanceId', 'activity_id as activityId', 'message', 'created_at as createdAt', 'resolved_at as resolvedAt');
      const rows = opts.all ? await query : await query.where({ status: 'open' });
      if (opts.json) {
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      if (rows.length === 0) console.log(en ? 'No incidents' : '没有异常');
      for (const r of rows) {
        console.log(`${new Date(r.createdAt).toISOString()}  ${r.status}  ${r.type}  ${r.caseId ?? '-'}  ${r.activityId ?? '-'}  ${r.message ?? ''}`);
      }
    });
}
