/**
 * Submitting a task's form. The submission is validated (never trusting the client) against the
 * task's form version with the field rules of the step and the user's roles, and stored as
 * `pending` before the engine is asked to complete the task. When the engine has completed it the
 * submission is accepted and its values become the case's; when the engine refuses, it is rejected.
 * A crash in between leaves a pending submission that `settlePendingSubmissions` resolves from the
 * task projection, so an accepted submission is never lost and a refused one never applied.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { UserError } from '@gridflow/engine';
import { fieldAccess } from '@gridflow/engine';
import type { FormContext, FormValidator } from '@gridflow/engine';
import { dateOf } from '../db/values.ts';
import { checkFormAttachments, linkSubmissionAttachments } from './form-attachments.ts';
import { appendCaseEvent, opinionOf } from '../timeline/timeline.store.ts';

/** A pending submission and the values to hand to the engine. */
export interface PendingSubmission {
  id: string;
  /** The submitted values that were accepted (for process variables). */
  submitted: Record<string, unknown>;
}

/** How long a pending submission of a still open task may wait before it counts as refused. */
const PENDING_MS = 10 * 60_000;

/** What a submission changes in the case's values: the fields the step lets the user edit. */
export interface CasePatch {
  set: Record<string, unknown>;
  /** Editable fields left empty, or hidden by a reaction (their old value no longer applies). */
  unset: string[];
}

/** The patch of a valid submission: fields editable at the step are set (or unset); every other field of the case stays as it is. */
function casePatch(validator: FormValidator, ctx: FormContext, values: Record<string, unknown>): CasePatch {
  const byRules = fieldAccess(validator.form, ctx);
  const final = validator.access(ctx, values);
  const patch: CasePatch = { set: {}, unset: [] };
  for (const [field, a] of Object.entries(byRules)) {
    if (a !== 'editable' && a !== 'required') continue;
    if (final[field] !== 'hidden' && values[field] !== undefined) patch.set[field] = values[field];
    else patch.unset.push(field);
  }
  return patch;
}

/** The timeline actor of a user id. */
export async function actorById(db: Knex | Knex.Transaction, userId: number): Promise<{ id: number; username: string; name: string; roles: string[] } | null> {
  const u = await db('users').where({ id: userId }).first('username', 'display_name') as { username: string; display_name: string } | undefined;
  if (!u) return null;
  const roles = (await db('user_roles').where({ user_id: userId }).pluck('role_code')) as string[];
  return { id: userId, username: u.username, name: u.display_name, roles };
}

/** The step of a task, for the timeline. */
export async function stepOf(db: Knex | Knex.Transaction, taskId: string): Promise<{ key: string; name: string | null; taskId: string }> {
  const t = await db('tasks').where({ id: taskId }).first('task_definition_key', 'name') as { task_definition_key: string | null; name: string | null } | undefined;
  return { key: t?.task_definition_key ?? '', name: t?.name ?? null, taskId };
}

/** Applies a patch to a case's values. */
function applyPatch(values: Record<string, unknown>, patch: CasePatch): Record<string, unknown> {
  const out = { ...values, ...patch.set };
  for (const field of patch.unset) delete out[field];
  return out;
}

/** Validates and stores a pending submission; throws a UserError listing every problem. */
export async function submitForm(
  db: Knex, validator: FormValidator, task: { id: string; key: string; caseId: string | null }, user: { userId: number; roles: string[] },
  submitted: Record<string, unknown>, clock: () => Date,
): Promise<PendingSubmission> {
  const row = task.caseId ? await db('cases').where({ id: task.caseId }).first('form_values') as { form_values: string | null } | undefined : undefined;
  const previous = row?.form_values ? JSON.parse(row.form_values) as Record<string, unknown> : {};
  const result = validator.validate(submitted, { task: task.key, roles: user.roles, previous });
  const attachments = result.ok ? await checkFormAttachments(db, validator.form, result.values, previous, { userId: user.userId, caseId: task.caseId }) : { problems: [], added: [] };
  const problems = [...result.problems, ...attachments.problems];
  if (problems.length > 0) {
    throw new UserError('form.invalid', { 'zh-CN': '表单填写有误，请按提示修改', en: 'The form has errors; please correct them' }, {
      details: problems.map((p) => ({ target: `/body/values${p.pointer}`, message: p.message })),
    });
  }
  const patch = casePatch(validator, { task: task.key, roles: user.roles }, result.values);
  // Only what the step lets the user edit goes to the engine (read-only personal data sent back unchanged does not).
  const accepted = Object.fromEntries(Object.keys(submitted).filter((k) => k in patch.set).map((k) => [k, patch.set[k]]));
  const id = randomUUID();
  await db('form_submissions').insert({
    id, case_id: task.caseId, task_id: task.id, form_key: validator.form.key, form_version: validator.form.version,
    submitted_values: JSON.stringify(accepted), case_values: JSON.stringify(patch), submitted_by: user.userId, status: 'pending', created_at: clock(),
    attachment_ids: attachments.added.length > 0 ? JSON.stringify(attachments.added) : null,
  });
  return { id, submitted: accepted };
}

