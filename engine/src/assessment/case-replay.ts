/**
 * Replays one case's events into its duties (registration, checks, assignments, verifications, closing)
 * and visits: what indicators count. Events that break the lifecycle are reported as problems.
 */
import type { CaseEvent, CaseEventKind, DepartmentRole, Satisfaction } from './case-history.ts';
import { addProblem, parseInstant, type AssessmentProblem } from './assessment-problems.ts';
import type { IndexedEvent } from './history-validation.ts';

/** A duty with a deadline (epoch ms); `doneAt` once done. */
export interface Duty {
  dueAt: number;
  doneAt?: number;
}

/** A department's handling duty from one dispatch; ended early by a return or a later dispatch (改派). */
export interface Assignment extends Duty {
  department: string;
  role: DepartmentRole;
  dispatchedAt: number;
  returnedAt?: number;
  cancelledAt?: number;
  /** An extension (延期) was approved for it. */
  extended: boolean;
}

/** One dispatch and its assignments. */
export interface Dispatch {
  at: number;
  assignments: Assignment[];
}

/** A check (核实) or verification (核查) asked of a grid worker. */
export interface Request extends Duty {
  assignee: string;
  requestedAt: number;
  by?: string;
}

/** A return visit. */
export interface Visit {
  at: number;
  by?: string;
  satisfaction: Satisfaction;
}

/** What one case's events amount to. */
export interface CaseFacts {
  caseId: string;
  place: { street: string; community: string; grid: string };
  reporter?: string;
  /** The duty to register or reject the report; `registered` tells which once done. */
  registration: Duty & { registered?: boolean };
  checks: Request[];
  dispatches: Dispatch[];
  /** The duty to close, opened by registration. */
  closing?: Duty;
  reworks: number;
  verifications: Request[];
  visits: Visit[];
  /** The case is suspended (挂起) after its last event. */
  suspended: boolean;
}

type Context = { facts: CaseFacts; at: number; path: string; out: AssessmentProblem[] };
type Handler<K extends CaseEventKind> = (event: Extract<CaseEvent, { kind: K }>, ctx: Context) => void;

const ms = (instant: string) => parseInstant(instant)!;
const refuse = (ctx: Context, field: string, en: string, zh: string) => addProblem(ctx.out, `${ctx.path}.${field}`, en, zh);
const isOpen = (a: Assignment) => a.doneAt === undefined && a.returnedAt === undefined && a.cancelledAt === undefined;
const latestDispatch = (facts: CaseFacts) => facts.dispatches[facts.dispatches.length - 1];
const lastOf = <T>(list: T[]) => list[list.length - 1];

/** Replays a case's events (validated in shape and order, starting with `reported`) into its facts. */
export function replayCase(events: IndexedEvent[], out: AssessmentProblem[] = []): CaseFacts {
  const first = events[0]!.event;
  if (first.kind !== 'reported') throw new Error('a case starts with its reported event');
  const facts: CaseFacts = {
    caseId: first.caseId, place: { street: first.street, community: first.community, grid: first.grid },
    registration: { dueAt: ms(first.registerDueAt) }, checks: [], dispatches: [], reworks: 0, verifications: [], visits: [],
    suspended: false,
  };
  if (first.reporter !== undefined) facts.reporter = first.reporter;
  for (const { event, index, at } of events.slice(1)) {
    const handler = handlers[event.kind] as Handler<CaseEventKind>;
    handler(event as never, { facts, at, path: `history[${index}]`, out });
  }
  return facts;
}

function openAssignment(ctx: Context, department: string): Assignment | undefined {
  const found = latestDispatch(ctx.facts)?.assignments.find((a) => a.department === department && isOpen(a));
  if (!found) refuse(ctx, 'department', `department ${department} has no open assignment in this case`, `部门 ${department} 在本案中没有待处置的派遣`);
  return found;
}

function openRequest(ctx: Context, list: Request[], what: string, zh: string): Request | undefined {
  const last = lastOf(list);
  if (last && last.doneAt === undefined) return last;
  refuse(ctx, 'kind', `no ${what} was requested or it is already done`, `没有待办的${zh}`);
  return undefined;
}

function request(ctx: Context, list: Request[], assignee: string, dueAt: string, what: string): void {
  const last = lastOf(list);
  if (last && last.doneAt === undefined) return refuse(ctx, 'kind', `a ${what} is already open`, `已有未完成的${what === 'check' ? '核实' : '核查'}`);
  list.push({ assignee, requestedAt: ctx.at, dueAt: ms(dueAt) });
}

