/**
 * The world of the assessment tests: the demo district's API server per database with a clock the
 * test moves, reports made through the intake API, and cases worked step by step the way GridFlow
 * records them without an engine: a step arrives as the engine's outbox event through the task
 * projection, a step is completed by a form submission validated for the step's role and accepted
 * (form_submissions + `step.completed`), and 挂起 / 延期 / 退回 are written to the timeline as their
 * writers write them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { defineAbility } from '@gridflow/engine';
import { call, prepareDemoDatabase, signIn, startApiServer } from '../support/api-server.ts';
import type { ApiServer, Credentials } from '../support/api-server.ts';
import { applyOutboxEvents } from '../../src/engine-sync/task-projection.ts';
import type { OutboxEvent } from '../../src/engine-sync/outbox-event.ts';
import { FormRegistry } from '../../src/forms/form-registry.ts';
import { acceptSubmission, actorById, submitForm } from '../../src/forms/form-submissions.ts';
import { appendCaseEvent } from '../../src/timeline/timeline.store.ts';
import { PolicyLoader, loadPrincipal } from '../../src/access/policy.loader.ts';
import type { SignedInUser } from '../../src/http/request-context.ts';
import type { Session } from '../../src/auth/session.store.ts';
import { TaskOperations } from '../../src/tasks/task-operations.ts';

/** Grids of the demo district used by the stories: three in 千佛山街道 (370102002), one in 370102001. */
export const GRIDS = {
  G1: { grid: '370102002001001', community: '370102002001', street: '370102002', worker: 'wgy001' },
  G2: { grid: '370102002001002', community: '370102002001', street: '370102002', worker: 'wgy002' },
  G3: { grid: '370102002002001', community: '370102002002', street: '370102002', worker: 'wgy003' },
  G4: { grid: '370102001001003', community: '370102001001', street: '370102001', worker: 'wgy004' },
} as const;
export type GridKey = keyof typeof GRIDS;

/** Beijing time, e.g. `bj('10-12 09:00')` is 2026-10-12T09:00:00+08:00. */
export const bj = (monthDayTime: string) => new Date(`2026-${monthDayTime.replace(' ', 'T')}:00+08:00`);

const FORMS: Record<string, string> = {
  accept: 'case-accept', dispatch: 'case-dispatch', handleCommunity: 'case-handle', handleDepartment: 'case-handle', assistDepartment: 'case-assist',
  verify: 'case-verify', close: 'case-close', returnVisit: 'case-return-visit',
};
const ROLES: Record<string, string> = {
  accept: 'street-dispatcher', dispatch: 'street-dispatcher', handleCommunity: 'community-staff', handleDepartment: 'department-handler',
  assistDepartment: 'department-handler', verify: 'grid-worker', close: 'street-dispatcher', returnVisit: 'grid-worker',
};
/** Who does each step by default (the actor only matters where assessment attributes it). */
const DOERS: Record<string, string> = {
  accept: 'jddd01', dispatch: 'jddd01', handleCommunity: 'sqgzry01', handleDepartment: 'bmcz03', close: 'jddd01',
};
/** Department handlers of the demo district by department. */
const DEPARTMENT_HANDLERS: Record<string, string> = { D01: 'bmcz01', D02: 'bmcz02' };

/** The running world of one database. */
export class AssessmentWorld {
  private outboxId = 0;
  private readonly sessions = new Map<string, Credentials>();
  private readonly forms: FormRegistry;

  private constructor(readonly server: ApiServer, readonly db: Knex, private readonly clock: { now: Date }) {
    this.forms = new FormRegistry(db);
  }

  static async start(db: Knex): Promise<AssessmentWorld> {
    await prepareDemoDatabase(db);
    const clock = { now: bj('10-01 08:00') };
    // Sessions outlive the weeks the test clock moves through (a year; MariaDB timestamps end in 2038).
    const server = await startApiServer(db, { clock: () => clock.now, security: { sessionIdleMinutes: 60 * 24 * 365, sessionMaxHours: 24 * 365 } });
    return new AssessmentWorld(server, db, clock);
  }

  /** A signed-in session of a demo user. */
  async as(username: string): Promise<Credentials> {
    let session = this.sessions.get(username);
    if (!session) {
      const signedIn = await signIn(this.server.url, username);
      assert.equal(signedIn.response.status, 200, `sign-in of ${username}`);
      session = { cookie: signedIn.cookie, csrf: signedIn.csrf };
      this.sessions.set(username, session);
    }
    return session;
  }

