/**
 * The world of the case-handling scenarios: the standard package's process and forms, a case in the
 * demo district reported by a grid worker, and a driver that works the case task by task on a real
 * engine the way GridFlow does: each submission is validated by the task's form for the step's
 * role over the case's values, and only the accepted values are handed to the engine. The engine is
 * GridFlow's own (EngineHost over a real SQLite database with the demo district), so the process's
 * service tasks run through GridFlow's topic handlers: dispatch suggestions, the case clock.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createEngineClient, FormValidator, fieldAccess, PluginRegistry } from '@gridflow/engine';
import type { EngineClient, EngineFlavour, FormContext, FormDefinition, SubmissionProblem, SubmissionResult, TaskDto } from '@gridflow/engine';
import { eventually } from '@gridflow/engine/testing';
import { standardPackageDir } from '@gridflow/definitions';
import { loadConfig } from '../../src/config.ts';
import { EngineHost } from '../../src/engine-host/engine-host.ts';
import { createTestDatabase } from '../support/databases.ts';
import type { TestDatabase } from '../support/databases.ts';
import { prepareDemoDatabase } from '../support/api-server.ts';

/** The process under test, as the standard package ships it. */
export const processXml = readFileSync(join(standardPackageDir, 'processes', 'case-handling.bpmn'), 'utf8');

/** Every form of the standard package, by key. */
export const forms: Record<string, FormDefinition> = Object.fromEntries(
  readdirSync(join(standardPackageDir, 'forms')).filter((f) => f.endsWith('.form.json')).map((f) => {
    const form = JSON.parse(readFileSync(join(standardPackageDir, 'forms', f), 'utf8')) as FormDefinition;
    return [form.key, form];
  }),
);
const validators = new Map(Object.values(forms).map((f) => [f.key, new FormValidator(f)]));

/** The validator of a form. */
export function validatorOf(key: string): FormValidator {
  const validator = validators.get(key);
  assert.ok(validator, `form ${key} exists`);
  return validator;
}

/** The user tasks of the process. */
export type TaskKey = 'accept' | 'dispatch' | 'districtDispatch' | 'handleCommunity' | 'handleDepartment' | 'assistDepartment' | 'verify' | 'close' | 'returnVisit';

/** The role that does each step (what the step's candidate group stands for). */
export const stepRoles: Record<TaskKey, string[]> = {
  accept: ['street-dispatcher'],
  dispatch: ['street-dispatcher'],
  districtDispatch: ['district-dispatcher'],
  handleCommunity: ['community-staff'],
  handleDepartment: ['department-handler'],
  assistDepartment: ['department-handler'],
  verify: ['grid-worker'],
  close: ['street-dispatcher'],
  returnVisit: ['grid-worker'],
};

/** Where the fixture case happened: a grid of 第二街道 in the demo district (wgy001's grid). */
export const place = { districtCode: '370102', streetCode: '370102002', communityCode: '370102002001', gridCode: '370102002001001' } as const;

/** The candidate group each step is offered to, for the fixture case (department steps name theirs). */
export const candidatesAt: Record<Exclude<TaskKey, 'handleDepartment' | 'assistDepartment'>, string> = {
  accept: 'street-dispatcher@370102002',
  dispatch: 'street-dispatcher@370102002',
  districtDispatch: 'district-dispatcher@370102',
  handleCommunity: 'community-staff@370102002001',
  verify: 'grid:370102002001001',
  close: 'street-dispatcher@370102002',
  returnVisit: 'grid:370102002001001',
};

/** A photo attachment id (forms hold attachment ids, not files). */
export const photo = (n: number) => `7c9e6679-7425-40de-944b-e07fc1f90a${String(n).padStart(2, '0')}`;

