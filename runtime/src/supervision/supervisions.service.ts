/**
 * 督办 by people: a higher level (street leader, district command centre, supervisor, leader — the
 * roles with `supervise` on the case) raises a supervision with an opinion and a reply deadline
 * counted by the case clock's calendar; the case's current handlers are told and one of them
 * replies. Lists show supervisions of the cases the user may read, overdue ones marked.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { UserError, addTimeLimit } from '@gridflow/engine';
import type { TimeLimitType } from '@gridflow/engine';
import { whereAllowed } from '../access/sql-conditions.ts';
import { caseSql, taskSql } from '../access/subject-maps.ts';
import { AuditLog } from '../audit/audit.store.ts';
import { calendarOf } from '../clock/case-clock-events.ts';
import type { SupervisionView } from '../contracts/supervision.ts';
import { refusal } from '../http/forbidden.ts';
import { actorOf } from '../http/request-context.ts';
import type { RequestContext, SignedInUser } from '../http/request-context.ts';
import { clientOf, notFound } from '../http/scoped.ts';
import { notify } from '../notifications/notifications.ts';
import { tasksWithCases } from '../tasks/task-access.ts';
import { appendCaseEvent, timelineActor } from '../timeline/timeline.store.ts';
import { SUPERVISION_COLUMNS, caseHandlers, raiseSupervision, supervisionView } from './supervision-store.ts';

const CASE = { 'zh-CN': '事件', en: 'case' };
const SUPERVISION = { 'zh-CN': '督办', en: 'supervision' };

const refuse = (code: string, zh: string, en: string, status: number, target?: string) => new UserError(`supervision.${code}`, { 'zh-CN': zh, en }, {
  status, ...(target ? { details: [{ target, message: { 'zh-CN': zh, en } }] } : {}),
});

/** A non-blank text of the body, or a 422 naming the field. */
function text(value: string, field: string, label: { 'zh-CN': string; en: string }): string {
  const trimmed = value.trim();
  if (trimmed.length < 2) throw new UserError('request.invalid', { 'zh-CN': `请填写${label['zh-CN']}`, en: `Fill in the ${label.en}` }, { status: 422, details: [{ target: field, message: { 'zh-CN': '不能为空', en: 'must not be blank' } }] });
  return trimmed;
}

/** Whether the user may work on an open task of the case (its assignee or a candidate). */
export async function isCurrentHandler(db: Knex, user: SignedInUser, caseId: string): Promise<boolean> {
  const q = tasksWithCases(db).where('tasks.case_id', caseId).where('tasks.status', 'open');
  return Boolean(await whereAllowed(q, user.ability, 'complete', 'Task', taskSql, user.principal).first('tasks.id'));
}

/** Raises a supervision of a case the user may supervise. */
export async function superviseCase(
  db: Knex, ctx: RequestContext, user: SignedInUser, caseId: string, body: { opinion: string; replyWithin: { amount: number; type: TimeLimitType } }, clock: () => Date,
): Promise<SupervisionView> {
  const base = () => db('cases').where('cases.id', caseId);
  const row = await whereAllowed(base(), user.ability, 'read', 'Case', caseSql, user.principal)
    .first('cases.id', 'cases.title', 'cases.status', 'cases.grid_code', 'cases.community_code', 'cases.street_code', 'cases.district_code') as Record<string, string | null> | undefined;
  if (!row) throw notFound(CASE);
  if (!await whereAllowed(base(), user.ability, 'supervise', 'Case', caseSql, user.principal).first('cases.id')) {
    throw refusal(user, 'supervise', 'Case', { gridCode: row.grid_code, communityCode: row.community_code, streetCode: row.street_code, districtCode: row.district_code });
  }
  if (row.status !== 'running' && row.status !== 'suspended') throw refuse('caseNotOpen', '只有办理中的事件可以督办', 'Only a case being worked on can be supervised', 409);
  const opinion = text(body.opinion, '/body/opinion', { 'zh-CN': '督办意见', en: 'supervision opinion' });
  if (await isCurrentHandler(db, user, caseId)) {
    throw refuse('ownCase', '您正在办理此事件，不能督办自己', 'You are working on this case; you cannot supervise yourself', 409);
  }
  const calendar = await calendarOf(db, row.district_code);
  const now = clock();
  const replyDueAt = addTimeLimit(calendar, now, body.replyWithin).dueAt;
  const people = await caseHandlers(db, caseId);
  const p = user.principal;
  const id = await db.transaction(async (trx) => {
    const created = await raiseSupervision(trx, {
      caseId, caseTitle: row.title ?? null, source: 'manual', level: p.street ? 'street' : 'district', orgUnitCode: p.street ?? p.district ?? p.orgUnitCode,
      opinion, author: timelineActor(user), replyWithin: body.replyWithin, replyDueAt, timezone: calendar.timezone, sourceKey: `manual:${randomUUID()}`, now, notify: people,
    });
    await new AuditLog(trx).append(trx, {
      occurredAt: now.toISOString(), actor: actorOf(user), action: 'case.supervise', target: { type: 'case', id: caseId }, outcome: 'success', ...clientOf(ctx),
      details: { supervisionId: created, replyWithin: body.replyWithin, replyDueAt: replyDueAt.toISOString() },
    });
    return created;
  });
  return one(db, id, now);
}

