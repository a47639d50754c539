/**
 * Export of an assessment as a table: rows (for any writer, e.g. .xlsx) and CSV text for Excel in China
 * (UTF-8 with a BOM, CRLF line ends, RFC 4180 quoting).
 */
import type { Locale } from '../i18n/localized-text.ts';
import type { Assessment, IndicatorValue } from './assessment.ts';
import { fraction, rounded } from './fraction.ts';

/** How to lay out the table. */
export interface AssessmentTableOptions {
  /** Display names of the units (department name, grid name, worker's full name) by unit code. */
  names?: Record<string, string>;
  /** Language of the header row: zh-CN (indicator names from the profile) by default, or en (codes). */
  locale?: Locale;
  /** Decimals of the rates (rounded half up from the exact fraction); 4 by default. */
  rateDigits?: number;
}

const headings = {
  'zh-CN': { unit: '单位', name: '名称', numerator: '分子', denominator: '分母', score: '综合得分', grade: '等级' },
  en: { unit: 'unit', name: 'name', numerator: ' numerator', denominator: ' denominator', score: 'score', grade: 'grade' },
} as const;

/** The table of an assessment: a header row, then one row per unit; empty cells for null values. */
export function assessmentRows(assessment: Assessment, options: AssessmentTableOptions = {}): string[][] {
  const locale = options.locale ?? 'zh-CN';
  const h = headings[locale];
  const header: string[] = [h.unit, h.name];
  for (const indicator of assessment.indicators) {
    const label = locale === 'en' ? indicator.code : indicator.name;
    header.push(`${label}${h.numerator}`, `${label}${h.denominator}`, label);
  }
  header.push(h.score, h.grade);
  const rows = assessment.units.map((u) => [
    u.unit, options.names?.[u.unit] ?? '',
    ...u.indicators.flatMap((value) => indicatorCells(value, options.rateDigits ?? 4)),
    u.score === null ? '' : u.score.toFixed(2), u.grade ?? '',
  ]);
  return [header, ...rows];
}

function indicatorCells(value: IndicatorValue, digits: number): string[] {
  const rate = value.denominator === 0 ? '' : rounded(fraction(BigInt(value.numerator), BigInt(value.denominator)), digits);
  return [String(value.numerator), String(value.denominator), rate];
}

/** The assessment as CSV text: a UTF-8 BOM, then the rows of assessmentRows, CRLF after each. */
export function assessmentCsv(assessment: Assessment, options: AssessmentTableOptions = {}): string {
  const lines = assessmentRows(assessment, options).map((row) => row.map(csvCell).join(','));
  return '\uFEFF' + lines.map((line) => `${line}\r\n`).join('');
}

/**
 * One CSV cell: quoted (quotes doubled) when it holds a comma, quote, line break or edge space; text that a
 * spreadsheet would run as a formula (= + - @ tab CR first) gets a leading apostrophe. Numbers are never text.
 */
export function csvCell(value: string): string {
  const isNumber = /^-?\d+(\.\d+)?$/.test(value);
  const safe = !isNumber && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
