/** Whistles as the API shows them: the whistle with the status of every summoned department. */
import type { Knex } from 'knex';
import { isoOf } from '../db/values.ts';
import { activeDefinitions } from '../definitions/active-definitions.ts';
import type { WhistleView } from '../contracts/whistle.ts';

/** A boolean column (SQLite and MariaDB give 0/1), null kept. */
export const boolOf = (v: unknown): boolean | null => (v === null || v === undefined ? null : Boolean(Number(v)));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** The columns of a whistle row the views read. */
export const whistleColumns = [
  'whistles.id', 'whistles.case_id', 'whistles.kind', 'whistles.reason', 'whistles.lead_department', 'whistles.status', 'whistles.district_code',
  'whistles.report_in_due_at', 'whistles.handle_due_at', 'whistles.overdue_at', 'whistles.resolved', 'whistles.summary', 'whistles.escalated_at',
  'whistles.district_resolved', 'whistles.district_opinion', 'whistles.created_at', 'whistles.closed_at',
];

type Row = Record<string, unknown>;

function departmentView(d: Row, names: Map<string, string>): WhistleView['departments'][number] {
  const code = String(d.department_code);
  return {
    code, name: names.get(code) ?? null, lead: Boolean(boolOf(d.lead)),
    status: d.opinion_at ? 'opinionGiven' : d.reported_at ? 'reportedIn' : 'summoned',
    reportedInAt: isoOf(d.reported_at), reportNote: text(d.report_note), late: Boolean(boolOf(d.late)), urgedAt: isoOf(d.urged_at),
    opinion: text(d.opinion), result: text(d.result), rating: text(d.rating), ratingComment: text(d.rating_comment),
  };
}

/** The views of whistle rows (selected with `whistleColumns`), their departments in the order summoned. */
export async function whistleViews(db: Knex, rows: Row[]): Promise<WhistleView[]> {
  if (rows.length === 0) return [];
  const departments = await db('whistle_departments').whereIn('whistle_id', rows.map((r) => String(r.id)))
    .orderBy([{ column: 'whistle_id' }, { column: 'lead', order: 'desc' }, { column: 'department_code' }]).select() as Row[];
  const names = new Map((await db('departments').select('code', 'name') as { code: string; name: string }[]).map((d) => [d.code, d.name]));
  const active = await activeDefinitions(db);
  return rows.map((r) => {
    const kinds = active.forDistrict(text(r.district_code))?.pkg.data.whistles?.kinds ?? [];
    return {
      id: String(r.id), caseId: String(r.case_id), kind: String(r.kind), kindName: kinds.find((k) => k.code === r.kind)?.name ?? null,
      reason: String(r.reason), status: String(r.status), leadDepartment: String(r.lead_department),
      reportInDueAt: isoOf(r.report_in_due_at) ?? '', handleDueAt: isoOf(r.handle_due_at) ?? '', overdue: r.overdue_at !== null && r.overdue_at !== undefined,
      resolved: boolOf(r.resolved), summary: text(r.summary), escalatedAt: isoOf(r.escalated_at),
      districtResolved: boolOf(r.district_resolved), districtOpinion: text(r.district_opinion),
      createdAt: isoOf(r.created_at) ?? '', closedAt: isoOf(r.closed_at),
      departments: departments.filter((d) => d.whistle_id === r.id).map((d) => departmentView(d, names)),
    } as WhistleView;
  });
}
