/** Process instances: start, query, modify, suspend/activate, delete, variables. */
import type { EngineHttp } from './engine-http.ts';
import type {
  ActivityInstanceDto, ProcessInstanceDto, ProcessInstanceModificationInstructionDto, ProcessInstanceQueryDto, VariableValueDto,
} from './engine-rest.types.ts';
import { fromVariables, toVariables } from './typed-values.ts';
import type { FromVariablesOptions } from './typed-values.ts';

/** Paging of list queries. */
export interface Page {
  firstResult?: number;
  maxResults?: number;
}

/** How to start an instance of the latest version of a process. */
export interface StartInput {
  businessKey?: string;
  /** Plain values, converted with toVariables. */
  variables?: Record<string, unknown>;
  /** Starts the tenant's definition of this key. */
  tenantId?: string;
}

/** A started instance. */
export interface StartedInstance {
  id: string;
  definitionId: string;
  businessKey: string | null;
  /** True when the instance already ended within the start transaction. */
  ended: boolean;
  /** The variables after start, as plain values (JSON strings stay strings). */
  variables: Record<string, unknown>;
}

/** One change of a running instance, applied together with the others in one transaction. */
export type ModificationInstruction =
  | { type: 'startBeforeActivity'; activityId: string }
  | { type: 'startAfterActivity'; activityId: string }
  | { type: 'cancel'; activityId: string }
  | { type: 'cancel'; activityInstanceId: string };

/** Process instance operations. */
export interface ProcessInstancesClient {
  startByKey(key: string, input?: StartInput): Promise<StartedInstance>;
  /** The running instance, or null when it has ended or never existed. */
  get(id: string): Promise<ProcessInstanceDto | null>;
  query(query: ProcessInstanceQueryDto, page?: Page): Promise<ProcessInstanceDto[]>;
  /** The tree of activity instances of a running instance (ids needed to cancel one). */
  activityInstances(id: string): Promise<ActivityInstanceDto>;
  /** Starts and cancels activities; `skipCustomListeners` defaults to false. */
  modify(id: string, instructions: ModificationInstruction[], options?: { skipCustomListeners?: boolean; annotation?: string }): Promise<void>;
  suspend(id: string): Promise<void>;
  activate(id: string): Promise<void>;
  /** Cancels a running instance. */
  delete(id: string, options?: { skipCustomListeners?: boolean; failIfNotExists?: boolean }): Promise<void>;
  variables(id: string, options?: FromVariablesOptions): Promise<Record<string, unknown>>;
  setVariables(id: string, variables: Record<string, unknown>): Promise<void>;
}

export function processInstancesClient(http: EngineHttp): ProcessInstancesClient {
  const { rest, send } = http;
  const setSuspended = (id: string, suspended: boolean) =>
    send(`${suspended ? 'suspend' : 'activate'} process instance ${id}`, () =>
      rest.PUT('/process-instance/{id}/suspended', { params: { path: { id } }, body: { suspended } }));
  return {
    async startByKey(key, input = {}) {
      const body = { businessKey: input.businessKey, variables: toVariables(input.variables), withVariablesInReturn: true };
      const started = await send(`start process ${key}`, () => input.tenantId
        ? rest.POST('/process-definition/key/{key}/tenant-id/{tenant-id}/start', {
          params: { path: { key, 'tenant-id': input.tenantId } }, body,
        })
        : rest.POST('/process-definition/key/{key}/start', { params: { path: { key } }, body }));
      return {
        id: started.id ?? '',
        definitionId: started.definitionId ?? '',
        businessKey: started.businessKey ?? null,
        ended: started.ended ?? false,
        variables: fromVariables(started.variables as Record<string, VariableValueDto> | null),
      };
    },

    async get(id) {
      const [instance] = await send(`get process instance ${id}`, () =>
        rest.POST('/process-instance', { body: { processInstanceIds: [id] } }));
      return instance ?? null;
    },

    query: (query, page = {}) => send('query process instances', () =>
      rest.POST('/process-instance', { params: { query: page }, body: query })),

    activityInstances: (id) => send(`get activity instances of ${id}`, () =>
      rest.GET('/process-instance/{id}/activity-instances', { params: { path: { id } } })),

    async modify(id, instructions, options = {}) {
      await send(`modify process instance ${id}`, () => rest.POST('/process-instance/{id}/modification', {
        params: { path: { id } },
        body: {
          skipCustomListeners: options.skipCustomListeners ?? false,
          skipIoMappings: false,
          instructions: instructions as ProcessInstanceModificationInstructionDto[],
          ...(options.annotation ? { annotation: options.annotation } : {}),
        },
      }));
    },

    suspend: (id) => setSuspended(id, true),
    activate: (id) => setSuspended(id, false),

    async delete(id, options = {}) {
      await send(`delete process instance ${id}`, () => rest.DELETE('/process-instance/{id}', {
        params: { path: { id }, query: { skipCustomListeners: options.skipCustomListeners ?? false, failIfNotExists: options.failIfNotExists ?? true } },
      }));
    },

    async variables(id, options) {
      const variables = await send(`get variables of ${id}`, () =>
        rest.GET('/process-instance/{id}/variables', { params: { path: { id }, query: { deserializeValues: false } } }));
      return fromVariables(variables, options);
    },

    async setVariables(id, variables) {
      await send(`set variables of ${id}`, () =>
        rest.POST('/process-instance/{id}/variables', { params: { path: { id } }, body: { modifications: toVariables(variables) } }));
    },
  };
}
