/**
 * The later steps of a whistle as its service tasks record them: each department's opinion and
 * result, the handling deadline passing, the lead department's consolidation, the escalation to the
 * district and its coordination, the street's ratings, and the close.
 */
import { BpmnError, WHISTLE_RATINGS_INCOMPLETE } from '@gridflow/engine';
import { activeDefinitions } from '../definitions/active-definitions.ts';
import { notify } from '../notifications/notifications.ts';
import { boolOf } from './whistle-views.ts';
import { alreadyRecorded, departmentName, notifyGroups, record } from './whistle-steps.ts';
import type { StepContext } from './whistle-steps.ts';

/** A department gave its opinion and result. */
export async function recordOpinion(ctx: StepContext, department: string, opinion: string | null, result: string | null): Promise<void> {
  await ctx.db.transaction(async (trx) => {
    await trx('whistle_departments').where({ whistle_id: ctx.whistle.id, department_code: department }).update({ opinion, result, opinion_at: ctx.now });
    await record(trx, ctx, 'whistle.opinion', { department, departmentName: await departmentName(trx, department), result }, opinion);
  });
}

/** The handling deadline passed: flagged once; the departments still at work (or the lead, consolidating) are urged. */
export async function recordOverdue(ctx: StepContext): Promise<void> {
  await ctx.db.transaction(async (trx) => {
    if (ctx.whistle.overdue_at || await alreadyRecorded(trx, ctx)) return;
    await trx('whistles').where({ id: ctx.whistle.id }).whereNull('overdue_at').update({ overdue_at: ctx.now });
    const pending = await trx('whistle_departments').where({ whistle_id: ctx.whistle.id }).whereNull('opinion_at').pluck('department_code') as string[];
    const urged = pending.length > 0 ? pending : [ctx.whistle.lead_department];
    await record(trx, ctx, 'whistle.overdue', { departments: urged });
    await notifyGroups(trx, ctx, urged.map((d) => `dept:${d}`), 'whistle.overdue', '【吹哨督办】吹哨事项已超过办理时限，请抓紧处置并反馈（事不完、人不撤）。');
    const kinds = (await activeDefinitions(ctx.db)).forDistrict(ctx.whistle.district_code)?.pkg.data.whistles?.kinds ?? [];
    if (kinds.find((k) => k.code === ctx.whistle.kind)?.escalate.overdue && ctx.whistle.district_code) {
      await notifyGroups(trx, ctx, [`district-dispatcher@${ctx.whistle.district_code}`], 'whistle.overdue', '【吹哨超期】街道吹哨事项已超期，汇总后将提级到区协调。');
    }
  });
}

/** The lead department consolidated: resolved or not, with its summary. */
export async function recordConsolidation(ctx: StepContext, resolved: boolean, summary: string | null): Promise<void> {
  await ctx.db.transaction(async (trx) => {
    await trx('whistles').where({ id: ctx.whistle.id }).update({ resolved, summary, consolidated_at: ctx.now });
    await record(trx, ctx, 'whistle.consolidated', { resolved, leadDepartment: ctx.whistle.lead_department }, summary);
  });
}

/** The whistle goes to the district: unresolved, or overdue, as the kind's rules say. */
export async function recordEscalation(ctx: StepContext): Promise<void> {
  await ctx.db.transaction(async (trx) => {
    const first = !(await alreadyRecorded(trx, ctx));
    await trx('whistles').where({ id: ctx.whistle.id }).update({ status: 'escalated', escalated_at: ctx.now });
    const reason = boolOf(ctx.whistle.resolved) === false ? 'unresolved' : 'overdue';
    await record(trx, ctx, 'whistle.escalated', { reason, districtCode: ctx.whistle.district_code });
    if (first && ctx.whistle.district_code) {
      await notifyGroups(trx, ctx, [`district-dispatcher@${ctx.whistle.district_code}`], 'whistle.escalated', `【吹哨提级】街道吹哨事项${reason === 'unresolved' ? '未能解决' : '已超期'}，请区级协调。`);
    }
  });
}

