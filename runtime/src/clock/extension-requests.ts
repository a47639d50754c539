/**
 * 延期 extension requests. The assignee of a handling step (an open task while the case clock runs)
 * asks for more time with a reason; the command centre that dispatched the case decides: the street
 * dispatchers of the case's street for street-tier cases, the district dispatchers for district-tier
 * ones (`dispatchTier` at the clock's start). The requester never decides their own request. An
 * approval records `clock.extended` in its transaction and then moves the case's timers.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { UserError, createEngineClient } from '@gridflow/engine';
import type { TimeLimitType } from '@gridflow/engine';
import { usersInGroups } from '../access/candidate-groups.ts';
import { whereAllowed } from '../access/sql-conditions.ts';
import { caseSql } from '../access/subject-maps.ts';
import { AuditLog } from '../audit/audit.store.ts';
import { suspendedCase } from '../cases/case-suspension.ts';
import type { ExtensionDecision, ExtensionRequestView } from '../contracts/clock.ts';
import { isoOf } from '../db/values.ts';
import { actorOf } from '../http/request-context.ts';
import type { RequestContext, SignedInUser } from '../http/request-context.ts';
import { clientOf, notFound } from '../http/scoped.ts';
import { notify } from '../notifications/notifications.ts';
import type { EngineStatus } from '../server/app.ts';
import type { EngineConnection } from '../engine-sync/engine-connection.ts';
import { actionable, engineOf } from '../tasks/task-access.ts';
import { appendCaseEvent, timelineActor } from '../timeline/timeline.store.ts';
import { caseClock, type ClockRow } from './case-clock-events.ts';
import { rescheduleCaseTimers } from './reschedule.ts';

const CASE = { 'zh-CN': '事件', en: 'case' };
const REQUEST = { 'zh-CN': '延期申请', en: 'extension request' };

const refuse = (code: string, zh: string, en: string, status: number, target?: string) => new UserError(`extension.${code}`, { 'zh-CN': zh, en }, {
  status, ...(target ? { details: [{ target, message: { 'zh-CN': zh, en } }] } : {}),
});
const openExists = () => refuse('openExists', '该事件已有待审批的延期申请，请等待审批结果', 'The case already has an extension request waiting for a decision', 409, '/params/id');

/** A non-blank text of the body, or a 422 naming the field. */
function text(value: string, field: string): string {
  const trimmed = value.trim();
  if (trimmed.length < 2) throw new UserError('request.invalid', { 'zh-CN': '请填写理由或意见', en: 'Fill in the reason or opinion' }, { status: 422, details: [{ target: field, message: { 'zh-CN': '不能为空', en: 'must not be blank' } }] });
  return trimmed;
}

/** Whether an error is a unique-key violation (SQLite or MariaDB). */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === 'ER_DUP_ENTRY' || String(err?.code ?? '').startsWith('SQLITE_CONSTRAINT') || /UNIQUE constraint/i.test(String(err?.message ?? ''));
}

/** Who decides a case's extensions: the tier that dispatched it (when the clock's start did not say, the handling level's). */
export function approverOf(start: Record<string, unknown>, place: { street_code: string | null; district_code: string | null }): { tier: 'street' | 'district'; group: string } {
  let tier: 'street' | 'district' = start.tier === 'street' || start.tier === 'district' ? start.tier : start.handlingLevel === 'district' ? 'district' : 'street';
  if (tier === 'street' && !place.street_code) tier = 'district';
  return { tier, group: tier === 'street' ? `street-dispatcher@${place.street_code}` : `district-dispatcher@${place.district_code ?? ''}` };
}

/** An extension request row as the API shows it. */
export function requestView(r: Record<string, unknown>): ExtensionRequestView {
  return {
    id: String(r.id), caseId: String(r.case_id), taskId: String(r.task_id),
    step: { key: (r.task_definition_key as string | null) ?? null, name: (r.task_name as string | null) ?? null },
    amount: Number(r.amount), type: (r.type as TimeLimitType | null) ?? null, reason: String(r.reason),
    status: r.status as ExtensionRequestView['status'], tier: r.tier === 'district' ? 'district' : 'street', approverGroup: String(r.approver_group),
    requestedBy: String(r.requested_by_username), requestedAt: isoOf(r.requested_at) ?? '', dueBefore: isoOf(r.due_before), dueAfter: isoOf(r.due_after),
    decidedBy: (r.decided_by_username as string | null) ?? null, decidedAt: isoOf(r.decided_at), opinion: (r.opinion as string | null) ?? null,
  };
}

