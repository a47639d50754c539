/** Checks of forms beyond their schema: linkage expressions, field rules and sensitive-field kinds. */
import type { Problems } from './problems.ts';
import type { FormDefinition } from './model.ts';
import type { Position } from './source-file.ts';
import { parseReactions } from '../forms/reactions.ts';
import { referencedFields } from '../forms/expression.ts';

const SENSITIVE_KINDS = new Set(['idNumber', 'phone', 'name', 'address', 'gps', 'specialPopulation']);

/** A form with where it came from. */
interface FormAt {
  label: string;
  form: FormDefinition;
  locate(pointer: string): Position | undefined;
}

/** Checks one form; `userTasks` are the ids of the user tasks that use it (for field-rule task names). */
export function checkForm(f: FormAt, userTasks: ReadonlySet<string>, roles: ReadonlySet<string>, problems: Problems): void {
  const at = (pointer: string) => ({ file: f.label, pointer, position: f.locate(pointer) });
  const fields = new Set(Object.keys(f.form.properties));
  const { reactions, problems: reactionProblems } = parseReactions(f.form.properties);
  for (const p of reactionProblems) problems.error('form.reaction', at(p.pointer), { detail: p.message });
  for (const [field, list] of reactions) {
    list.forEach((r, i) => {
      r.dependencies.forEach((d, j) => {
        if (!fields.has(d)) problems.error('form.unknownField', at(`/properties/${field}/x-reactions${list.length > 1 ? `/${i}` : ''}/dependencies/${j}`), { field: d });
      });
      if (r.when) {
        for (const used of referencedFields(r.when)) {
          if (!fields.has(used.split('.')[0] ?? used)) problems.error('form.unknownField', at(`/properties/${field}/x-reactions/when`), { field: used });
        }
      }
    });
  }
  for (const [field, schema] of Object.entries(f.form.properties)) {
    checkAttachmentField(field, schema as Record<string, unknown>, at, problems);
    const kind = (schema as Record<string, unknown> | null)?.['x-sensitive'];
    if (kind !== undefined && !SENSITIVE_KINDS.has(String(kind))) problems.error('form.sensitiveKind', at(`/properties/${field}/x-sensitive`), { kind: String(kind) });
  }
  (f.form['x-field-rules'] ?? []).forEach((rule, i) => {
    for (const field of Object.keys(rule.fields ?? {})) {
      if (!fields.has(field)) problems.error('form.unknownField', at(`/x-field-rules/${i}/fields/${field}`), { field });
    }
    (rule.roles ?? []).forEach((role, j) => {
      if (!roles.has(role)) problems.error('ref.role', at(`/x-field-rules/${i}/roles/${j}`), { code: role });
    });
    const tasks = rule.task === undefined || rule.task === '*' ? [] : Array.isArray(rule.task) ? rule.task : [rule.task];
    tasks.forEach((task) => {
      if (!userTasks.has(task)) problems.warn('form.unknownTask', at(`/x-field-rules/${i}/task`), { task });
    });
  });
}

const ATTACHMENT_KINDS = new Set(['photo', 'video', 'document']);

/** An attachment field holds a bounded list of attachment ids of one kind. */
function checkAttachmentField(field: string, schema: Record<string, unknown> | null, at: (pointer: string) => { file: string; pointer: string; position: Position | undefined }, problems: Problems): void {
  if (schema?.['x-component'] !== 'AttachmentUpload') return;
  const kind = (schema['x-component-props'] as { kind?: unknown } | undefined)?.kind;
  const items = schema.items as { type?: unknown; format?: unknown } | undefined;
  if (!ATTACHMENT_KINDS.has(String(kind))) problems.error('form.attachmentKind', at(`/properties/${field}/x-component-props/kind`), { field });
  if (schema.type !== 'array' || items?.type !== 'string' || items.format !== 'uuid' || typeof schema.maxItems !== 'number') {
    problems.error('form.attachmentShape', at(`/properties/${field}`), { field });
  }
}
