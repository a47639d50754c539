/** Where each subject's condition fields live in SQL, and the user's relations as EXISTS subqueries. */
import type { Knex } from 'knex';
import type { Principal } from '@gridflow/engine';
import type { SubjectSql, VirtualField } from './sql-conditions.ts';

/** Relations held by the user personally or by their department. */
const PARTY_RELATIONS = new Set(['reporter', 'handler', 'whistle', 'cc']);

function partyExists(qb: Knex.QueryBuilder, caseIdColumn: string, relation: string, p: Principal): void {
  qb.orWhereExists((sub) => {
    sub.select(sub.client.raw('1')).from('case_parties as cp').whereRaw('cp.case_id = ??', [caseIdColumn]).where('cp.relation', relation)
      .where((who) => {
        who.where('cp.user_id', p.userId);
        if (p.departmentCode && relation !== 'reporter') who.orWhere('cp.department_code', p.departmentCode);
      });
  });
}

function candidateOf(sub: Knex.QueryBuilder, taskIdColumn: string, p: Principal): void {
  sub.select(sub.client.raw('1')).from('task_candidates as tc').whereRaw('tc.task_id = ??', [taskIdColumn])
    .where((c) => c.where((u) => u.where('tc.kind', 'user').where('tc.value', p.username))
      .orWhere((g) => g.where('tc.kind', 'group').whereIn('tc.value', p.groups)));
}

/** The user's relations to a case whose id is in `caseIdColumn`. */
function caseRelation(caseIdColumn: string): VirtualField {
  return (qb, values, p) => {
    qb.where((any) => {
      for (const relation of values.map(String)) {
        if (PARTY_RELATIONS.has(relation)) partyExists(any, caseIdColumn, relation, p);
        else if (relation === 'assignee') {
          any.orWhereExists((sub) => sub.select(sub.client.raw('1')).from('tasks as rt').whereRaw('rt.case_id = ??', [caseIdColumn]).where('rt.assignee', p.username));
        } else if (relation === 'candidate') {
          any.orWhereExists((sub) => sub.select(sub.client.raw('1')).from('tasks as rt').whereRaw('rt.case_id = ??', [caseIdColumn]).where('rt.status', 'open')
            .whereExists((c) => candidateOf(c, 'rt.id', p)));
        } else any.orWhereRaw('1 = 0');
      }
    });
  };
}

/** The departments handling (or summoned by a whistle to) a case. */
function caseDepartments(caseIdColumn: string): VirtualField {
  return (qb, values) => {
    qb.whereExists((sub) => sub.select(sub.client.raw('1')).from('case_parties as dp').whereRaw('dp.case_id = ??', [caseIdColumn])
      .whereIn('dp.relation', ['handler', 'whistle']).whereIn('dp.department_code', values.map(String)));
  };
}

const orgColumns = (alias: string) => ({
  gridCode: `${alias}.grid_code`, communityCode: `${alias}.community_code`, streetCode: `${alias}.street_code`, districtCode: `${alias}.district_code`,
});

/** Cases, queried as `cases`. */
export const caseSql: SubjectSql = {
  columns: { id: 'cases.id', status: 'cases.status', ...orgColumns('cases') },
  virtual: { relation: caseRelation('cases.id'), departments: caseDepartments('cases.id') },
};

/** Tasks, queried as `tasks` left-joined with their case as `cases`. */
export const taskSql: SubjectSql = {
  columns: { id: 'tasks.id', taskDefinitionKey: 'tasks.task_definition_key', status: 'tasks.status', ...orgColumns('cases') },
  virtual: {
    relation: (qb, values, p) => {
      const own = values.map(String);
      qb.where((any) => {
        if (own.includes('assignee')) any.orWhere('tasks.assignee', p.username);
        if (own.includes('candidate')) any.orWhere((c) => c.where('tasks.status', 'open').whereExists((sub) => candidateOf(sub, 'tasks.id', p)));
        const onCase = own.filter((r) => r !== 'assignee' && r !== 'candidate');
        if (onCase.length > 0) any.orWhere((c) => caseRelation('tasks.case_id')(c, onCase, p));
        if (own.length === 0) any.whereRaw('1 = 0');
      });
    },
    departments: caseDepartments('tasks.case_id'),
  },
};

/** Users, queried as `users`. */
export const userSql: SubjectSql = {
  columns: { username: 'users.username', orgUnitCode: 'users.org_unit_code', departmentCode: 'users.department_code' },
  virtual: {},
};

/** Org units, queried as `org_units`. */
export const orgUnitSql: SubjectSql = { columns: { code: 'org_units.code' }, virtual: {} };

/** Register records, queried as `register_records`. */
export const registerRecordSql: SubjectSql = {
  columns: { id: 'register_records.id', register: 'register_records.register', ...orgColumns('register_records') },
  virtual: {},
};
