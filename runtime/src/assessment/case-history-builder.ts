/**
 * One case's timeline (case_events, with the values each step's form submitted) as the assessment
 * core's case history: the events it counts, each deadline computed by the case clock. Pure: the
 * rows and the rules come in, the events go out. The builder keeps the lifecycle the core checks
 * (a report decided once, handling only of an open assignment …), so what GridFlow recorded twice or
 * out of turn (a withdrawn and redone step) is counted once. docs/assessment.md lists every mapping.
 */
import type {
  CaseEvent, CompiledCalendar, DispatchedDepartment, ExtensionAmount, HandlingLevel, Satisfaction, TimeLimit, TimeLimitType,
} from '@gridflow/engine';
import { DUTY_ALLOWANCES, DutyClock, dueAfter } from './duty-clocks.ts';

/** What the builder needs of the case row. */
export interface TimelineCase {
  id: string;
  eventType: string;
  grid: string;
  community: string;
  street: string;
  /** Intake channel: a report counts for its reporter only when a grid worker made it (`grid`). */
  channel: string | null;
  /** 自行处置: the grid worker handled it on the spot; the process goes straight to closing. */
  selfHandled: boolean;
  /** Reported as urgent (紧急). */
  urgent: boolean;
  createdAt: Date;
}

/** One row of the case's timeline. */
export interface TimelineEvent {
  kind: string;
  at: Date;
  actor: string | null;
  /** The actor's department (which assisting department completed a step). */
  actorDepartment: string | null;
  step: string | null;
  opinion: string | null;
  details: Record<string, unknown>;
  /** The values the step's form submitted (step.completed), empty when none were recorded. */
  values: Record<string, unknown>;
}

/** The rules of the case from the active definitions. */
export interface CaseRules {
  calendar: CompiledCalendar;
  /** The handling limit (处置时限) of an event type at the case's place, as the case clock counts it; undefined for an unknown type. */
  handlingLimit(eventType: string, urgent: boolean): TimeLimit | undefined;
  /** Who owes checks and verifications until someone does them: the reporter or the grid's worker. */
  gridWorker: string;
}

interface Assignment {
  code: string;
  role: DispatchedDepartment['role'];
  state: 'open' | 'handled' | 'ended';
}

const SATISFACTION: Record<string, Satisfaction> = { 满意: 'satisfied', 基本满意: 'basicallySatisfied', 不满意: 'dissatisfied' };
const LIMIT_TYPES: readonly TimeLimitType[] = ['urgent', 'workHours', 'workDays', 'naturalDays'];
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const iso = (d: Date) => d.toISOString();

/** Step keys of the standard process by role: dispatch steps, handling steps (`handle…`), assisting steps (`assist…`). */
export const isDispatchStep = (key: string) => key === 'dispatch' || key.endsWith('Dispatch');
export const isHandlingStep = (key: string) => key.startsWith('handle');
export const isAssistingStep = (key: string) => key.startsWith('assist');

/** Builds the case history of one case (events in time order, starting with `reported`). */
export function buildCaseHistory(c: TimelineCase, timeline: readonly TimelineEvent[], rules: CaseRules): CaseEvent[] {
  return new CaseHistoryBuilder(c, rules).build(timeline);
}

class CaseHistoryBuilder {
  private readonly out: CaseEvent[] = [];
  private decided = false;
  private closing: DutyClock | undefined;
  private closed = false;
  private suspended = false;
  private handling: DutyClock | undefined;
  private assignments: Assignment[] = [];
  private verificationOpen = false;
  private checkOpen = false;
  /** The event type and urgency in force (受理 may reclassify the case). */
  private eventType: string;
  private urgent: boolean;

  constructor(private readonly c: TimelineCase, private readonly rules: CaseRules) {
    this.eventType = c.eventType;
    this.urgent = c.urgent;
  }

  /** The handling limit in force, else the one the case was reported with. */
  private get limit(): TimeLimit {
    return this.rules.handlingLimit(this.eventType, this.urgent) ?? this.rules.handlingLimit(this.c.eventType, this.c.urgent) as TimeLimit;
  }

  build(timeline: readonly TimelineEvent[]): CaseEvent[] {
    const reported = timeline.find((e) => e.kind === 'case.reported');
    this.report(reported ?? { kind: 'case.reported', at: this.c.createdAt, actor: null, actorDepartment: null, step: null, opinion: null, details: {}, values: {} });
    for (const e of timeline) {
      if (e.kind === 'case.reported') continue;
      if (e.kind === 'step.arrived') this.arrived(e);
      else if (e.kind === 'step.completed') this.completed(e);
      else if (e.kind === 'task.return') this.returnedByOperation(e);
      else if (e.kind === 'clock.paused') this.pause(e);
      else if (e.kind === 'clock.resumed') this.resume(e);
      else if (e.kind === 'clock.extended') this.extend(e);
    }
    return this.out;
  }

  private emit(event: CaseEvent): void {
    this.out.push(event);
  }

