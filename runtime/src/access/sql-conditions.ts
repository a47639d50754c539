/**
 * Turns a user's CASL rules for an action on a subject type into knex WHERE conditions, so lists
 * and single-object reads are filtered by the database, never by loading rows and filtering them.
 * Fields map to columns or to "virtual" fields (the user's relations) that become EXISTS subqueries.
 */
import type { Knex } from 'knex';
import { rulesToCondition } from '@casl/ability/extra';
import type { AccessAction, AccessSubject, AppAbility, Principal } from '@gridflow/engine';

/** A node of the condition tree CASL produces (ucast). */
interface ConditionNode {
  operator: string;
  field?: string;
  value: unknown;
}

/** Builds the condition of a virtual field for some values (any of them matches). */
export type VirtualField = (qb: Knex.QueryBuilder, values: unknown[], principal: Principal) => void;

/** How a subject's condition fields are stored. */
export interface SubjectSql {
  /** Column (with table alias) of each plain field. */
  columns: Record<string, string>;
  /** Fields that are relations of the user to the row. */
  virtual: Record<string, VirtualField>;
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

function applyField(qb: Knex.QueryBuilder, node: ConditionNode, map: SubjectSql, principal: Principal): void {
  const field = node.field ?? '';
  const virtual = map.virtual[field];
  const column = map.columns[field];
  if (!virtual && !column) throw new Error(`Access rules use field "${field}", which has no SQL mapping`);
  const values = asList(node.value);
  switch (node.operator) {
    case 'eq':
    case 'in':
      if (virtual) qb.where((b) => virtual(b, values, principal));
      else qb.whereIn(column as string, values as string[]);
      return;
    case 'ne':
    case 'nin':
      if (virtual) qb.whereNot((b) => virtual(b, values, principal));
      else qb.where((b) => b.whereNotIn(column as string, values as string[]).orWhereNull(column as string));
      return;
    default:
      throw new Error(`Access rules use operator "${node.operator}", which has no SQL mapping`);
  }
}

function apply(qb: Knex.QueryBuilder, node: ConditionNode, map: SubjectSql, principal: Principal): void {
  const children = node.value as ConditionNode[];
  switch (node.operator) {
    case 'and':
      for (const child of children) qb.where((b) => apply(b, child, map, principal));
      return;
    case 'or':
      qb.where((b) => {
        for (const child of children) b.orWhere((c) => apply(c, child, map, principal));
      });
      return;
    case 'not':
      qb.whereNot((b) => apply(b, children[0] as ConditionNode, map, principal));
      return;
    default:
      applyField(qb, node, map, principal);
  }
}

/** The condition tree of the rules for an action (and field): `can`s or-ed, each bounded by the `cannot`s above it. */
function conditionTree(ability: AppAbility, action: AccessAction, subject: AccessSubject, field?: string): ConditionNode | null {
  const rules = ability.rulesFor(action, subject, field);
  return rulesToCondition(rules as never, (rule: { ast?: unknown; inverted: boolean }) => {
    const ast = (rule.ast ?? { operator: 'and', value: [] }) as ConditionNode;
    return rule.inverted ? { operator: 'not', value: [ast] } : ast;
  }, {
    and: (value: ConditionNode[]) => ({ operator: 'and', value }),
    or: (value: ConditionNode[]) => ({ operator: 'or', value }),
    empty: () => ({ operator: 'and', value: [] }),
  }) as ConditionNode | null;
}

/** Restricts a query to the rows the user may `action` (on `field`); no rule at all restricts to nothing. */
export function whereAllowed(qb: Knex.QueryBuilder, ability: AppAbility, action: AccessAction, subject: AccessSubject, map: SubjectSql, principal: Principal, field?: string): Knex.QueryBuilder {
  const ast = conditionTree(ability, action, subject, field);
  if (!ast) return qb.whereRaw('1 = 0');
  return qb.where((b) => apply(b, ast, map, principal));
}
