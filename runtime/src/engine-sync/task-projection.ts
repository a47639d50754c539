/**
 * Applies outbox events to GridFlow's projection (tasks, candidates, incidents, case links).
 * Idempotent and order-safe: every task event carries the task's full state, and a row is only
 * changed by an event newer than the last one applied to it (last_event_id).
 */
import type { Knex } from 'knex';
import { transactionRetryingDeadlocks } from '../db/transaction.ts';
import { appendCaseEvent } from '../timeline/timeline.store.ts';
import type { CaseEventKind } from '../timeline/timeline.store.ts';
import type { OutboxEvent } from './outbox-event.ts';
import { caseOfBusinessKey } from './instance-case.ts';

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
const date = (v: unknown) => (typeof v === 'string' && v ? new Date(v) : null);
const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** `gridflow:form:<key>[:v<version>]` or a bare key → key and version. */
export function parseFormKey(formKey: string | null): { key: string | null; version: number | null } {
  if (!formKey) return { key: null, version: null };
  const m = /^(?:gridflow:form:)?([^:]+)(?::v(\d+))?$/.exec(formKey);
  return m ? { key: m[1] ?? null, version: m[2] ? Number(m[2]) : null } : { key: formKey, version: null };
}

/**
 * A department offered a step of a case (candidate group `dept:<code>`) is one of its handlers from
 * then on: it keeps seeing the case after the step is done (relation `handler`).
 */
async function recordHandlingDepartments(trx: Knex.Transaction, caseId: string, groups: string[], at: Date): Promise<void> {
  const codes = [...new Set(groups.filter((g) => g.startsWith('dept:')).map((g) => g.slice('dept:'.length)).filter(Boolean))];
  if (codes.length === 0) return;
  const known = new Set(await trx('case_parties').where({ case_id: caseId, relation: 'handler' }).whereIn('department_code', codes).pluck('department_code') as string[]);
  const added = codes.filter((c) => !known.has(c));
  if (added.length > 0) await trx('case_parties').insert(added.map((code) => ({ case_id: caseId, relation: 'handler', department_code: code, created_at: at })));
}

async function applyTask(trx: Knex.Transaction, e: OutboxEvent): Promise<void> {
  if (!e.taskId) return;
  const existing = await trx('tasks').where({ id: e.taskId }).first('last_event_id', 'case_id');
  if (existing && Number(existing.last_event_id) >= e.id) return;
  const p = e.payload;
  const form = parseFormKey(str(p.formKey));
  const terminal = e.type === 'task.completed' || e.type === 'task.deleted';
  const caseRow = await caseOfBusinessKey(trx, e.businessKey);
  const row = {
    case_id: caseRow?.id ?? existing?.case_id ?? null,
    process_instance_id: e.processInstanceId ?? '',
    process_definition_key: e.processDefinitionKey,
    task_definition_key: e.taskDefinitionKey,
    name: str(p.name),
    assignee: str(p.assignee),
    owner: str(p.owner),
    org_unit_code: caseRow?.org_unit_code ?? null,
    form_key: form.key,
    form_version: form.version,
    priority: typeof p.priority === 'number' ? p.priority : 50,
    due_at: date(p.dueDate),
    follow_up_at: date(p.followUpDate),
    status: e.type === 'task.completed' ? 'completed' : e.type === 'task.deleted' ? 'deleted' : 'open',
    created_at: date(p.createTime) ?? new Date(e.occurredAt),
    ended_at: terminal ? new Date(e.occurredAt) : null,
    last_event_id: e.id,
  };
  if (existing) await trx('tasks').where({ id: e.taskId }).update(row);
  else await trx('tasks').insert({ id: e.taskId, ...row });
  await trx('task_candidates').where({ task_id: e.taskId }).delete();
  const candidates = [
    ...list(p.candidateGroups).map((value) => ({ task_id: e.taskId, kind: 'group', value })),
    ...list(p.candidateUsers).map((value) => ({ task_id: e.taskId, kind: 'user', value })),
  ];
  if (!terminal && candidates.length > 0) await trx('task_candidates').insert(candidates);
  // Departments summoned by a whistle are its parties (relation whistle), not the case's handlers.
  if (row.case_id && !terminal && caseRow?.own !== false) await recordHandlingDepartments(trx, String(row.case_id), list(p.candidateGroups), new Date(e.occurredAt));
  const kind = STEP_EVENTS[e.type];
  if (row.case_id && kind && (kind !== 'step.claimed' || row.assignee)) {
    await appendCaseEvent(trx, {
      caseId: String(row.case_id), kind, at: new Date(e.occurredAt), sourceKey: `outbox:${e.id}`,
      step: { key: String(e.taskDefinitionKey ?? ''), name: row.name, taskId: e.taskId }, ...(kind === 'step.claimed' ? { details: { assignee: row.assignee } } : {}),
    });
  }
}

