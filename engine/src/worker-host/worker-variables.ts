/** Variables between handlers and the external-task client (no Spin in the engine: JSON goes as String). */
import { Variables } from 'camunda-external-task-client-js';

/** Plain values → client Variables; objects and arrays are stored as JSON strings. */
export function toClientVariables(values: Record<string, unknown> | undefined): Variables {
  const variables = new Variables();
  for (const [name, value] of Object.entries(values ?? {})) {
    if (value === null || value === undefined) variables.setTyped(name, { type: 'Null', value: null, valueInfo: {} });
    else if (value instanceof Date) variables.setTyped(name, { type: 'Date', value, valueInfo: {} });
    else if (typeof value === 'object') variables.setTyped(name, { type: 'String', value: JSON.stringify(value), valueInfo: {} });
    else variables.set(name, value);
  }
  return variables;
}
