/**
 * Rescheduling a case's timers when its deadline moves (恢复 after 挂起, an approved 延期): the clock
 * is replayed from the timeline, and the process instance's timer jobs whose BPMN timer reads
 * `${handleDueAt}` or `${handleWarnAt}` are moved to the new dates, which also become the variables
 * (so a step entered later schedules by them) and the case's columns (for lists).
 */
import type { Knex } from 'knex';
import type { EngineClient } from '@gridflow/engine';
import { caseClock, timerDatesOf, type ClockRow } from './case-clock-events.ts';

/** Variables that hold a case's timer dates. */
export const DUE_VARIABLE = 'handleDueAt';
export const WARN_VARIABLE = 'handleWarnAt';

/** What a reschedule did. */
export interface Rescheduled {
  /** The new deadline and warning instant; null when the clock does not run. */
  dueAt: Date | null;
  warnAt: Date | null;
  /** Timer jobs whose due date was changed. */
  moved: number;
}

const reads = (name: string) => new RegExp(`\\$\\{\\s*${name}\\s*\\}`);

/** Which timer variable a timer job definition's configuration (e.g. "DATE: ${handleDueAt}") reads. */
export function timerVariableOf(configuration: string | null | undefined): 'due' | 'warn' | null {
  if (!configuration) return null;
  const due = reads(DUE_VARIABLE).test(configuration);
  const warn = reads(WARN_VARIABLE).test(configuration);
  return due === warn ? null : due ? 'due' : 'warn';
}

/**
 * Moves the case's clock timers to the deadline the timeline gives as of `now` (with `pending` rows
 * the caller is about to record, e.g. the resume). Works on a suspended instance too, so a resume can
 * move the timers before the instance is activated and no timer fires at a stale date.
 */
export async function rescheduleCaseTimers(
  db: Knex, engine: EngineClient, caseId: string, options: { now: Date; pending?: readonly ClockRow[] },
): Promise<Rescheduled> {
  const row = await db('cases').where({ id: caseId }).first('process_instance_id') as { process_instance_id: string | null } | undefined;
  const clock = await caseClock(db, caseId, options.now, options.pending);
  if (!row?.process_instance_id || !clock || clock.state.status !== 'running') return { dueAt: null, warnAt: null, moved: 0 };
  const { dueAt, warnAt } = timerDatesOf(clock.state);
  const instance = row.process_instance_id;
  const jobs = await engine.jobs.query({ processInstanceId: instance, timers: true });
  let moved = 0;
  if (jobs.length > 0) {
    const definitions = new Map<string, string | null | undefined>();
    for (const id of new Set(jobs.map((j) => j.processDefinitionId).filter((id): id is string => Boolean(id)))) {
      for (const d of await engine.jobs.definitions({ processDefinitionId: id })) if (d.id) definitions.set(d.id, d.jobConfiguration);
    }
    for (const job of jobs) {
      const which = timerVariableOf(definitions.get(job.jobDefinitionId ?? ''));
      const target = which === 'due' ? dueAt : which === 'warn' ? warnAt : null;
      if (!job.id || !target || (job.dueDate && new Date(job.dueDate).getTime() === target.getTime())) continue;
      await engine.jobs.setDueDate(job.id, target);
      moved++;
    }
  }
  await engine.processInstances.setVariables(instance, { [DUE_VARIABLE]: dueAt, [WARN_VARIABLE]: warnAt });
  await db('cases').where({ id: caseId }).update({ handle_due_at: dueAt, handle_warn_at: warnAt });
  return { dueAt, warnAt, moved };
}
