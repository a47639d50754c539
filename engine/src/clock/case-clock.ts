/**
 * The case clock: a pure function of the calendar, the clock events and `now`. Pausing (挂起) freezes the
 * time left and resuming recomputes the deadline from it; an approved extension (延期) moves the deadline;
 * rework (返工) restarts the full limit. Staged limits run their stages in order: a stage counts from the
 * moment the stage before it was reached, and pending stages are planned from the previous deadline.
 */
import type { TimeLimit, TimeLimitType } from '../definitions/model.ts';
import type { ClockEvent, ClockStatus } from './clock-events.ts';
import { currentStageIndex, overallCountdown, replay, stageCountdown, type StageTrack, type Timeline } from './clock-replay.ts';
import { consumedMs, dueOf, instantAt, warningOf, type Countdown } from './countdown.ts';
import { clockContext, coverageOf, type CoverageReport } from './deadline.ts';
import { checkInstant } from './limit-validation.ts';
import { checkWarningPolicy, defaultWarningPolicy, worstWarning, yellowTargetMs, type WarningLevel, type WarningPolicy } from './warning-policy.ts';
import { addMeasure, measureOf, unitMs, type ClockContext, type TimeMeasure } from './work-time.ts';
import type { CalendarInput } from './working-calendar.ts';

/** Deadline, warning and time used of one limit (the overall limit or a stage). */
export interface LimitProgress {
  /** When the limit is used up; null while paused before it was (recomputed on resume). */
  dueAt: Date | null;
  /** When the limit turns (or turned) yellow; null if that is not known while paused, or never reached. */
  yellowAt: Date | null;
  /** Time counted so far, in ms of the limit's measure (work time, continuous or wall-clock time). */
  elapsedMs: number;
  /** Budget minus elapsed, in ms of the limit's measure; negative when more than the budget was counted. */
  remainingMs: number;
  /** The limit plus extensions, in ms of its measure. */
  budgetMs: number;
  warning: WarningLevel;
}

/** Progress of one stage of a staged limit. */
export interface StageState extends LimitProgress {
  name: string;
  type: TimeLimitType;
  amount: number;
  /** reached: done; current: being worked on; pending: waits for the stage before it. */
  status: 'reached' | 'current' | 'pending';
  /** When the stage started counting; null while pending. */
  startedAt: Date | null;
  reachedAt: Date | null;
  /** Whether the stage was reached by its deadline; null until reached. */
  onTime: boolean | null;
}

/** The state of a case clock as of an instant. */
export interface ClockState extends LimitProgress, CoverageReport {
  status: ClockStatus;
  /** The instant the state describes (`now`). */
  asOf: Date;
  /** The limit in force (a restart may replace it). */
  limit: TimeLimit;
  measure: TimeMeasure;
  /** Start of the current attempt: the start, or the last restart (返工). */
  startedAt: Date;
  /** The overall limit is red: its deadline has come (running or paused) or had passed when it stopped. */
  overdue: boolean;
  /** The more urgent of the overall limit's warning and the current stage's. */
  warning: WarningLevel;
  /** The overall limit's own warning. */
  limitWarning: WarningLevel;
  /** The deadline of each stage, in order (null where it depends on a paused clock). */
  stageDueAts: (Date | null)[];
  stages: StageState[];
  /** Name of the stage being worked on, null without stages or when all are reached. */
  currentStage: string | null;
  pausedAt: Date | null;
  stoppedAt: Date | null;
  /** When stopped: whether it stopped by the deadline (stopping at the deadline is on time). */
  onTime: boolean | null;
  /** How many times the limit was restarted for rework. */
  restarts: number;
}

/** The next instants to schedule BPMN timers at: the next yellow and the next deadline, null when none. */
export interface TimerDates {
  yellowAt: Date | null;
  dueAt: Date | null;
}