/** The district coordinated. */
export async function recordDistrict(ctx: StepContext, resolved: boolean, opinion: string | null): Promise<void> {
  await ctx.db.transaction(async (trx) => {
    await trx('whistles').where({ id: ctx.whistle.id }).update({ district_resolved: resolved, district_opinion: opinion });
    await record(trx, ctx, 'whistle.districtCoordinated', { resolved }, opinion);
  });
}

/** One rating of the street's rating form. */
export interface Rating {
  department: string;
  rating: string;
  comment?: string;
}

/** Ratings as submitted (a JSON list): the well-formed entries. */
export function parseRatings(value: unknown): Rating[] {
  let list: unknown = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(list)) return [];
  return list.filter((r): r is Rating => typeof r === 'object' && r !== null && typeof (r as Rating).department === 'string' && typeof (r as Rating).rating === 'string');
}

/**
 * The street rated the departments: exactly one rating per summoned department, else the ratings
 * are refused (a BPMN error sends the rating step back) and the street leaders are told why.
 */
export async function recordRatings(ctx: StepContext, ratings: Rating[]): Promise<void> {
  const summoned = await ctx.db('whistle_departments').where({ whistle_id: ctx.whistle.id }).pluck('department_code') as string[];
  const given = ratings.map((r) => r.department);
  const missing = summoned.filter((d) => !given.includes(d));
  const extra = [...new Set(given.filter((d) => !summoned.includes(d) || given.indexOf(d) !== given.lastIndexOf(d)))];
  if (missing.length > 0 || extra.length > 0) {
    const why = [missing.length ? `缺少：${missing.join('、')}` : '', extra.length ? `多余或重复：${extra.join('、')}` : ''].filter(Boolean).join('；');
    await ctx.db.transaction(async (trx) => {
      if (await alreadyRecorded(trx, ctx)) return;
      await record(trx, ctx, 'whistle.ratingsRefused', { missing, extra }, why);
      if (ctx.whistle.street_code) await notifyGroups(trx, ctx, [`street-leader@${ctx.whistle.street_code}`], 'whistle.ratingsRefused', `【吹哨评价】评价须对每个被召集部门各一条（${why}），请重新评价。`);
    });
    throw new BpmnError(WHISTLE_RATINGS_INCOMPLETE, why);
  }
  await ctx.db.transaction(async (trx) => {
    for (const r of ratings) {
      await trx('whistle_departments').where({ whistle_id: ctx.whistle.id, department_code: r.department }).update({ rating: r.rating, rating_comment: r.comment ?? null });
    }
    await trx('whistles').where({ id: ctx.whistle.id }).update({ rated_at: ctx.now });
    await record(trx, ctx, 'whistle.rated', { ratings });
  });
}

/** The whistle is over: resolved when the lead department or the district resolved it. */
export async function recordClose(ctx: StepContext): Promise<void> {
  await ctx.db.transaction(async (trx) => {
    const first = !(await alreadyRecorded(trx, ctx));
    const w = await trx('whistles').where({ id: ctx.whistle.id }).first('resolved', 'district_resolved') as { resolved: unknown; district_resolved: unknown };
    const status = boolOf(w.resolved) || boolOf(w.district_resolved) ? 'resolved' : 'unresolved';
    await trx('whistles').where({ id: ctx.whistle.id }).update({ status, closed_at: ctx.now });
    await record(trx, ctx, 'whistle.closed', { status });
    if (first) {
      await notify(trx, [Number(ctx.whistle.started_by)], {
        kind: 'whistle.closed', caseId: ctx.whistle.case_id, taskId: null, fromUserId: null,
        message: `【吹哨办结】您发起的吹哨已办结：${status === 'resolved' ? '已解决' : '未解决'}。`,
      }, ctx.now);
    }
  });
}