/** The engine completed the task: the submission's values become the case's. */
export async function acceptSubmission(db: Knex | Knex.Transaction, id: string, clock: () => Date, completedAt?: Date): Promise<void> {
  const run = async (trx: Knex.Transaction) => {
    const s = await trx('form_submissions').where({ id, status: 'pending' }).first('case_id', 'task_id', 'case_values', 'form_key', 'form_version', 'submitted_by', 'attachment_ids') as
      { case_id: string | null; task_id: string; case_values: string; form_key: string; form_version: number; submitted_by: number; attachment_ids: string | null } | undefined;
    if (!s) return;
    await trx('form_submissions').where({ id }).update({ status: 'accepted', settled_at: clock() });
    if (!s.case_id) return;
    // The case's values are one namespace shared by its intake form and its task forms: a task
    // form's values join those of the other forms; the case keeps its intake form.
    const current = await trx('cases').where({ id: s.case_id }).first('form_key', 'form_values') as { form_key: string | null; form_values: string | null } | undefined;
    const merged = applyPatch(current?.form_values ? JSON.parse(current.form_values) as Record<string, unknown> : {}, JSON.parse(s.case_values) as CasePatch);
    await trx('cases').where({ id: s.case_id }).update({
      form_values: JSON.stringify(merged), ...(current?.form_key ? {} : { form_key: s.form_key, form_version: s.form_version }), updated_at: clock(),
    });
    const attachments = s.attachment_ids ? JSON.parse(s.attachment_ids) as string[] : [];
    await linkSubmissionAttachments(trx, attachments, s.case_id, Number(s.submitted_by), clock());
    const patch = JSON.parse(s.case_values) as CasePatch;
    await appendCaseEvent(trx, {
      caseId: s.case_id, kind: 'step.completed', at: completedAt ?? clock(), sourceKey: `completed:${s.task_id}`, actor: await actorById(trx, Number(s.submitted_by)),
      step: await stepOf(trx, s.task_id), opinion: opinionOf(patch.set ?? {}), attachments, details: { form: s.form_key, fields: Object.keys(patch.set ?? {}) },
    });
  };
  if ('isTransaction' in db && db.isTransaction) await run(db as Knex.Transaction);
  else await (db as Knex).transaction(run);
}

/** The engine refused to complete the task: the submission is not applied. */
export async function rejectSubmission(db: Knex, id: string, clock: () => Date): Promise<void> {
  await db('form_submissions').where({ id, status: 'pending' }).update({ status: 'rejected', settled_at: clock() });
}

/** Settles submissions left pending by a crash: accepted when the task was completed, rejected when it is still open after a while. */
export async function settlePendingSubmissions(db: Knex, clock: () => Date = () => new Date()): Promise<{ accepted: number; rejected: number }> {
  const pending = await db('form_submissions as s').leftJoin('tasks as t', 't.id', 's.task_id').where('s.status', 'pending')
    .select('s.id', 's.created_at', 't.status as task_status') as { id: string; created_at: unknown; task_status: string | null }[];
  let accepted = 0;
  let rejected = 0;
  for (const p of pending) {
    if (p.task_status === 'completed') {
      await acceptSubmission(db, p.id, clock);
      accepted++;
    } else if (clock().getTime() - (dateOf(p.created_at)?.getTime() ?? 0) > PENDING_MS) {
      await rejectSubmission(db, p.id, clock);
      rejected++;
    }
  }
  return { accepted, rejected };
}
