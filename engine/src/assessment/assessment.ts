/**
 * Assessment (考核): from a case history and an assessment profile, the counts, indicators, composite
 * score and grade of every unit of a kind over a period, and the case-by-case explanation of any figure.
 * Pure: the same history, profile and options always give the same result.
 */
import type { AssessmentProfile } from '../definitions/model.ts';
import { UserError } from '../errors.ts';
import type { CaseHistory } from './case-history.ts';
import { readHistory } from './history-validation.ts';
import { readOptions, readProfile, type AssessOptions, type GradeBand, type ProfileIndicator } from './assessment-input.ts';
import {
  countNames, indicatorCodes, indicatorDefinitions, isIndicatorCode,
  type CountName, type CountedItem, type IndicatorCode, type UnitKind,
} from './indicators.ts';
import { emptyItems, tallyHistory, type UnitItems } from './tally.ts';
import { compare, fraction, fromDecimal, minus, over, plus, times, truncated, whole, type Fraction } from './fraction.ts';

/** An indicator's value for a unit: an exact fraction, and its rate (null when the denominator is 0). */
export interface IndicatorValue {
  code: IndicatorCode;
  numerator: number;
  denominator: number;
  rate: number | null;
}

/** The assessment of one unit. */
export interface UnitAssessment {
  /** Department code, street / community / grid code or username, after the unit kind. */
  unit: string;
  counts: Record<CountName, number>;
  /** One value per indicator of the profile, in profile order. */
  indicators: IndicatorValue[];
  /** Composite score 0–100 cut (not rounded) to 2 decimals; null when no weighted indicator has a rate. */
  score: number | null;
  /** The band of the exact score; null without a score or when no band's minimum is reached. */
  grade: string | null;
}

/** The result of an assessment run: plain JSON. */
export interface Assessment {
  from: string;
  to: string;
  unitKind: UnitKind;
  /** The profile's indicators, in profile order. */
  indicators: ProfileIndicator[];
  units: UnitAssessment[];
}

/** Which figure to explain: the run's options, the unit and the indicator. */
export interface ExplainQuery extends AssessOptions {
  unit: string;
  indicator: IndicatorCode;
}

/** The items (case and what of it) counted in one count. */
export interface CountedItems {
  count: CountName;
  items: CountedItem[];
}

/** The case-by-case make-up of an indicator of a unit: items.length equals the figure. */
export interface Explanation {
  unit: string;
  indicator: IndicatorCode;
  numerator: CountedItems;
  denominator: CountedItems;
}

/** Assesses every unit of `options.unitKind` over [from, to); throws a UserError on invalid input. */
export function assess(history: CaseHistory, profile: AssessmentProfile, options: AssessOptions): Assessment {
  const read = readProfile(profile);
  const { period, unitKind, units } = readOptions(options);
  const byUnit = tallyHistory(readHistory(history), period, unitKind);
  const listed = units ?? [...byUnit.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    from: options.from, to: options.to, unitKind, indicators: read.indicators,
    units: listed.map((unit) => assessUnit(unit, byUnit.get(unit) ?? emptyItems(), read.indicators, read.bands)),
  };
}

/** The items counted in the numerator and denominator of one indicator of one unit. */
export function explain(history: CaseHistory, query: ExplainQuery): Explanation {
  if (!isIndicatorCode(query.indicator)) {
    const en = `unknown indicator ${JSON.stringify(query.indicator)}; known: ${indicatorCodes.join(', ')}`;
    const zh = `未知指标 ${JSON.stringify(query.indicator)}`;
    throw new UserError('engine.assessment.invalidOptions', { 'zh-CN': `考核参数有误：query.indicator: ${zh}`, en: `The assessment options are invalid: query.indicator: ${en}` },
      { details: [{ target: 'query.indicator', where: '/query/indicator', message: { 'zh-CN': zh, en } }] });
  }
  const { period, unitKind } = readOptions(query);
  const items = tallyHistory(readHistory(history), period, unitKind).get(query.unit) ?? emptyItems();
  const { numerator, denominator } = indicatorDefinitions[query.indicator];
  return {
    unit: query.unit, indicator: query.indicator,
    numerator: { count: numerator, items: items[numerator] }, denominator: { count: denominator, items: items[denominator] },
  };
}

function assessUnit(unit: string, items: UnitItems, indicators: ProfileIndicator[], bands: GradeBand[]): UnitAssessment {
  const counts = Object.fromEntries(countNames.map((name) => [name, items[name].length])) as Record<CountName, number>;
  const values = indicators.map(({ code }): IndicatorValue => {
    const { numerator, denominator } = indicatorDefinitions[code];
    const [n, d] = [counts[numerator], counts[denominator]];
    return { code, numerator: n, denominator: d, rate: d === 0 ? null : n / d };
  });
  const exact = compositeScore(values, indicators);
  return { unit, counts, indicators: values, score: exact && truncated(exact, 2), grade: exact && gradeOf(exact, bands) };
}

/**
 * Σ weight × (inverse ? 1 − rate : rate) ÷ Σ weight × 100, exactly, over the indicators that have a rate:
 * an indicator with an empty denominator is left out and the other weights count in proportion.
 */
function compositeScore(values: IndicatorValue[], indicators: ProfileIndicator[]): Fraction | null {
  let weighted = whole(0);
  let weights = whole(0);
  values.forEach((value, i) => {
    if (value.denominator === 0) return;
    const { weight, inverse } = indicators[i]!;
    const rate = fraction(BigInt(value.numerator), BigInt(value.denominator));
    const w = fromDecimal(weight);
    weighted = plus(weighted, times(w, inverse ? minus(whole(1), rate) : rate));
    weights = plus(weights, w);
  });
  return weights.n === 0n ? null : times(over(weighted, weights), whole(100));
}

/** The grade of the first band (highest minimum first) whose minimum the exact score reaches. */
function gradeOf(score: Fraction, bands: GradeBand[]): string | null {
  return bands.find((band) => compare(score, fromDecimal(band.min)) >= 0)?.grade ?? null;
}
