/**
 * Registers API (mounted at /api/registers): the registers the user may use, their records (list,
 * search, create, edit, archive, history), links between records (人房关联) and file imports.
 */
import type { Request } from 'express';
import { Router } from 'express';
import type { Knex } from 'knex';
import { Type } from '@sinclair/typebox';
import { UserError } from '@gridflow/engine';
import type { AccessAction, FieldAccess } from '@gridflow/engine';
import { defineRoute, mountRoutes } from '../http/route.ts';
import type { RegisteredRoute, RouteSpec } from '../http/route.ts';
import { signedIn } from '../http/request-context.ts';
import type { SignedInUser } from '../http/request-context.ts';
import { notFound, Paging } from '../http/scoped.ts';
import { RegisterCatalog } from './register-catalog.ts';
import type { Register } from './register-catalog.ts';
import { RegistersService, isUniqueViolation } from './registers.service.ts';
import { RegisterLinksService } from './register-links.service.ts';
import { recordHistory } from './register-history.ts';
import { RECORD, clearKinds } from './register-records.ts';
import { auditShown } from './register-queries.ts';
import { importRegisterFile } from './register-import.service.ts';
import { maxRegisterBytes } from './register-import.ts';

const Code = Type.String({ pattern: '^[a-z][a-z0-9-]{1,62}$' });
const RegisterParams = Type.Object({ register: Code }, { additionalProperties: false });
const RecordParams = Type.Object({ register: Code, id: Type.String({ minLength: 1, maxLength: 36 }) }, { additionalProperties: false });
const LinkParams = Type.Object({ register: Code, id: Type.String({ minLength: 1, maxLength: 36 }), linkId: Type.String({ minLength: 1, maxLength: 36 }) }, { additionalProperties: false });
const Values = Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' }), Type.Unknown(), { maxProperties: 200 });
const Version = Type.Integer({ minimum: 1 });
const Filter = Type.String({ minLength: 3, maxLength: 200, description: '`field:value`' });
const REGISTER = { 'zh-CN': '台账', en: 'register' };

/** Whether some rule lets the user do the action on records of this register (before scope). */
function mayUse(user: SignedInUser, action: AccessAction, code: string): boolean {
  return user.ability.rulesFor(action, 'RegisterRecord').some((r) => {
    if (r.inverted) return false;
    const only = (r.conditions as { register?: { $in?: string[] } } | undefined)?.register?.$in;
    return !only || only.includes(code);
  });
}

