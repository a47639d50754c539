/**
 * Assessment (考核) over the case timeline: the indicators, scores and grades of the units a user may
 * see, the cases behind a figure, and the export as CSV or Excel. The figures of a unit are the same
 * whoever asks: every case counts, only the list of units is scoped.
 */
import type { Knex } from 'knex';
import { assess, assessmentCsv, explain, UserError } from '@gridflow/engine';
import type { Assessment, AssessmentProfile, CaseEvent, Explanation, IndicatorCode, UnitKind } from '@gridflow/engine';
import { activeDefinitions } from '../definitions/active-definitions.ts';
import type { SignedInUser } from '../http/request-context.ts';
import { notFound } from '../http/scoped.ts';
import { assessmentXlsx } from './assessment-xlsx.ts';
import { visibleUnits } from './assessment-units.ts';
import { timelineHistory } from './timeline-history.ts';

/** The longest period one request may assess. */
export const MAX_PERIOD_YEARS = 3;

/** What to assess. */
export interface AssessmentRequest {
  from: string;
  to: string;
  unitKind: UnitKind;
}

/** An assessment with the names of its units and the cases left out. */
export interface NamedAssessment {
  result: Assessment;
  names: Record<string, string>;
  skippedCases: number;
}

/** An export file. */
export interface AssessmentFile {
  body: Buffer | string;
  contentType: string;
  fileName: string;
}

const invalidQuery = (parameter: string, zh: string, en: string) => new UserError('assessment.invalidQuery', {
  'zh-CN': `考核参数 ${parameter} 有误：${zh}`, en: `The assessment parameter ${parameter} is invalid: ${en}`,
}, { details: [{ target: `/query/${parameter}`, message: { 'zh-CN': zh, en } }] });

/** The period [from, to) of a request as dates; refuses an empty, reversed or too long period. */
export function periodOf(request: { from: string; to: string }): { from: Date; to: Date } {
  const from = new Date(request.from);
  const to = new Date(request.to);
  if (to.getTime() <= from.getTime()) throw invalidQuery('to', '必须晚于 from', 'must be after from');
  const longest = new Date(from);
  longest.setUTCFullYear(longest.getUTCFullYear() + MAX_PERIOD_YEARS);
  if (to.getTime() > longest.getTime()) {
    throw invalidQuery('to', `考核期间最长 ${MAX_PERIOD_YEARS} 年`, `the period may span at most ${MAX_PERIOD_YEARS} years`);
  }
  return { from, to };
}

/** Usernames the history names (reporters, visitors, who checked or verified): grid workers to list. */
function namedPeople(history: CaseEvent[]): string[] {
  const out = new Set<string>();
  for (const e of history) {
    if (e.kind === 'reported' && e.reporter) out.add(e.reporter);
    if ((e.kind === 'checkRequested' || e.kind === 'verificationRequested')) out.add(e.assignee);
    if ((e.kind === 'checked' || e.kind === 'verified' || e.kind === 'visited') && e.by) out.add(e.by);
  }
  return [...out];
}

/** Assessment for signed-in users. */
export class AssessmentService {
  constructor(private readonly db: Knex) {}

  /** The assessment of every unit of the kind the user may see. */
  async assess(user: SignedInUser, request: AssessmentRequest): Promise<NamedAssessment> {
    const { history, skippedCases, profile, visible } = await this.prepare(user, request);
    const result = guarded(() => assess(history, profile, { ...request, units: visible.units }));
    return { result, names: visible.names, skippedCases };
  }

  /** The cases behind one indicator of one unit the user may see. */
  async explain(user: SignedInUser, request: AssessmentRequest & { unit: string; indicator: IndicatorCode }): Promise<Explanation> {
    const { history, visible } = await this.prepare(user, request);
    if (!visible.units.includes(request.unit)) throw notFound({ 'zh-CN': '考核单位', en: 'assessment unit' });
    return guarded(() => explain(history, request));
  }

  /** The assessment as a file: CSV for Excel in China, or .xlsx. */
  async export(user: SignedInUser, request: AssessmentRequest, format: 'csv' | 'xlsx'): Promise<{ file: AssessmentFile; assessment: NamedAssessment }> {
    const assessment = await this.assess(user, request);
    const options = { names: assessment.names };
    const base = `assessment-${request.unitKind}-${request.from.slice(0, 10)}_${request.to.slice(0, 10)}`;
    const file = format === 'xlsx'
      ? { body: await assessmentXlsx(assessment.result, options), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName: `${base}.xlsx` }
      : { body: assessmentCsv(assessment.result, options), contentType: 'text/csv; charset=utf-8', fileName: `${base}.csv` };
    return { file, assessment };
  }

  private async prepare(user: SignedInUser, request: AssessmentRequest) {
    const period = periodOf(request);
    const profile = await this.profile(user);
    const { history, skippedCases } = await timelineHistory(this.db, period);
    const counted = request.unitKind === 'gridWorker' ? namedPeople(history) : [];
    const visible = await visibleUnits(this.db, user, request.unitKind, counted);
    return { history, skippedCases, profile, visible };
  }

  /** The assessment profile of the user's district (assessment.yaml of the active definitions). */
  private async profile(user: SignedInUser): Promise<AssessmentProfile> {
    const profile = (await activeDefinitions(this.db)).forDistrict(user.principal.district)?.assessmentProfile();
    if (!profile) {
      throw new UserError('assessment.noProfile', { 'zh-CN': '当前配置包没有考核方案（assessment.yaml）', en: 'The active definitions have no assessment profile (assessment.yaml)' }, { status: 409 });
    }
    return profile;
  }
}

/**
 * Runs the core over a history built by GridFlow: a history the core refuses is GridFlow's fault
 * (the timeline translation), not the caller's, so it is not answered as a bad request.
 */
function guarded<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof UserError && e.code === 'engine.assessment.invalidHistory') {
      throw new Error(`The case history built from the timeline is invalid: ${e.message}`, { cause: e });
    }
    throw e;
  }
}
