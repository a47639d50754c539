/**
 * Field rules: what each field of a form is at a given user task for a given user's roles —
 * editable, read-only, hidden or required. Declared in the form definition as `x-field-rules`,
 * a list of rules, each for some tasks (or the start form) and some roles:
 *
 *   "x-field-rules": [
 *     { "task": "verify", "roles": ["grid-worker"], "fields": { "verifyResult": "required" }, "others": "readOnly" },
 *     { "task": "*", "fields": { "reporterIdNumber": "hidden" } }
 *   ]
 *
 * A rule without `task` is for the start form (reporting); `"*"` is every task. A rule without
 * `roles` is for every role. When several rules match (several roles, or a general and a specific
 * rule), the rules that name a field decide it, and the most open of them wins:
 * hidden < readOnly < editable < required. Fields no matching rule names get the most open `others`
 * of the matching rules (default readOnly). A task no rule matches
 * shows the form read-only, unless the form has no rules at all (then every field is editable).
 * Fields in the schema's `required` list are required wherever they are editable.
 */

/** What a user may do with a field at a step. */
export type FieldAccess = 'hidden' | 'readOnly' | 'editable' | 'required';

/** One rule of the matrix. */
export interface FieldRule {
  task?: string | string[];
  roles?: string[];
  fields?: Record<string, FieldAccess>;
  others?: FieldAccess;
}

/** Where a form is being filled in: a user task (or the start form) and the user's roles. */
export interface FormContext {
  /** Id of the BPMN user task; undefined for the start form. */
  task?: string;
  roles: readonly string[];
}

const rank: Record<FieldAccess, number> = { hidden: 0, readOnly: 1, editable: 2, required: 3 };
const wider = (a: FieldAccess | undefined, b: FieldAccess): FieldAccess => (a === undefined || rank[b] > rank[a] ? b : a);

function taskMatches(rule: FieldRule, task: string | undefined): boolean {
  if (rule.task === undefined) return task === undefined;
  if (rule.task === '*') return task !== undefined;
  return task !== undefined && (Array.isArray(rule.task) ? rule.task.includes(task) : rule.task === task);
}

/** The access of every top-level field of a form at a step, for a user with these roles. */
export function fieldAccess(
  form: { properties: Record<string, unknown>; required?: string[]; 'x-field-rules'?: FieldRule[] }, ctx: FormContext,
): Record<string, FieldAccess> {
  const rules = form['x-field-rules'] ?? [];
  const matching = rules.filter((r) => taskMatches(r, ctx.task) && (!r.roles || r.roles.some((role) => ctx.roles.includes(role))));
  const schemaRequired = new Set(form.required ?? []);
  const out: Record<string, FieldAccess> = {};
  for (const field of Object.keys(form.properties)) {
    // Rules naming the field decide (the most open of them); only when none does, the rules' `others`.
    let named: FieldAccess | undefined;
    let others: FieldAccess | undefined;
    for (const r of matching) {
      const given = r.fields?.[field];
      if (given) named = wider(named, given);
      else if (r.others) others = wider(others, r.others);
    }
    let result = named ?? others ?? (rules.length === 0 ? 'editable' : 'readOnly');
    if (result === 'editable' && schemaRequired.has(field)) result = 'required';
    out[field] = result;
  }
  return out;
}
