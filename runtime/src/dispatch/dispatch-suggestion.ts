/**
 * Dispatch from the responsibility list (职责清单): for a case's event type and place, the level that
 * should handle it and the primary and assisting departments. A pure function of the definitions.
 */
import type { HandlingLevel } from '@gridflow/engine';
import type { DistrictDefinitions } from '../definitions/active-definitions.ts';

/** Where a case happened (its grid and the units above it). */
export interface CasePlace {
  gridCode?: string | null;
  communityCode?: string | null;
  streetCode?: string | null;
  districtCode?: string | null;
}

/** Which tier dispatches a case: the street's command centre or the district's. */
export type DispatchTier = 'street' | 'district';

/** What the responsibility list suggests; the dispatcher may change all of it. */
export interface DispatchSuggestion {
  /** community: the community handles it; department: departments handle it (primary + assisting). */
  handlingLevel: 'community' | 'department';
  /** The level the list assigns (community / street / district). */
  level: HandlingLevel;
  /** The tier that dispatches: district when the list sets the district level, else street. */
  tier: DispatchTier;
  primaryDepartment: string | null;
  assistingDepartments: string[];
  /** The legal basis of the entry, when the list gives one. */
  basis: string | null;
  /** Why there is no department suggestion, when there is none. */
  source: 'responsibilityList' | 'catalogue' | 'none';
}

/**
 * The suggestion for an event type at a place. An entry of the responsibility list decides; without
 * one, the catalogue's handling level for the subclass; without either, the street dispatches to
 * the community. Departments unknown to the definitions are left out.
 */
export function suggestDispatch(defs: DistrictDefinitions, eventType: string | null | undefined, place: CasePlace): DispatchSuggestion {
  const entry = eventType ? defs.responsibility(eventType, place) : undefined;
  const level: HandlingLevel = entry?.level ?? (eventType ? defs.subclass(eventType)?.subclass.level : undefined) ?? 'community';
  const known = (code: string) => defs.department(code) !== undefined;
  const primary = entry?.departments.find((d) => d.role === 'primary' && known(d.code))?.code ?? null;
  const assisting = (entry?.departments ?? []).filter((d) => d.role === 'assisting' && known(d.code) && d.code !== primary).map((d) => d.code);
  return {
    handlingLevel: level === 'community' || primary === null ? 'community' : 'department',
    level,
    tier: level === 'district' ? 'district' : 'street',
    primaryDepartment: primary,
    assistingDepartments: [...new Set(assisting)],
    basis: entry?.basis ?? null,
    source: entry ? 'responsibilityList' : eventType && defs.subclass(eventType) ? 'catalogue' : 'none',
  };
}

/** The level a case escalates to (小事不出社区、大事不出街道、疑难区级协调). */
export function escalationOf(handlingLevel: unknown, tier: unknown): { from: 'community' | DispatchTier; to: DispatchTier } {
  if (handlingLevel === 'district') return { from: 'street', to: 'district' };
  if (handlingLevel === 'community') return { from: 'community', to: tier === 'district' ? 'district' : 'street' };
  const from: DispatchTier = tier === 'district' ? 'district' : 'street';
  return { from, to: 'district' };
}
