/**
 * Attachments API (mounted at /api/attachments): raw uploads (`application/octet-stream`, read as a
 * stream, never parsed or buffered) and downloads of attachments the user may see.
 */
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import type { Response } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { Type } from '@sinclair/typebox';
import { UserError } from '@gridflow/engine';
import { defineRoute, mountRoutes } from '../http/route.ts';
import type { RegisteredRoute, RouteSpec } from '../http/route.ts';
import { signedIn } from '../http/request-context.ts';
import { clientOf } from '../http/scoped.ts';
import { ATTACHMENT_KINDS } from './attachment-policy.ts';
import type { AttachmentsConfig } from './attachments.config.ts';
import type { BlobStore } from './attachment.storage.ts';
import { AttachmentsService } from './attachments.service.ts';
import type { AttachmentMeta } from './attachments.service.ts';

const UploadQuery = Type.Object({
  kind: Type.Union(ATTACHMENT_KINDS.map((k) => Type.Literal(k))),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  field: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
}, { additionalProperties: false });

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 36 }) }, { additionalProperties: false });

const notOctetStream = () => new UserError('attachment.contentType', {
  'zh-CN': '请以 application/octet-stream 上传文件内容', en: 'Upload the file content as application/octet-stream',
}, { status: 415 });

/** `attachment; filename="…"; filename*=UTF-8''…` with an ASCII fallback (RFC 6266 / 5987). */
export function contentDisposition(type: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

function sendHeaders(res: Response, meta: AttachmentMeta): void {
  res.status(200);
  res.setHeader('Content-Type', meta.mediaType);
  res.setHeader('Content-Length', String(meta.size));
  res.setHeader('Content-Disposition', contentDisposition(meta.kind === 'document' ? 'attachment' : 'inline', meta.originalName));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('ETag', `"${meta.sha256}"`);
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
}

/** The attachments router (mounted at /api/attachments). */
export function attachmentsRouter(db: Knex, store: BlobStore, config: AttachmentsConfig, clock: () => Date, registry: RegisteredRoute[], logger?: Logger): Router {
  const service = new AttachmentsService(db, store, join(config.localDir, 'tmp'), clock);
  const routes = [
    defineRoute({
      method: 'post', path: '/', summary: 'Upload an attachment for a report or a task form (raw body, type sniffed from the content)',
      access: [{ action: 'report', subject: 'Case' }, { action: 'complete', subject: 'Task' }],
      query: UploadQuery, rawBody: true,
      handler: async ({ query }, ctx, req, res) => {
        const user = signedIn(ctx);
        try {
          if (!req.is('application/octet-stream')) throw notOctetStream();
          return await service.upload({
            stream: req, kind: query.kind, limits: config.limits, user, client: clientOf(ctx),
            ...(query.name ? { declaredName: query.name } : {}), ...(query.field ? { field: query.field } : {}),
          });
        } catch (e) {
          // The rest of a refused body is not read: close the connection after the answer.
          if (!req.complete) res.setHeader('Connection', 'close');
          throw e;
        }
      },
    }),
    defineRoute({
      method: 'get', path: '/:id', summary: 'Download an attachment of a case the user may see', access: { action: 'read', subject: 'Case' },
      params: IdParams,
      handler: async ({ params }, ctx, _req, res) => {
        const { meta, stream } = await service.read(params.id, signedIn(ctx), clientOf(ctx));
        sendHeaders(res, meta);
        await pipeline(stream, res).catch((err: unknown) => {
          logger?.error({ err, requestId: ctx.requestId, attachment: meta.id }, 'attachment download failed');
          res.destroy();
        });
        return undefined;
      },
    }),
  ] as RouteSpec[];
  return mountRoutes(Router(), '/api/attachments', routes, registry);
}