/** What a grid worker reports on the 事件上报 form; an override of `undefined` leaves the field out. */
export function intake(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const values: Record<string, unknown> = {
    eventType: '01001',
    title: '小区东门私搭彩钢棚',
    description: '解放路 18 号小区东门外新搭建彩钢棚约 20 平方米，占用消防通道。',
    photos: [photo(1), photo(2)],
    location: { type: 'Point', coordinates: [117.0312, 36.6741] },
    address: '解放路 18 号小区东门',
    grid: place.gridCode,
    urgent: false,
    anonymous: false,
    reporterName: '张伟',
    reporterPhone: '13800000001',
    selfHandled: false,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** The problems of a refused submission, as `pointer code` lines. */
export const refusals = (problems: SubmissionProblem[]) => problems.map((p) => `${p.pointer} ${p.code}`).sort();

/** How the engine holds a submitted value: arrays and objects travel as JSON text. */
const asEngineValue = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : v);

/** The form a task names (`gridflow:form:<key>`, no version: the published package pins it). */
function formKeyOf(task: TaskDto): string {
  const key = /^gridflow:form:([a-z][a-z0-9-]+)$/.exec(task.formKey ?? '')?.[1];
  assert.ok(key, `task ${task.taskDefinitionKey} names a GridFlow form: ${task.formKey}`);
  return key;
}

/**
 * The case's values after an accepted step, as the runtime patches them (forms/form-submissions.ts):
 * fields the step lets the user edit are set, or removed when left empty or hidden; the rest stays.
 */
function patched(values: Record<string, unknown>, validator: FormValidator, ctx: FormContext, accepted: Record<string, unknown>): Record<string, unknown> {
  const byRules = fieldAccess(validator.form, ctx);
  const final = validator.access(ctx, accepted);
  const out = { ...values };
  for (const [field, access] of Object.entries(byRules)) {
    if (access !== 'editable' && access !== 'required') continue;
    if (final[field] !== 'hidden' && accepted[field] !== undefined) out[field] = accepted[field];
    else delete out[field];
  }
  return out;
}

/** GridFlow's engine side over a demo-district database: the engine, its client and the database. */
export class CaseWorld {
  private constructor(readonly database: TestDatabase & { drop(): Promise<void> }, readonly host: EngineHost, readonly client: EngineClient) {}

  /** Starts the engine of a flavour with GridFlow's topic handlers, the demo district deployed. */
  static async start(flavour: EngineFlavour, clock?: () => Date): Promise<CaseWorld> {
    const database = await createTestDatabase('sqlite');
    await prepareDemoDatabase(database.db);
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'gf-cases-')), ENGINE_FLAVOUR: flavour });
    const host = await EngineHost.start(database.db, config.engine, new PluginRegistry().freeze(), pino({ level: 'silent' }), clock ? { clock } : {});
    return new CaseWorld(database, host, createEngineClient({ baseUrl: host.connection.url, secret: host.connection.secret }));
  }

  async stop(): Promise<void> {
    await this.host.stop();
    await this.database.drop();
  }

  /** The candidate groups the engine offers a task to. */
  async candidateGroups(taskId: string): Promise<string[]> {
    const res = await fetch(`${this.host.connection.url}/engine-rest/task/${taskId}/identity-links`, {
      headers: { authorization: `Basic ${Buffer.from(`gridflow:${this.host.connection.secret}`).toString('base64')}` },
    });
    const links = await res.json() as { type: string; groupId: string | null; userId: string | null }[];
    return links.filter((l) => l.type === 'candidate').map((l) => l.groupId ?? `user:${l.userId}`).sort();
  }
}

/** A case being worked through the process. */
export class CaseRun {
  private suggestionRead = false;

  private constructor(
    private readonly world: CaseWorld, readonly instanceId: string, readonly caseId: string, public values: Record<string, unknown>,
  ) {}

  private get client(): EngineClient {
    return this.world.client;
  }

  /**
   * Reports a case: the intake is validated on the report form and kept as GridFlow keeps it, then
   * the process starts with the variables GridFlow sets (caseId as business key, event type, org
   * codes, selfHandled, urgent, reporter).
   */
  static async report(world: CaseWorld, caseId: string, submitted: Record<string, unknown>, reporter: string | null = 'wgy001'): Promise<CaseRun> {
    const report = validatorOf('event-report').validate(submitted, { roles: reporter ? ['grid-worker'] : ['citizen'] });
    assert.deepEqual(report.problems, [], 'the intake is a valid report');
    const v = report.values;
    const now = new Date();
    await world.database.db('cases').insert({
      id: caseId, process_definition_key: 'case-handling', status: 'starting', org_unit_code: place.gridCode, created_at: now, updated_at: now,
      title: String(v.title ?? ''), grid_code: place.gridCode, community_code: place.communityCode, street_code: place.streetCode, district_code: place.districtCode,
      form_key: 'event-report', form_version: validatorOf('event-report').form.version, form_values: JSON.stringify(v), event_type: v.eventType, channel: 'gridWorker',
    });
    const started = await world.client.processInstances.startByKey('case-handling', {
      businessKey: caseId,
      variables: { caseId, eventType: v.eventType, ...place, selfHandled: v.selfHandled === true, urgent: v.urgent === true, reporterUsername: reporter },
    });
    return new CaseRun(world, started.id, caseId, report.values);
  }

