/**
 * Server-side validation of form submissions: never trusts the client. A submission is checked
 * against the form version the task is bound to, with the field rules of that task and the user's
 * roles and the reactions (linkage) evaluated over the resulting values — the same evaluation the
 * renderer runs. Problems carry JSON pointers and zh-CN/en messages that the UI maps onto fields.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { LocalizedText } from '../i18n/localized-text.ts';
import type { FormDefinition } from '../definitions/model.ts';
import { describeAjvError, errorPointer } from './ajv-messages.ts';
import { fieldAccess } from './field-rules.ts';
import type { FieldAccess, FormContext } from './field-rules.ts';
import { explainFormat, formats, geoPointSchema } from './formats.ts';
import { parseReactions } from './reactions.ts';
import { applyReactions } from './field-states.ts';

/** One problem of a submission. */
export interface SubmissionProblem {
  pointer: string;
  code: string;
  message: LocalizedText;
}

/** The outcome: the values to store (hidden fields never included) or the problems. */
export interface SubmissionResult {
  ok: boolean;
  problems: SubmissionProblem[];
  values: Record<string, unknown>;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const empty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function newAjv(): Ajv2020 {
  const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
  for (const [name, format] of Object.entries(formats)) ajv.addFormat(name, format);
  ajv.addSchema(geoPointSchema, 'https://gridflow.dev/schemas/geo-point.json');
  return ajv;
}

/** A compiled form version. */
export class FormValidator {
  private readonly check: ValidateFunction;
  private readonly reactions;
  private readonly titles: Record<string, string>;

  constructor(readonly form: FormDefinition) {
    // Required-ness is decided per step (field rules and reactions), so the schema checks only shapes and formats.
    const { required: _required, ...shape } = form;
    this.check = newAjv().compile({ ...shape, $id: undefined, $schema: undefined, additionalProperties: false });
    const parsed = parseReactions(form.properties);
    if (parsed.problems.length > 0) throw new Error(`Form ${form.key} v${form.version} has invalid reactions: ${parsed.problems.map((p) => `${p.pointer}: ${p.message.en}`).join('; ')}`);
    this.reactions = parsed.reactions;
    this.titles = Object.fromEntries(Object.entries(form.properties).map(([k, v]) => [k, String((v as { title?: unknown }).title ?? k)]));
  }

  /** The access of each field at a step for these values (field rules narrowed by reactions). */
  access(ctx: FormContext, values: Record<string, unknown>): Record<string, FieldAccess> {
    return applyReactions(fieldAccess(this.form, ctx), this.reactions, values, this.form.required ?? []);
  }

  /** Validates a submission at a step over the values stored so far. */
  validate(submitted: Record<string, unknown>, ctx: FormContext & { previous?: Record<string, unknown> }): SubmissionResult {
    const previous = ctx.previous ?? {};
    const problems: SubmissionProblem[] = [];
    const merged: Record<string, unknown> = { ...previous, ...submitted };
    const access = this.access(ctx, merged);
    for (const [field, value] of Object.entries(submitted)) {
      const a = access[field];
      const title = this.titles[field] ?? field;
      if (a === undefined) {
        problems.push({ pointer: `/${field}`, code: 'form.unknownField', message: { 'zh-CN': `表单中没有字段“${field}”`, en: `The form has no field "${field}"` } });
      } else if ((a === 'hidden' || a === 'readOnly') && !same(value, previous[field])) {
        problems.push({
          pointer: `/${field}`, code: a === 'hidden' ? 'form.fieldHidden' : 'form.fieldReadOnly',
          message: a === 'hidden'
            ? { 'zh-CN': `“${title}”在此步骤不可填写`, en: `"${title}" cannot be filled in at this step` }
            : { 'zh-CN': `“${title}”在此步骤为只读，不能修改`, en: `"${title}" is read-only at this step` },
        });
      }
    }
    // Refused values are not taken: what follows sees the stored value instead.
    const accepted: Record<string, unknown> = { ...previous };
    for (const [field, value] of Object.entries(submitted)) {
      if (access[field] === 'editable' || access[field] === 'required') accepted[field] = value;
    }
    const finalAccess = this.access(ctx, accepted);
    for (const [field, a] of Object.entries(finalAccess)) {
      if (a === 'required' && empty(accepted[field])) {
        problems.push({ pointer: `/${field}`, code: 'form.required', message: { 'zh-CN': `请填写“${this.titles[field] ?? field}”`, en: `"${this.titles[field] ?? field}" is required` } });
      }
    }
    const values = Object.fromEntries(Object.entries(accepted).filter(([field, v]) => finalAccess[field] !== undefined && finalAccess[field] !== 'hidden' && v !== undefined));
    if (!this.check(values)) {
      for (const e of this.check.errors ?? []) {
        const pointer = errorPointer(e);
        const value = pointer.split('/').slice(1).reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], values);
        const message = e.keyword === 'format' ? explainFormat(String((e.params as { format: string }).format), String(value)) : describeAjvError(e);
        problems.push({ pointer, code: `schema.${e.keyword}`, message });
      }
    }
    return { ok: problems.length === 0, problems, values };
  }

  /** The stored values a user may see at a step: hidden fields are never sent to the client. */
  visibleValues(values: Record<string, unknown>, ctx: FormContext): Record<string, unknown> {
    const access = this.access(ctx, values);
    return Object.fromEntries(Object.entries(values).filter(([field]) => access[field] !== undefined && access[field] !== 'hidden'));
  }
}
