/**
 * Replays clock events into a timeline: the limit in force, the runs (intervals the clock counted),
 * extensions and reached stages. Illegal sequences throw a UserError naming the event (`events[3]`).
 */
import type { TimeLimit, TimeLimitStage } from '../definitions/model.ts';
import { UserError } from '../errors.ts';
import type { ClockEvent, ClockStatus, ExtensionAmount } from './clock-events.ts';
import { clipRuns, extensionMs, type Countdown, type Run } from './countdown.ts';
import { checkAmount, checkInstant, checkLimit, checkType } from './limit-validation.ts';
import { unitMs, type ClockContext } from './work-time.ts';

/** Progress of one stage of a staged limit. */
export interface StageTrack {
  readonly stage: TimeLimitStage;
  extraMs: number;
  reachedAt: number | null;
}

/** The clock's history since its last (re)start, folded from the events. */
export interface Timeline {
  limit: TimeLimit;
  /** Start of the current attempt: the `started` event or the last `restarted`. */
  startedAt: number;
  runs: Run[];
  status: ClockStatus;
  /** Extensions of the overall limit, in ms of its measure. */
  extraMs: number;
  stages: StageTrack[];
  pausedAt: number | null;
  stoppedAt: number | null;
  restarts: number;
}

/** Folds the events up to `now` (later ones are ignored: the state is as of `now`) into a timeline. */
export function replay(ctx: ClockContext, events: readonly ClockEvent[], now: number): Timeline {
  if (!Array.isArray(events)) throw invalidEvent('events', 'expected a list of clock events', '需要计时事件列表');
  let timeline: Timeline | undefined;
  let last = -Infinity;
  for (const [i, event] of events.entries()) {
    const path = `events[${i}]`;
    const at = checkInstant(event?.at, `${path}.at`);
    if (at > now) break;
    if (at < last) throw invalidEvent(path, 'is earlier than the event before it', '早于前一个事件');
    last = at;
    timeline = apply(ctx, timeline, event, at, path);
  }
  if (!timeline) throw invalidEvent('events', 'the clock has not started by now (no started event)', '截至当前计时尚未开始（没有 started 事件）');
  return timeline;
}

/** The countdown of the overall limit. */
export function overallCountdown(ctx: ClockContext, timeline: Timeline): Countdown {
  const budgetMs = Math.round(timeline.limit.amount * unitMs(ctx.calendar, timeline.limit.type)) + timeline.extraMs;
  return { type: timeline.limit.type, budgetMs, runs: timeline.runs, finishedAt: timeline.stoppedAt };
}

/** The countdown of stage `index`, or undefined while it is pending (the stage before it is not reached). */
export function stageCountdown(ctx: ClockContext, timeline: Timeline, index: number): Countdown | undefined {
  const track = timeline.stages[index];
  const from = index === 0 ? timeline.startedAt : timeline.stages[index - 1]?.reachedAt ?? null;
  if (!track || from === null) return undefined;
  const { stage } = track;
  return {
    type: stage.type,
    budgetMs: Math.round(stage.amount * unitMs(ctx.calendar, stage.type)) + track.extraMs,
    runs: clipRuns(timeline.runs, from, track.reachedAt),
    finishedAt: track.reachedAt ?? timeline.stoppedAt,
  };
}

/** Index of the stage being worked on (the first one not reached), -1 when there is none. */
export function currentStageIndex(timeline: Timeline): number {
  return timeline.stages.findIndex((track) => track.reachedAt === null);
}

function apply(ctx: ClockContext, timeline: Timeline | undefined, event: ClockEvent, at: number, path: string): Timeline {
  if (event.kind === 'started') {
    if (timeline) throw invalidEvent(path, 'the clock was already started', '计时已经开始');
    checkLimit(event.limit, `${path}.limit`);
    return begin(event.limit, at, 0);
  }
  if (!timeline) throw invalidEvent(path, 'the first event must be started', '第一个事件必须是 started');
  switch (event.kind) {
    case 'paused': return pause(timeline, at, path);
    case 'resumed': return resume(timeline, at, path);
    case 'extended': return extend(ctx, timeline, event.by, at, path);
    case 'restarted': {
      if (event.limit !== undefined) checkLimit(event.limit, `${path}.limit`);
      return begin(event.limit ?? timeline.limit, at, timeline.restarts + 1);
    }
    case 'stageReached': return reachStage(timeline, event.stage, at, path);
    case 'stopped': return stop(timeline, at, path);
    default:
      throw invalidEvent(path, `unknown kind ${JSON.stringify((event as { kind: unknown }).kind)}`, `未知事件类型 ${JSON.stringify((event as { kind: unknown }).kind)}`);
  }
}

