/**
 * Merging a duplicate case into the case that handles the same problem (并案). The duplicate is
 * marked `merged` (with its target and reason), its reporters become reporters of the target (so
 * they can follow it), and both cases are audited, in one transaction; then its process instance is
 * ended in the engine. When the engine cannot be reached then, the reconciler ends it later.
 * Permission: action `merge` on both cases (street and district dispatchers, within their scope).
 */
import type { Knex } from 'knex';
import { toVariables, UserError } from '@gridflow/engine';
import { AuditLog } from '../audit/audit.store.ts';
import { appendCaseEvent, timelineActor } from '../timeline/timeline.store.ts';
import type { MergeResponse } from '../contracts/intake.ts';
import { whereAllowed } from '../access/sql-conditions.ts';
import { caseSql } from '../access/subject-maps.ts';
import { engineFetch, EngineHttpError } from '../engine-sync/engine-connection.ts';
import type { EngineConnection } from '../engine-sync/engine-connection.ts';
import { refusal } from '../http/forbidden.ts';
import { actorOf } from '../http/request-context.ts';
import type { RequestContext, SignedInUser } from '../http/request-context.ts';
import { clientOf, notFound } from '../http/scoped.ts';
import type { EngineStatus } from '../server/app.ts';
import { OPEN_STATUSES } from './duplicates.ts';

const CASE = { 'zh-CN': '事件', en: 'case' };

/** A merge request. */
export interface MergeRequest {
  into: string;
  reason: string;
}

interface CaseRow {
  id: string;
  status: string;
  process_instance_id: string | null;
}

const conflict = (code: string, zh: string, en: string, target?: string) => new UserError(code, { 'zh-CN': zh, en }, {
  status: 409, ...(target ? { details: [{ target, message: { 'zh-CN': zh, en } }] } : {}),
});

/** A case the user may merge: 404 when they may not see it, 403 when they may only see it (`field` names the body field). */
async function mergeable(db: Knex, user: SignedInUser, id: string, field?: string): Promise<CaseRow> {
  const base = () => db('cases').where('cases.id', id);
  const row = await whereAllowed(base(), user.ability, 'merge', 'Case', caseSql, user.principal).first('cases.id', 'cases.status', 'cases.process_instance_id') as CaseRow | undefined;
  if (row) return row;
  const visible = await whereAllowed(base(), user.ability, 'read', 'Case', caseSql, user.principal)
    .first('cases.grid_code', 'cases.community_code', 'cases.street_code', 'cases.district_code') as Record<string, unknown> | undefined;
  const refused = visible
    ? refusal(user, 'merge', 'Case', { gridCode: visible.grid_code, communityCode: visible.community_code, streetCode: visible.street_code, districtCode: visible.district_code })
    : notFound(CASE);
  if (!field) throw refused;
  throw new UserError(refused.code, refused.localized, { status: refused.status, details: [{ target: field, message: refused.localized }] });
}

/** Ends the instance of a merged case in the engine (recording why) and marks the case ended; true when done. */
export async function endMergedInstance(db: Knex, engine: EngineConnection, c: { id: string; instanceId: string; into: string | null; reason: string | null }, now: Date): Promise<boolean> {
  const path = `/engine-rest/process-instance/${encodeURIComponent(c.instanceId)}`;
  try {
    await engineFetch(engine, 'POST', `${path}/variables`, { modifications: toVariables({ mergedInto: c.into, mergeReason: c.reason }) });
  } catch (e) {
    if (!(e instanceof EngineHttpError)) throw e;
  }
  await engineFetch(engine, 'DELETE', `${path}?skipCustomListeners=true&skipIoMappings=true&failIfNotExists=false`);
  await db('cases').where({ id: c.id, status: 'merged' }).whereNull('ended_at').update({ ended_at: now, updated_at: now });
  return true;
}

/** Merges case `id` into `request.into` for a user. */
export async function mergeCase(
  db: Knex, engine: EngineStatus | undefined, user: SignedInUser, ctx: RequestContext, id: string, request: MergeRequest, clock: () => Date,
): Promise<MergeResponse> {
  const source = await mergeable(db, user, id);
  if (request.into === id) {
    throw new UserError('intake.mergeSelf', { 'zh-CN': '不能将事件合并到其自身', en: 'A case cannot be merged into itself' }, {
      details: [{ target: '/body/into', message: { 'zh-CN': '请选择另一个事件', en: 'Choose another case' } }],
    });
  }
  if (!OPEN_STATUSES.includes(source.status)) throw conflict('intake.mergeClosed', '该事件已办结或已合并，不能再合并', 'This case is closed or merged already');
  if (!source.process_instance_id) throw conflict('intake.mergeStarting', '该事件的流程尚未启动，请稍后再合并', 'The process of this case has not started yet; merge it later');
  const target = await mergeable(db, user, request.into, '/body/into');
  if (!OPEN_STATUSES.includes(target.status)) throw conflict('intake.mergeTargetClosed', '目标事件已办结或已合并，不能并入', 'The target case is closed or merged', '/body/into');
  const now = clock();
  await db.transaction(async (trx) => {
    const marked = await trx('cases').where({ id }).whereIn('status', OPEN_STATUSES)
      .update({ status: 'merged', merged_into: request.into, merge_reason: request.reason, updated_at: now });
    if (marked !== 1) throw conflict('intake.mergeClosed', '该事件已办结或已合并，不能再合并', 'This case is closed or merged already');
    const reporters = await trx('case_parties').where({ case_id: id, relation: 'reporter' }).whereNotNull('user_id').pluck('user_id') as number[];
    const already = new Set((await trx('case_parties').where({ case_id: request.into, relation: 'reporter' }).pluck('user_id') as number[]).map(Number));
    const added = [...new Set(reporters.map(Number))].filter((u) => !already.has(u));
    if (added.length > 0) await trx('case_parties').insert(added.map((u) => ({ case_id: request.into, relation: 'reporter', user_id: u, created_at: now })));
    const log = new AuditLog(db);
    const common = { occurredAt: now.toISOString(), actor: actorOf(user), outcome: 'success' as const, ...clientOf(ctx) };
    await log.append(trx, { ...common, action: 'case.merge', target: { type: 'case', id }, details: { into: request.into, reason: request.reason } });
    await log.append(trx, { ...common, action: 'case.mergeReceive', target: { type: 'case', id: request.into }, details: { from: id, reason: request.reason, reportersAdded: added.length } });
    const actor = timelineActor(user);
    await appendCaseEvent(trx, { caseId: id, kind: 'case.merged', at: now, actor, opinion: request.reason, details: { into: request.into }, sourceKey: `merge:${id}` });
    await appendCaseEvent(trx, { caseId: request.into, kind: 'case.merged', at: now, actor, opinion: request.reason, details: { from: id }, sourceKey: `merge:${id}:into` });
  });
  let instanceEnded = false;
  if (engine?.connection && engine.status !== 'down') {
    instanceEnded = await endMergedInstance(db, engine.connection, { id, instanceId: source.process_instance_id, into: request.into, reason: request.reason }, now).catch(() => false);
  }
  return { caseId: id, mergedInto: request.into, instanceEnded };
}
