/**
 * 吹哨: a street leader or dispatcher of the case's street summons departments. The whistle, its
 * departments (relation `whistle` on the case, so they can see it), the timeline event and the audit
 * record are written in one transaction; then the `whistle` process is started with the whistle id
 * as business key. Report-in and handling deadlines are computed here, from the kind of the template
 * in use for the case's district, and handed to the process as dates.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { addTimeLimit, OperationalError, toVariables, UserError, WHISTLE_PROCESS_KEY } from '@gridflow/engine';
import type { ErrorDetail, WhistleKind } from '@gridflow/engine';
import { AuditLog } from '../audit/audit.store.ts';
import { activeDefinitions } from '../definitions/active-definitions.ts';
import type { DistrictDefinitions } from '../definitions/active-definitions.ts';
import { engineFetch, EngineHttpError } from '../engine-sync/engine-connection.ts';
import type { EngineConnection } from '../engine-sync/engine-connection.ts';
import { actorOf } from '../http/request-context.ts';
import type { RequestContext, SignedInUser } from '../http/request-context.ts';
import { clientOf } from '../http/scoped.ts';
import { appendCaseEvent, timelineActor } from '../timeline/timeline.store.ts';
import type { StartWhistle } from '../contracts/whistle.ts';
import type { WhistleCase } from './whistle-access.ts';

/** Statuses of a whistle that is still going on (a case has at most one). */
export const OPEN_STATUSES = ['starting', 'open', 'escalated'];

const refuse = (code: string, zh: string, en: string, status = 409) => new UserError(`whistle.${code}`, { 'zh-CN': zh, en }, { status });

/** What a valid request resolves to. */
interface Checked {
  kind: WhistleKind;
  defs: DistrictDefinitions;
}

/** Checks the request against the case and the definitions in use; every bad field is named at once. */
async function check(db: Knex, c: WhistleCase, input: StartWhistle): Promise<Checked> {
  if (c.status !== 'running' || !c.process_instance_id) throw refuse('caseNotRunning', '只有办理中的事件可以吹哨', 'Only a running case can have a whistle');
  if (!c.street_code || !c.district_code) throw refuse('noStreet', '事件没有所属街道，不能吹哨', 'The case belongs to no street, so no street can blow a whistle on it');
  const defs = (await activeDefinitions(db)).forDistrict(c.district_code);
  const kinds = defs?.pkg.data.whistles?.kinds ?? [];
  if (!defs || kinds.length === 0) throw refuse('noTemplate', '所用配置包没有吹哨模板（whistles.yaml）', 'The definitions in use have no whistle template (whistles.yaml)');
  const details: ErrorDetail[] = [];
  const kind = kinds.find((k) => k.code === input.kind);
  if (!kind) {
    details.push({ target: '/body/kind', message: { 'zh-CN': `吹哨类型须为：${kinds.map((k) => `${k.code}（${k.name}）`).join('、')}`, en: `The kind must be one of ${kinds.map((k) => k.code).join(', ')}` } });
  }
  input.departments.forEach((code, i) => {
    if (!defs.department(code)) details.push({ target: `/body/departments/${i}`, message: { 'zh-CN': `部门“${code}”不存在`, en: `Department "${code}" does not exist` } });
  });
  if (!input.departments.includes(input.leadDepartment)) {
    details.push({ target: '/body/leadDepartment', message: { 'zh-CN': '牵头部门须为被召集的部门之一', en: 'The lead department must be one of the summoned departments' } });
  }
  if (!kind || details.length > 0) throw new UserError('whistle.invalid', { 'zh-CN': '吹哨信息有误，请按提示修改', en: 'The whistle has errors; please correct them' }, { details });
  if (await db('whistles').where({ case_id: c.id }).whereIn('status', OPEN_STATUSES).first('id')) {
    throw refuse('alreadyOpen', '此事件已有进行中的吹哨', 'The case already has a whistle going on');
  }
  return { kind, defs };
}

/** The two deadlines of a whistle blown at `now`. */
function deadlines(defs: DistrictDefinitions, kind: WhistleKind, now: Date): { reportInDueAt: Date; handleDueAt: Date } {
  const calendar = defs.calendar();
  if (!calendar) throw refuse('noCalendar', '所用配置包没有工作日历，无法计算办理时限', 'The definitions in use have no working calendar to count the handling limit on');
  return { reportInDueAt: new Date(now.getTime() + kind.reportInMinutes * 60_000), handleDueAt: addTimeLimit(calendar, now, kind.handleWithin).dueAt };
}

