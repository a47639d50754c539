/**
 * Starting and stopping the handling clock from the process. `gridflow.clock.start` records
 * `clock.started` with the case's handling limit the first time and `clock.restarted` (the full limit
 * again) when the case comes back to handling (返工 after a failed verification, or re-dispatch after a
 * 退回); it hands the deadline and the warning instant to the BPMN timers as Date variables.
 * `gridflow.clock.stop` records `clock.stopped` when handling is done.
 */
import type { Knex } from 'knex';
import type { TopicTask } from '@gridflow/engine';
import type { CoreTopicDeps } from '../engine-host/core-topics.ts';
import { caseIdOf } from '../engine-host/topic-case.ts';
import { activeDefinitions } from '../definitions/active-definitions.ts';
import { appendCaseEvent } from '../timeline/timeline.store.ts';
import { caseClock, timerDatesOf, type ClockRow } from './case-clock-events.ts';
import { handlingLimit, isUrgent } from './handling-limit.ts';
import { DUE_VARIABLE, WARN_VARIABLE } from './reschedule.ts';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);


interface CaseRow {
  id: string;
  event_type: string | null;
  grid_code: string | null;
  community_code: string | null;
  street_code: string | null;
  district_code: string | null;
}

async function caseRow(db: Knex, caseId: string): Promise<CaseRow> {
  const row = await db('cases').where({ id: caseId }).first('id', 'event_type', 'grid_code', 'community_code', 'street_code', 'district_code') as CaseRow | undefined;
  if (!row) throw new Error(`Case ${caseId} does not exist`);
  return row;
}

/** The start (or restart) row to record for a case at `now`. */
async function startRow(deps: CoreTopicDeps, task: TopicTask, c: CaseRow, now: Date): Promise<ClockRow> {
  const v = task.variables;
  const district = str(v.districtCode) ?? c.district_code;
  const defs = (await activeDefinitions(deps.db)).forDistrict(district);
  if (!defs) throw new Error(`No active definitions for district ${district ?? '(none)'}`);
  const eventType = str(v.eventType) ?? c.event_type;
  const place = { gridCode: str(v.gridCode) ?? c.grid_code, communityCode: str(v.communityCode) ?? c.community_code, streetCode: str(v.streetCode) ?? c.street_code };
  const found = handlingLimit(defs, eventType, place, isUrgent(v.urgent));
  if (!found) throw new Error(`Case ${c.id}: the catalogue has no subclass ${eventType ?? '(none)'}, so it has no time limit`);
  const started = await deps.db('case_events').where({ case_id: c.id, kind: 'clock.started' }).first('id');
  return {
    kind: started ? 'clock.restarted' : 'clock.started', at: now,
    details: { limit: found.limit, limitSource: found.source, subclass: found.subclass, tier: str(v.dispatchTier), handlingLevel: str(v.handlingLevel) },
  };
}

/** gridflow.clock.start: records the (re)start once per external task and returns the timer dates. */
export async function startClock(deps: CoreTopicDeps, task: TopicTask): Promise<{ variables: Record<string, Date> }> {
  const caseId = caseIdOf(task);
  const sourceKey = `topic:${task.id}`;
  const now = deps.clock();
  const c = await caseRow(deps.db, caseId);
  const recorded = await deps.db('case_events').where({ source_key: sourceKey }).first('id');
  const pending = recorded ? [] : [await startRow(deps, task, c, now)];
  const clock = await caseClock(deps.db, caseId, now, pending);
  const { dueAt, warnAt } = clock ? timerDatesOf(clock.state) : { dueAt: null, warnAt: null };
  if (!dueAt || !warnAt) throw new Error(`Case ${caseId}: the clock did not start`);
  await deps.db.transaction(async (trx) => {
    for (const row of pending) await appendCaseEvent(trx, { caseId, kind: row.kind as 'clock.started', at: row.at, details: row.details, sourceKey });
    await trx('cases').where({ id: caseId }).update({ handle_due_at: dueAt, handle_warn_at: warnAt });
  });
  return { variables: { [DUE_VARIABLE]: dueAt, [WARN_VARIABLE]: warnAt } };
}

/** gridflow.clock.stop: records the stop (once) and says whether handling was on time. */
export async function stopClock(deps: CoreTopicDeps, task: TopicTask): Promise<{ variables: Record<string, boolean> }> {
  const caseId = caseIdOf(task);
  const sourceKey = `topic:${task.id}`;
  const now = deps.clock();
  const recorded = await deps.db('case_events').where({ source_key: sourceKey }).first('at') as { at: unknown } | undefined;
  const before = await caseClock(deps.db, caseId, now);
  const stopping = !recorded && before !== null && before.state.status !== 'stopped';
  const stop: ClockRow = { kind: 'clock.stopped', at: now, details: {} };
  const after = stopping ? await caseClock(deps.db, caseId, now, [stop]) : before;
  await deps.db.transaction(async (trx) => {
    if (stopping) await appendCaseEvent(trx, { caseId, kind: 'clock.stopped', at: now, sourceKey, details: { onTime: after?.state.onTime ?? null } });
    await trx('cases').where({ id: caseId }).update({ handle_warn_at: null });
  });
  return { variables: after?.state.onTime === null || after === null ? {} : { handledOnTime: after.state.onTime } };
}