function decide(ctx: Context, registered: boolean): void {
  const { registration } = ctx.facts;
  if (registration.doneAt !== undefined) return refuse(ctx, 'kind', 'the report is already registered or rejected', '该上报已立案或不予立案');
  registration.doneAt = ctx.at;
  registration.registered = registered;
}

function moveClosing(ctx: Context, closeDueAt: string | undefined): void {
  const { closing } = ctx.facts;
  if (closeDueAt !== undefined && closing && closing.doneAt === undefined) closing.dueAt = ms(closeDueAt);
}

function dispatch(event: Extract<CaseEvent, { kind: 'dispatched' }>, ctx: Context): void {
  for (const a of latestDispatch(ctx.facts)?.assignments ?? []) if (isOpen(a)) a.cancelledAt = ctx.at;
  const dueAt = ms(event.handleDueAt);
  const assignments = event.departments.map((d) => ({ department: d.code, role: d.role, dispatchedAt: ctx.at, dueAt, extended: false }));
  ctx.facts.dispatches.push({ at: ctx.at, assignments });
}

function rework(event: Extract<CaseEvent, { kind: 'reworked' }>, ctx: Context): void {
  const handled = (latestDispatch(ctx.facts)?.assignments ?? []).filter((a) => a.doneAt !== undefined && a.returnedAt === undefined);
  if (handled.length === 0) return refuse(ctx, 'kind', 'no handled assignment to rework', '没有可返工的已处置派遣');
  for (const a of handled) {
    delete a.doneAt;
    a.dueAt = ms(event.handleDueAt);
  }
  ctx.facts.reworks += 1;
  moveClosing(ctx, event.closeDueAt);
}

function resume(event: Extract<CaseEvent, { kind: 'resumed' }>, ctx: Context): void {
  if (!ctx.facts.suspended) return refuse(ctx, 'kind', 'the case is not suspended', '案件未挂起');
  ctx.facts.suspended = false;
  const dueAt = event.handleDueAt;
  if (dueAt !== undefined) for (const a of latestDispatch(ctx.facts)?.assignments ?? []) if (isOpen(a)) a.dueAt = ms(dueAt);
  moveClosing(ctx, event.closeDueAt);
}

const handlers: { [K in CaseEventKind]: Handler<K> } = {
  reported: (_event, ctx) => refuse(ctx, 'kind', 'a case is reported once', '案件只能上报一次'),
  checkRequested: (event, ctx) => request(ctx, ctx.facts.checks, event.assignee, event.dueAt, 'check'),
  checked: (event, ctx) => {
    const open = openRequest(ctx, ctx.facts.checks, 'check', '核实');
    if (open) Object.assign(open, { doneAt: ctx.at, by: event.by });
  },
  registered: (event, ctx) => {
    const before = ctx.facts.registration.doneAt;
    decide(ctx, true);
    if (before === undefined) ctx.facts.closing = { dueAt: ms(event.closeDueAt) };
  },
  rejected: (_event, ctx) => decide(ctx, false),
  dispatched: dispatch,
  returned: (event, ctx) => {
    const open = openAssignment(ctx, event.department);
    if (open) open.returnedAt = ctx.at;
  },
  handled: (event, ctx) => {
    const open = openAssignment(ctx, event.department);
    if (open) open.doneAt = ctx.at;
  },
  extended: (event, ctx) => {
    const open = openAssignment(ctx, event.department);
    if (open) Object.assign(open, { dueAt: ms(event.newDueAt), extended: true });
    moveClosing(ctx, event.closeDueAt);
  },
  suspended: (_event, ctx) => {
    if (ctx.facts.suspended) return refuse(ctx, 'kind', 'the case is already suspended', '案件已挂起');
    ctx.facts.suspended = true;
  },
  resumed: resume,
  verificationRequested: (event, ctx) => request(ctx, ctx.facts.verifications, event.assignee, event.dueAt, 'verification'),
  verified: (event, ctx) => {
    const open = openRequest(ctx, ctx.facts.verifications, 'verification', '核查');
    if (open) Object.assign(open, { doneAt: ctx.at, by: event.by });
  },
  reworked: rework,
  closed: (_event, ctx) => {
    const { closing } = ctx.facts;
    if (!closing) return refuse(ctx, 'kind', 'a case is closed only after it is registered', '案件立案后才能结案');
    if (closing.doneAt !== undefined) return refuse(ctx, 'kind', 'the case is already closed', '案件已结案');
    closing.doneAt = ctx.at;
  },
  visited: (event, ctx) => {
    ctx.facts.visits.push(event.by === undefined ? { at: ctx.at, satisfaction: event.satisfaction } : { at: ctx.at, by: event.by, satisfaction: event.satisfaction });
  },
  archived: () => undefined,
};
