/** Reading the assessment profile and the options of a run; every problem is reported with its path. */
import type { AssessmentProfile } from '../definitions/model.ts';
import { addProblem, parseInstant, throwIfProblems, type AssessmentProblem } from './assessment-problems.ts';
import { indicatorCodes, isIndicatorCode, unitKinds, type IndicatorCode, type UnitKind } from './indicators.ts';
import type { Period } from './tally.ts';

/** An indicator of a profile, read. */
export interface ProfileIndicator {
  code: IndicatorCode;
  name: string;
  weight: number;
  inverse: boolean;
}

/** A grade band: scores at or above `min` (and below the next band's) get `grade`. */
export interface GradeBand {
  grade: string;
  min: number;
}

/** A profile, read: indicators in profile order, bands from the highest minimum down. */
export interface ReadProfile {
  indicators: ProfileIndicator[];
  bands: GradeBand[];
}

/** What to assess: the period [from, to) and the kind of unit; `units` fixes which units and their order. */
export interface AssessOptions {
  from: string;
  to: string;
  unitKind: UnitKind;
  /** The units to report, in this order, even those with nothing counted; every unit counted when absent. */
  units?: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const subject = { 'zh-CN': '考核方案', en: 'assessment profile' };

/** Validates an assessment profile; throws a UserError naming every problem (path `profile.indicators[2].weight`). */
export function readProfile(profile: AssessmentProfile | unknown): ReadProfile {
  const out: AssessmentProblem[] = [];
  if (!isRecord(profile)) addProblem(out, 'profile', 'must be an object with indicators and bands', '必须是含 indicators 和 bands 的对象');
  const p = isRecord(profile) ? profile : {};
  if (!Array.isArray(p.indicators) || p.indicators.length === 0) addProblem(out, 'profile.indicators', 'must list at least one indicator', '至少列出一个指标');
  if (!Array.isArray(p.bands) || p.bands.length === 0) addProblem(out, 'profile.bands', 'must list at least one band', '至少列出一个等级');
  const seen = new Set<unknown>();
  (Array.isArray(p.indicators) ? p.indicators : []).forEach((x: unknown, i) => checkIndicator(x, `profile.indicators[${i}]`, seen, out));
  (Array.isArray(p.bands) ? p.bands : []).forEach((b: unknown, i) => checkBand(b, `profile.bands[${i}]`, out));
  throwIfProblems(out, 'engine.assessment.invalidProfile', subject);
  const read = profile as AssessmentProfile;
  return {
    indicators: read.indicators.map((x) => ({ code: x.code as IndicatorCode, name: x.name, weight: x.weight, inverse: x.inverse === true })),
    bands: read.bands.map((b) => ({ grade: b.grade, min: b.min })).sort((a, b) => b.min - a.min),
  };
}

function checkIndicator(x: unknown, path: string, seen: Set<unknown>, out: AssessmentProblem[]): void {
  if (!isRecord(x)) return addProblem(out, path, 'must be an object with code, name and weight', '必须是含 code、name、weight 的对象');
  if (!isIndicatorCode(x.code)) {
    addProblem(out, `${path}.code`, `unknown indicator ${JSON.stringify(x.code)}; known: ${indicatorCodes.join(', ')}`, `未知指标 ${JSON.stringify(x.code)}；可用：${indicatorCodes.join('、')}`);
  } else if (seen.has(x.code)) {
    addProblem(out, `${path}.code`, `indicator ${x.code} is listed twice`, `指标 ${x.code} 重复`);
  }
  seen.add(x.code);
  if (typeof x.name !== 'string' || x.name === '') addProblem(out, `${path}.name`, 'must be a non-empty string', '必须是非空字符串');
  if (!isNumber(x.weight) || x.weight < 0) addProblem(out, `${path}.weight`, `must be a number ≥ 0, not ${JSON.stringify(x.weight)}`, `必须是不小于 0 的数，而不是 ${JSON.stringify(x.weight)}`);
  if (x.inverse !== undefined && typeof x.inverse !== 'boolean') addProblem(out, `${path}.inverse`, 'must be true or false', '必须是 true 或 false');
}

function checkBand(b: unknown, path: string, out: AssessmentProblem[]): void {
  if (!isRecord(b)) return addProblem(out, path, 'must be an object with grade and min', '必须是含 grade 和 min 的对象');
  if (typeof b.grade !== 'string' || b.grade === '') addProblem(out, `${path}.grade`, 'must be a non-empty string', '必须是非空字符串');
  if (!isNumber(b.min) || b.min < 0) addProblem(out, `${path}.min`, 'must be a number ≥ 0', '必须是不小于 0 的数');
}

/** Validates the options of a run; throws a UserError naming every problem (path `options.from`). */
export function readOptions(options: AssessOptions | unknown): { period: Period; unitKind: UnitKind; units?: string[] } {
  const out: AssessmentProblem[] = [];
  const o = isRecord(options) ? options : {};
  const from = parseInstant(o.from);
  const to = parseInstant(o.to);
  if (from === undefined) addProblem(out, 'options.from', 'must be an ISO 8601 instant with an offset', '必须是带时区的 ISO 8601 时刻');
  if (to === undefined) addProblem(out, 'options.to', 'must be an ISO 8601 instant with an offset', '必须是带时区的 ISO 8601 时刻');
  else if (from !== undefined && to <= from) addProblem(out, 'options.to', 'must be after from', '必须晚于 from');
  if (!unitKinds.includes(o.unitKind as UnitKind)) addProblem(out, 'options.unitKind', `must be one of ${unitKinds.join(', ')}`, `必须是 ${unitKinds.join('、')} 之一`);
  const units = o.units;
  if (units !== undefined && (!Array.isArray(units) || !units.every((u) => typeof u === 'string'))) {
    addProblem(out, 'options.units', 'must be a list of unit codes', '必须是单位编码列表');
  }
  throwIfProblems(out, 'engine.assessment.invalidOptions', { 'zh-CN': '考核参数', en: 'assessment options' });
  const read = { period: { from: from!, to: to! }, unitKind: o.unitKind as UnitKind };
  return units === undefined ? read : { ...read, units: units as string[] };
}
