/**
 * Core topics of the whistle process (街道吹哨、部门报到): each service task records its step in
 * GridFlow (whistle rows, the case timeline, notifications). The business key of a whistle's
 * process instance is the whistle id; `department` is the element variable of the per-department
 * sub-process, whose form values are local to it.
 */
import { WHISTLE_STEPS, WHISTLE_TOPICS } from '@gridflow/engine';
import type { TopicResult, TopicTask } from '@gridflow/engine';
import type { CoreTopicDeps, CoreTopicModule } from '../engine-host/core-topics.ts';
import { recordClose, recordConsolidation, recordDistrict, recordEscalation, recordOpinion, recordOverdue, recordRatings, parseRatings } from './whistle-outcomes.ts';
import { reportedInAt } from './whistle-report-time.ts';
import { openTaskOf, recordLate, recordReportIn, whistleOf } from './whistle-steps.ts';
import type { StepContext } from './whistle-steps.ts';

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

function departmentOf(task: TopicTask): string {
  const d = str(task.variables.department);
  if (!d) throw new Error(`External task ${task.id} (${task.topic}) has no department variable`);
  return d;
}

type Step = (ctx: StepContext, deps: CoreTopicDeps) => Promise<TopicResult | void>;

/** What each topic records, and the variables it reads. */
const steps: Record<string, { variables: string[]; run: Step }> = {
  [WHISTLE_TOPICS.reported]: {
    variables: ['department', 'reportInNote'],
    run: async (ctx, deps) => {
      const department = departmentOf(ctx.task);
      const at = await reportedInAt(deps.engine, ctx.task.processInstanceId, department) ?? ctx.now;
      await recordReportIn(ctx, department, str(ctx.task.variables.reportInNote), at);
    },
  },
  [WHISTLE_TOPICS.late]: {
    variables: ['department'],
    run: async (ctx) => {
      const department = departmentOf(ctx.task);
      const taskId = await ctx.db.transaction((trx) => openTaskOf(trx, ctx, WHISTLE_STEPS.reportIn, department));
      await recordLate(ctx, department, taskId);
    },
  },
  [WHISTLE_TOPICS.opinion]: {
    variables: ['department', 'whistleOpinion', 'whistleResult'],
    run: (ctx) => recordOpinion(ctx, departmentOf(ctx.task), str(ctx.task.variables.whistleOpinion), str(ctx.task.variables.whistleResult)),
  },
  [WHISTLE_TOPICS.overdue]: {
    variables: [],
    run: async (ctx) => {
      await recordOverdue(ctx);
      return { variables: { whistleOverdue: true } };
    },
  },
  [WHISTLE_TOPICS.consolidated]: {
    variables: ['whistleResolved', 'whistleSummary'],
    run: (ctx) => recordConsolidation(ctx, ctx.task.variables.whistleResolved === true, str(ctx.task.variables.whistleSummary)),
  },
  [WHISTLE_TOPICS.escalate]: { variables: [], run: (ctx) => recordEscalation(ctx) },
  [WHISTLE_TOPICS.district]: {
    variables: ['districtResolved', 'districtOpinion'],
    run: (ctx) => recordDistrict(ctx, ctx.task.variables.districtResolved === true, str(ctx.task.variables.districtOpinion)),
  },
  [WHISTLE_TOPICS.rated]: { variables: ['ratings'], run: (ctx) => recordRatings(ctx, parseRatings(ctx.task.variables.ratings)) },
  [WHISTLE_TOPICS.closed]: { variables: [], run: (ctx) => recordClose(ctx) },
};

/** The whistle's core topics. */
export const whistleTopics: CoreTopicModule = {
  topics: Object.values(WHISTLE_TOPICS),
  register(topics, deps) {
    for (const [topic, step] of Object.entries(steps)) {
      topics.register(topic, async (task) => {
        const ctx: StepContext = { db: deps.db, now: deps.clock(), task, whistle: await whistleOf(deps.db, task) };
        return step.run(ctx, deps);
      }, { variables: ['whistleId', ...step.variables] });
    }
  },
};
