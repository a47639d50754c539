/**
 * Whistle statistics over a period, scoped to the cases the user may read: 吹哨率 (cases with a
 * whistle / cases reported), and per department 报到率 (reported in / summoned) and 按时报到率
 * (reported in before the deadline / summoned).
 */
import type { Knex } from 'knex';
import { whereAllowed } from '../access/sql-conditions.ts';
import { caseSql } from '../access/subject-maps.ts';
import type { SignedInUser } from '../http/request-context.ts';
import type { WhistleStats } from '../contracts/whistle.ts';
import { readableWhistles } from './whistle-access.ts';

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const counted = (rows: { n: unknown }[]) => Number(rows[0]?.n ?? 0);

/** The statistics of whistles blown (and cases reported) in [from, to). */
export async function whistleStats(db: Knex, user: SignedInUser, from: Date, to: Date): Promise<WhistleStats> {
  const cases = () => whereAllowed(db('cases'), user.ability, 'read', 'Case', caseSql, user.principal).where('cases.created_at', '>=', from).where('cases.created_at', '<', to);
  const whistled = (q: Knex.QueryBuilder) => q.whereExists((s) => s.select(s.client.raw('1')).from('whistles as w').whereRaw('w.case_id = cases.id').whereNot('w.status', 'failed'));
  const whistles = () => readableWhistles(db, user).whereNot('whistles.status', 'failed').where('whistles.created_at', '>=', from).where('whistles.created_at', '<', to);
  const [caseCount, whistledCount, whistleCount] = await Promise.all([
    cases().count({ n: '*' }) as Promise<{ n: unknown }[]>,
    whistled(cases()).count({ n: '*' }) as Promise<{ n: unknown }[]>,
    whistles().count({ n: '*' }) as Promise<{ n: unknown }[]>,
  ]);
  const rows = await db('whistle_departments as wd').whereIn('wd.whistle_id', whistles().select('whistles.id'))
    .leftJoin('departments as d', 'd.code', 'wd.department_code')
    .groupBy('wd.department_code', 'd.name').orderBy('wd.department_code')
    .select('wd.department_code as code', 'd.name as name')
    .count({ summoned: '*' })
    .select(db.raw('sum(case when wd.reported_at is not null then 1 else 0 end) as reported'))
    .select(db.raw('sum(case when wd.reported_at is not null and wd.late = 0 then 1 else 0 end) as on_time')) as Record<string, unknown>[];
  return {
    from: from.toISOString(), to: to.toISOString(),
    cases: counted(caseCount), whistledCases: counted(whistledCount), whistleRate: rate(counted(whistledCount), counted(caseCount)), whistles: counted(whistleCount),
    departments: rows.map((r) => {
      const summoned = Number(r.summoned);
      const reportedIn = Number(r.reported ?? 0);
      const reportedInOnTime = Number(r.on_time ?? 0);
      return {
        code: String(r.code), name: (r.name as string | null) ?? null, summoned, reportedIn, reportedInOnTime,
        reportInRate: rate(reportedIn, summoned), onTimeRate: rate(reportedInOnTime, summoned),
      };
    }),
  };
}
