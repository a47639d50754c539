/** Jobs (timers, async continuations): query, move a due date, execute now. */
import type { EngineHttp } from './engine-http.ts';
import type { JobDto, JobQueryDto } from './engine-rest.types.ts';
import type { components } from './generated/engine-rest.ts';
import type { Page } from './process-instances.client.ts';
import { formatEngineDate } from './typed-values.ts';

/** Which jobs to list; results are ordered by due date. */
export interface JobFilter {
  processInstanceId?: string;
  /** The BPMN element the job belongs to, e.g. a boundary timer's id. */
  activityId?: string;
  /** Only timer jobs. */
  timers?: boolean;
  /** Only jobs that are due and have retries left. */
  executable?: boolean;
  processDefinitionKey?: string;
}

/** A job definition: what a BPMN element's jobs are, e.g. `jobConfiguration` "DATE: ${handleDueAt}" of a timer. */
export type JobDefinitionDto = components['schemas']['JobDefinitionDto'];

/** Which job definitions to list. */
export interface JobDefinitionFilter {
  processDefinitionId?: string;
  processDefinitionKey?: string;
  /** Only the definitions of these BPMN elements. */
  activityIds?: string[];
}

/** Job operations. */
export interface JobsClient {
  query(filter?: JobFilter, page?: Page): Promise<JobDto[]>;
  /** Moves a job's due date (a timer fires then); `cascade` also moves the following cycle dates. */
  setDueDate(id: string, dueDate: Date, options?: { cascade?: boolean }): Promise<void>;
  /** Executes a job now, in the calling request (a fired timer, a continuation). */
  execute(id: string): Promise<void>;
  /** Job definitions, e.g. to tell which timer a job belongs to by its expression. */
  definitions(filter?: JobDefinitionFilter): Promise<JobDefinitionDto[]>;
}

export function jobsClient(http: EngineHttp): JobsClient {
  const { rest, send } = http;
  return {
    query: (filter = {}, page = {}) => send('query jobs', () =>
      rest.POST('/job', { params: { query: page }, body: toJobQuery(filter) })),

    async setDueDate(id, dueDate, options = {}) {
      await send(`set due date of job ${id}`, () => rest.PUT('/job/{id}/duedate', {
        params: { path: { id } },
        body: { duedate: formatEngineDate(dueDate), cascade: options.cascade ?? false },
      }));
    },

    async execute(id) {
      await send(`execute job ${id}`, () => rest.POST('/job/{id}/execute', { params: { path: { id } } }));
    },

    definitions: (filter = {}) => send('query job definitions', () => rest.POST('/job-definition', {
      params: { query: {} },
      body: {
        ...(filter.processDefinitionId ? { processDefinitionId: filter.processDefinitionId } : {}),
        ...(filter.processDefinitionKey ? { processDefinitionKey: filter.processDefinitionKey } : {}),
        ...(filter.activityIds ? { activityIdIn: filter.activityIds } : {}),
      },
    })),
  };
}

function toJobQuery(filter: JobFilter): JobQueryDto {
  const query: JobQueryDto = { sorting: [{ sortBy: 'jobDueDate', sortOrder: 'asc' }] };
  if (filter.processInstanceId) query.processInstanceId = filter.processInstanceId;
  if (filter.activityId) query.activityId = filter.activityId;
  if (filter.timers) query.timers = true;
  if (filter.executable) query.executable = true;
  if (filter.processDefinitionKey) query.processDefinitionKey = filter.processDefinitionKey;
  return query;
}
