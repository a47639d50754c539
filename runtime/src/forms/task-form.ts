/**
 * The form of a task as a user gets it: the schema without the fields hidden from them, each
 * field's access at this step, and the case's values, with personal data masked unless the user
 * may see that kind of data in clear for this case (a form field of kind `phone` is shown in clear
 * when the user may unmask a case field of kind `phone`). Clear reads are audited.
 */
import type { Knex } from 'knex';
import { fieldAccess, maskValue } from '@gridflow/engine';
import type { FieldAccess, FormValidator, SensitiveKind } from '@gridflow/engine';
import { AuditLog } from '../audit/audit.store.ts';
import { whereAllowed } from '../access/sql-conditions.ts';
import { caseSql } from '../access/subject-maps.ts';
import { actorOf } from '../http/request-context.ts';
import type { RequestContext, SignedInUser } from '../http/request-context.ts';
import { clientOf } from '../http/scoped.ts';
import type { TaskFormView } from '../contracts/index.ts';

/** GET /api/tasks/:id/form: its contract (contracts/tasks.ts) is the type. */
export type { TaskFormView };

/** The kinds of personal data the user may see in clear on a case. */
async function clearKinds(db: Knex, user: SignedInUser, caseId: string): Promise<Set<SensitiveKind>> {
  const kinds = new Set<SensitiveKind>();
  for (const f of user.policy.sensitiveFields.filter((s) => s.subject === 'Case')) {
    if (kinds.has(f.kind) || !user.ability.can('unmask', 'Case', f.field)) continue;
    const row = await whereAllowed(db('cases').where('cases.id', caseId), user.ability, 'unmask', 'Case', caseSql, user.principal, f.field).first('cases.id');
    if (row) kinds.add(f.kind);
  }
  return kinds;
}

/** Builds the form view of a task for a user. */
export async function taskFormView(
  db: Knex, ctx: RequestContext, user: SignedInUser, validator: FormValidator, task: { key: string; caseId: string | null; values: Record<string, unknown> }, clock: () => Date,
): Promise<TaskFormView> {
  const formCtx = { task: task.key, roles: user.principal.roles };
  // Fields the rules hide are never sent; fields only a reaction hides are sent without their values.
  const byRules = fieldAccess(validator.form, formCtx);
  const access = validator.access(formCtx, task.values);
  const values = validator.visibleValues(task.values, formCtx);
  const properties = Object.fromEntries(Object.entries(validator.form.properties).filter(([field]) => byRules[field] !== 'hidden'));
  const clear = task.caseId ? await clearKinds(db, user, task.caseId) : new Set<SensitiveKind>();
  const shown: string[] = [];
  for (const [field, schema] of Object.entries(properties)) {
    const kind = (schema as { 'x-sensitive'?: SensitiveKind })['x-sensitive'];
    if (!kind || values[field] === undefined || values[field] === null) continue;
    if (clear.has(kind)) shown.push(field);
    else values[field] = maskValue(kind, values[field]);
  }
  if (shown.length > 0) {
    await new AuditLog(db).record({
      occurredAt: clock().toISOString(), actor: actorOf(user), action: 'personalData.read', target: { type: 'case', ...(task.caseId ? { id: task.caseId } : {}) },
      outcome: 'success', ...clientOf(ctx), details: { form: validator.form.key, fields: shown },
    });
  }
  const { 'x-field-rules': _rules, required: _required, ...schema } = validator.form;
  return {
    form: { key: validator.form.key, version: validator.form.version, name: validator.form.name, schema: { ...schema, properties } },
    access: Object.fromEntries(Object.keys(properties).map((f) => [f, access[f] as FieldAccess])),
    rules: Object.fromEntries(Object.keys(properties).map((f) => [f, byRules[f]])) as TaskFormView['rules'],
    required: (validator.form.required ?? []).filter((f) => f in properties),
    values,
  };
}
