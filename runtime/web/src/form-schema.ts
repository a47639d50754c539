/**
 * Turns a GridFlow form schema into the schema the Formily renderer gets: reactions are taken out
 * (GridFlow evaluates them with its own safe expression language, never Formily's JavaScript
 * evaluation), formats and the geo-point reference are left to the server's validator, and enum
 * labels become Formily's data source. `uniqueItems` is left to the server too: Formily's own rule
 * (@formily/validator 2.x) refuses every array whose elements all differ, i.e. the valid ones.
 */
type Json = Record<string, unknown>;

/** One property, ready for Formily. */
function forRenderer(property: Json, texts: RendererTexts): Json {
  const { 'x-reactions': _reactions, format: _format, $ref, 'x-enum-labels': labels, uniqueItems: _unique, ...rest } = property;
  const out: Json = { ...rest };
  if ($ref) out.type = 'object';
  if (Array.isArray(rest.enum)) {
    const names = (labels ?? {}) as Record<string, string>;
    out.enum = (rest.enum as unknown[]).map((value) => ({ label: names[String(value)] ?? String(value), value }));
  }
  if (rest.type === 'array' && rest.items && typeof rest.items === 'object') {
    const { format: _f, ...items } = rest.items as Json;
    out.items = items;
    if (items.type === 'object' && items.properties && typeof items.properties === 'object') {
      // A list of records (e.g. one rating per department): rows with their fields, add and remove.
      const fields = Object.fromEntries(Object.entries(items.properties as Record<string, Json>).map(([k, v]) => [k, forRenderer(v, texts)]));
      const { required: _required, additionalProperties: _extra, ...row } = items;
      out['x-component'] = 'ArrayItems';
      out.items = { ...row, 'x-component': 'ArrayItems.Item', properties: { ...fields, remove: { type: 'void', 'x-component': 'ArrayItems.Remove' } } };
      out.properties = { add: { type: 'void', title: texts.addRow, 'x-component': 'ArrayItems.Addition' } };
    }
  }
  return out;
}

/** Captions the renderer's schema needs in the user's language. */
export interface RendererTexts {
  addRow: string;
}

/** The Formily schema of a form's (visible) properties, in declaration order. */
export function rendererSchema(schema: Json, texts: RendererTexts): Json {
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  return { type: 'object', properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, forRenderer(v, texts)])) };
}