/** The clock's state as of `now` from its events (events after `now` are ignored). */
export function clockState(calendar: CalendarInput, events: readonly ClockEvent[], now: Date, policy: WarningPolicy = defaultWarningPolicy): ClockState {
  const at = checkInstant(now, 'now');
  checkWarningPolicy(policy);
  const ctx = clockContext(calendar);
  const timeline = replay(ctx, events, at);
  const overall = progressOf(ctx, overallCountdown(ctx, timeline), at, policy);
  const stages = stageStates(ctx, timeline, at, policy);
  const current = stages[currentStageIndex(timeline)];
  const stoppedAt = timeline.stoppedAt;
  return {
    status: timeline.status,
    asOf: new Date(at),
    limit: timeline.limit,
    measure: measureOf(timeline.limit.type),
    startedAt: new Date(timeline.startedAt),
    ...overall,
    overdue: overall.warning === 'red',
    warning: worstWarning(overall.warning, current?.warning ?? 'none'),
    limitWarning: overall.warning,
    stageDueAts: stages.map((stage) => stage.dueAt),
    stages,
    currentStage: current?.name ?? null,
    pausedAt: dateOrNull(timeline.pausedAt),
    stoppedAt: dateOrNull(stoppedAt),
    onTime: stoppedAt === null ? null : overall.dueAt !== null && stoppedAt <= overall.dueAt.getTime(),
    restarts: timeline.restarts,
    ...coverageOf(ctx),
  };
}

/** The next yellow and due instants after the state's asOf, over the overall limit and the current stage. */
export function nextTimerDates(state: ClockState): TimerDates {
  if (state.status !== 'running') return { yellowAt: null, dueAt: null };
  const current = state.stages.find((stage) => stage.status === 'current');
  const asOf = state.asOf.getTime();
  const next = (dates: (Date | null | undefined)[]): Date | null => {
    const future = dates.filter((d): d is Date => d instanceof Date && d.getTime() > asOf);
    return future.reduce<Date | null>((min, d) => (min === null || d < min ? d : min), null);
  };
  return { yellowAt: next([state.yellowAt, current?.yellowAt]), dueAt: next([state.dueAt, current?.dueAt]) };
}

function progressOf(ctx: ClockContext, countdown: Countdown, now: number, policy: WarningPolicy): LimitProgress {
  const elapsedMs = consumedMs(ctx, countdown, now);
  const dueAt = dueOf(ctx, countdown, countdown.finishedAt);
  const yellowAt = instantAt(ctx, countdown, yellowTargetMs(countdown.budgetMs, policy));
  const finished = countdown.finishedAt !== null;
  return {
    dueAt: dateOrNull(dueAt),
    yellowAt: dateOrNull(yellowAt),
    elapsedMs,
    remainingMs: countdown.budgetMs - elapsedMs,
    budgetMs: countdown.budgetMs,
    warning: warningOf(dueAt, yellowAt, countdown.finishedAt ?? now, finished),
  };
}

function stageStates(ctx: ClockContext, timeline: Timeline, now: number, policy: WarningPolicy): StageState[] {
  const states: StageState[] = [];
  timeline.stages.forEach((track, index) => {
    const countdown = stageCountdown(ctx, timeline, index);
    const previous = states[index - 1];
    const state = countdown
      ? startedStage(ctx, track, countdown, index === 0 ? timeline.startedAt : previous?.reachedAt?.getTime() ?? timeline.startedAt, now, policy)
      : pendingStage(ctx, track, previous?.dueAt ?? null);
    states.push(state);
  });
  return states;
}

function startedStage(ctx: ClockContext, track: StageTrack, countdown: Countdown, startedAt: number, now: number, policy: WarningPolicy): StageState {
  const progress = progressOf(ctx, countdown, now, policy);
  const reachedAt = track.reachedAt;
  return {
    name: track.stage.name, type: track.stage.type, amount: track.stage.amount,
    status: reachedAt === null ? 'current' : 'reached',
    startedAt: new Date(startedAt),
    reachedAt: dateOrNull(reachedAt),
    onTime: reachedAt === null ? null : progress.dueAt !== null && reachedAt <= progress.dueAt.getTime(),
    ...progress,
  };
}

function pendingStage(ctx: ClockContext, track: StageTrack, previousDue: Date | null): StageState {
  const budgetMs = Math.round(track.stage.amount * unitMs(ctx.calendar, track.stage.type)) + track.extraMs;
  const dueAt = previousDue === null ? null : new Date(addMeasure(ctx, previousDue.getTime(), budgetMs, track.stage.type));
  return {
    name: track.stage.name, type: track.stage.type, amount: track.stage.amount,
    status: 'pending', startedAt: null, reachedAt: null, onTime: null,
    dueAt, yellowAt: null, elapsedMs: 0, remainingMs: budgetMs, budgetMs, warning: 'none',
  };
}

function dateOrNull(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}
