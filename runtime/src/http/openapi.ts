/**
 * The OpenAPI 3.1 document of the API, built from the declared routes: their TypeBox schemas are
 * JSON Schema 2020-12 already, so params, query, body and responses go into the document as they are
 * validated (unknown fields refused: `additionalProperties: false` carries over).
 */
import type { TObject, TSchema } from '@sinclair/typebox';
import { ApiError } from '../contracts/index.ts';
import type { RegisteredRoute, RouteAccess } from './route.ts';

/** A JSON Schema as it appears in the document (plain JSON, no TypeBox symbols). */
export type JsonSchema = Record<string, unknown>;

/** One operation of the document. */
export interface OpenApiOperation {
  operationId: string;
  tags: string[];
  summary: string;
  description: string;
  parameters?: Record<string, unknown>[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, unknown>;
  security: Record<string, string[]>[];
  'x-gridflow-access': 'public' | 'signedIn' | { action: string; subject: string }[];
}

/** The OpenAPI 3.1 document served at /api/docs/openapi.json. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  tags: { name: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema>; responses: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

const DESCRIPTION = [
  'The REST API of GridFlow: cases, task inbox, forms, registers, attachments, audit and administration. '
  + 'Sign in with `POST /api/auth/login`: browsers get a session cookie and send its CSRF token (from `GET /api/auth/me`) as `X-CSRF-Token` '
  + 'with every POST, PUT, PATCH and DELETE; other clients ask for a bearer token (`"mode": "bearer"`). '
  + 'Every input is validated against the schemas below: unknown fields and query parameters are refused (400). '
  + 'Errors carry a message in the language of Accept-Language (zh-CN or en) and a request id.',
  '中文概要：GridFlow 的 REST 接口，涵盖事件、待办、表单、台账、附件、审计与管理。浏览器登录后使用会话 Cookie，写操作须携带 X-CSRF-Token；'
  + '其他客户端使用 Bearer 令牌。所有输入均按下列模式校验，未声明的字段和查询参数一律拒绝；错误信息按 Accept-Language 本地化并附请求编号。',
].join('\n\n');

const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
const errorResponses: Record<string, [string, string]> = {
  400: ['BadRequest', 'The request is not valid: each detail names the field (`/params/…`, `/query/…` or `/body/…`)'],
  401: ['Unauthorized', 'Not signed in, the session ended, or the credentials are wrong'],
  403: ['Forbidden', 'Not allowed: missing permission, a password change pending, or a missing or wrong CSRF token'],
  404: ['NotFound', 'No such object, or one the user may not see (the two are indistinguishable on purpose)'],
  409: ['Conflict', 'The object changed meanwhile: someone else acted first, or the version edited is not the current one'],
  422: ['Unprocessable', 'Understood but refused by the rules of its content (a register import answers its report of every bad row instead)'],
  default: ['Failure', 'Other failures: 413 too large, 415 wrong content type, 423 locked, 429 too many requests, 500 internal error, 503 a dependency (such as the process engine) unavailable'],
};

/** Converts an express path (`/api/cases/:id`) to an OpenAPI path template (`/api/cases/{id}`). */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

/** The operation id of a route: method and path in camelCase (`get /api/cases/:id` → `getCasesById`). */
export function operationIdOf(route: Pick<RegisteredRoute, 'method' | 'path'>): string {
  const words = route.path.replace(/^\/api(?=\/|$)/, '').split('/')
    .flatMap((segment) => (segment.startsWith(':') ? ['by', segment.slice(1)] : segment.split(/[^A-Za-z0-9]+/)))
    .filter((w) => w.length > 0);
  return route.method + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

/** The tag of a route: the first path segment after /api. */
export function tagOf(path: string): string {
  return path.replace(/^\/api(?=\/|$)/, '').split('/').find((s) => s.length > 0) ?? 'api';
}

/** Who may call a route, in words. */
export function describeAccess(access: RouteAccess): string {
  if (access === 'public') return 'Public: no sign-in needed';
  if (access === 'signedIn') return 'Any signed-in user';
  const rules = Array.isArray(access) ? access : [access];
  return `Permission ${rules.map((r) => `\`${r.action}\` on \`${r.subject}\``).join(' or ')} (within the user's scope)`;
}

/** A schema as plain JSON (TypeBox adds symbol keys that JSON has no place for). */
export function plainSchema(schema: TSchema): JsonSchema {
  return JSON.parse(JSON.stringify(schema)) as JsonSchema;
}

function parameters(schema: TObject | undefined, where: 'path' | 'query'): Record<string, unknown>[] {
  if (!schema) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, property]) => ({
    name, in: where, required: where === 'path' || required.has(name), schema: plainSchema(property),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

function requestBody(route: RegisteredRoute): OpenApiOperation['requestBody'] {
  if (route.rawBody) {
    return { required: true, content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } };
  }
  if (!route.body) return undefined;
  // An absent body is validated as {}: it is required exactly when the schema requires some field.
  const required = Array.isArray(route.body.required) && route.body.required.length > 0;
  return { required, content: { 'application/json': { schema: plainSchema(route.body) } } };
}

function responses(route: RegisteredRoute): Record<string, unknown> {
  const ok = route.response
    ? { description: 'Success', content: { 'application/json': { schema: plainSchema(route.response) } } }
    : { description: 'Success' };
  const errors = Object.entries(errorResponses).map(([status, [name]]) => [status, { $ref: `#/components/responses/${name}` }]);
  return { 200: ok, ...Object.fromEntries(errors) };
}

function security(route: RegisteredRoute): Record<string, string[]>[] {
  if (route.access === 'public') return [];
  const cookie: Record<string, string[]> = route.method === 'get' ? { sessionCookie: [] } : { sessionCookie: [], csrfToken: [] };
  return [cookie, { bearerToken: [] }];
}

/** The OpenAPI operation of one route. */
export function operationOf(route: RegisteredRoute): OpenApiOperation {
  const params = [...parameters(route.params, 'path'), ...parameters(route.query, 'query')];
  const body = requestBody(route);
  return {
    operationId: operationIdOf(route), tags: [tagOf(route.path)], summary: route.summary, description: describeAccess(route.access),
    ...(params.length > 0 ? { parameters: params } : {}), ...(body ? { requestBody: body } : {}),
    responses: responses(route), security: security(route),
    'x-gridflow-access': typeof route.access === 'string' ? route.access : Array.isArray(route.access) ? route.access : [route.access],
  };
}

function components(): OpenApiDocument['components'] {
  return {
    schemas: { Error: plainSchema(ApiError) },
    responses: Object.fromEntries(Object.values(errorResponses).map(([name, description]) => [name, { description, content: errorContent }])),
    securitySchemes: {
      sessionCookie: { type: 'apiKey', in: 'cookie', name: 'gridflow_session', description: 'Session cookie of a browser sign-in (`__Host-gridflow_session` behind TLS)' },
      csrfToken: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'The session\'s CSRF token (`csrfToken` of `GET /api/auth/me`); required with the cookie for POST, PUT, PATCH and DELETE' },
      bearerToken: { type: 'http', scheme: 'bearer', description: 'Token of `POST /api/auth/login` with `"mode": "bearer"`' },
    },
  };
}

/** Builds the OpenAPI 3.1 document of the declared routes. */
export function buildOpenApi(routes: readonly RegisteredRoute[], version: string): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    const item = (paths[path] ??= {});
    if (item[route.method]) throw new Error(`The route ${route.method} ${route.path} is declared twice`);
    item[route.method] = operationOf(route);
  }
  const tags = [...new Set(routes.map((r) => tagOf(r.path)))].sort().map((name) => ({ name }));
  return { openapi: '3.1.0', info: { title: 'GridFlow API', version, description: DESCRIPTION }, tags, paths, components: components() };
}
