/**
 * @gridflow/engine/forms: the part of form handling that runs in the browser as well (no Node
 * modules): field rules, the safe expression language and reactions, so the renderer decides field
 * states exactly as the server's validator does.
 */
export { fieldAccess } from './field-rules.ts';
export type { FieldAccess, FieldRule, FormContext } from './field-rules.ts';
export { parseReactions, reactionStates } from './reactions.ts';
export type { ParsedReaction, ReactionState } from './reactions.ts';
export { applyReactions } from './field-states.ts';
export { parseExpression, evaluate, ExpressionError } from './expression.ts';
export type { Expression, ExpressionScope } from './expression.ts';
