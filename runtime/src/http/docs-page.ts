/**
 * The API reference page (GET /api/docs): every operation of the OpenAPI document grouped by tag,
 * with method, path, summary, access and collapsible JSON schemas. Self-contained and script-free
 * (the CSP allows no inline scripts; `<details>` does the folding).
 */
import type { OpenApiDocument, OpenApiOperation } from './openapi.ts';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Escapes text and shows `backticked` parts as code. */
const prose = (text: string): string => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
const json = (value: unknown): string => escapeHtml(JSON.stringify(value, null, 2));

const STYLE = `
body { font: 14px/1.5 system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
header p { white-space: pre-line; color: #57606a; }
nav a { margin-right: 12px; }
h2 { margin-top: 32px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
.op { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 16px; margin: 12px 0; }
.op h3 { font-size: 15px; margin: 4px 0; }
.method { display: inline-block; min-width: 56px; text-align: center; border-radius: 4px; color: #fff; font-size: 12px; padding: 1px 6px; margin-right: 8px; }
.get { background: #0969da; } .post { background: #1a7f37; } .put { background: #9a6700; } .patch { background: #8250df; } .delete { background: #cf222e; }
.access { color: #57606a; }
details { margin: 4px 0; } summary { cursor: pointer; color: #0969da; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 4px; padding: 8px; overflow: auto; max-height: 480px; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
`;

function parametersBlock(op: OpenApiOperation): string {
  if (!op.parameters?.length) return '';
  const rows = op.parameters.map((p) => `<tr><td><code>${escapeHtml(String(p.name))}</code></td><td>${escapeHtml(String(p.in))}</td>`
    + `<td>${p.required ? 'yes' : 'no'}</td><td><code>${escapeHtml(JSON.stringify(p.schema))}</code></td></tr>`).join('');
  return `<details><summary>Parameters (${op.parameters.length})</summary><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th></tr>${rows}</table></details>`;
}

function bodyBlock(op: OpenApiOperation): string {
  if (!op.requestBody) return '';
  return Object.entries(op.requestBody.content)
    .map(([type, { schema }]) => `<details><summary>Request body (${escapeHtml(type)}${op.requestBody?.required ? ', required' : ''})</summary><pre>${json(schema)}</pre></details>`)
    .join('');
}

function responseBlock(doc: OpenApiDocument, op: OpenApiOperation): string {
  const ok = op.responses['200'] as { content?: Record<string, { schema: unknown }> } | undefined;
  const schema = ok?.content?.['application/json']?.schema;
  const errors = Object.entries(op.responses).filter(([status]) => status !== '200').map(([status, response]) => {
    const name = String((response as { $ref?: string }).$ref ?? '').split('/').pop() ?? '';
    const described = doc.components.responses[name] as { description?: string } | undefined;
    return `<li><b>${escapeHtml(status)}</b> ${prose(described?.description ?? '')}</li>`;
  });
  const success = schema === undefined ? '' : `<details><summary>Response 200 (application/json)</summary><pre>${json(schema)}</pre></details>`;
  return `${success}<details><summary>Errors (body: Error)</summary><ul>${errors.join('')}</ul><p><a href="#schema-error">Error schema</a></p></details>`;
}

function operationBlock(doc: OpenApiDocument, path: string, method: string, op: OpenApiOperation): string {
  return `<article class="op" id="${escapeHtml(op.operationId)}">`
    + `<h3><span class="method ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span><code>${escapeHtml(path)}</code></h3>`
    + `<p>${prose(op.summary)}</p><p class="access">Access: ${prose(op.description)}</p>`
    + `${parametersBlock(op)}${bodyBlock(op)}${responseBlock(doc, op)}</article>`;
}

function operationsByTag(doc: OpenApiDocument): Map<string, string[]> {
  const byTag = new Map<string, string[]>(doc.tags.map((t) => [t.name, []]));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = op.tags[0] ?? 'api';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)?.push(operationBlock(doc, path, method, op));
    }
  }
  return byTag;
}

/** Renders the API reference page of an OpenAPI document. */
export function renderDocsPage(doc: OpenApiDocument, documentUrl: string): string {
  const byTag = operationsByTag(doc);
  const nav = [...byTag.keys()].map((tag) => `<a href="#tag-${escapeHtml(tag)}">${escapeHtml(tag)}</a>`).join('');
  const sections = [...byTag].map(([tag, ops]) => `<section id="tag-${escapeHtml(tag)}"><h2>${escapeHtml(tag)}</h2>${ops.join('')}</section>`).join('');
  const error = `<section id="schema-error"><h2>Error</h2><p>Body of every refused or failed request.</p><pre>${json(doc.components.schemas.Error)}</pre></section>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<title>${escapeHtml(doc.info.title)}</title><style>${STYLE}</style></head><body><main>`
    + `<header><h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1><p>${prose(doc.info.description)}</p>`
    + `<p><a href="${escapeHtml(documentUrl)}">OpenAPI 3.1 document (JSON)</a></p></header>`
    + `<nav>${nav}</nav>${sections}${error}</main></body></html>`;
}
