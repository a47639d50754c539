/**
 * The input of assessment: a case history, a list of immutable case events (plain JSON, instants as
 * ISO 8601 strings with an offset or `Z`). The events of one case are in chronological order and start
 * with `reported`; the cases may interleave. Every deadline arrives in the event that starts the duty it
 * belongs to (computed by the case clock elsewhere): assessment does no calendar maths.
 *
 * A duty (registering a report, checking it, handling an assignment, verifying, closing) is opened by one
 * event carrying its deadline and done by another; see indicators.ts for how duties are counted.
 */

/** An ISO 8601 instant with an offset or `Z`, e.g. `2026-10-08T09:30:00+08:00`. */
export type Instant = string;

/** The role of a department in a dispatch: 主办 primary or 协办 assisting. */
export type DepartmentRole = 'primary' | 'assisting';

/** The level a case is handled at (社区 / 街道 / 区). */
export type HandlingLevel = 'community' | 'street' | 'district';

/** A return visit's outcome: 满意 satisfied, 基本满意 basically satisfied, 不满意 dissatisfied. */
export type Satisfaction = 'satisfied' | 'basicallySatisfied' | 'dissatisfied';

/** A department taking part in a dispatch. */
export interface DispatchedDepartment {
  /** Department code (departments.yaml). */
  code: string;
  role: DepartmentRole;
}

interface EventBase {
  /** The case the event belongs to. */
  caseId: string;
  /** When it happened. */
  at: Instant;
}

/** 上报: the case is reported; opens the registration duty. Must be the first event of its case. */
export interface ReportedEvent extends EventBase {
  kind: 'reported';
  /** Subclass code of the catalogue (事件小类). */
  eventType: string;
  /** Codes of the case's place: it attributes the case to its grid, community and street. */
  grid: string;
  community: string;
  street: string;
  /** Username of the reporting grid worker; absent for citizen, hotline and system reports. */
  reporter?: string;
  /** Deadline to register or reject the report (立案时限). */
  registerDueAt: Instant;
}

/** 派核实: a grid worker is asked to check on site that a report is true; opens the check duty. */
export interface CheckRequestedEvent extends EventBase {
  kind: 'checkRequested';
  /** Username of the grid worker asked to check. */
  assignee: string;
  /** Deadline of the check (核实时限). */
  dueAt: Instant;
}

/** 核实: the open check is done. */
export interface CheckedEvent extends EventBase {
  kind: 'checked';
  /** Username of who checked. */
  by: string;
}

/** 立案: the report is registered as a case; ends the registration duty and opens the closing duty. */
export interface RegisteredEvent extends EventBase {
  kind: 'registered';
  /** Deadline to close the case (结案时限). */
  closeDueAt: Instant;
}

/** 不予立案: the report is rejected; ends the registration duty. */
export interface RejectedEvent extends EventBase {
  kind: 'rejected';
  reason: string;
}

/**
 * 派遣: the case goes to one or more departments, one handling duty (an assignment) each. A new dispatch
 * cancels the assignments of the previous one that are still open (改派).
 */
export interface DispatchedEvent extends EventBase {
  kind: 'dispatched';
  departments: DispatchedDepartment[];
  level: HandlingLevel;
  /** Deadline to handle, for every assignment of this dispatch (处置时限). */
  handleDueAt: Instant;
}

/** 退回: a department sends its open assignment back as not its own; counts against dispatch accuracy. */
export interface ReturnedEvent extends EventBase {
  kind: 'returned';
  department: string;
  reason: string;
}

/** 处置 / 反馈: a department reports its open assignment handled. */
export interface HandledEvent extends EventBase {
  kind: 'handled';
  department: string;
}

/** 延期 approved: moves the deadline of the department's open assignment. */
export interface ExtendedEvent extends EventBase {
  kind: 'extended';
  department: string;
  /** The assignment's new deadline. */
  newDueAt: Instant;
  /** The case's new closing deadline, when the extension also moves it. */
  closeDueAt?: Instant;
}

/** 挂起: the case is parked; its clock stops, so no open duty of it can become overdue. */
export interface SuspendedEvent extends EventBase {
  kind: 'suspended';
  reason?: string;
}

/** 恢复: the case's clock runs again; the deadlines the pause moved come with the event. */
export interface ResumedEvent extends EventBase {
  kind: 'resumed';
  /** New deadline of every open assignment. */
  handleDueAt?: Instant;
  /** New closing deadline. */
  closeDueAt?: Instant;
}

/** 派核查: a grid worker is asked to verify the handling on site; opens the verification duty. */
export interface VerificationRequestedEvent extends EventBase {
  kind: 'verificationRequested';
  assignee: string;
  /** Deadline of the verification (核查时限). */
  dueAt: Instant;
}

/** 核查: the open verification is done; a failed one is normally followed by `reworked`. */
export interface VerifiedEvent extends EventBase {
  kind: 'verified';
  by: string;
  passed: boolean;
}

/** 返工: the handled assignments of the latest dispatch are reopened with a restarted deadline. */
export interface ReworkedEvent extends EventBase {
  kind: 'reworked';
  /** The restarted deadline of the reopened assignments. */
  handleDueAt: Instant;
  /** The case's new closing deadline, when rework moves it. */
  closeDueAt?: Instant;
}

/** 结案: ends the closing duty. */
export interface ClosedEvent extends EventBase {
  kind: 'closed';
}

/** 回访: a return visit records the citizen's satisfaction. */
export interface VisitedEvent extends EventBase {
  kind: 'visited';
  /** Username of who visited (usually the grid worker). */
  by?: string;
  satisfaction: Satisfaction;
}

/** 归档: the case is archived; counted by no indicator. */
export interface ArchivedEvent extends EventBase {
  kind: 'archived';
}

/** One immutable event of a case's history. */
export type CaseEvent =
  | ReportedEvent | CheckRequestedEvent | CheckedEvent | RegisteredEvent | RejectedEvent | DispatchedEvent
  | ReturnedEvent | HandledEvent | ExtendedEvent | SuspendedEvent | ResumedEvent | VerificationRequestedEvent
  | VerifiedEvent | ReworkedEvent | ClosedEvent | VisitedEvent | ArchivedEvent;

/** The kinds of case events. */
export type CaseEventKind = CaseEvent['kind'];

/** The case events of any number of cases: what assessment is computed from. */
export type CaseHistory = readonly CaseEvent[];
