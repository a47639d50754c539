/**
 * Attachment fields of forms (`x-component: AttachmentUpload`, `x-component-props.kind`: photo,
 * video or document; the value is a list of attachment ids). A submission may only bring
 * attachments its submitter uploaded and that belong to no case yet (or already to this case), of
 * the field's kind; the count limit is the field's `maxItems`, checked by the schema. The new
 * attachments are linked to the case when the submission is accepted.
 */
import type { Knex } from 'knex';
import type { FormDefinition, SubmissionProblem } from '@gridflow/engine';
import { ATTACHMENT_KINDS } from '../attachments/attachment-policy.ts';
import type { AttachmentKind } from '../attachments/attachment-policy.ts';

const KIND_NAMES: Record<AttachmentKind, string> = { photo: '照片', video: '视频', document: '文档' };

/** The attachment fields of a form and their kinds. */
export function attachmentFields(form: FormDefinition): Map<string, AttachmentKind> {
  const out = new Map<string, AttachmentKind>();
  for (const [field, schema] of Object.entries(form.properties)) {
    const s = schema as { 'x-component'?: unknown; 'x-component-props'?: { kind?: unknown } };
    const kind = s['x-component-props']?.kind;
    if (s['x-component'] === 'AttachmentUpload') out.set(field, (ATTACHMENT_KINDS as readonly unknown[]).includes(kind) ? kind as AttachmentKind : 'document');
  }
  return out;
}

const idsOf = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Checks the attachments a submission adds; returns the problems and the ids to link. */
export async function checkFormAttachments(
  db: Knex, form: FormDefinition, values: Record<string, unknown>, previous: Record<string, unknown>, who: { userId: number; caseId: string | null },
): Promise<{ problems: SubmissionProblem[]; added: string[] }> {
  const problems: SubmissionProblem[] = [];
  const added: string[] = [];
  for (const [field, kind] of attachmentFields(form)) {
    const before = new Set(idsOf(previous[field]));
    const fresh = idsOf(values[field]).map((id, index) => ({ id, index })).filter((x) => !before.has(x.id));
    if (fresh.length === 0) continue;
    const rows = await db('attachments').whereIn('id', fresh.map((x) => x.id)).select('id', 'case_id', 'uploaded_by', 'kind') as { id: string; case_id: string | null; uploaded_by: number; kind: string }[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const title = String((form.properties[field] as { title?: unknown }).title ?? field);
    for (const { id, index } of fresh) {
      const row = byId.get(id);
      const usable = row && (row.case_id === null ? Number(row.uploaded_by) === who.userId : row.case_id === who.caseId);
      if (!usable) {
        problems.push({ pointer: `/${field}/${index}`, code: 'form.attachment', message: { 'zh-CN': `“${title}”第 ${index + 1} 个附件不存在或不是您上传的`, en: `Attachment ${index + 1} of "${title}" does not exist or was not uploaded by you` } });
      } else if (row.kind !== kind) {
        problems.push({ pointer: `/${field}/${index}`, code: 'form.attachmentKind', message: { 'zh-CN': `“${title}”只能上传${KIND_NAMES[kind]}`, en: `"${title}" takes ${kind} attachments only` } });
      } else if (row.case_id === null) {
        added.push(id);
      }
    }
  }
  return { problems, added };
}

/** Links the attachments a submission brought to its case (inside the accepting transaction). */
export async function linkSubmissionAttachments(trx: Knex.Transaction, ids: string[], caseId: string, uploaderId: number, now: Date): Promise<void> {
  if (ids.length === 0) return;
  await trx('attachments').whereIn('id', ids).whereNull('case_id').where('uploaded_by', uploaderId).update({ case_id: caseId, linked_at: now });
}
