/**
 * 挂起 / 恢复: parking a case that cannot be solved now. The process instance is suspended in the
 * engine (its tasks cannot be completed), the case is `suspended`, and the timeline records the
 * clock pause with who and why; resuming undoes both. Task actions on a suspended case are refused
 * with that reason.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { UserError, createEngineClient } from '@gridflow/engine';
import { AuditLog } from '../audit/audit.store.ts';
import { whereAllowed } from '../access/sql-conditions.ts';
import { caseSql } from '../access/subject-maps.ts';
import { engineFetch } from '../engine-sync/engine-connection.ts';
import type { EngineConnection } from '../engine-sync/engine-connection.ts';
import { actorOf } from '../http/request-context.ts';
import type { RequestContext, SignedInUser } from '../http/request-context.ts';
import { clientOf, notFound } from '../http/scoped.ts';
import { appendCaseEvent, timelineActor } from '../timeline/timeline.store.ts';
import { rescheduleCaseTimers } from '../clock/reschedule.ts';

const CASE = { 'zh-CN': '事件', en: 'case' };

/** The refusal of a task action on a suspended case. */
export const suspendedCase = () => new UserError('case.suspended', { 'zh-CN': '事件已挂起，恢复后才能办理', en: 'The case is suspended; it can be worked on once resumed' }, { status: 409 });

/** Suspends (`suspend: true`) or resumes a case the user may suspend. */
export async function setSuspended(
  db: Knex, engine: EngineConnection | (() => EngineConnection), ctx: RequestContext, user: SignedInUser, caseId: string, suspend: boolean, reason: string, clock: () => Date,
): Promise<{ caseId: string; status: string }> {
  const row = await whereAllowed(db('cases').where('cases.id', caseId), user.ability, 'read', 'Case', caseSql, user.principal).first('cases.id', 'cases.status', 'cases.process_instance_id') as
    { id: string; status: string; process_instance_id: string | null } | undefined;
  if (!row) throw notFound(CASE);
  const allowed = await whereAllowed(db('cases').where('cases.id', caseId), user.ability, 'suspend', 'Case', caseSql, user.principal).first('cases.id');
  if (!allowed) throw new UserError('auth.forbidden', { 'zh-CN': '无权挂起或恢复此事件', en: 'You may not suspend or resume this case' }, { status: 403 });
  const from = suspend ? 'running' : 'suspended';
  if (row.status !== from || !row.process_instance_id) {
    throw suspend
      ? new UserError('case.notRunning', { 'zh-CN': '只有办理中的事件可以挂起', en: 'Only a running case can be suspended' }, { status: 409 })
      : new UserError('case.notSuspended', { 'zh-CN': '事件未挂起', en: 'The case is not suspended' }, { status: 409 });
  }
  const connection = typeof engine === 'function' ? engine() : engine;
  const now = clock();
  // The frozen time left gives a new deadline: move the timers before the instance runs again, so none fires at the stale date.
  if (!suspend) await rescheduleCaseTimers(db, createEngineClient({ baseUrl: connection.url, secret: connection.secret }), caseId, { now, pending: [{ kind: 'clock.resumed', at: now, details: {} }] });
  await engineFetch(connection, 'PUT', `/engine-rest/process-instance/${encodeURIComponent(row.process_instance_id)}/suspended`, { suspended: suspend });
  const status = suspend ? 'suspended' : 'running';
  await db.transaction(async (trx) => {
    await trx('cases').where({ id: caseId, status: from }).update({ status, updated_at: now });
    await appendCaseEvent(trx, {
      caseId, kind: suspend ? 'clock.paused' : 'clock.resumed', at: now, sourceKey: `suspension:${randomUUID()}`, opinion: reason,
      actor: timelineActor(user),
    });
    await new AuditLog(trx).append(trx, {
      occurredAt: now.toISOString(), actor: actorOf(user), action: suspend ? 'case.suspend' : 'case.resume', target: { type: 'case', id: caseId }, outcome: 'success', ...clientOf(ctx), details: { reason },
    });
  });
  return { caseId, status };
}
