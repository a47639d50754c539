/**
 * The workbench web app (runtime/web): bundled by esbuild in memory the first time it is asked for
 * (no build step, nothing generated in the tree) and served at /workbench with the API's strict CSP.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('../../web/src/main.tsx', import.meta.url));

/** The bundle and its content hash. */
interface Bundle {
  js: string;
  etag: string;
}

let bundling: Promise<Bundle> | undefined;

/** Bundles the workbench once per process (GRIDFLOW_WEB_DEBUG=1: not minified, for debugging). */
export function workbenchBundle(): Promise<Bundle> {
  bundling ??= build({
    entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: ['es2020'], minify: process.env.GRIDFLOW_WEB_DEBUG !== '1', write: false, jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' }, legalComments: 'none', logLevel: 'silent',
  }).then((result) => {
    const js = result.outputFiles?.[0]?.text ?? '';
    return { js, etag: `"${createHash('sha256').update(js).digest('hex').slice(0, 32)}"` };
  }).catch((e: unknown) => {
    bundling = undefined;
    throw e;
  });
  return bundling;
}

const shell = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>GridFlow</title></head><body style="margin:0"><div id="root"></div><script type="module" src="/workbench/app.js"></script></body></html>`;

/** Routes of the workbench (outside /api: static, no session needed to load the page itself). */
export function workbenchRouter(): Router {
  const router = Router();
  router.get('/workbench', (_req, res) => {
    res.type('html').setHeader('Cache-Control', 'no-cache').send(shell);
  });
  router.get('/workbench/app.js', async (req, res, next) => {
    try {
      const bundle = await workbenchBundle();
      res.setHeader('ETag', bundle.etag);
      res.setHeader('Cache-Control', 'no-cache');
      if (req.headers['if-none-match'] === bundle.etag) {
        res.status(304).end();
        return;
      }
      res.type('application/javascript').send(bundle.js);
    } catch (e) {
      next(e);
    }
  });
  return router;
}