/** Reads a raw upload into memory up to the register file limit. */
async function readBody(req: Request): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxRegisterBytes) {
      throw new UserError('register.fileTooLarge', { 'zh-CN': `文件超过 ${maxRegisterBytes / 1024 / 1024} MB`, en: `The file exceeds ${maxRegisterBytes / 1024 / 1024} MB` }, { status: 413 });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The registers router (mounted at /api/registers). */
export function registersRouter(db: Knex, clock: () => Date, registry: RegisteredRoute[]): Router {
  const catalog = new RegisterCatalog(db);
  const records = new RegistersService(db, clock);
  const links = new RegisterLinksService(db, catalog, records, clock);
  const registerFor = async (user: SignedInUser, code: string, action: AccessAction = 'read'): Promise<Register> => {
    const register = await catalog.find(code);
    if (!register || !mayUse(user, 'read', code)) throw notFound(REGISTER);
    if (action !== 'read' && !mayUse(user, action, code)) throw new UserError('auth.forbidden', { 'zh-CN': '无权执行此操作', en: 'You are not allowed to do this' }, { status: 403 });
    return register;
  };
  const routes = [
    defineRoute({
      method: 'get', path: '/', summary: 'The registers (台账) the user may read', access: { action: 'read', subject: 'RegisterRecord' },
      handler: async (_input, ctx) => {
        const user = signedIn(ctx);
        const all = [...(await catalog.all()).values()].filter((r) => mayUse(user, 'read', r.spec.code));
        return { items: all.map((r) => ({ code: r.spec.code, name: r.spec.name, formKey: r.form.key, formVersion: r.form.version, mayEdit: mayUse(user, 'edit', r.spec.code), mayImport: mayUse(user, 'import', r.spec.code) })) };
      },
    }),
    defineRoute({
      method: 'get', path: '/:register', summary: 'A register: its form (fields the user may see, with their access), relations and filters', access: { action: 'read', subject: 'RegisterRecord' }, params: RegisterParams,
      handler: async ({ params }, ctx) => {
        const user = signedIn(ctx);
        const r = await registerFor(user, params.register);
        const access = r.validator.access({ roles: user.principal.roles }, {});
        const properties = Object.fromEntries(Object.entries(r.form.properties).filter(([f]) => access[f] !== 'hidden'));
        const { 'x-field-rules': _rules, required: _required, ...schema } = r.form;
        return {
          ...r.spec, form: { key: r.form.key, version: r.form.version, name: r.form.name, schema: { ...schema, properties } },
          access: Object.fromEntries(Object.entries(access).filter(([, a]) => a !== 'hidden')) as Record<string, Exclude<FieldAccess, 'hidden'>>,
        };
      },
    }),
    defineRoute({
      method: 'get', path: '/:register/records', summary: 'Records in the user\'s scope: search by title prefix or identity, filter by field, masked', access: { action: 'read', subject: 'RegisterRecord' },
      params: RegisterParams,
      query: Type.Object({
        q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })), identity: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        grid: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{6,15}$' })), status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('archived')])),
        filter: Type.Optional(Type.Union([Filter, Type.Array(Filter, { maxItems: 10 })])), ...Paging,
      }, { additionalProperties: false }),
      handler: async ({ params, query }, ctx) => {
        const user = signedIn(ctx);
        const { filter, ...rest } = query;
        return records.list(ctx, user, await registerFor(user, params.register), { ...rest, filter: filter === undefined ? [] : Array.isArray(filter) ? filter : [filter] });
      },
    }),
    defineRoute({
      method: 'post', path: '/:register/records', summary: 'Create a record (validated by the register\'s form)', access: { action: 'edit', subject: 'RegisterRecord' },
      params: RegisterParams, body: Type.Object({ values: Values }, { additionalProperties: false }),
      handler: async ({ params, body }, ctx) => {
        const user = signedIn(ctx);
        return records.create(ctx, user, await registerFor(user, params.register, 'edit'), body.values);
      },
    }),
    defineRoute({
      method: 'post', path: '/:register/import', summary: 'Import a CSV or Excel file (raw body): every row validated, nothing imported while any row is bad', access: { action: 'import', subject: 'RegisterRecord' },
      params: RegisterParams, rawBody: true,
      query: Type.Object({ name: Type.String({ pattern: '\\.(csv|xlsx)$', minLength: 5, maxLength: 200 }), dryRun: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      handler: async ({ params, query }, ctx, req, res) => {
        const user = signedIn(ctx);
        const register = await registerFor(user, params.register, 'import');
        if (req.is('application/json') || req.is('application/x-www-form-urlencoded')) {
          throw new UserError('register.contentType', { 'zh-CN': '请以文件内容（application/octet-stream）上传', en: 'Upload the file content as application/octet-stream' }, { status: 415 });
        }
        const content = await readBody(req);
        try {
          const outcome = await importRegisterFile(db, ctx, user, register, { content, name: query.name }, { dryRun: query.dryRun ?? false, clock });
          res.status(outcome.problems.length > 0 ? 422 : 200).json(outcome);
          return undefined;
        } catch (e) {
          if (isUniqueViolation(e)) throw new UserError('register.duplicate', { 'zh-CN': '导入期间有人登记了相同的记录，请重新导入', en: 'Someone kept one of these records meanwhile; import again' }, { status: 409 });
          throw e;
        }
      },
    }),
    defineRoute({
      method: 'get', path: '/:register/records/:id', summary: 'One record (masked)', access: { action: 'read', subject: 'RegisterRecord' }, params: RecordParams,
      handler: async ({ params }, ctx) => {
        const user = signedIn(ctx);
        return records.get(ctx, user, await registerFor(user, params.register), params.id);
      },
    }),
    defineRoute({
      method: 'put', path: '/:register/records/:id', summary: 'Edit a record (the version edited must be the current one)', access: { action: 'edit', subject: 'RegisterRecord' },
      params: RecordParams, body: Type.Object({ version: Version, values: Values }, { additionalProperties: false }),
      handler: async ({ params, body }, ctx) => {
        const user = signedIn(ctx);
        return records.update(ctx, user, await registerFor(user, params.register, 'edit'), params.id, body.values, body.version);
      },
    }),
    ...(['archive', 'restore'] as const).map((op) => defineRoute({
      method: 'post', path: `/:register/records/:id/${op}`, summary: op === 'archive' ? 'Archive (注销) a record' : 'Restore an archived record', access: { action: 'edit', subject: 'RegisterRecord' },
      params: RecordParams, body: Type.Object({ version: Version, reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false }),
      handler: async ({ params, body }, ctx) => {
        const user = signedIn(ctx);
        return records.setStatus(ctx, user, await registerFor(user, params.register, 'edit'), params.id, op === 'archive' ? 'archived' : 'active', body.version, body.reason);
      },
    })),
    defineRoute({
      method: 'get', path: '/:register/records/:id/history', summary: 'Every version of a record and its links, field by field (masked)', access: { action: 'read', subject: 'RegisterRecord' }, params: RecordParams,
      handler: async ({ params }, ctx) => {
        const user = signedIn(ctx);
        const register = await registerFor(user, params.register);
        const row = await records.readable(user, register).where('register_records.id', params.id).first('register_records.id');
        if (!row) throw notFound(RECORD);
        const clear = (await clearKinds(db, user, register, [params.id])).get(params.id);
        const { entries, shown } = await recordHistory(db, register, params.id, clear);
        await auditShown(db, ctx, user, clock, [{ id: params.id, fields: shown }]);
        return { items: entries };
      },
    }),
    defineRoute({
      method: 'get', path: '/:register/records/:id/links', summary: 'Links of a record to records the user may see (人房关联)', access: { action: 'read', subject: 'RegisterRecord' }, params: RecordParams,
      handler: async ({ params }, ctx) => {
        const user = signedIn(ctx);
        return { items: await links.list(user, await registerFor(user, params.register), params.id) };
      },
    }),
    defineRoute({
      method: 'post', path: '/:register/records/:id/links', summary: 'Link a record to another along a relation of its register', access: { action: 'edit', subject: 'RegisterRecord' },
      params: RecordParams,
      body: Type.Object({ relation: Code, target: Type.String({ minLength: 1, maxLength: 36 }), kind: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })) }, { additionalProperties: false }),
      handler: async ({ params, body }, ctx) => {
        const user = signedIn(ctx);
        return { items: await links.link(ctx, user, await registerFor(user, params.register, 'edit'), params.id, body) };
      },
    }),
    defineRoute({
      method: 'delete', path: '/:register/records/:id/links/:linkId', summary: 'Remove a link (kept in the history)', access: { action: 'edit', subject: 'RegisterRecord' }, params: LinkParams,
      handler: async ({ params }, ctx) => {
        const user = signedIn(ctx);
        return { items: await links.unlink(ctx, user, await registerFor(user, params.register, 'edit'), params.id, params.linkId) };
      },
    }),
  ] as RouteSpec[];
  return mountRoutes(Router(), '/api/registers', routes, registry);
}
