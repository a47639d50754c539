import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { applyOutboxEvents, parseFormKey } from '../../src/engine-sync/task-projection.ts';
import type { OutboxEvent } from '../../src/engine-sync/outbox-event.ts';
import { migrateLatest } from '../../src/db/migrate.ts';
import { describeEachDatabase } from '../support/databases.ts';

const now = new Date('2026-11-23T08:00:00Z');
let nextId = 1;
const event = (type: OutboxEvent['type'], fields: Partial<OutboxEvent> = {}, payload: Record<string, unknown> = {}): OutboxEvent => ({
  id: nextId++, type, occurredAt: '2026-11-23T08:00:00.000Z', processInstanceId: 'pi-1', processDefinitionId: 'loop:1:x',
  processDefinitionKey: 'loop', businessKey: 'case-1', tenantId: null, taskId: null, taskDefinitionKey: null, activityId: null,
  ...fields, payload,
});
const taskEvent = (type: OutboxEvent['type'], payload: Record<string, unknown> = {}) => event(type, { taskId: 't-1', taskDefinitionKey: 'register' }, {
  name: '立案', assignee: null, candidateGroups: ['street-dispatcher'], candidateUsers: ['jddd01'], dueDate: '2026-11-24T10:00:00.000Z',
  priority: 50, formKey: 'gridflow:form:event-register:v2', createTime: '2026-11-23T08:00:00.000Z', ...payload,
});
const task = (db: Knex) => db('tasks').where({ id: 't-1' }).first();
const candidates = async (db: Knex) => (await db('task_candidates').where({ task_id: 't-1' }).orderBy(['kind', 'value']).select('kind', 'value')) as { kind: string; value: string }[];

describeEachDatabase('task projection', (test) => {
  test('given a case, when its instance starts and a task is created, then both are projected and linked', async ({ db }) => {
    await migrateLatest(db);
    await db('cases').insert({ id: 'case-1', process_definition_key: 'loop', status: 'starting', org_unit_code: '370102001001001', created_at: now, updated_at: now });
    const created = taskEvent('task.created');
    await applyOutboxEvents(db, [event('instance.started'), created], now);
    const c = await db('cases').where({ id: 'case-1' }).first();
    assert.equal(c.process_instance_id, 'pi-1');
    assert.equal(c.status, 'running');
    const t = await task(db);
    assert.equal(t.case_id, 'case-1');
    assert.equal(t.org_unit_code, '370102001001001', 'the task is scoped to the case org unit');
    assert.equal(t.form_key, 'event-register');
    assert.equal(t.form_version, 2);
    assert.equal(t.status, 'open');
    assert.equal(new Date(t.due_at).toISOString(), '2026-11-24T10:00:00.000Z');
    assert.deepEqual(await candidates(db), [{ kind: 'group', value: 'street-dispatcher' }, { kind: 'user', value: 'jddd01' }]);

    // At-least-once delivery: the same event again changes nothing.
    await applyOutboxEvents(db, [created], now);
    assert.equal(Number((await db('tasks').count({ n: '*' }))[0]?.n), 1);
  });

  test('an older event delivered after a newer one is ignored', async ({ db }) => {
    const assigned = taskEvent('task.assigned', { assignee: 'jddd01' });
    const updated = taskEvent('task.updated', { assignee: 'jddd01', candidateGroups: ['street-dispatcher', 'street-leader'] });
    await applyOutboxEvents(db, [updated], now);
    await applyOutboxEvents(db, [assigned], now);
    assert.equal((await task(db)).assignee, 'jddd01');
    assert.deepEqual((await candidates(db)).map((c) => c.value), ['street-dispatcher', 'street-leader', 'jddd01']);
  });

  test('completion closes the task and clears its candidates; instance end ends the case', async ({ db }) => {
    await applyOutboxEvents(db, [taskEvent('task.completed', { assignee: 'jddd01' }), event('instance.ended')], now);
    const t = await task(db);
    assert.equal(t.status, 'completed');
    assert.ok(t.ended_at);
    assert.deepEqual(await candidates(db), []);
    assert.equal((await db('cases').where({ id: 'case-1' }).first()).status, 'ended');
  });

  test('incidents are projected when created and when resolved', async ({ db }) => {
    const payload = { incidentId: 'inc-1', incidentType: 'failedExternalTask', incidentMessage: 'backend down', activityId: 'dispatch', createTime: '2026-11-23T08:00:00.000Z' };
    await applyOutboxEvents(db, [event('incident.created', {}, payload)], now);
    assert.equal((await db('incidents').where({ id: 'inc-1' }).first()).status, 'open');
    await applyOutboxEvents(db, [event('incident.resolved', {}, { ...payload, resolution: 'resolved' })], now);
    const incident = await db('incidents').where({ id: 'inc-1' }).first();
    assert.equal(incident.status, 'resolved');
    assert.equal(incident.message, 'backend down');
    assert.equal(incident.case_id, 'case-1');
  });

  test('form keys with and without a version', async () => {
    assert.deepEqual(parseFormKey('gridflow:form:event-register:v3'), { key: 'event-register', version: 3 });
    assert.deepEqual(parseFormKey('event-register'), { key: 'event-register', version: null });
    assert.deepEqual(parseFormKey(null), { key: null, version: null });
  });
});
