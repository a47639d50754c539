/**
 * Names for the engine REST API's data shapes that GridFlow uses, taken from the generated OpenAPI
 * types (generated/engine-rest.ts, written by `npm run generate:engine-client`).
 */
import type { components, paths } from './generated/engine-rest.ts';

type Schemas = components['schemas'];

/** Every path of the Camunda 7 REST API, for the raw typed client. */
export type EngineRestPaths = paths;

export type VariableValueDto = Schemas['VariableValueDto'];
export type ProcessDefinitionDto = Schemas['ProcessDefinitionDto'];
export type DecisionDefinitionDto = Schemas['DecisionDefinitionDto'];
export type DeploymentDto = Schemas['DeploymentDto'];
export type ProcessInstanceDto = Schemas['ProcessInstanceDto'];
export type ProcessInstanceWithVariablesDto = Schemas['ProcessInstanceWithVariablesDto'];
export type ProcessInstanceQueryDto = Schemas['ProcessInstanceQueryDto'];
export type ProcessInstanceModificationInstructionDto = Schemas['ProcessInstanceModificationInstructionDto'];
export type ActivityInstanceDto = Schemas['ActivityInstanceDto'];
export type TaskDto = Schemas['TaskDto'];
export type TaskQueryDto = Schemas['TaskQueryDto'];
export type MessageCorrelationResultWithVariableDto = Schemas['MessageCorrelationResultWithVariableDto'];
export type JobDto = Schemas['JobDto'];
export type JobQueryDto = Schemas['JobQueryDto'];
export type HistoricActivityInstanceDto = Schemas['HistoricActivityInstanceDto'];
export type HistoricProcessInstanceDto = Schemas['HistoricProcessInstanceDto'];
export type IncidentDto = Schemas['IncidentDto'];
export type ExternalTaskDto = Schemas['ExternalTaskDto'];
export type ExternalTaskQueryDto = Schemas['ExternalTaskQueryDto'];
export type LockedExternalTaskDto = Schemas['LockedExternalTaskDto'];
