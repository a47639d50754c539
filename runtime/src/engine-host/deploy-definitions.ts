/**
 * Deploys the processes of the active definitions versions to the engine. Only published packages
 * are deployed, and publishing validates and lints every process first (no scripts, no Java, safe
 * expressions, bound topics ...), so what reaches the engine has passed the pre-deploy checks.
 * Deploy-changed-only: redeploying unchanged processes creates nothing new. (One tenant for now:
 * per-district engine tenants come with multi-district installations.)
 */
import type { Knex } from 'knex';
import type { EngineClient } from '@gridflow/engine';
import { DefinitionsStore } from '../definitions/definitions.store.ts';

/** What a deploy pass did per package version. */
export interface DeployReport {
  ref: string;
  created: boolean;
  processKeys: string[];
}

/** Deploys every active version in use (not a base of another) that has processes; the deployment is named after key@version. */
export async function deployActiveDefinitions(db: Knex, client: EngineClient): Promise<DeployReport[]> {
  const store = new DefinitionsStore(db);
  const reports: DeployReport[] = [];
  for (const v of await store.activeLeaves()) {
    const pkg = await store.find(v.key, v.version);
    const resources = Object.entries(pkg?.processes ?? {}).map(([path, xml]) => ({ name: path.slice(path.lastIndexOf('/') + 1), content: xml }));
    if (resources.length === 0) continue;
    const input: Parameters<EngineClient['deployments']['deploy']>[0] = { name: `gridflow:${v.key}`, source: `${v.key}@${v.version}`, resources, deployChangedOnly: true };
    const result = await client.deployments.deploy(input);
    reports.push({ ref: `${v.key}@${v.version}`, created: result.created, processKeys: result.processDefinitions.map((d) => d.key ?? '') });
  }
  return reports;
}