  /** Reports a case through the intake API at `at`: a grid worker names the grid; a citizen or the hotline report from a point in G1. */
  async report(story: { reporter: string; grid: GridKey; at: Date; selfHandled?: boolean; channel?: string }): Promise<CaseScript> {
    const who = await this.as(story.reporter);
    this.clock.now = story.at;
    const staff = story.reporter !== 'sm01';
    const values: Record<string, unknown> = {
      eventType: '01004', description: '人行道上有大片油渍，行人容易滑倒', location: { type: 'Point', coordinates: [117.0742, 36.6606] }, address: '舜耕路与经十路路口东南角',
      ...(staff ? { grid: GRIDS[story.grid].grid, urgent: false, reporterName: '刘芳', reporterPhone: '13800000002' } : {}),
      anonymous: !staff,
      ...(story.selfHandled ? { selfHandled: true, selfHandleResult: '已当场清理油渍。' } : {}),
    };
    const r = await call(this.server.url, 'POST', '/api/cases', { as: who, body: { values }, headers: { 'idempotency-key': randomUUID() } });
    assert.equal(r.status, 201, `report by ${story.reporter}: ${r.text}`);
    const script = new CaseScript(this, String(r.body.caseId), GRIDS[story.grid]);
    await script.arrive(story.selfHandled ? 'close' : 'accept', story.at);
    return script;
  }

  /** A step arrives (the engine created its task): the task projection applies the outbox event. */
  async createTask(caseId: string, key: string, at: Date, candidateGroup: string): Promise<string> {
    const taskId = `task-${randomUUID()}`;
    await applyOutboxEvents(this.db, [this.outbox('task.created', caseId, taskId, key, at, { candidateGroups: [candidateGroup] })], at);
    return taskId;
  }

  /** A step is completed: the form submission is validated for the step's role, the engine completes the task, the submission is accepted. */
  async completeTask(caseId: string, taskId: string, key: string, at: Date, values: Record<string, unknown>, username: string): Promise<void> {
    const validator = await this.forms.find(FORMS[key] as string);
    assert.ok(validator, `form of ${key}`);
    const user = await this.userId(username);
    const clock = () => at;
    const pending = await submitForm(this.db, validator, { id: taskId, key, caseId }, { userId: user, roles: [ROLES[key] as string] }, values, clock);
    await applyOutboxEvents(this.db, [this.outbox('task.completed', caseId, taskId, key, at, {})], at);
    await acceptSubmission(this.db, pending.id, clock, at);
    await this.db('tasks').where({ id: taskId }).update({ completed_by: username });
  }

  async userId(username: string): Promise<number> {
    const row = await this.db('users').where({ username }).first('id') as { id: number } | undefined;
    assert.ok(row, `user ${username}`);
    return Number(row.id);
  }

  /** The signed-in user object of a demo user (for writers that take one). */
  async signedInUser(username: string): Promise<SignedInUser> {
    const policy = await new PolicyLoader(this.db).policy();
    const loaded = await loadPrincipal(this.db, policy, await this.userId(username));
    assert.ok(loaded);
    return { session: {} as Session, principal: loaded.principal, ability: defineAbility(loaded.principal, policy), policy, mustChangePassword: false };
  }

  private outbox(type: OutboxEvent['type'], caseId: string, taskId: string, key: string, at: Date, payload: Record<string, unknown>): OutboxEvent {
    return {
      id: ++this.outboxId, type, occurredAt: at.toISOString(), processInstanceId: `pi-${caseId}`, processDefinitionId: 'case-handling:1:x', processDefinitionKey: 'case-handling',
      businessKey: caseId, tenantId: null, taskId, taskDefinitionKey: key, activityId: key,
      payload: { name: key, formKey: `gridflow:form:${FORMS[key] ?? ''}`, createTime: at.toISOString(), ...payload },
    };
  }

  async close(): Promise<void> {
    await this.server.close();
  }
}

/** A case being worked, step by step. */
export class CaseScript {
  /** Open tasks by label (the step key, or `assistDepartment:<code>`). */
  private readonly open = new Map<string, string>();
  private level: 'community' | 'department' = 'community';
  private primary: string | undefined;

  constructor(private readonly world: AssessmentWorld, readonly caseId: string, readonly place: (typeof GRIDS)[GridKey]) {}

  async arrive(key: string, at: Date, department?: string): Promise<void> {
    const group = key === 'verify' || key === 'returnVisit' ? `grid:${this.place.grid}`
      : key === 'handleCommunity' ? `community-staff@${this.place.community}`
        : department ? `dept:${department}` : `street-dispatcher@${this.place.street}`;
    const label = key === 'assistDepartment' ? `${key}:${department}` : key;
    this.open.set(label, await this.world.createTask(this.caseId, key, at, group));
  }

  private async complete(label: string, at: Date, values: Record<string, unknown>, username: string): Promise<void> {
    const taskId = this.open.get(label);
    assert.ok(taskId, `an open ${label} task of ${this.caseId}`);
    this.open.delete(label);
    await this.world.completeTask(this.caseId, taskId, label.split(':')[0] as string, at, values, username);
  }

  /** 受理: registered or rejected; `changes` are other fields the dispatcher may correct (事件类型, 紧急). */
  async accept(at: Date, registered = true, changes: Record<string, unknown> = {}): Promise<this> {
    const decision = registered ? { acceptDecision: '立案', acceptOpinion: '符合立案条件，予以立案。' } : { acceptDecision: '不予立案', rejectReason: '现场已无油渍，不予立案。' };
    await this.complete('accept', at, { ...changes, ...decision }, DOERS.accept as string);
    if (registered) await this.arrive('dispatch', at);
    return this;
  }

