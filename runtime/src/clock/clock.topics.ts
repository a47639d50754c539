/**
 * Core topics of the case clock: `gridflow.clock.start` and `gridflow.clock.stop` around handling,
 * `gridflow.clock.warn` and `gridflow.clock.overdue` behind the handling steps' boundary timers
 * (timeDate `${handleWarnAt}` and `${handleDueAt}`). See docs/case-clock.md.
 */
import type { CoreTopicDeps, CoreTopicModule } from '../engine-host/core-topics.ts';
import { overdue, warn } from './clock-alerts.ts';
import { startClock, stopClock } from './clock-start-stop.ts';

export const CLOCK_START_TOPIC = 'gridflow.clock.start';
export const CLOCK_STOP_TOPIC = 'gridflow.clock.stop';
export const CLOCK_WARN_TOPIC = 'gridflow.clock.warn';
export const CLOCK_OVERDUE_TOPIC = 'gridflow.clock.overdue';

const placeVariables = ['caseId', 'eventType', 'urgent', 'gridCode', 'communityCode', 'streetCode', 'districtCode', 'dispatchTier', 'handlingLevel'];

export const clockTopics: CoreTopicModule = {
  topics: [CLOCK_START_TOPIC, CLOCK_STOP_TOPIC, CLOCK_WARN_TOPIC, CLOCK_OVERDUE_TOPIC],
  register(topics, deps: CoreTopicDeps) {
    topics.register(CLOCK_START_TOPIC, (task) => startClock(deps, task), { variables: placeVariables });
    topics.register(CLOCK_STOP_TOPIC, (task) => stopClock(deps, task), { variables: ['caseId'] });
    topics.register(CLOCK_WARN_TOPIC, (task) => warn(deps, task), { variables: ['caseId'] });
    topics.register(CLOCK_OVERDUE_TOPIC, (task) => overdue(deps, task), { variables: ['caseId', 'handlingLevel'] });
  },
};