  private base(at: Date) {
    return { caseId: this.c.id, at: iso(at) };
  }

  private report(e: TimelineEvent): void {
    const { c } = this;
    const reporter = c.channel === 'grid' ? e.actor ?? undefined : undefined;
    this.emit({
      ...this.base(e.at), kind: 'reported', eventType: c.eventType, grid: c.grid, community: c.community, street: c.street,
      ...(reporter ? { reporter } : {}), registerDueAt: dueAfter(this.rules.calendar, e.at, DUTY_ALLOWANCES.registration),
    });
    // 自行处置: reported handled; the case is registered at once and only closing is left.
    if (c.selfHandled) this.register(e.at, { type: DUTY_ALLOWANCES.closing.type, amount: DUTY_ALLOWANCES.closing.amount });
  }

  /** 立案: the closing duty counts the handling limit from now plus the closing allowance (or `limit` alone). */
  private register(at: Date, limit?: TimeLimit): void {
    if (this.decided) return;
    this.decided = true;
    this.closing = limit
      ? new DutyClock(this.rules.calendar, at, limit, undefined, this.suspended)
      : new DutyClock(this.rules.calendar, at, this.limit, DUTY_ALLOWANCES.closing, this.suspended);
    this.emit({ ...this.base(at), kind: 'registered', closeDueAt: this.closing.dueAt });
  }

  private arrived(e: TimelineEvent): void {
    const step = e.step ?? '';
    // A step of handling means the report was registered, also when 受理's decision was not recorded.
    if (isDispatchStep(step) || isHandlingStep(step) || isAssistingStep(step) || step === 'verify' || step === 'close') this.register(e.at);
    if (step === 'verify' && !this.verificationOpen) this.requestVerification(e.at);
    if (step === 'check' && !this.checkOpen) {
      this.checkOpen = true;
      this.emit({ ...this.base(e.at), kind: 'checkRequested', assignee: this.rules.gridWorker, dueAt: dueAfter(this.rules.calendar, e.at, DUTY_ALLOWANCES.check) });
    }
  }

  private requestVerification(at: Date): void {
    this.verificationOpen = true;
    this.emit({ ...this.base(at), kind: 'verificationRequested', assignee: this.rules.gridWorker, dueAt: dueAfter(this.rules.calendar, at, DUTY_ALLOWANCES.verification) });
  }

  private completed(e: TimelineEvent): void {
    const step = e.step ?? '';
    if (typeof e.values.eventType === 'string' && e.values.eventType !== '') this.eventType = e.values.eventType;
    if (typeof e.values.urgent === 'boolean') this.urgent = e.values.urgent;
    if (step === 'accept') this.accepted(e);
    else if (isDispatchStep(step)) this.dispatched(e);
    else if (isHandlingStep(step)) this.handled(e, this.assignments.find((a) => a.role === 'primary' && a.state === 'open'));
    else if (isAssistingStep(step)) this.handled(e, this.assistingAssignment(e));
    else if (step === 'check' && this.checkOpen) {
      this.checkOpen = false;
      this.emit({ ...this.base(e.at), kind: 'checked', by: e.actor ?? this.rules.gridWorker });
    } else if (step === 'verify') this.verified(e);
    else if (step === 'close') this.close(e.at);
    else if (step === 'returnVisit') this.visited(e);
  }

  private accepted(e: TimelineEvent): void {
    if (this.decided) return;
    const decision = str(e.values.acceptDecision);
    if (decision === '立案') this.register(e.at);
    else if (decision === '不予立案') {
      this.decided = true;
      this.emit({ ...this.base(e.at), kind: 'rejected', reason: str(e.values.rejectReason) ?? e.opinion ?? '不予立案' });
    }
  }

  private dispatched(e: TimelineEvent): void {
    const level = str(e.values.handlingLevel);
    const target = this.handlingUnits(level, e.values);
    // 提请区级协调 (handlingLevel district) hands the case to the district's dispatch: no one is assigned yet.
    if (!target) return;
    this.register(e.at);
    for (const a of this.assignments) if (a.state === 'open') a.state = 'ended';
    this.handling = new DutyClock(this.rules.calendar, e.at, this.limit, undefined, this.suspended);
    this.assignments = target.departments.map((d) => ({ code: d.code, role: d.role, state: 'open' }));
    this.emit({ ...this.base(e.at), kind: 'dispatched', departments: target.departments, level: target.level, handleDueAt: this.handling.dueAt });
  }

  /** Who a dispatch assigns: the community, the street, or the primary and assisting departments. */
  private handlingUnits(level: string | undefined, v: Record<string, unknown>): { level: HandlingLevel; departments: DispatchedDepartment[] } | undefined {
    if (level === 'community') return { level: 'community', departments: [{ code: this.c.community, role: 'primary' }] };
    if (level === 'street') return { level: 'street', departments: [{ code: this.c.street, role: 'primary' }] };
    if (level !== 'department') return undefined;
    const primary = str(v.primaryDepartment);
    if (!primary) return undefined;
    const assisting = Array.isArray(v.assistingDepartments) ? v.assistingDepartments.map(str).filter((d): d is string => d !== undefined) : [];
    const others = [...new Set(assisting)].filter((d) => d !== primary);
    return { level: 'district', departments: [{ code: primary, role: 'primary' }, ...others.map((code) => ({ code, role: 'assisting' as const }))] };
  }

