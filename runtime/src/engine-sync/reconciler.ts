/**
 * Repairs drift between the engine and GridFlow after either side crashed: links or starts cases
 * left `starting`, adds open engine tasks the projection lacks, and closes projected tasks the
 * engine no longer has open. Safe to run at any time; outbox events still to come win over it.
 */
import type { Knex } from 'knex';
import type { CasesService } from '../cases/cases.service.ts';
import { endMergedInstance } from '../intake/merge.service.ts';
import { engineFetch } from './engine-connection.ts';
import type { EngineConnection } from './engine-connection.ts';
import type { OutboxConsumer } from './outbox-consumer.ts';
import { parseFormKey } from './task-projection.ts';
import { caseOfBusinessKey } from './instance-case.ts';

interface EngineTask {
  id: string;
  name: string | null;
  assignee: string | null;
  owner: string | null;
  created: string;
  due: string | null;
  followUp: string | null;
  priority: number;
  processInstanceId: string;
  processDefinitionId: string;
  taskDefinitionKey: string;
  formKey: string | null;
}

/** What a reconciliation changed. */
export interface ReconcileReport {
  casesStarted: number;
  /** Instances of merged cases ended (the engine was unreachable at the merge). */
  mergedEnded: number;
  tasksAdded: number;
  tasksUpdated: number;
  tasksClosed: number;
}

const PAGE = 500;
const engineDate = (v: string | null) => (v ? new Date(v) : null);

/** Runs reconciliations. */
export class Reconciler {
  constructor(
    private readonly db: Knex, private readonly engine: EngineConnection,
    private readonly consumer: OutboxConsumer, private readonly cases: CasesService,
  ) {}

  private running: Promise<ReconcileReport> | undefined;

  /** One full pass (concurrent calls share the pass in progress). */
  run(startingOlderThanMs = 120_000): Promise<ReconcileReport> {
    this.running ??= this.pass(startingOlderThanMs).finally(() => { this.running = undefined; });
    return this.running;
  }

  /** `startingOlderThanMs` leaves alone cases whose start may still be in flight. */
  private async pass(startingOlderThanMs: number): Promise<ReconcileReport> {
    await this.consumer.drain();
    const report: ReconcileReport = { casesStarted: 0, mergedEnded: 0, tasksAdded: 0, tasksUpdated: 0, tasksClosed: 0 };
    const cutoff = new Date(Date.now() - startingOlderThanMs);
    const starting = await this.db('cases').where({ status: 'starting' }).where('created_at', '<=', cutoff)
      .select('id', 'process_definition_key', 'start_variables') as { id: string; process_definition_key: string; start_variables: string | null }[];
    for (const c of starting) {
      if (!(await this.cases.claimStart(c.id))) continue;
      await this.cases.startInstance(c.id, c.process_definition_key, JSON.parse(c.start_variables ?? '{}'));
      report.casesStarted += 1;
    }
    await this.endMerged(report);
    await this.reconcileTasks(report);
    return report;
  }

  /** Ends the instances of merged cases that are still running (the merge could not reach the engine). */
  private async endMerged(report: ReconcileReport): Promise<void> {
    const merged = await this.db('cases').where({ status: 'merged' }).whereNull('ended_at').whereNotNull('process_instance_id')
      .select('id', 'process_instance_id', 'merged_into', 'merge_reason') as { id: string; process_instance_id: string; merged_into: string | null; merge_reason: string | null }[];
    for (const c of merged) {
      await endMergedInstance(this.db, this.engine, { id: c.id, instanceId: c.process_instance_id, into: c.merged_into, reason: c.merge_reason }, new Date());
      report.mergedEnded += 1;
    }
  }

  private async engineOpenTasks(): Promise<Map<string, EngineTask>> {
    const out = new Map<string, EngineTask>();
    for (let first = 0; ; first += PAGE) {
      const page = await engineFetch<EngineTask[]>(this.engine, 'GET', `/engine-rest/task?sortBy=id&sortOrder=asc&firstResult=${first}&maxResults=${PAGE}`);
      for (const t of page) out.set(t.id, t);
      if (page.length < PAGE) return out;
    }
  }

  private async reconcileTasks(report: ReconcileReport): Promise<void> {
    const engineTasks = await this.engineOpenTasks();
    const projected = new Map((await this.db('tasks').where({ status: 'open' }).select('id', 'assignee', 'due_at') as { id: string; assignee: string | null; due_at: Date | string | null }[])
      .map((t) => [t.id, t]));
    for (const [id, t] of engineTasks) {
      const mine = projected.get(id);
      const due = engineDate(t.due);
      const sameDue = (mine?.due_at ? new Date(mine.due_at).getTime() : null) === (due?.getTime() ?? null);
      if (mine && mine.assignee === t.assignee && sameDue) continue;
      await this.upsertFromEngine(t, !mine);
      if (mine) report.tasksUpdated += 1;
      else report.tasksAdded += 1;
    }
    for (const id of projected.keys()) {
      if (engineTasks.has(id)) continue;
      const [history] = await engineFetch<{ deleteReason: string | null; endTime: string | null }[]>(this.engine, 'GET', `/engine-rest/history/task?taskId=${encodeURIComponent(id)}`);
      const status = history?.deleteReason === 'completed' ? 'completed' : 'deleted';
      await this.db('tasks').where({ id, status: 'open' }).update({ status, ended_at: engineDate(history?.endTime ?? null) ?? new Date() });
      await this.db('task_candidates').where({ task_id: id }).delete();
      report.tasksClosed += 1;
    }
  }

  private async upsertFromEngine(t: EngineTask, insert: boolean): Promise<void> {
    const links = await engineFetch<{ type: string; userId: string | null; groupId: string | null }[]>(this.engine, 'GET', `/engine-rest/task/${encodeURIComponent(t.id)}/identity-links?type=candidate`);
    const instance = await engineFetch<{ businessKey: string | null }>(this.engine, 'GET', `/engine-rest/process-instance/${encodeURIComponent(t.processInstanceId)}`).catch(() => ({ businessKey: null }));
    const caseRow = await caseOfBusinessKey(this.db, instance.businessKey);
    const form = parseFormKey(t.formKey);
    const row = {
      case_id: caseRow?.id ?? null, process_instance_id: t.processInstanceId, process_definition_key: t.processDefinitionId.split(':')[0] ?? null,
      task_definition_key: t.taskDefinitionKey, name: t.name, assignee: t.assignee, owner: t.owner, org_unit_code: caseRow?.org_unit_code ?? null,
      form_key: form.key, form_version: form.version, priority: t.priority, due_at: engineDate(t.due), follow_up_at: engineDate(t.followUp),
      status: 'open', created_at: engineDate(t.created) ?? new Date(), ended_at: null,
    };
    await this.db.transaction(async (trx) => {
      if (insert) await trx('tasks').insert({ id: t.id, ...row, last_event_id: 0 }).onConflict('id').ignore();
      else await trx('tasks').where({ id: t.id }).update(row);
      await trx('task_candidates').where({ task_id: t.id }).delete();
      const candidates = links.map((l) => (l.groupId ? { task_id: t.id, kind: 'group', value: l.groupId } : { task_id: t.id, kind: 'user', value: l.userId ?? '' }));
      if (candidates.length > 0) await trx('task_candidates').insert(candidates);
    });
  }
}
