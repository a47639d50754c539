/** CSV export of audit records (for auditors; cells quoted per RFC 4180). */
import type { AuditRecord } from '@gridflow/engine';

const csvCell = (v: unknown) => {
  const text = v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** Header line of the audit CSV. */
export const AUDIT_CSV_HEADER = 'id,occurredAt,actor,role,org,ip,userAgent,action,targetType,targetId,outcome,beforeDigest,afterDigest,details,hash';

/** One CSV line of a record. */
export function auditCsvLine(r: AuditRecord): string {
  return [r.id, r.occurredAt, r.actor.username, r.actor.role, r.actor.orgUnit, r.ip, r.userAgent, r.action, r.target.type, r.target.id,
    r.outcome, r.beforeDigest, r.afterDigest, r.details, r.hash].map(csvCell).join(',');
}
