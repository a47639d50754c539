/** Fixtures of the assessment tests: the Q4 2026 golden history, the standard profile and small case builders. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { standardPackageDir } from '@gridflow/definitions';
import { assess, indicatorCodes, type AssessmentProfile, type CaseEvent, type CountName, type UnitKind } from '../../src/index.ts';

const here = new URL('./fixtures/', import.meta.url).pathname;

/** The golden history: 41 cases over 3 departments, 2 streets, 3 communities, 4 grids and 4 grid workers. */
export const goldenHistory = JSON.parse(readFileSync(join(here, 'history-2026-q4.json'), 'utf8')) as CaseEvent[];

/** The standard package's assessment profile (definitions/standard/assessment.yaml). */
export const standardProfile = parse(readFileSync(join(standardPackageDir, 'assessment.yaml'), 'utf8')) as AssessmentProfile;

/** The standard bands A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E ≥ 0. */
export const standardBands = standardProfile.bands;

/** A profile with every indicator, each of weight 10 (inverse for the rates where less is better). */
export const fullProfile: AssessmentProfile = {
  indicators: indicatorCodes.map((code) => ({ code, name: code, weight: 10, inverse: ['reworkRate', 'overdueUnhandledRate', 'extensionRate'].includes(code) })),
  bands: standardBands,
};

/** An instant in Beijing time: '10-08 09:00' is 2026-10-08T09:00+08:00; a full date ('2027-01-01 00:00') keeps its year. */
export const at = (text: string): string => `${/^\d{4}-/.test(text) ? text : `2026-${text}`}:00+08:00`.replace(' ', 'T');

/** Q4 2026, Beijing time. */
export const q4 = { from: at('10-01 00:00'), to: at('2027-01-01 00:00') };

type Step = CaseEvent extends infer E ? (E extends CaseEvent ? Omit<E, 'caseId'> : never) : never;

/** The events of one case, in order. */
export const story = (caseId: string, ...steps: Step[]): CaseEvent[] => steps.map((step) => ({ caseId, ...step }) as CaseEvent);

/** Reported in grid G1 (community C1, street S1) by grid worker w1 unless overridden. */
export const reported = (when: string, registerDue: string, extra: Partial<Step & { kind: 'reported' }> = {}): Step => ({
  kind: 'reported', at: at(when), registerDueAt: at(registerDue), eventType: '01001', grid: 'G1', community: 'C1', street: 'S1', reporter: 'w1', ...extra,
});
/** Registered with a closing deadline. */
export const registered = (when: string, closeDue: string): Step => ({ kind: 'registered', at: at(when), closeDueAt: at(closeDue) });
/** Dispatched to departments, the first primary. */
export const dispatched = (when: string, handleDue: string, ...departments: string[]): Step => ({
  kind: 'dispatched', at: at(when), handleDueAt: at(handleDue), level: 'district',
  departments: departments.map((code, i) => ({ code, role: i === 0 ? 'primary' : 'assisting' })),
});
/** Handled by a department. */
export const handled = (when: string, department: string): Step => ({ kind: 'handled', at: at(when), department });
/** Returned by a department. */
export const returned = (when: string, department: string): Step => ({ kind: 'returned', at: at(when), department, reason: '非本部门职责' });
/** Closed. */
export const closed = (when: string): Step => ({ kind: 'closed', at: at(when) });

/** The counts of one unit over a period, with the full profile. */
export function countsOf(history: CaseEvent[], unitKind: UnitKind, unit: string, period = q4): Record<CountName, number> {
  const result = assess(history, fullProfile, { ...period, unitKind, units: [unit] });
  return result.units[0]!.counts;
}

/** Only the named counts of a unit that are not zero. */
export function nonZero(counts: Record<CountName, number>): Partial<Record<CountName, number>> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));
}
