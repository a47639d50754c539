/**
 * The case history assessment reads, derived from what GridFlow recorded for the stories of
 * assessment-stories.ts: the events and every deadline, computed by hand on the 2026 working calendar
 * (work time 08:00–12:00 and 14:00–18:00 Beijing time; subclass 01004 has 2 work-hours to handle).
 */
import assert from 'node:assert/strict';
import { after } from 'node:test';
import type { Knex } from 'knex';
import type { CaseEvent } from '@gridflow/engine';
import { describeEachDatabase } from '../support/databases.ts';
import { timelineHistory } from '../../src/assessment/timeline-history.ts';
import { PERIOD, closeStoryWorld, storyWorld } from './assessment-stories.ts';
import { GRIDS } from './assessment-world.ts';

/** Beijing time as the ISO instant the history holds. */
const at = (monthDayTime: string) => new Date(`2026-${monthDayTime.replace(' ', 'T')}:00+08:00`).toISOString();
const period = { from: new Date(PERIOD.from), to: new Date(PERIOD.to) };

async function historyOf(db: Knex, label: string, to = period.to): Promise<Omit<CaseEvent, 'caseId'>[]> {
  const { caseIds } = await storyWorld(db);
  const { history } = await timelineHistory(db, { from: period.from, to });
  return history.filter((e) => e.caseId === caseIds[label]).map(({ caseId: _caseId, ...rest }) => rest);
}

const G1 = { eventType: '01004', grid: GRIDS.G1.grid, community: GRIDS.G1.community, street: GRIDS.G1.street };
const G3 = { eventType: '01004', grid: GRIDS.G3.grid, community: GRIDS.G3.community, street: GRIDS.G3.street };

const dbs: Knex[] = [];
after(async () => {
  for (const db of dbs) await closeStoryWorld(db);
});

