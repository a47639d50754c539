/**
 * Checking a report before anything is stored: the 事件上报 form with the reporter's roles (never
 * trusting the client), the reporter's own uploads, the event type against the catalogue, and the
 * place (named grid, or the grid of the location). Every problem is reported at once, each naming
 * its field as `/body/values/...`; a place outside the reporter's area is refused afterwards (403).
 */
import type { Knex } from 'knex';
import { UserError } from '@gridflow/engine';
import type { FormValidator, Subclass, SubmissionProblem } from '@gridflow/engine';
import { checkFormAttachments } from '../forms/form-attachments.ts';
import type { FormRegistry } from '../forms/form-registry.ts';
import type { SignedInUser } from '../http/request-context.ts';
import { notFound } from '../http/scoped.ts';
import { INTAKE_FORM } from './intake-definitions.ts';
import type { IntakeDefinitions, IntakeDefinitionsLoader } from './intake-definitions.ts';
import { mayReportAt, outsideArea, resolvePlace } from './intake-place.ts';
import type { LonLat, Place } from './intake-place.ts';

/** A report that passed every check. */
export interface CheckedReport {
  validator: FormValidator;
  /** The stored values (hidden fields left out), with the resolved grid. */
  values: Record<string, unknown>;
  place: Place;
  point: LonLat | undefined;
  subclass: Subclass;
  definitions: IntakeDefinitions;
  /** Attachments of the reporter to link to the new case. */
  attachments: string[];
}

/** The [lon, lat] of a valid GeoJSON point value. */
export function pointOf(value: unknown): LonLat | undefined {
  const coordinates = (value as { coordinates?: unknown } | undefined)?.coordinates;
  if (!Array.isArray(coordinates) || typeof coordinates[0] !== 'number' || typeof coordinates[1] !== 'number') return undefined;
  return [coordinates[0], coordinates[1]];
}

const has = (problems: SubmissionProblem[], field: string) => problems.some((p) => p.pointer === field || p.pointer.startsWith(`${field}/`));

function invalid(problems: SubmissionProblem[]): UserError {
  return new UserError('form.invalid', { 'zh-CN': '表单填写有误，请按提示修改', en: 'The form has errors; please correct them' }, {
    details: problems.map((p) => ({ target: `/body/values${p.pointer}`, message: p.message })),
  });
}

/** Checks a report for a user; throws a UserError listing every problem. */
export async function checkReport(
  db: Knex, forms: FormRegistry, loader: IntakeDefinitionsLoader, user: SignedInUser, submitted: Record<string, unknown>,
): Promise<CheckedReport> {
  const validator = await forms.find(INTAKE_FORM);
  if (!validator) throw notFound({ 'zh-CN': '事件上报表单', en: 'report form' });
  const result = validator.validate(submitted, { roles: user.principal.roles });
  const problems = [...result.problems];
  const uploads = result.ok ? await checkFormAttachments(db, validator.form, result.values, {}, { userId: user.principal.userId, caseId: null }) : { problems: [], added: [] };
  problems.push(...uploads.problems);
  const point = has(problems, '/location') ? undefined : pointOf(result.values.location);
  const grid = typeof result.values.grid === 'string' && !has(problems, '/grid') ? result.values.grid : undefined;
  const located = has(problems, '/grid') ? { problems: [] } : await resolvePlace(db, user.policy, grid, point);
  problems.push(...located.problems);
  const definitions = await loader.forDistrict(located.place?.districtCode ?? undefined);
  const eventType = typeof result.values.eventType === 'string' ? result.values.eventType : undefined;
  const subclass = eventType ? definitions.subclasses.get(eventType) : undefined;
  if (eventType && !subclass && !has(problems, '/eventType')) {
    problems.push({ pointer: '/eventType', code: 'intake.unknownEventType', message: { 'zh-CN': `事件类型“${eventType}”不在事件分类中`, en: `Event type "${eventType}" is not in the catalogue` } });
  }
  if (problems.length > 0 || !located.place || !subclass) throw invalid(problems);
  if (!mayReportAt(user, located.place)) {
    const detail = outsideArea(grid ? '/grid' : '/location');
    throw new UserError('intake.outsideArea', detail.message, { status: 403, details: [{ target: `/body/values${detail.pointer}`, message: detail.message }] });
  }
  return {
    validator, values: { ...result.values, grid: located.place.gridCode }, place: located.place, point, subclass, definitions, attachments: uploads.added,
  };
}