/** Blows the whistle: records it, then starts its process. Returns the whistle id. */
export async function startWhistle(
  db: Knex, engine: () => EngineConnection, ctx: RequestContext, user: SignedInUser, c: WhistleCase, input: StartWhistle, clock: () => Date,
): Promise<string> {
  const { kind, defs } = await check(db, c, input);
  const connection = engine();
  const now = clock();
  const due = deadlines(defs, kind, now);
  const id = randomUUID();
  await db.transaction(async (trx) => {
    await trx('whistles').insert({
      id, case_id: c.id, kind: kind.code, reason: input.reason, lead_department: input.leadDepartment, status: 'starting', started_by: user.principal.userId,
      street_code: c.street_code, district_code: c.district_code, report_in_due_at: due.reportInDueAt, handle_due_at: due.handleDueAt, created_at: now,
    });
    await trx('whistle_departments').insert(input.departments.map((code) => ({ whistle_id: id, department_code: code, lead: code === input.leadDepartment })));
    const known = new Set(await trx('case_parties').where({ case_id: c.id, relation: 'whistle' }).whereIn('department_code', input.departments).pluck('department_code') as string[]);
    const added = input.departments.filter((code) => !known.has(code));
    if (added.length > 0) await trx('case_parties').insert(added.map((code) => ({ case_id: c.id, relation: 'whistle', department_code: code, created_at: now })));
    await appendCaseEvent(trx, {
      caseId: c.id, kind: 'whistle.started', at: now, sourceKey: `whistle:${id}`, actor: timelineActor(user), opinion: input.reason,
      details: { whistleId: id, kind: kind.code, kindName: kind.name, departments: input.departments, leadDepartment: input.leadDepartment, reportInDueAt: due.reportInDueAt.toISOString(), handleDueAt: due.handleDueAt.toISOString() },
    });
    await new AuditLog(trx).append(trx, {
      occurredAt: now.toISOString(), actor: actorOf(user), action: 'whistle.start', target: { type: 'case', id: c.id }, outcome: 'success', ...clientOf(ctx),
      details: { whistleId: id, kind: kind.code, departments: input.departments, leadDepartment: input.leadDepartment },
    });
  });
  const variables = {
    caseId: c.id, whistleId: id, whistleKind: kind.code, departments: input.departments, leadDepartment: input.leadDepartment, ...due,
    streetCode: c.street_code, districtCode: c.district_code, whistleOverdue: false,
  };
  await startInstance(db, connection, { id, caseId: c.id }, variables, clock);
  return id;
}

/** Starts the whistle's process and links it; when the engine did not start it, the whistle is `failed` and the error raised. */
async function startInstance(db: Knex, engine: EngineConnection, whistle: { id: string; caseId: string }, variables: Record<string, unknown>, clock: () => Date): Promise<void> {
  const { id } = whistle;
  let instanceId: string | undefined;
  let failure: unknown;
  try {
    instanceId = (await engineFetch<{ id: string }>(engine, 'POST', `/engine-rest/process-definition/key/${WHISTLE_PROCESS_KEY}/start`, { businessKey: id, variables: toVariables(variables) }, 20_000)).id;
  } catch (e) {
    failure = e;
    // A start whose answer was lost may have happened: look it up by business key.
    const found = await engineFetch<{ id: string }[]>(engine, 'GET', `/engine-rest/history/process-instance?processInstanceBusinessKey=${encodeURIComponent(id)}&processDefinitionKey=${WHISTLE_PROCESS_KEY}`).catch(() => []);
    instanceId = found[0]?.id;
  }
  if (instanceId) {
    await db('whistles').where({ id }).update({ process_instance_id: instanceId });
    await db('whistles').where({ id, status: 'starting' }).update({ status: 'open' });
    return;
  }
  const message = String((failure as Error).message ?? failure).slice(0, 1000);
  const now = clock();
  await db.transaction(async (trx) => {
    await trx('whistles').where({ id }).update({ status: 'failed', start_error: message, closed_at: now });
    await appendCaseEvent(trx, { caseId: whistle.caseId, kind: 'whistle.failed', at: now, sourceKey: `whistle-failed:${id}`, opinion: message, details: { whistleId: id } });
  });
  if (failure instanceof EngineHttpError) {
    throw new OperationalError({ 'zh-CN': `流程引擎未能启动吹哨流程：${message}`, en: `The engine did not start the whistle process: ${message}` }, { cause: failure });
  }
  throw failure;
}