/** Replies to a supervision as one of the case's current handlers. */
export async function replySupervision(db: Knex, ctx: RequestContext, user: SignedInUser, id: string, reply: string, clock: () => Date): Promise<SupervisionView> {
  const s = await db('supervisions').where({ id }).first('id', 'case_id', 'status', 'author_id') as { id: string; case_id: string; status: string; author_id: number | null } | undefined;
  if (!s) throw notFound(SUPERVISION);
  if (!await isCurrentHandler(db, user, s.case_id)) {
    const visible = await whereAllowed(db('cases').where('cases.id', s.case_id), user.ability, 'read', 'Case', caseSql, user.principal).first('cases.id');
    if (!visible) throw notFound(SUPERVISION);
    throw refuse('notHandler', '只有事件的当前办理人可以回复督办', 'Only a current handler of the case can reply to its supervision', 403);
  }
  if (s.status !== 'open') throw refuse('replied', '此督办已回复', 'This supervision was already replied to', 409);
  const answer = text(reply, '/body/reply', { 'zh-CN': '督办回复', en: 'reply' });
  const now = clock();
  await db.transaction(async (trx) => {
    const updated = await trx('supervisions').where({ id, status: 'open' })
      .update({ status: 'replied', reply: answer, replied_by: user.principal.userId, replied_by_username: user.principal.username, replied_at: now });
    if (updated !== 1) throw refuse('replied', '此督办已回复', 'This supervision was already replied to', 409);
    await appendCaseEvent(trx, {
      caseId: s.case_id, kind: 'supervision.replied', at: now, sourceKey: `supervision-reply:${id}`, actor: timelineActor(user), opinion: answer, details: { supervisionId: id },
    });
    if (s.author_id !== null) {
      await notify(trx, [Number(s.author_id)], {
        kind: 'supervision.replied', caseId: s.case_id, taskId: null, fromUserId: user.principal.userId, message: `${user.principal.displayName}回复了您的督办：${answer}`,
      }, now);
    }
    await new AuditLog(trx).append(trx, {
      occurredAt: now.toISOString(), actor: actorOf(user), action: 'supervision.reply', target: { type: 'supervision', id }, outcome: 'success', ...clientOf(ctx), details: { caseId: s.case_id },
    });
  });
  return one(db, id, now);
}

async function one(db: Knex, id: string, now: Date): Promise<SupervisionView> {
  const row = await db('supervisions').leftJoin('cases', 'cases.id', 'supervisions.case_id').where('supervisions.id', id).first(SUPERVISION_COLUMNS) as Record<string, unknown>;
  return supervisionView(row, now);
}

/** The supervisions of a case the user may read, oldest first. */
export async function caseSupervisions(db: Knex, user: SignedInUser, caseId: string, now: Date): Promise<SupervisionView[]> {
  const visible = await whereAllowed(db('cases').where('cases.id', caseId), user.ability, 'read', 'Case', caseSql, user.principal).first('cases.id');
  if (!visible) throw notFound(CASE);
  const rows = await db('supervisions').leftJoin('cases', 'cases.id', 'supervisions.case_id').where('supervisions.case_id', caseId)
    .orderBy([{ column: 'supervisions.created_at' }, { column: 'supervisions.id' }]).select(SUPERVISION_COLUMNS) as Record<string, unknown>[];
  return rows.map((r) => supervisionView(r, now));
}

/** Which supervisions a list holds: unanswered ones (`open`, overdue included), only `overdue` ones, or `replied` ones. */
export type SupervisionFilter = 'open' | 'overdue' | 'replied';

/** Supervisions of the cases the user may read: the query (page it with `page`). */
export function scopedSupervisions(db: Knex, user: SignedInUser, status: SupervisionFilter | undefined, now: Date): Knex.QueryBuilder {
  const q = whereAllowed(db('supervisions').join('cases', 'cases.id', 'supervisions.case_id'), user.ability, 'read', 'Case', caseSql, user.principal);
  if (status === 'replied') q.where('supervisions.status', 'replied');
  if (status === 'open' || status === 'overdue') q.where('supervisions.status', 'open');
  if (status === 'overdue') q.where('supervisions.reply_due_at', '<', now);
  return q;
}
