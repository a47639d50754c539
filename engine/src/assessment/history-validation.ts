/**
 * Reading a case history: the shape of every event, cases known before they are used, each case's events
 * in chronological order and a consistent lifecycle. Every problem is reported at once, with its path.
 */
import type { CaseEvent, CaseEventKind, CaseHistory } from './case-history.ts';
import { addProblem, parseInstant, throwIfProblems, type AssessmentProblem } from './assessment-problems.ts';
import { replayCase } from './case-replay.ts';

/** An event with its position in the history and its instant in epoch milliseconds. */
export interface IndexedEvent {
  event: CaseEvent;
  index: number;
  at: number;
}

/** The events of every case, grouped by case id in order of first appearance. */
export type CaseEvents = Map<string, IndexedEvent[]>;

type FieldType = 'string' | 'instant' | 'boolean' | 'departments' | readonly string[];
type Fields = Record<string, FieldType | { optional: FieldType }>;

const s = 'string';
const instant = 'instant';
const optional = (type: FieldType) => ({ optional: type });

const fieldsOf: Record<CaseEventKind, Fields> = {
  reported: { eventType: s, grid: s, community: s, street: s, reporter: optional(s), registerDueAt: instant },
  checkRequested: { assignee: s, dueAt: instant },
  checked: { by: s },
  registered: { closeDueAt: instant },
  rejected: { reason: s },
  dispatched: { departments: 'departments', level: ['community', 'street', 'district'], handleDueAt: instant },
  returned: { department: s, reason: s },
  handled: { department: s },
  extended: { department: s, newDueAt: instant, closeDueAt: optional(instant) },
  suspended: { reason: optional(s) },
  resumed: { handleDueAt: optional(instant), closeDueAt: optional(instant) },
  verificationRequested: { assignee: s, dueAt: instant },
  verified: { by: s, passed: 'boolean' },
  reworked: { handleDueAt: instant, closeDueAt: optional(instant) },
  closed: {},
  visited: { by: optional(s), satisfaction: ['satisfied', 'basicallySatisfied', 'dissatisfied'] },
  archived: {},
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const shown = (value: unknown) => JSON.stringify(value) ?? String(value);

/** Validates a case history and groups its events by case; throws a UserError naming every problem. */
export function readHistory(history: CaseHistory | unknown): CaseEvents {
  const out: AssessmentProblem[] = [];
  const cases: CaseEvents = new Map();
  if (!Array.isArray(history)) addProblem(out, 'history', 'must be a list of case events', '必须是案件事件列表');
  else history.forEach((event: unknown, index) => readEvent(event, index, cases, out));
  if (out.length === 0) for (const events of cases.values()) replayCase(events, out);
  throwIfProblems(out, 'engine.assessment.invalidHistory', { 'zh-CN': '案件历史', en: 'case history' });
  return cases;
}

function readEvent(event: unknown, index: number, cases: CaseEvents, out: AssessmentProblem[]): void {
  const path = `history[${index}]`;
  if (!isRecord(event)) return addProblem(out, path, 'must be an object', '必须是一个对象');
  const before = out.length;
  if (typeof event.caseId !== 'string' || event.caseId === '') addProblem(out, `${path}.caseId`, 'must be a non-empty string', '必须是非空字符串');
  const at = parseInstant(event.at);
  if (at === undefined) addProblem(out, `${path}.at`, `${shown(event.at)} is not an ISO 8601 instant with an offset`, `${shown(event.at)} 不是带时区的 ISO 8601 时刻`);
  const fields = fieldsOf[event.kind as CaseEventKind];
  if (typeof event.kind !== 'string' || !Object.hasOwn(fieldsOf, event.kind) || !fields) {
    addProblem(out, `${path}.kind`, `unknown event kind ${shown(event.kind)}`, `未知的事件类型 ${shown(event.kind)}`);
  } else {
    for (const [name, type] of Object.entries(fields)) checkField(event[name], type, `${path}.${name}`, out);
  }
  if (out.length === before) placeEvent({ event: event as unknown as CaseEvent, index, at: at! }, cases, out);
}

function checkField(value: unknown, spec: Fields[string], path: string, out: AssessmentProblem[]): void {
  const isOptional = typeof spec === 'object' && 'optional' in spec;
  const type = isOptional ? spec.optional : spec;
  if (value === undefined) {
    if (!isOptional) addProblem(out, path, 'is required', '必填');
  } else if (type === 'string') {
    if (typeof value !== 'string' || value === '') addProblem(out, path, 'must be a non-empty string', '必须是非空字符串');
  } else if (type === 'instant') {
    if (parseInstant(value) === undefined) addProblem(out, path, `${shown(value)} is not an ISO 8601 instant with an offset`, `${shown(value)} 不是带时区的 ISO 8601 时刻`);
  } else if (type === 'boolean') {
    if (typeof value !== 'boolean') addProblem(out, path, 'must be true or false', '必须是 true 或 false');
  } else if (type === 'departments') {
    checkDepartments(value, path, out);
  } else if (typeof value !== 'string' || !type.includes(value)) {
    addProblem(out, path, `must be one of ${type.join(', ')}`, `必须是 ${type.join('、')} 之一`);
  }
}

function checkDepartments(value: unknown, path: string, out: AssessmentProblem[]): void {
  if (!Array.isArray(value) || value.length === 0) return addProblem(out, path, 'must list at least one department', '至少列出一个部门');
  const seen = new Set<string>();
  value.forEach((d: unknown, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(d)) return addProblem(out, at, 'must be an object with code and role', '必须是含 code 和 role 的对象');
    checkField(d.code, 'string', `${at}.code`, out);
    checkField(d.role, ['primary', 'assisting'], `${at}.role`, out);
    if (typeof d.code === 'string' && seen.has(d.code)) addProblem(out, `${at}.code`, `department ${d.code} is listed twice`, `部门 ${d.code} 重复`);
    if (typeof d.code === 'string') seen.add(d.code);
  });
}

function placeEvent(indexed: IndexedEvent, cases: CaseEvents, out: AssessmentProblem[]): void {
  const { event, index } = indexed;
  const path = `history[${index}]`;
  const events = cases.get(event.caseId);
  if (event.kind === 'reported') {
    if (events) return addProblem(out, `${path}.caseId`, `case ${event.caseId} is already reported (history[${events[0]!.index}])`, `案件 ${event.caseId} 已上报过（history[${events[0]!.index}]）`);
    cases.set(event.caseId, [indexed]);
    return;
  }
  if (!events) return addProblem(out, `${path}.caseId`, `unknown case ${event.caseId}: no earlier reported event`, `未知案件 ${event.caseId}：此前没有上报事件`);
  const last = events[events.length - 1]!;
  if (indexed.at < last.at) {
    return addProblem(out, `${path}.at`, `${event.at} is before the previous event of case ${event.caseId} (history[${last.index}], ${last.event.at})`,
      `${event.at} 早于案件 ${event.caseId} 的上一事件（history[${last.index}]，${last.event.at}）`);
  }
  events.push(indexed);
}