/** Timeline events of task transitions (completion is written with its actor and opinion by GridFlow itself). */
const STEP_EVENTS: Partial<Record<OutboxEvent['type'], CaseEventKind>> = { 'task.created': 'step.arrived', 'task.assigned': 'step.claimed', 'task.deleted': 'step.cancelled' };

async function applyIncident(trx: Knex.Transaction, e: OutboxEvent): Promise<void> {
  const id = str(e.payload.incidentId);
  if (!id) return;
  const existing = await trx('incidents').where({ id }).first('last_event_id');
  if (existing && Number(existing.last_event_id) >= e.id) return;
  const resolved = e.type === 'incident.resolved';
  const row = {
    process_instance_id: e.processInstanceId,
    case_id: e.businessKey,
    activity_id: str(e.payload.activityId) ?? e.activityId,
    incident_type: str(e.payload.incidentType) ?? 'unknown',
    message: str(e.payload.incidentMessage)?.slice(0, 1000) ?? null,
    status: resolved ? 'resolved' : 'open',
    created_at: date(e.payload.createTime) ?? new Date(e.occurredAt),
    resolved_at: resolved ? new Date(e.occurredAt) : null,
    last_event_id: e.id,
  };
  if (existing) await trx('incidents').where({ id }).update(row);
  else await trx('incidents').insert({ id, ...row });
}

async function applyInstance(trx: Knex.Transaction, e: OutboxEvent, now: Date): Promise<void> {
  if (!e.businessKey || !e.processInstanceId) return;
  if (e.type === 'instance.started') {
    await trx('cases').where({ id: e.businessKey }).whereNull('process_instance_id')
      .update({ process_instance_id: e.processInstanceId, status: 'running', updated_at: now });
  } else {
    // A merged case keeps its status (its instance was ended because of the merge).
    await trx('cases').where({ id: e.businessKey, process_instance_id: e.processInstanceId }).whereNotIn('status', ['ended', 'merged'])
      .update({ status: 'ended', ended_at: new Date(e.occurredAt), updated_at: now });
    await trx('cases').where({ id: e.businessKey, process_instance_id: e.processInstanceId, status: 'merged' }).whereNull('ended_at')
      .update({ ended_at: new Date(e.occurredAt), updated_at: now });
    if (await trx('cases').where({ id: e.businessKey }).first('id')) {
      await appendCaseEvent(trx, { caseId: e.businessKey, kind: 'case.ended', at: new Date(e.occurredAt), sourceKey: `outbox:${e.id}` });
    }
  }
}

/** Applies a batch of events in one transaction. */
export async function applyOutboxEvents(db: Knex, events: OutboxEvent[], now: Date): Promise<void> {
  // Writers of the same case rows run beside the projection (intake, completions, topic handlers):
  // a deadlock victim runs again rather than passing for a lost engine.
  await transactionRetryingDeadlocks(db, async (trx) => {
    for (const e of events) {
      if (e.type.startsWith('task.')) await applyTask(trx, e);
      else if (e.type.startsWith('incident.')) await applyIncident(trx, e);
      else await applyInstance(trx, e, now);
    }
  });
}
