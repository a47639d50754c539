/** Database store of topic handler outcomes (the worker host's ResultStore). */
import type { Knex } from 'knex';
import type { ResultStore, StoredOutcome } from '@gridflow/engine';

/** Keeps handler outcomes by external task id, so a re-delivered task is not handled twice. */
export function workerOutcomeStore(db: Knex, clock: () => Date = () => new Date()): ResultStore {
  return {
    async get(taskId) {
      const row = await db('worker_outcomes').where({ external_task_id: taskId }).first('outcome');
      return row ? (JSON.parse(row.outcome) as StoredOutcome) : undefined;
    },
    async put(taskId, outcome) {
      await db('worker_outcomes').insert({ external_task_id: taskId, outcome: JSON.stringify(outcome), created_at: clock() })
        .onConflict('external_task_id').ignore();
    },
  };
}