describeEachDatabase('case history from the timeline', (test) => {
  test('延期: the handling deadline and the closing deadline move by the approved extension', async ({ db }) => {
    dbs.push(db);
    assert.deepEqual(await historyOf(db, 'K7'), [
      { kind: 'reported', at: at('10-12 15:00'), ...G1, reporter: 'wgy001', registerDueAt: at('10-12 17:00') },
      // Closing: 2 work-hours from 15:05 is 17:05, plus 2 work-days.
      { kind: 'registered', at: at('10-12 15:05'), closeDueAt: at('10-14 17:05') },
      { kind: 'dispatched', at: at('10-12 15:10'), departments: [{ code: 'D12', role: 'primary' }], level: 'district', handleDueAt: at('10-12 17:10') },
      // +1 work-day: 10 work-hours from 15:10 end on Tuesday 17:10; the closing clock's from 15:05 on Tuesday 17:05, plus 2 work-days.
      { kind: 'extended', at: at('10-12 16:00'), department: 'D12', newDueAt: at('10-13 17:10'), closeDueAt: at('10-15 17:05') },
      { kind: 'handled', at: at('10-13 16:00'), department: 'D12' },
      { kind: 'verificationRequested', at: at('10-13 16:00'), assignee: 'wgy001', dueAt: at('10-14 16:00') },
      { kind: 'verified', at: at('10-13 16:10'), by: 'wgy001', passed: true },
      { kind: 'closed', at: at('10-13 16:20') },
      { kind: 'visited', at: at('10-13 16:30'), by: 'wgy001', satisfaction: 'basicallySatisfied' },
    ]);
  });

  test('挂起 / 恢复: the time left at the pause counts from the resume', async ({ db }) => {
    assert.deepEqual(await historyOf(db, 'K13'), [
      { kind: 'reported', at: at('10-13 09:00'), ...G3, reporter: 'wgy003', registerDueAt: at('10-13 11:00') },
      { kind: 'registered', at: at('10-13 09:05'), closeDueAt: at('10-15 11:05') },
      { kind: 'dispatched', at: at('10-13 09:10'), departments: [{ code: 'D12', role: 'primary' }], level: 'district', handleDueAt: at('10-13 11:10') },
      { kind: 'suspended', at: at('10-13 10:10'), reason: '等待管线施工完成' },
      // An hour of handling was left (55 minutes of the closing clock's 2 work-hours).
      { kind: 'resumed', at: at('10-14 09:00'), handleDueAt: at('10-14 10:00'), closeDueAt: at('10-16 09:55') },
      { kind: 'handled', at: at('10-14 09:50'), department: 'D12' },
      { kind: 'verificationRequested', at: at('10-14 09:50'), assignee: 'wgy003', dueAt: at('10-15 09:50') },
      { kind: 'verified', at: at('10-14 10:00'), by: 'wgy003', passed: true },
      { kind: 'closed', at: at('10-14 10:10') },
    ]);
  });

  test('返工 restarts the handling limit; 退回 (by the form or by task operation) ends the assignment; a rejection ends the report; 受理 may reclassify', async ({ db }) => {
    const k2 = await historyOf(db, 'K2');
    assert.deepEqual(k2.map((e) => e.kind), [
      'reported', 'registered', 'dispatched', 'handled', 'verificationRequested', 'verified', 'reworked', 'handled', 'verificationRequested', 'verified', 'closed', 'visited',
    ]);
    assert.deepEqual(k2[2], { kind: 'dispatched', at: at('10-14 09:05'), departments: [{ code: GRIDS.G1.community, role: 'primary' }], level: 'community', handleDueAt: at('10-14 11:05') });
    assert.deepEqual(k2[6], { kind: 'reworked', at: at('10-16 09:10'), handleDueAt: at('10-16 11:10') });
    assert.deepEqual(k2[5], { kind: 'verified', at: at('10-16 09:10'), by: 'wgy001', passed: false });
    assert.deepEqual(k2[11], { kind: 'visited', at: at('10-16 10:00'), by: 'wgy001', satisfaction: 'dissatisfied' });

    const k5 = await historyOf(db, 'K5');
    assert.deepEqual(k5.slice(2), [
      { kind: 'dispatched', at: at('10-12 14:10'), departments: [{ code: 'D02', role: 'primary' }], level: 'district', handleDueAt: at('10-12 16:10') },
      { kind: 'returned', at: at('10-12 14:20'), department: 'D02', reason: '不属于本部门职责。' },
      { kind: 'dispatched', at: at('10-12 14:30'), departments: [{ code: 'D12', role: 'primary' }], level: 'district', handleDueAt: at('10-12 16:30') },
    ]);
    const k12 = await historyOf(db, 'K12');
    assert.deepEqual(k12[3], { kind: 'returned', at: at('10-13 09:30'), department: 'D02', reason: '派错部门，请重新派遣。' });
    assert.deepEqual(k12[4], { kind: 'dispatched', at: at('10-13 09:40'), departments: [{ code: GRIDS.G1.community, role: 'primary' }], level: 'community', handleDueAt: at('10-13 11:40') });

    assert.deepEqual((await historyOf(db, 'K3')).slice(1), [{ kind: 'rejected', at: at('10-12 10:10'), reason: '现场已无油渍，不予立案。' }]);

    // 受理 reclassified it as 01002 (1 work-hour in the demo district): handling and closing count that limit.
    assert.deepEqual((await historyOf(db, 'K14')).slice(1, 3), [
      { kind: 'registered', at: at('10-14 09:05'), closeDueAt: at('10-16 10:05') },
      { kind: 'dispatched', at: at('10-14 09:10'), departments: [{ code: 'D12', role: 'primary' }], level: 'district', handleDueAt: at('10-14 10:10') },
    ]);
  });

  test('主办 and 协办: each department is an assignment, an assisting one done by a handler of that department', async ({ db }) => {
    const k4 = await historyOf(db, 'K4');
    // A citizen's report counts for no grid worker; the grid's worker owes the verification.
    assert.deepEqual(k4[0], { kind: 'reported', at: at('10-12 10:00'), ...G1, registerDueAt: at('10-12 12:00') });
    assert.deepEqual(k4.slice(2), [
      { kind: 'dispatched', at: at('10-12 10:35'), departments: [{ code: 'D12', role: 'primary' }, { code: 'D01', role: 'assisting' }], level: 'district', handleDueAt: at('10-12 14:35') },
      { kind: 'handled', at: at('10-12 10:40'), department: 'D12' },
      { kind: 'handled', at: at('10-13 16:00'), department: 'D01' },
      { kind: 'verificationRequested', at: at('10-13 16:00'), assignee: 'wgy001', dueAt: at('10-14 16:00') },
    ]);
  });

  test('自行处置 is registered as reported and only closing is left; reports before or after the period are placed by time', async ({ db }) => {
    assert.deepEqual(await historyOf(db, 'K8'), [
      { kind: 'reported', at: at('10-13 09:00'), ...G1, reporter: 'wgy001', registerDueAt: at('10-13 11:00') },
      { kind: 'registered', at: at('10-13 09:00'), closeDueAt: at('10-15 09:00') },
      { kind: 'closed', at: at('10-13 09:30') },
      { kind: 'visited', at: at('10-13 09:40'), by: 'wgy001', satisfaction: 'satisfied' },
    ]);
    // Friday 17:30: half an hour on Friday, an hour and a half on Monday.
    assert.deepEqual(await historyOf(db, 'K10'), [{ kind: 'reported', at: at('10-16 17:30'), ...G1, reporter: 'wgy001', registerDueAt: at('10-19 09:30') }]);
    // 10-10 is a make-up working Saturday after the National Day holidays.
    assert.deepEqual((await historyOf(db, 'K9')).slice(1), [
      { kind: 'registered', at: at('10-08 09:05'), closeDueAt: at('10-10 11:05') },
      { kind: 'dispatched', at: at('10-08 09:10'), departments: [{ code: 'D12', role: 'primary' }], level: 'district', handleDueAt: at('10-08 11:10') },
    ]);
    assert.deepEqual(await historyOf(db, 'K11'), [], 'a case reported after the period is not read');
    assert.equal((await historyOf(db, 'K11', new Date(at('10-20 00:00')))).length, 2, 'nor its events, until the period includes them');
    const { history } = await timelineHistory(db, { from: period.from, to: new Date(at('10-12 09:06')) });
    const { caseIds } = await storyWorld(db);
    assert.deepEqual(history.filter((e) => e.caseId === caseIds.K1).map((e) => e.kind), ['reported', 'registered'], 'only events before the end are read');
  });
});