function begin(limit: TimeLimit, at: number, restarts: number): Timeline {
  return {
    limit, startedAt: at, runs: [{ from: at, to: null }], status: 'running', extraMs: 0,
    stages: (limit.stages ?? []).map((stage) => ({ stage, extraMs: 0, reachedAt: null })),
    pausedAt: null, stoppedAt: null, restarts,
  };
}

function closeRun(timeline: Timeline, at: number): void {
  const last = timeline.runs.at(-1);
  if (last && last.to === null) timeline.runs[timeline.runs.length - 1] = { from: last.from, to: at };
}

function pause(timeline: Timeline, at: number, path: string): Timeline {
  requireStatus(timeline, ['running'], 'paused', path);
  closeRun(timeline, at);
  return { ...timeline, status: 'paused', pausedAt: at };
}

function resume(timeline: Timeline, at: number, path: string): Timeline {
  requireStatus(timeline, ['paused'], 'resumed', path);
  timeline.runs.push({ from: at, to: null });
  return { ...timeline, status: 'running', pausedAt: null };
}

function stop(timeline: Timeline, at: number, path: string): Timeline {
  requireStatus(timeline, ['running', 'paused'], 'stopped', path);
  closeRun(timeline, at);
  return { ...timeline, status: 'stopped', pausedAt: null, stoppedAt: at };
}

function extend(ctx: ClockContext, timeline: Timeline, by: ExtensionAmount, at: number, path: string): Timeline {
  requireStatus(timeline, ['running', 'paused'], 'extended', path);
  checkAmount(by?.amount, `${path}.by.amount`, true);
  const type = by.type ?? timeline.limit.type;
  checkType(type, `${path}.by.type`);
  const amount = { amount: by.amount, type };
  const current = currentStageIndex(timeline);
  const stage = current >= 0 ? stageCountdown(ctx, timeline, current) : undefined;
  if (stage) timeline.stages[current]!.extraMs += extensionMs(ctx, stage, at, amount);
  return { ...timeline, extraMs: timeline.extraMs + extensionMs(ctx, overallCountdown(ctx, timeline), at, amount) };
}

function reachStage(timeline: Timeline, name: string, at: number, path: string): Timeline {
  requireStatus(timeline, ['running', 'paused'], 'stageReached', path);
  const current = currentStageIndex(timeline);
  const expected = timeline.stages[current]?.stage.name;
  if (expected === undefined || expected !== name) {
    const wanted = expected === undefined ? 'no stage is left to reach' : `the current stage is ${JSON.stringify(expected)}`;
    throw invalidEvent(`${path}.stage`, `cannot reach ${JSON.stringify(name)}: ${wanted}`, `不能到达阶段 ${JSON.stringify(name)}：${expected === undefined ? '没有未完成的阶段' : `当前阶段是 ${JSON.stringify(expected)}`}`);
  }
  timeline.stages[current]!.reachedAt = at;
  return timeline;
}

function requireStatus(timeline: Timeline, allowed: ClockStatus[], kind: string, path: string): void {
  if (allowed.includes(timeline.status)) return;
  throw invalidEvent(path, `${kind} is not allowed while the clock is ${timeline.status}`, `计时处于 ${timeline.status} 状态时不能 ${kind}`);
}

function invalidEvent(path: string, en: string, zh: string): UserError {
  return new UserError('engine.clock.invalidEvent', {
    'zh-CN': `计时事件 ${path} 有误：${zh}`,
    en: `Clock event ${path} is invalid: ${en}`,
  }, { details: [{ target: path, message: { 'zh-CN': zh, en } }] });
}
