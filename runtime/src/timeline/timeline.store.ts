/**
 * The case timeline (append only): writers add events inside the transaction of what they record,
 * each with a source key so a writer that runs twice (the outbox is at least once) writes once.
 * Nothing in GridFlow updates or deletes a timeline event.
 */
import type { Knex } from 'knex';
import { dateOf, isoOf } from '../db/values.ts';
import type { SignedInUser } from '../http/request-context.ts';

/** Kinds of timeline events. */
export type CaseEventKind =
  | 'case.reported' | 'case.merged' | 'case.ended' | 'case.escalated' | 'dispatch.suggested'
  | 'step.arrived' | 'step.claimed' | 'step.completed' | 'step.cancelled'
  | `task.${string}` | `clock.${string}` | `whistle.${string}` | `supervision.${string}` | `extension.${string}`;

/** An event to append. */
export interface NewCaseEvent {
  caseId: string;
  kind: CaseEventKind;
  at: Date;
  actor?: { id: number; username: string; name: string; roles: string[] } | null;
  step?: { key: string; name?: string | null; taskId?: string | null } | null;
  opinion?: string | null;
  attachments?: string[];
  details?: Record<string, unknown>;
  /** Unique key of what the event records (e.g. `outbox:42`, `submission:<id>`). */
  sourceKey: string;
}

/** The actor of an event: the signed-in user. */
export function timelineActor(user: SignedInUser): NonNullable<NewCaseEvent['actor']> {
  const p = user.principal;
  return { id: p.userId, username: p.username, name: p.displayName, roles: p.roles };
}

/** A timeline event as the staff view shows it. */
export interface CaseEventView {
  id: number;
  kind: string;
  at: string;
  actor: { username: string; name: string; roles: string[] } | null;
  step: { key: string; name: string | null } | null;
  opinion: string | null;
  attachments: string[];
  details: Record<string, unknown>;
}

/** Appends an event unless its source key was written already. */
export async function appendCaseEvent(trx: Knex | Knex.Transaction, e: NewCaseEvent): Promise<void> {
  const seen = await trx('case_events').where({ source_key: e.sourceKey }).first('id');
  if (seen) return;
  await trx('case_events').insert({
    case_id: e.caseId, kind: e.kind, at: e.at, actor_id: e.actor?.id ?? null, actor_username: e.actor?.username ?? null, actor_name: e.actor?.name ?? null,
    actor_roles: e.actor ? e.actor.roles.join(',') : null, step: e.step?.key ?? null, step_name: e.step?.name ?? null, task_id: e.step?.taskId ?? null,
    opinion: e.opinion ?? null, attachments: e.attachments && e.attachments.length > 0 ? JSON.stringify(e.attachments) : null,
    details: e.details ? JSON.stringify(e.details) : null, source_key: e.sourceKey,
  });
}

/** The events of a case, oldest first. */
export async function caseEvents(db: Knex, caseId: string): Promise<CaseEventView[]> {
  const rows = await db('case_events').where({ case_id: caseId }).orderBy([{ column: 'at' }, { column: 'id' }]).select() as Record<string, unknown>[];
  return rows.map((r) => ({
    id: Number(r.id), kind: String(r.kind), at: isoOf(r.at) ?? '',
    actor: r.actor_username ? { username: String(r.actor_username), name: String(r.actor_name ?? ''), roles: String(r.actor_roles ?? '').split(',').filter(Boolean) } : null,
    step: r.step ? { key: String(r.step), name: (r.step_name as string | null) ?? null } : null,
    opinion: (r.opinion as string | null) ?? null, attachments: r.attachments ? JSON.parse(String(r.attachments)) as string[] : [],
    details: r.details ? JSON.parse(String(r.details)) as Record<string, unknown> : {},
  }));
}

/** The public view of a case's timeline (tracking code): what happened and when, never who or what was said. */
export async function publicEvents(db: Knex, caseId: string): Promise<{ kind: string; at: string; step: string | null }[]> {
  const rows = await db('case_events').where({ case_id: caseId }).whereIn('kind', ['case.reported', 'step.arrived', 'step.completed', 'case.merged', 'case.ended'])
    .orderBy([{ column: 'at' }, { column: 'id' }]).select('kind', 'at', 'step_name') as { kind: string; at: unknown; step_name: string | null }[];
  return rows.map((r) => ({ kind: r.kind, at: dateOf(r.at)?.toISOString() ?? '', step: r.step_name }));
}

/** The opinion of a step's submission: the first filled field named like an opinion, then a reason, a description, notes. */
export function opinionOf(values: Record<string, unknown>): string | null {
  const filled = Object.keys(values).filter((k) => typeof values[k] === 'string' && (values[k] as string).trim() !== '');
  for (const suffix of ['Opinion', 'Reason', 'Description', 'Notes']) {
    const key = filled.find((k) => k.endsWith(suffix));
    if (key) return String(values[key]);
  }
  return null;
}
