/**
 * Turns a GridFlow form schema into the schema the Formily renderer gets: reactions are taken out
 * (GridFlow evaluates them with its own safe expression language, never Formily's JavaScript
 * evaluation), formats and the geo-point reference are left to the server's validator, and enum
 * labels become Formily's data source.
 */
type Json = Record<string, unknown>;

/** One property, ready for Formily. */
function forRenderer(property: Json): Json {
  const { 'x-reactions': _reactions, format: _format, $ref, 'x-enum-labels': labels, ...rest } = property;
  const out: Json = { ...rest };
  if ($ref) out.type = 'object';
  if (Array.isArray(rest.enum)) {
    const names = (labels ?? {}) as Record<string, string>;
    out.enum = (rest.enum as unknown[]).map((value) => ({ label: names[String(value)] ?? String(value), value }));
  }
  if (rest.type === 'array' && rest.items && typeof rest.items === 'object') {
    const { format: _f, ...items } = rest.items as Json;
    out.items = items;
  }
  return out;
}

/** The Formily schema of a form's (visible) properties, in declaration order. */
export function rendererSchema(schema: Json): Json {
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  return { type: 'object', properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, forRenderer(v)])) };
}
