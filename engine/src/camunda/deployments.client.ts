/** Deployments: BPMN (and DMN) resources into the engine, with the engine's duplicate filtering. */
import type { EngineHttp } from './engine-http.ts';
import type { DecisionDefinitionDto, ProcessDefinitionDto } from './engine-rest.types.ts';

/** One file of a deployment. */
export interface DeploymentResource {
  /** Resource name, e.g. `case-handling.bpmn` (`.bpmn`, `.bpmn20.xml`, `.dmn`). */
  name: string;
  content: string | Uint8Array;
}

/** What to deploy. */
export interface DeployInput {
  /** Deployment name; duplicate filtering compares against earlier deployments of this name. */
  name: string;
  resources: DeploymentResource[];
  tenantId?: string;
  /** Deployment source (part of the duplicate comparison), e.g. `gridflow`. */
  source?: string;
  /** Do not create a deployment when every resource equals the latest deployed one. */
  duplicateFiltering?: boolean;
  /** Deploy only the resources that changed (implies duplicate filtering). */
  deployChangedOnly?: boolean;
}

/** The outcome of a deploy. */
export interface DeployResult {
  /** The deployment created, or the existing one when nothing changed. */
  deploymentId: string;
  /** False when duplicate filtering found nothing new to deploy. */
  created: boolean;
  /**
   * The process definitions of the deployed BPMN resources: newly deployed ones, and for resources
   * that did not change, the latest deployed version (what startByKey would start).
   */
  processDefinitions: ProcessDefinitionDto[];
  /** Decision definitions deployed by this call (DMN resources). */
  decisionDefinitions: DecisionDefinitionDto[];
}

/** Deployment operations. */
export interface DeploymentsClient {
  deploy(input: DeployInput): Promise<DeployResult>;
  /** Deletes a deployment, its definitions and (cascade) their instances and history. */
  delete(deploymentId: string): Promise<void>;
}

export function deploymentsClient(http: EngineHttp): DeploymentsClient {
  const { rest, send } = http;
  return {
    async deploy(input) {
      const form = deploymentForm(input);
      const deployment = await send(`deploy ${input.name}`, () =>
        rest.POST('/deployment/create', { body: {} as never, bodySerializer: () => form }));
      const deployed = Object.values(deployment.deployedProcessDefinitions ?? {});
      const decisions = Object.values(deployment.deployedDecisionDefinitions ?? {});
      const keys = processKeysOf(input.resources);
      const missing = keys.filter((key) => !deployed.some((d) => d.key === key));
      const unchanged = missing.length === 0 ? [] : await latestDefinitions(http, missing, input.tenantId);
      return {
        deploymentId: deployment.id ?? '',
        created: deployed.length + decisions.length > 0,
        processDefinitions: [...deployed, ...unchanged],
        decisionDefinitions: decisions,
      };
    },

    async delete(deploymentId) {
      await send(`delete deployment ${deploymentId}`, () =>
        rest.DELETE('/deployment/{id}', { params: { path: { id: deploymentId }, query: { cascade: true } } }));
    },
  };
}

function deploymentForm(input: DeployInput): FormData {
  const form = new FormData();
  form.append('deployment-name', input.name);
  if (input.tenantId) form.append('tenant-id', input.tenantId);
  if (input.source) form.append('deployment-source', input.source);
  if (input.duplicateFiltering || input.deployChangedOnly) form.append('enable-duplicate-filtering', 'true');
  if (input.deployChangedOnly) form.append('deploy-changed-only', 'true');
  for (const resource of input.resources) {
    const bytes = typeof resource.content === 'string' ? new TextEncoder().encode(resource.content) : resource.content;
    form.append(resource.name, new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), resource.name);
  }
  return form;
}

/** Ids of the executable processes in the BPMN resources (the process definition keys). */
function processKeysOf(resources: DeploymentResource[]): string[] {
  const keys: string[] = [];
  for (const resource of resources) {
    if (!/\.bpmn(20\.xml)?$/.test(resource.name)) continue;
    const xml = typeof resource.content === 'string' ? resource.content : new TextDecoder().decode(resource.content);
    for (const match of xml.matchAll(/<(?:[\w.-]+:)?process\b([^>]*)>/g)) {
      const attributes = match[1] ?? '';
      const id = /\bid="([^"]+)"/.exec(attributes)?.[1];
      if (id && !/\bisExecutable="false"/.test(attributes)) keys.push(id);
    }
  }
  return keys;
}

async function latestDefinitions(http: EngineHttp, keys: string[], tenantId: string | undefined): Promise<ProcessDefinitionDto[]> {
  const tenant = tenantId ? { tenantIdIn: tenantId } : { withoutTenantId: true };
  return http.send('find unchanged process definitions', () =>
    http.rest.GET('/process-definition', { params: { query: { keysIn: keys.join(','), latestVersion: true, ...tenant } } }));
}
