/**
 * The deadlines of a case's duties for assessment, from the pure case clock (engine `clockState`,
 * `addTimeLimit`) over the district's working calendar. Handling counts the subclass's time limit
 * (or the responsibility list's) from the dispatch; pauses, extensions and rework move it as the case
 * clock says. The other duties have no limit in the definitions yet, so they count the fixed
 * allowances below (docs/assessment.md).
 */
import { addTimeLimit, clockState } from '@gridflow/engine';
import type { ClockEvent, CompiledCalendar, ExtensionAmount, LimitAmount, TimeLimit } from '@gridflow/engine';

/** Allowances of the duties the definitions give no limit for. */
export const DUTY_ALLOWANCES = {
  /** 立案: register or reject a report within 2 work-hours of its report. */
  registration: { type: 'workHours', amount: 2 },
  /** 核实: a grid worker checks a report on site within 1 work-day. */
  check: { type: 'workDays', amount: 1 },
  /** 核查: a grid worker verifies the handling on site within 1 work-day. */
  verification: { type: 'workDays', amount: 1 },
  /** 结案: closing is due this long after the handling limit counted from registration (dispatch, verification, closing). */
  closing: { type: 'workDays', amount: 2 },
} as const satisfies Record<string, LimitAmount>;

/** The instant a limit started at `at` ends, as ISO text. */
export function dueAfter(calendar: CompiledCalendar, at: Date, limit: LimitAmount): string {
  return addTimeLimit(calendar, at, limit).dueAt.toISOString();
}

/**
 * One clock of a case (its handling, or its closing), replayed by the engine's case clock. `extra` is
 * counted on top of the clock's deadline (the closing allowance after the handling limit).
 */
export class DutyClock {
  private readonly events: ClockEvent[];
  private status: 'running' | 'paused' | 'stopped' = 'running';
  private lastDue: string;

  constructor(private readonly calendar: CompiledCalendar, at: Date, limit: TimeLimit, private readonly extra?: LimitAmount, paused = false) {
    this.events = [{ kind: 'started', at, limit: { type: limit.type, amount: limit.amount } }];
    this.lastDue = this.computeDue(at) ?? at.toISOString();
    if (paused) this.pause(at);
  }

  /** The deadline in force (while paused: the one before the pause; the resume recomputes it). */
  get dueAt(): string {
    return this.lastDue;
  }

  get running(): boolean {
    return this.status === 'running';
  }

  pause(at: Date): void {
    if (this.status === 'running') this.push({ kind: 'paused', at }, 'paused');
  }

  resume(at: Date): string {
    if (this.status === 'paused') this.push({ kind: 'resumed', at }, 'running');
    return this.dueAt;
  }

  extend(at: Date, by: ExtensionAmount): string {
    if (this.status !== 'stopped') this.push({ kind: 'extended', at, by }, this.status);
    return this.dueAt;
  }

  /** 返工: the full limit counts again from `at`. */
  restart(at: Date): string {
    this.push({ kind: 'restarted', at }, 'running');
    return this.dueAt;
  }

  stop(at: Date): void {
    if (this.status !== 'stopped') this.push({ kind: 'stopped', at }, 'stopped');
  }

  private push(event: ClockEvent, status: 'running' | 'paused' | 'stopped'): void {
    this.events.push(event);
    this.status = status;
    this.lastDue = this.computeDue(event.at) ?? this.lastDue;
  }

  private computeDue(at: Date): string | undefined {
    const due = clockState(this.calendar, this.events, at).dueAt;
    if (!due) return undefined;
    return this.extra ? dueAfter(this.calendar, due, this.extra) : due.toISOString();
  }
}
