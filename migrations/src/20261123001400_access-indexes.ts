/**
 * Indexes for scoped reads: the relation subqueries look tasks and parties up by case first, and
 * lists are ordered by creation time. Without them SQLite scanned every open task per case row.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.index(['case_id', 'status'], 'tasks_case_status_index');
    t.index(['case_id', 'assignee'], 'tasks_case_assignee_index');
  });
  await knex.schema.alterTable('case_parties', (t) => {
    t.index(['case_id', 'relation', 'user_id'], 'case_parties_case_relation_user_index');
    t.index(['case_id', 'relation', 'department_code'], 'case_parties_case_relation_department_index');
  });
  await knex.schema.alterTable('cases', (t) => {
    t.index(['created_at'], 'cases_created_at_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.dropIndex(['created_at'], 'cases_created_at_index');
  });
  await knex.schema.alterTable('case_parties', (t) => {
    t.dropIndex(['case_id', 'relation', 'department_code'], 'case_parties_case_relation_department_index');
    t.dropIndex(['case_id', 'relation', 'user_id'], 'case_parties_case_relation_user_index');
  });
  await knex.schema.alterTable('tasks', (t) => {
    t.dropIndex(['case_id', 'assignee'], 'tasks_case_assignee_index');
    t.dropIndex(['case_id', 'status'], 'tasks_case_status_index');
  });
}
