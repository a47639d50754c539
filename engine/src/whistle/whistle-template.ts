/**
 * The whistle template (吹哨模板, `whistles.yaml` of a definitions package) and the names the
 * generated `whistle` process shares with the runtime: its steps, forms, topics and variables.
 */
import type { TimeLimitType } from '../definitions/model.ts';

/** When a whistle of a kind goes to the district (区级协调) after the lead department's consolidation. */
export interface WhistleEscalation {
  /** The lead department reports the matter unresolved. */
  unresolved: boolean;
  /** The handling deadline passed before the consolidation (even when reported resolved: the district reviews it). */
  overdue: boolean;
}

/** One kind of whistle: 日常哨, 攻坚哨, 应急哨 … */
export interface WhistleKind {
  /** Code used in the API and in the process (`daily`, `tough`, `emergency`). */
  code: string;
  name: string;
  nameEn?: string;
  description?: string;
  /** Minutes the summoned departments have to report in (natural minutes: an emergency does not wait for office hours). */
  reportInMinutes: number;
  /** How long the joint handling may take, counted on the working calendar like a case's time limit. */
  handleWithin: { type: TimeLimitType; amount: number };
  escalate: WhistleEscalation;
}

/** The whistle template of a package. */
export interface WhistleTemplate {
  kinds: WhistleKind[];
}

/** Key (BPMN process id) of the generated process. */
export const WHISTLE_PROCESS_KEY = 'whistle';
/** Path of the generated process inside a package. */
export const WHISTLE_PROCESS_PATH = 'processes/whistle.bpmn';

/** User task ids of the whistle process. */
export const WHISTLE_STEPS = {
  reportIn: 'reportIn',
  opinion: 'giveOpinion',
  consolidate: 'consolidate',
  district: 'districtCoordinate',
  rate: 'rate',
} as const;

/** Form keys of the whistle steps. */
export const WHISTLE_FORMS = {
  reportIn: 'whistle-report-in',
  opinion: 'whistle-opinion',
  consolidate: 'whistle-consolidate',
  district: 'whistle-district-coordinate',
  rate: 'whistle-rate',
} as const;

/** Topics of the whistle's service tasks (bound by the runtime's core topics). */
export const WHISTLE_TOPICS = {
  reported: 'gridflow.whistle.reported',
  late: 'gridflow.whistle.late',
  opinion: 'gridflow.whistle.opinion',
  overdue: 'gridflow.whistle.overdue',
  consolidated: 'gridflow.whistle.consolidated',
  escalate: 'gridflow.whistle.escalate',
  district: 'gridflow.whistle.district',
  rated: 'gridflow.whistle.rated',
  closed: 'gridflow.whistle.closed',
} as const;

/** BPMN error a rating handler throws when the ratings do not cover exactly the summoned departments. */
export const WHISTLE_RATINGS_INCOMPLETE = 'WHISTLE_RATINGS_INCOMPLETE';

/**
 * Process variables. Set at start: caseId, whistleId, whistleKind, departments (JSON list of
 * department codes), leadDepartment, reportInDueAt and handleDueAt (dates), streetCode,
 * districtCode, whistleOverdue (false). Per department (element variable): department. From forms:
 * reportInNote, whistleOpinion, whistleResult (local to a department's instance), whistleResolved,
 * whistleSummary, districtOpinion, districtResolved, ratings (JSON list).
 */
export const WHISTLE_VARIABLES = {
  kind: 'whistleKind',
  departments: 'departments',
  department: 'department',
  /** Task-local copy of `department` on each report-in task: tells its history apart per department. */
  reportingDepartment: 'whistleDepartment',
  resolved: 'whistleResolved',
  overdue: 'whistleOverdue',
} as const;