/** Asks for an extension of the case of a handling task the user is assigned. */
export async function requestExtension(
  db: Knex, ctx: RequestContext, user: SignedInUser, taskId: string, body: { amount: number; type?: TimeLimitType; reason: string }, clock: () => Date,
): Promise<ExtensionRequestView> {
  const task = await actionable(db, user, taskId, 'complete');
  if (task.status !== 'open') throw refuse('notOpen', '任务已办结', 'The task is no longer open', 409);
  if (task.case_status === 'suspended') throw suspendedCase();
  if (task.assignee !== user.principal.username) throw refuse('claimFirst', '只有任务的签收人可以申请延期，请先签收', 'Only the task\'s assignee can ask for an extension; claim it first', 409);
  const reason = text(body.reason, '/body/reason');
  const caseId = String(task.case_id ?? '');
  const now = clock();
  const current = caseId ? await caseClock(db, caseId, now) : null;
  if (!current || current.state.status !== 'running') {
    throw refuse('notHandling', '只有处置环节（计时中）可以申请延期', 'Only a handling step (while the case clock runs) can be extended', 409);
  }
  if (await db('extension_requests').where({ open_case_id: caseId }).first('id')) throw openExists();
  const place = await db('cases').where({ id: caseId }).first('street_code', 'district_code', 'title') as { street_code: string | null; district_code: string | null; title: string | null };
  const { tier, group } = approverOf(current.start, place);
  const approvers = await usersInGroups(db, [group]);
  const id = randomUUID();
  const by = { amount: body.amount, ...(body.type ? { type: body.type } : {}) };
  try {
    await db.transaction(async (trx) => {
      await trx('extension_requests').insert({
        id, case_id: caseId, task_id: taskId, task_definition_key: task.task_definition_key ?? null, task_name: task.name ?? null,
        amount: body.amount, type: body.type ?? null, reason, status: 'open', open_case_id: caseId, tier, approver_group: group,
        requested_by: user.principal.userId, requested_by_username: user.principal.username, requested_at: now, due_before: current.state.dueAt,
      });
      await appendCaseEvent(trx, {
        caseId, kind: 'extension.requested', at: now, sourceKey: `extension-request:${id}`, actor: timelineActor(user), opinion: reason,
        step: { key: String(task.task_definition_key ?? ''), name: (task.name as string | null) ?? null, taskId }, details: { requestId: id, by, tier },
      });
      await notify(trx, approvers, {
        kind: 'extension.requested', caseId, taskId, fromUserId: user.principal.userId,
        message: `${user.principal.displayName}申请事件“${place.title ?? caseId}”延期 ${body.amount} ${unitText(body.type ?? current.state.limit.type)}：${reason}`,
      }, now);
      await new AuditLog(trx).append(trx, {
        occurredAt: now.toISOString(), actor: actorOf(user), action: 'extension.request', target: { type: 'case', id: caseId }, outcome: 'success', ...clientOf(ctx),
        details: { requestId: id, taskId, by, reason },
      });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw openExists();
    throw e;
  }
  return requestView(await db('extension_requests').where({ id }).first());
}

function unitText(type: TimeLimitType): string {
  return { urgent: '小时', workHours: '工作小时', workDays: '工作日', naturalDays: '自然日' }[type];
}

/** The extension requests of a case the user may read, oldest first. */
export async function caseExtensionRequests(db: Knex, user: SignedInUser, caseId: string): Promise<ExtensionRequestView[]> {
  if (!await whereAllowed(db('cases').where('cases.id', caseId), user.ability, 'read', 'Case', caseSql, user.principal).first('cases.id')) throw notFound(CASE);
  const rows = await db('extension_requests').where({ case_id: caseId }).orderBy([{ column: 'requested_at' }, { column: 'id' }]).select() as Record<string, unknown>[];
  return rows.map(requestView);
}

/** The open request a user may decide: 404 when they may not see its case, 403 for the requester and non-approvers, 409 once decided. */
async function decidable(db: Knex, user: SignedInUser, id: string): Promise<Record<string, unknown>> {
  const r = await db('extension_requests').where({ id }).first() as Record<string, unknown> | undefined;
  if (!r || !await whereAllowed(db('cases').where('cases.id', String(r.case_id)), user.ability, 'read', 'Case', caseSql, user.principal).first('cases.id')) throw notFound(REQUEST);
  if (Number(r.requested_by) === user.principal.userId) {
    throw refuse('ownRequest', '职责分离：不能审批本人提出的延期申请', 'Separation of duties: you cannot decide your own extension request', 403);
  }
  if (!(await usersInGroups(db, [String(r.approver_group)])).includes(user.principal.userId)) {
    const who = r.tier === 'district' ? { zh: '区指挥中心调度员', en: 'the district command centre\'s dispatchers' } : { zh: '事件所在街道的指挥中心调度员', en: 'the dispatchers of the case\'s street command centre' };
    throw refuse('notApprover', `此延期申请由${who.zh}审批`, `This extension request is decided by ${who.en}`, 403);
  }
  if (r.status !== 'open') throw refuse('decided', '此延期申请已审批', 'This extension request was already decided', 409);
  return r;
}

/** Moves the timers after an approval; a failure leaves them for the next resume or extension (and says so). */
async function moveTimers(db: Knex, connection: EngineConnection, caseId: string, now: Date, dueAt: Date | null, logger?: Logger): Promise<ExtensionDecision['timers']> {
  try {
    const moved = await rescheduleCaseTimers(db, createEngineClient({ baseUrl: connection.url, secret: connection.secret }), caseId, { now });
    return { rescheduled: true, dueAt: isoOf(moved.dueAt ?? dueAt), warnAt: isoOf(moved.warnAt), moved: moved.moved };
  } catch (e) {
    logger?.warn({ err: e, caseId }, 'an approved extension could not move the case timers; they move at the next resume or extension');
    return { rescheduled: false, dueAt: isoOf(dueAt), warnAt: null, moved: 0 };
  }
}

/** Approves or rejects an open extension request as one of its approvers. */
export async function decideExtension(
  db: Knex, engine: EngineStatus | undefined, ctx: RequestContext, user: SignedInUser, id: string, approve: boolean, opinion: string, clock: () => Date, logger?: Logger,
): Promise<ExtensionDecision> {
  const r = await decidable(db, user, id);
  const caseId = String(r.case_id);
  const said = text(opinion, '/body/opinion');
  const connection = approve ? engineOf(engine) : undefined;
  const now = clock();
  const by = { amount: Number(r.amount), ...(r.type ? { type: r.type as TimeLimitType } : {}) };
  const extended: ClockRow = { kind: 'clock.extended', at: now, details: { by, requestId: id } };
  const after = approve ? await caseClock(db, caseId, now, [extended]) : null;
  if (approve && (!after || after.state.status === 'stopped')) {
    throw refuse('notHandling', '事件已不在处置中，无法延期，请驳回此申请', 'The case is no longer being handled; reject this request instead', 409);
  }
  const outcome = approve ? 'approved' : 'rejected';
  const dueAt = after?.state.dueAt ?? null;
  await db.transaction(async (trx) => {
    const updated = await trx('extension_requests').where({ id, status: 'open' }).update({
      status: outcome, open_case_id: null, decided_by: user.principal.userId, decided_by_username: user.principal.username, decided_at: now, opinion: said, due_after: dueAt,
    });
    if (updated !== 1) throw refuse('decided', '此延期申请已审批', 'This extension request was already decided', 409);
    if (approve) await appendCaseEvent(trx, { caseId, kind: 'clock.extended', at: now, details: extended.details, sourceKey: `extension:${id}`, actor: timelineActor(user), opinion: said });
    await appendCaseEvent(trx, {
      caseId, kind: `extension.${outcome}`, at: now, sourceKey: `extension-decision:${id}`, actor: timelineActor(user), opinion: said,
      details: { requestId: id, by, ...(dueAt ? { dueAt: dueAt.toISOString() } : {}) },
    });
    await notify(trx, [Number(r.requested_by)], {
      kind: `extension.${outcome}`, caseId, taskId: String(r.task_id), fromUserId: user.principal.userId,
      message: `${user.principal.displayName}${approve ? '批准' : '驳回'}了您的延期申请：${said}`,
    }, now);
    await new AuditLog(trx).append(trx, {
      occurredAt: now.toISOString(), actor: actorOf(user), action: approve ? 'extension.approve' : 'extension.reject', target: { type: 'case', id: caseId }, outcome: 'success',
      ...clientOf(ctx), details: { requestId: id, by, opinion: said },
    });
  });
  const timers = connection ? await moveTimers(db, connection, caseId, now, dueAt, logger) : { rescheduled: true, dueAt: null, warnAt: null, moved: 0 };
  return { request: requestView(await db('extension_requests').where({ id }).first()), timers };
}