  /** The open user tasks of the case, once the service tasks before them are done (waits for at least one, or the end). */
  async openTasks(): Promise<TaskDto[]> {
    const tasks = await eventually(`a user task or the end of ${this.caseId}`, async () => {
      const open = await this.client.tasks.query({ processInstanceId: this.instanceId });
      if (open.length > 0) return open;
      const instance = await this.client.history.processInstance(this.instanceId);
      return instance?.state === 'COMPLETED' ? [] : undefined;
    });
    if (!this.suggestionRead && tasks.some((t) => t.taskDefinitionKey === 'dispatch' || t.taskDefinitionKey === 'districtDispatch')) {
      // The dispatch form opens with the responsibility list's suggestion, written to the case by the suggestion topic.
      const row = await this.world.database.db('cases').where({ id: this.caseId }).first('form_values') as { form_values: string };
      const kept = JSON.parse(row.form_values) as Record<string, unknown>;
      for (const field of ['handlingLevel', 'primaryDepartment', 'assistingDepartments']) if (kept[field] !== undefined) this.values[field] = kept[field];
      this.suggestionRead = true;
    }
    return tasks;
  }

  /** The one open task of the case. */
  async openTask(): Promise<TaskDto> {
    const tasks = await this.openTasks();
    assert.equal(tasks.length, 1, `one open task, found ${tasks.map((t) => t.taskDefinitionKey).join(', ')}`);
    return tasks[0] as TaskDto;
  }

  /** The open task at `key` offered to `candidates` (when several steps are open). */
  async openTaskAt(key: TaskKey, candidates?: string): Promise<TaskDto> {
    for (const task of await this.openTasks()) {
      if (task.taskDefinitionKey !== key) continue;
      if (!candidates || (await this.world.candidateGroups(String(task.id))).join(',') === candidates) return task;
    }
    assert.fail(`no open ${key} task${candidates ? ` for ${candidates}` : ''}`);
  }

  /** The candidate groups the engine offers a task to. */
  candidateGroups(taskId: string): Promise<string[]> {
    return this.world.candidateGroups(taskId);
  }

  /** Validates a submission at the open task `key` without completing it. */
  async validate(key: TaskKey, submitted: Record<string, unknown>, roles: string[] = stepRoles[key]): Promise<SubmissionResult> {
    const task = await this.openTaskAt(key);
    return validatorOf(formKeyOf(task)).validate(submitted, { task: key, roles, previous: this.values });
  }

  /**
   * Does a step: the open task at `key` offered to exactly `candidates`; the submission must be
   * accepted for the step's role; the engine receives exactly the accepted submitted values (as the
   * runtime hands them over) and holds them as process variables afterwards.
   */
  async step(key: TaskKey, submitted: Record<string, unknown>, candidates: string): Promise<Record<string, unknown>> {
    const task = await this.openTaskAt(key, candidates);
    assert.deepEqual(await this.candidateGroups(task.id as string), [candidates], `candidate groups of ${key}`);
    const validator = validatorOf(formKeyOf(task));
    const result = validator.validate(submitted, { task: key, roles: stepRoles[key], previous: this.values });
    assert.deepEqual(refusals(result.problems), [], `the ${key} submission is accepted`);
    const accepted = Object.fromEntries(Object.keys(submitted).filter((k) => k in result.values).map((k) => [k, result.values[k]]));
    assert.deepEqual(accepted, submitted, `nothing of the ${key} submission is dropped`);
    const variables = await this.client.tasks.complete(task.id as string, accepted);
    for (const [name, value] of Object.entries(accepted)) assert.deepEqual(variables[name], asEngineValue(value), `process variable ${name} after ${key}`);
    this.values = patched(this.values, validator, { task: key, roles: stepRoles[key] }, result.values);
    return variables;
  }

  /** The flow nodes the instance passed, gateways and the clock's service tasks left out, in order of start. */
  async path(): Promise<string[]> {
    const activities = await this.client.history.activityInstances(this.instanceId);
    const clock = new Set(['startClock', 'stopClock']);
    return activities.filter((a) => !String(a.activityType).endsWith('Gateway') && !String(a.activityType).startsWith('multiInstance') && !clock.has(String(a.activityId)))
      .map((a) => String(a.activityId));
  }

  /** Asserts the instance has completed after passing `path` (which ends with the end event reached). */
  async assertEnded(path: string[]): Promise<void> {
    await eventually(`the end of ${this.caseId}`, async () => ((await this.client.history.processInstance(this.instanceId))?.state === 'COMPLETED' ? true : undefined));
    const instance = await this.client.history.processInstance(this.instanceId);
    assert.equal(instance?.businessKey, this.caseId);
    assert.deepEqual(await this.path(), path);
  }

  /** The case's timeline kinds, oldest first. */
  async timeline(): Promise<{ kind: string; details: Record<string, unknown> | null; opinion: string | null }[]> {
    const rows = await this.world.database.db('case_events').where({ case_id: this.caseId }).orderBy('id').select('kind', 'details', 'opinion') as { kind: string; details: string | null; opinion: string | null }[];
    return rows.map((r) => ({ kind: r.kind, details: r.details ? JSON.parse(r.details) as Record<string, unknown> : null, opinion: r.opinion }));
  }
}
