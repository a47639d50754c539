/**
 * Starting cases: the case row is committed first (status `starting`), then the process instance
 * is started with the case id as business key, then the case is linked. A crash in between leaves
 * a `starting` case that the reconciler links to its instance or starts (never twice: it looks the
 * instance up by business key first). So no case lacks its instance and no instance its case.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { transactionRetryingDeadlocks } from '../db/transaction.ts';
import { toVariables } from '@gridflow/engine';
import { engineFetch } from '../engine-sync/engine-connection.ts';
import type { EngineConnection } from '../engine-sync/engine-connection.ts';

/** How long a runtime holds the right to start a case's instance (longer than a start request may take). */
const START_CLAIM_MS = 30_000;
/** Timeout of a start request to the engine. */
const START_TIMEOUT_MS = 20_000;

/** Until when a runtime that commits a `starting` case at `now` holds the right to start its instance. */
export function startClaimUntil(now: Date): Date {
  return new Date(now.getTime() + START_CLAIM_MS);
}

/** A request to start a case. */
export interface StartCase {
  processKey: string;
  orgUnitCode?: string;
  /** Plain values: strings, numbers, booleans, dates; objects are stored as JSON strings. */
  variables?: Record<string, unknown>;
}

/** Cases and their process instances. */
export class CasesService {
  constructor(private readonly db: Knex, private readonly engine: EngineConnection, private readonly clock: () => Date = () => new Date()) {}

  /** Creates a case and starts its process; returns the case id and instance id. */
  async start(request: StartCase): Promise<{ caseId: string; processInstanceId: string }> {
    const caseId = randomUUID();
    const now = this.clock();
    await this.db('cases').insert({
      id: caseId, process_definition_key: request.processKey, status: 'starting', org_unit_code: request.orgUnitCode ?? null,
      start_variables: JSON.stringify(request.variables ?? {}), created_at: now, updated_at: now,
      start_claimed_until: startClaimUntil(now),
    });
    const processInstanceId = await this.startAccepted(caseId, request.processKey, request.variables ?? {});
    return { caseId, processInstanceId };
  }

  /**
   * Starts the instance of a case its caller committed as `starting` with a claim (startClaimUntil);
   * when the start fails the case stays accepted and the claim is released for the reconciler.
   */
  async startAccepted(caseId: string, processKey: string, variables: Record<string, unknown>): Promise<string> {
    try {
      return await this.startInstance(caseId, processKey, variables, false);
    } catch (e) {
      await this.db('cases').where({ id: caseId }).update({ start_claimed_until: null, start_error: String((e as Error).message).slice(0, 1000) });
      throw e;
    }
  }

  /**
   * Claims a `starting` case for START_CLAIM_MS so that only one runtime (or reconciler pass) starts it;
   * false when another one holds the claim.
   */
  async claimStart(caseId: string): Promise<boolean> {
    const now = this.clock();
    const claimed = await this.db('cases').where({ id: caseId }).whereNull('process_instance_id')
      .where((q) => q.whereNull('start_claimed_until').orWhere('start_claimed_until', '<', now))
      .update({ start_claimed_until: startClaimUntil(now) });
    return claimed === 1;
  }

  /**
   * Starts the instance of a `starting` case and links it. In recovery (`lookFirst`) the instance
   * may have been started before a crash: it is looked up by business key and linked instead.
   */
  async startInstance(caseId: string, processKey: string, variables: Record<string, unknown>, lookFirst = true): Promise<string> {
    const existing = lookFirst
      ? await engineFetch<{ id: string }[]>(this.engine, 'GET', `/engine-rest/history/process-instance?processInstanceBusinessKey=${encodeURIComponent(caseId)}&processDefinitionKey=${encodeURIComponent(processKey)}`)
      : [];
    const id = existing[0]?.id ?? (await engineFetch<{ id: string }>(this.engine, 'POST', `/engine-rest/process-definition/key/${encodeURIComponent(processKey)}/start`, {
      businessKey: caseId, variables: toVariables(variables),
    }, START_TIMEOUT_MS)).id;
    // The outbox projection links the instance too (instance.started); both may meet on the row.
    await transactionRetryingDeadlocks(this.db, (trx) => trx('cases').where({ id: caseId }).whereNull('process_instance_id')
      .update({ process_instance_id: id, status: 'running', updated_at: this.clock() }));
    return id;
  }

  /** Completes a task in the engine (the projection follows through the outbox). */
  async completeTask(taskId: string, variables: Record<string, unknown> = {}): Promise<void> {
    await engineFetch(this.engine, 'POST', `/engine-rest/task/${encodeURIComponent(taskId)}/complete`, { variables: toVariables(variables) });
  }
}