  async dispatch(at: Date, target: 'community' | { primary: string; assisting?: string[] }): Promise<this> {
    const values = target === 'community' ? { handlingLevel: 'community' }
      : { handlingLevel: 'department', primaryDepartment: target.primary, assistingDepartments: target.assisting ?? [] };
    await this.complete('dispatch', at, values, DOERS.dispatch as string);
    await this.startHandling(at, target === 'community' ? undefined : target);
    return this;
  }

  private async startHandling(at: Date, target?: { primary: string; assisting?: string[] }): Promise<void> {
    this.level = target ? 'department' : 'community';
    this.primary = target?.primary;
    if (!target) return this.arrive('handleCommunity', at);
    await this.arrive('handleDepartment', at, target.primary);
    for (const d of target.assisting ?? []) await this.arrive('assistDepartment', at, d);
  }

  private get handleStep(): string {
    return this.level === 'community' ? 'handleCommunity' : 'handleDepartment';
  }

  /** The primary handler (or the community) reports: 已处置, or 退回 back to dispatch. */
  async handle(at: Date, result: '已处置' | '退回' = '已处置'): Promise<this> {
    const values = result === '已处置' ? { handleResult: result, handleDescription: '已清理路面油渍。' } : { handleResult: result, returnReason: '不属于本部门职责。' };
    await this.complete(this.handleStep, at, values, DOERS[this.handleStep] as string);
    if (result === '退回') await this.arrive('dispatch', at);
    else await this.verifyWhenJoined(at);
    return this;
  }

  /** An assisting department reports its part (by a handler of that department). */
  async assist(at: Date, department: string): Promise<this> {
    await this.complete(`assistDepartment:${department}`, at, { assistOpinion: '已配合完成处置。' }, DEPARTMENT_HANDLERS[department] as string);
    await this.verifyWhenJoined(at);
    return this;
  }

  private async verifyWhenJoined(at: Date): Promise<void> {
    if (![...this.open.keys()].some((k) => k === this.handleStep || k.startsWith('assistDepartment:'))) await this.arrive('verify', at);
  }

  async verify(at: Date, passed: boolean, by: string): Promise<this> {
    await this.complete('verify', at, passed ? { verifyPassed: true } : { verifyPassed: false, verifyOpinion: '路面仍有油渍残留。' }, by);
    if (passed) await this.arrive('close', at);
    else await this.arrive(this.handleStep, at, this.primary);
    return this;
  }

  async close(at: Date): Promise<this> {
    await this.complete('close', at, { closeOpinion: '处置到位，予以结案。' }, DOERS.close as string);
    await this.arrive('returnVisit', at);
    return this;
  }

  async visit(at: Date, satisfaction: '满意' | '基本满意' | '不满意', by: string): Promise<this> {
    await this.complete('returnVisit', at, { satisfaction, visitMethod: '电话' }, by);
    return this;
  }

  /** 挂起 / 恢复 as case-suspension.ts records them (the engine side is not part of these tests). */
  async suspend(at: Date, suspend = true): Promise<this> {
    const user = await this.world.signedInUser('jdld01');
    await this.world.db.transaction(async (trx) => {
      await trx('cases').where({ id: this.caseId }).update({ status: suspend ? 'suspended' : 'running', updated_at: at });
      await appendCaseEvent(trx, {
        caseId: this.caseId, kind: suspend ? 'clock.paused' : 'clock.resumed', at, sourceKey: `suspension:${randomUUID()}`, opinion: '等待管线施工完成',
        actor: { id: user.principal.userId, username: user.principal.username, name: user.principal.displayName, roles: user.principal.roles },
      });
    });
    return this;
  }

  /** 延期 approved: the timeline's `clock.extended` with the amount it moves the clock by. */
  async extend(at: Date, by: { amount: number; type?: string }): Promise<this> {
    await appendCaseEvent(this.world.db, {
      caseId: this.caseId, kind: 'clock.extended', at, sourceKey: `extension:${randomUUID()}`, actor: await actorById(this.world.db, await this.world.userId('jdld01')),
      step: { key: this.handleStep, taskId: this.open.get(this.handleStep) ?? null }, opinion: '需协调管线单位', details: { by },
    });
    return this;
  }

  /** 退回 by task operation from the handling step back to dispatch (recorded by TaskOperations). */
  async returnByOperation(at: Date): Promise<this> {
    const taskId = this.open.get(this.handleStep);
    assert.ok(taskId);
    const task = await this.world.db('tasks').where({ id: taskId }).first() as Record<string, unknown>;
    const user = await this.world.signedInUser(DOERS[this.handleStep] as string);
    await new TaskOperations(this.world.db, () => at).record({ requestId: 'test', client: {} }, user, task, 'return', 'dispatch', '派错部门，请重新派遣。');
    this.open.delete(this.handleStep);
    await this.world.db('tasks').where({ id: taskId }).update({ status: 'deleted', ended_at: at });
    await this.arrive('dispatch', at);
    return this;
  }
}
