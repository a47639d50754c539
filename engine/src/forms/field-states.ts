/**
 * The access of each field at a step once the form's reactions (linkage) are applied to the
 * values: the one computation shared by the server's validator and the browser's renderer, so a
 * field required only when another has a value is required on both sides alike.
 */
import type { FieldAccess } from './field-rules.ts';
import { reactionStates } from './reactions.ts';
import type { ParsedReaction } from './reactions.ts';

/** Narrows the access given by the field rules (`byRules`) with the reactions evaluated over `values`. */
export function applyReactions(
  byRules: Record<string, FieldAccess>, reactions: Map<string, ParsedReaction[]>, values: Record<string, unknown>, schemaRequired: readonly string[] = [],
): Record<string, FieldAccess> {
  const access = { ...byRules };
  for (const [field, state] of reactionStates(reactions, values)) {
    const base = access[field];
    if (!base || base === 'hidden') continue;
    if (state.visible === false) access[field] = 'hidden';
    else if (state.readOnly) access[field] = 'readOnly';
    else if (state.required && (base === 'editable' || base === 'required')) access[field] = 'required';
    else if (state.required === false && base === 'required' && !schemaRequired.includes(field)) access[field] = 'editable';
  }
  return access;
}
