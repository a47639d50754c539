/** History: the path an instance took and its end state (history level `full` in GridFlow's engine). */
import type { EngineHttp } from './engine-http.ts';
import type { HistoricActivityInstanceDto, HistoricProcessInstanceDto } from './engine-rest.types.ts';

/** Which historic activity instances of one process instance to list. */
export interface ActivityHistoryFilter {
  activityId?: string;
  /** Only finished (true) or only unfinished (false) ones. */
  finished?: boolean;
  /** Only cancelled ones (by a boundary event, a modification, a cancelled instance). */
  canceled?: boolean;
}

/** History operations. */
export interface HistoryClient {
  /** Activity instances of a process instance, in the order they started. */
  activityInstances(processInstanceId: string, filter?: ActivityHistoryFilter): Promise<HistoricActivityInstanceDto[]>;
  /** The historic process instance (running or ended), or null when there is none. */
  processInstance(id: string): Promise<HistoricProcessInstanceDto | null>;
}

export function historyClient(http: EngineHttp): HistoryClient {
  const { rest, send } = http;
  return {
    activityInstances: (processInstanceId, filter = {}) => send(`get activity history of ${processInstanceId}`, () =>
      rest.POST('/history/activity-instance', {
        body: {
          processInstanceId,
          activityId: filter.activityId,
          ...(filter.finished === true ? { finished: true } : filter.finished === false ? { unfinished: true } : {}),
          ...(filter.canceled ? { canceled: true } : {}),
          sorting: [{ sortBy: 'startTime', sortOrder: 'asc' }, { sortBy: 'occurrence', sortOrder: 'asc' }],
        },
      })),

    async processInstance(id) {
      const [instance] = await send(`get historic process instance ${id}`, () =>
        rest.POST('/history/process-instance', { body: { processInstanceId: id } }));
      return instance ?? null;
    },
  };
}
