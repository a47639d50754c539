/**
 * What the clock's timers do when they fire. `gridflow.clock.warn` (yellow): a `clock.warning` on the
 * timeline and a notice to the people on the watched step. `gridflow.clock.overdue` (red): a
 * `clock.overdue` on the timeline, an automatic 催办 to those people and an automatic 督办 raised to the
 * level above the one handling (community → street; street or department → district) with its own
 * reply deadline. Each runs once per external task (its id keys everything it writes).
 */
import { addTimeLimit } from '@gridflow/engine';
import type { TopicTask } from '@gridflow/engine';
import type { CoreTopicDeps } from '../engine-host/core-topics.ts';
import { usersInGroups } from '../access/candidate-groups.ts';
import { AuditLog } from '../audit/audit.store.ts';
import { notify } from '../notifications/notifications.ts';
import { AUTOMATIC_REPLY_WITHIN, raiseSupervision, type SupervisionLevel } from '../supervision/supervision-store.ts';
import { appendCaseEvent } from '../timeline/timeline.store.ts';
import { caseClock } from './case-clock-events.ts';
import { caseIdOf } from '../engine-host/topic-case.ts';
import { localTimeText } from './local-time-text.ts';
import { timerStep, type TimerStep } from './timer-step.ts';

interface AlertCase {
  id: string;
  title: string | null;
  street_code: string | null;
  district_code: string | null;
}

/** The level that supervises a case handled at `handlingLevel`. */
export function supervisingLevel(handlingLevel: unknown, streetCode: string | null): SupervisionLevel {
  return handlingLevel === 'community' && streetCode ? 'street' : 'district';
}

async function prepare(deps: CoreTopicDeps, task: TopicTask) {
  const caseId = caseIdOf(task);
  const sourceKey = `topic:${task.id}`;
  if (await deps.db('case_events').where({ source_key: sourceKey }).first('id')) return undefined;
  const c = await deps.db('cases').where({ id: caseId }).first('id', 'title', 'street_code', 'district_code') as AlertCase | undefined;
  if (!c) throw new Error(`Case ${caseId} does not exist`);
  const now = deps.clock();
  const clock = await caseClock(deps.db, caseId, now);
  if (!clock) throw new Error(`Case ${caseId}: a clock timer fired but the clock never started`);
  const step = await timerStep(deps.db, deps.engine, task);
  return { c, sourceKey, now, clock, step };
}

const stepOf = (s: TimerStep) => (s.tasks[0] ? { key: s.tasks[0].key, name: s.tasks[0].name, taskId: s.tasks[0].id } : s.key ? { key: s.key } : null);

/** gridflow.clock.warn */
export async function warn(deps: CoreTopicDeps, task: TopicTask): Promise<void> {
  const p = await prepare(deps, task);
  if (!p) return;
  const { c, sourceKey, now, clock, step } = p;
  const due = clock.state.dueAt;
  await deps.db.transaction(async (trx) => {
    await appendCaseEvent(trx, {
      caseId: c.id, kind: 'clock.warning', at: now, sourceKey, step: stepOf(step),
      details: { level: 'yellow', dueAt: due?.toISOString() ?? null, notified: step.userIds.length },
    });
    await notify(trx, step.userIds, {
      kind: 'clock.warning', caseId: c.id, taskId: step.tasks[0]?.id ?? null, fromUserId: null,
      message: `黄灯预警：事件“${c.title ?? c.id}”的处置时限将于 ${due ? localTimeText(due, clock.calendar.timezone) : '近期'} 到期，请抓紧办理。`,
    }, now);
  });
}

/** gridflow.clock.overdue */
export async function overdue(deps: CoreTopicDeps, task: TopicTask): Promise<void> {
  const p = await prepare(deps, task);
  if (!p) return;
  const { c, sourceKey, now, clock, step } = p;
  const due = clock.state.dueAt;
  const tz = clock.calendar.timezone;
  const level = supervisingLevel(clock.start.handlingLevel ?? task.variables.handlingLevel, c.street_code);
  const orgUnitCode = level === 'street' ? c.street_code : c.district_code;
  const centre = await usersInGroups(deps.db, [level === 'street' ? `street-dispatcher@${c.street_code}` : `district-dispatcher@${c.district_code ?? ''}`]);
  const replyDueAt = addTimeLimit(clock.calendar, now, AUTOMATIC_REPLY_WITHIN).dueAt;
  const dueText = due ? localTimeText(due, tz) : '';
  await deps.db.transaction(async (trx) => {
    await appendCaseEvent(trx, {
      caseId: c.id, kind: 'clock.overdue', at: now, sourceKey, step: stepOf(step),
      details: { level: 'red', dueAt: due?.toISOString() ?? null, urged: step.userIds.length, supervisedBy: level },
    });
    await notify(trx, step.userIds, {
      kind: 'clock.overdue', caseId: c.id, taskId: step.tasks[0]?.id ?? null, fromUserId: null,
      message: `超期催办：事件“${c.title ?? c.id}”已超过处置时限（${dueText}），请立即办理。`,
    }, now);
    const id = await raiseSupervision(trx, {
      caseId: c.id, caseTitle: c.title, source: 'clock', level, orgUnitCode, author: null,
      opinion: `事件已超过处置时限（${dueText}）未办结，请说明原因并尽快办理。`,
      replyWithin: AUTOMATIC_REPLY_WITHIN, replyDueAt, timezone: tz, sourceKey: `clock:${task.id}`, now, notify: [...step.userIds, ...centre],
    });
    await new AuditLog(trx).append(trx, {
      occurredAt: now.toISOString(), actor: { username: 'system' }, action: 'case.supervise', target: { type: 'case', id: c.id }, outcome: 'success',
      details: { supervisionId: id, source: 'clock', level, replyDueAt: replyDueAt.toISOString() },
    });
  });
}