  /** The open assisting assignment an 协办 step completed: the actor's department's, else the first open one. */
  private assistingAssignment(e: TimelineEvent): Assignment | undefined {
    const open = this.assignments.filter((a) => a.role === 'assisting' && a.state === 'open');
    return open.find((a) => a.code === e.actorDepartment) ?? open[0];
  }

  private handled(e: TimelineEvent, assignment: Assignment | undefined): void {
    if (!assignment) return;
    const result = str(e.values.handleResult);
    // 上报 (escalation): the assignment stays open until the next dispatch replaces it.
    if (result === '上报') return;
    if (result === '退回') {
      assignment.state = 'ended';
      this.emit({ ...this.base(e.at), kind: 'returned', department: assignment.code, reason: str(e.values.returnReason) ?? e.opinion ?? '退回' });
    } else {
      assignment.state = 'handled';
      this.emit({ ...this.base(e.at), kind: 'handled', department: assignment.code });
    }
    if (!this.assignments.some((a) => a.state === 'open')) this.handling?.stop(e.at);
  }

  /** 退回 by task operation from a handling step: the primary assignment goes back as not its own. */
  private returnedByOperation(e: TimelineEvent): void {
    const step = e.step ?? '';
    if (!isHandlingStep(step)) return;
    const assignment = this.assignments.find((a) => a.role === 'primary' && a.state === 'open');
    if (!assignment) return;
    assignment.state = 'ended';
    this.emit({ ...this.base(e.at), kind: 'returned', department: assignment.code, reason: e.opinion ?? '退回' });
  }

  private verified(e: TimelineEvent): void {
    if (!this.verificationOpen) this.requestVerification(e.at);
    this.verificationOpen = false;
    const passed = e.values.verifyPassed !== false;
    this.emit({ ...this.base(e.at), kind: 'verified', by: e.actor ?? this.rules.gridWorker, passed });
    const handled = this.assignments.filter((a) => a.state === 'handled');
    if (passed || handled.length === 0 || !this.handling) return;
    // 返工: the handled assignments reopen and the handling limit counts again from now.
    for (const a of handled) a.state = 'open';
    this.emit({ ...this.base(e.at), kind: 'reworked', handleDueAt: this.handling.restart(e.at) });
  }

  private close(at: Date): void {
    this.register(at);
    if (this.closed || !this.closing) return;
    this.closed = true;
    this.closing.stop(at);
    this.emit({ ...this.base(at), kind: 'closed' });
  }

  private visited(e: TimelineEvent): void {
    const satisfaction = SATISFACTION[str(e.values.satisfaction) ?? ''];
    if (!satisfaction) return;
    this.emit({ ...this.base(e.at), kind: 'visited', ...(e.actor ? { by: e.actor } : {}), satisfaction });
  }

  private pause(e: TimelineEvent): void {
    if (this.suspended) return;
    this.suspended = true;
    this.handling?.pause(e.at);
    if (!this.closed) this.closing?.pause(e.at);
    this.emit({ ...this.base(e.at), kind: 'suspended', ...(e.opinion ? { reason: e.opinion } : {}) });
  }

  private resume(e: TimelineEvent): void {
    if (!this.suspended) return;
    this.suspended = false;
    const open = this.assignments.some((a) => a.state === 'open');
    const handleDueAt = this.handling && open ? this.handling.resume(e.at) : undefined;
    const closeDueAt = this.closing && !this.closed ? this.closing.resume(e.at) : undefined;
    this.emit({ ...this.base(e.at), kind: 'resumed', ...(handleDueAt ? { handleDueAt } : {}), ...(closeDueAt ? { closeDueAt } : {}) });
  }

  /** 延期 approved (`details.by`): the open assignments' deadline and the closing deadline move. */
  private extend(e: TimelineEvent): void {
    const by = extensionOf(e.details.by);
    const open = this.assignments.filter((a) => a.state === 'open');
    if (!by || open.length === 0 || !this.handling) return;
    const newDueAt = this.handling.extend(e.at, by);
    const closeDueAt = this.closing && !this.closed ? this.closing.extend(e.at, by) : undefined;
    for (const a of open) {
      this.emit({ ...this.base(e.at), kind: 'extended', department: a.code, newDueAt, ...(closeDueAt ? { closeDueAt } : {}) });
    }
  }
}

function extensionOf(value: unknown): ExtensionAmount | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { amount, type } = value as { amount?: unknown; type?: unknown };
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) return undefined;
  if (type === undefined) return { amount };
  return LIMIT_TYPES.includes(type as TimeLimitType) ? { amount, type: type as TimeLimitType } : undefined;
}
