/** Incidents: list them, and resolve them the way the engine wants (by giving retries back). */
import { UserError } from '../errors.ts';
import type { EngineHttp } from './engine-http.ts';
import type { IncidentDto } from './engine-rest.types.ts';

/** Which incidents to list (open ones; resolved incidents are in history). */
export interface IncidentFilter {
  processInstanceId?: string;
  /** `failedExternalTask` or `failedJob`. */
  incidentType?: string;
  activityId?: string;
}

/** Incident operations. */
export interface IncidentsClient {
  query(filter?: IncidentFilter): Promise<IncidentDto[]>;
  /**
   * Resolves an incident by giving its external task (or job) retries again, so the work is
   * retried; the engine then removes the incident.
   */
  retry(incident: IncidentDto, retries?: number): Promise<void>;
}

export function incidentsClient(http: EngineHttp): IncidentsClient {
  const { rest, send } = http;
  return {
    query: (filter = {}) => send('query incidents', () => rest.GET('/incident', {
      params: {
        query: {
          processInstanceId: filter.processInstanceId,
          incidentType: filter.incidentType,
          activityId: filter.activityId,
          sortBy: 'incidentTimestamp',
          sortOrder: 'asc',
        },
      },
    })),

    async retry(incident, retries = 1) {
      const id = incident.configuration ?? '';
      if (incident.incidentType === 'failedExternalTask') {
        await send(`retry external task ${id}`, () =>
          rest.PUT('/external-task/{id}/retries', { params: { path: { id } }, body: { retries } }));
      } else if (incident.incidentType === 'failedJob') {
        await send(`retry job ${id}`, () => rest.PUT('/job/{id}/retries', { params: { path: { id } }, body: { retries } }));
      } else {
        throw new UserError('engine.incident.notRetryable', {
          'zh-CN': `类型为 ${incident.incidentType} 的异常不能通过重试解决。`,
          en: `An incident of type ${incident.incidentType} cannot be resolved by a retry.`,
        });
      }
    },
  };
}
