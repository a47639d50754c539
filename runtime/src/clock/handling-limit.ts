/**
 * The handling time limit of a case, from the active definitions: the responsibility list entry for
 * the subclass at the case's place (its own `timeLimit` overrides the catalogue's), else the
 * subclass's `timeLimit`. An urgent case (the `urgent` flag of the report) whose subclass names a
 * registration condition with an urgent (continuous-hours) limit counts by that limit: the catalogue
 * says what urgent means for the subclass; GridFlow never converts work time into hours itself.
 */
import type { TimeLimit } from '@gridflow/engine';
import type { DistrictDefinitions } from '../definitions/active-definitions.ts';

/** Where a case's limit came from. */
export type LimitSource = 'responsibility' | 'subclass' | 'urgentCondition';

/** A case's handling limit and its source. */
export interface HandlingLimit {
  limit: TimeLimit;
  source: LimitSource;
  subclass: string;
}

/** The place of a case, for scoped responsibility list entries. */
export interface CasePlace {
  gridCode?: string | null;
  communityCode?: string | null;
  streetCode?: string | null;
}

/** The handling limit of a case of `subclass` at `place`; undefined when the catalogue lacks the subclass. */
export function handlingLimit(defs: DistrictDefinitions, subclass: string | null | undefined, place: CasePlace, urgent: boolean): HandlingLimit | undefined {
  if (!subclass) return undefined;
  const entry = defs.subclass(subclass);
  if (!entry) return undefined;
  if (urgent) {
    const condition = entry.subclass.registrationConditions.find((c) => c.timeLimit?.type === 'urgent');
    if (condition?.timeLimit && entry.subclass.timeLimit.type !== 'urgent') return { limit: condition.timeLimit, source: 'urgentCondition', subclass };
  }
  const listed = defs.responsibility(subclass, place)?.timeLimit;
  if (listed) return { limit: listed, source: 'responsibility', subclass };
  return { limit: entry.subclass.timeLimit, source: 'subclass', subclass };
}

/** Whether a process variable says "urgent" (a boolean, or the string a form may carry). */
export function isUrgent(value: unknown): boolean {
  return value === true || value === 'true';
}
