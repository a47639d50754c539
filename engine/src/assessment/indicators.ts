/**
 * The assessment indicators (考核指标): each is a count of a unit over a count of the same unit, over a
 * period [from, to) (from included, to excluded). Only the events before `to` are read, so the figures of
 * a past period never change as the history grows. docs/assessment.md explains the rules at length.
 *
 * A duty (registration, check, assignment, verification, closing) is **due** in the period when
 * (a) it was done in [from, to), or (b) it is still open at `to`, its deadline is before `to` and the case
 * is not suspended at `to` (overdue, wherever the deadline fell: an overdue duty counts in every period
 * it stays open). Duties done on time are done in the period at or before the deadline in force.
 * Returned (退回) and cancelled (改派) assignments are not due.
 *
 * | indicator | numerator | denominator |
 * |---|---|---|
 * | registrationRate 立案率 | reportsRegistered: reports registered in the period | reportsDecided: reports registered or rejected in the period |
 * | onTimeRegistrationRate 按时立案率 | decidedOnTime: due reports registered or rejected by their deadline | dueToDecide: due registration duties |
 * | onTimeCheckRate 按时核实率 | checkedOnTime | dueToCheck: due checks |
 * | accurateDispatchRate 准确派遣率 | accurateDispatches: those not returned before `to` | dispatches: dispatches in the period (departments: assignments) |
 * | handlingRate 处置率 | handled: due assignments handled in the period | dueToHandle: due assignments |
 * | onTimeHandlingRate 按期处置率 | handledOnTime | dueToHandle |
 * | overdueUnhandledRate 超期待处置率 | overdueUnhandled: due assignments open and overdue at `to` | dueToHandle |
 * | extensionRate 延期率 | extended: due assignments with an approved extension | dueToHandle |
 * | closingRate 结案率 | closed: cases closed in the period | dueToClose: due closing duties |
 * | onTimeClosingRate 按期结案率 | closedOnTime | dueToClose |
 * | reworkRate 返工率 | reworked: due-to-close cases reworked at least once | dueToClose |
 * | onTimeVerificationRate 按时核查率 | verifiedOnTime | dueToVerify: due verifications |
 * | satisfactionRate 满意率 | satisfiedVisits: visits 满意 or 基本满意 | visits: return visits in the period |
 *
 * Attribution (tally.ts): street, community and grid count the cases of their place (handling per
 * assignment); a department counts its assignments, and the closing duties and visits of the cases it
 * holds an assignment in (neither returned nor cancelled); a grid worker counts the reports they made
 * (registration rate), the checks and verifications they hold (the doer once done, else the assignee) and
 * the visits they made. A count that does not apply to a unit kind stays 0, so its indicator is null.
 */

/** The indicator codes assessment computes (the assessment profile's `code`). */
export const indicatorCodes = [
  'registrationRate', 'onTimeRegistrationRate', 'onTimeCheckRate', 'accurateDispatchRate', 'handlingRate',
  'onTimeHandlingRate', 'overdueUnhandledRate', 'extensionRate', 'closingRate', 'onTimeClosingRate',
  'reworkRate', 'onTimeVerificationRate', 'satisfactionRate',
] as const;

/** An indicator code. */
export type IndicatorCode = (typeof indicatorCodes)[number];

/** The counts indicators are made of, per unit. */
export const countNames = [
  'reportsDecided', 'reportsRegistered', 'dueToDecide', 'decidedOnTime', 'dueToCheck', 'checkedOnTime',
  'dispatches', 'accurateDispatches', 'dueToHandle', 'handled', 'handledOnTime', 'overdueUnhandled', 'extended',
  'dueToClose', 'closed', 'closedOnTime', 'reworked', 'dueToVerify', 'verifiedOnTime', 'visits', 'satisfiedVisits',
] as const;

/** The name of a count. */
export type CountName = (typeof countNames)[number];

/** What an indicator divides: numerator count over denominator count. */
export interface IndicatorDefinition {
  numerator: CountName;
  denominator: CountName;
}

/** The definition of every indicator. */
export const indicatorDefinitions: Readonly<Record<IndicatorCode, IndicatorDefinition>> = {
  registrationRate: { numerator: 'reportsRegistered', denominator: 'reportsDecided' },
  onTimeRegistrationRate: { numerator: 'decidedOnTime', denominator: 'dueToDecide' },
  onTimeCheckRate: { numerator: 'checkedOnTime', denominator: 'dueToCheck' },
  accurateDispatchRate: { numerator: 'accurateDispatches', denominator: 'dispatches' },
  handlingRate: { numerator: 'handled', denominator: 'dueToHandle' },
  onTimeHandlingRate: { numerator: 'handledOnTime', denominator: 'dueToHandle' },
  overdueUnhandledRate: { numerator: 'overdueUnhandled', denominator: 'dueToHandle' },
  extensionRate: { numerator: 'extended', denominator: 'dueToHandle' },
  closingRate: { numerator: 'closed', denominator: 'dueToClose' },
  onTimeClosingRate: { numerator: 'closedOnTime', denominator: 'dueToClose' },
  reworkRate: { numerator: 'reworked', denominator: 'dueToClose' },
  onTimeVerificationRate: { numerator: 'verifiedOnTime', denominator: 'dueToVerify' },
  satisfactionRate: { numerator: 'satisfiedVisits', denominator: 'visits' },
};

/** True for a known indicator code. */
export function isIndicatorCode(value: unknown): value is IndicatorCode {
  return typeof value === 'string' && (indicatorCodes as readonly string[]).includes(value);
}

/** The kinds of units assessed. */
export const unitKinds = ['department', 'street', 'community', 'grid', 'gridWorker'] as const;

/** A kind of unit: department code, street / community / grid code, or a grid worker's username. */
export type UnitKind = (typeof unitKinds)[number];

/** One thing counted: the case and which of its duties, dispatches or visits (e.g. `D01 dispatched 2026-…`). */
export interface CountedItem {
  caseId: string;
  ref: string;
}
