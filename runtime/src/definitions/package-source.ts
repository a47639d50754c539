/** Reading and writing definitions packages on disk: a folder or a .zip of one. */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { UserError } from '@gridflow/engine';
import type { SourceFile, SourcePackage } from '@gridflow/engine';

const MAX_FILES = 5000;

function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push(full);
      if (out.length > MAX_FILES) throw new UserError('definitions.tooManyFiles', { 'zh-CN': `配置包文件过多（超过 ${MAX_FILES} 个）：${root}`, en: `Too many files (over ${MAX_FILES}) in ${root}` });
    }
  };
  walk(root);
  return out;
}

/** If a zip holds a single top folder (as "compress folder" tools make), strip it. */
function stripCommonFolder(files: SourceFile[]): SourceFile[] {
  const tops = new Set(files.map((f) => f.path.split('/')[0]));
  const [top] = tops;
  if (tops.size !== 1 || !top || files.some((f) => f.path === top || f.path === 'manifest.yaml')) return files;
  return files.map((f) => ({ path: f.path.slice(top.length + 1), text: f.text }));
}

/** Reads a package from a folder or a .zip; the label is the path as the user gave it. */
export function readPackageSource(path: string): SourcePackage {
  const full = resolve(path);
  let stats;
  try {
    stats = statSync(full);
  } catch {
    throw new UserError('definitions.notFound', { 'zh-CN': `找不到配置包：${path}`, en: `No definitions package at ${path}` }, { status: 404 });
  }
  const label = path.replace(/[\\/]+$/, '');
  if (stats.isDirectory()) {
    const files = listFiles(full).map((f) => ({ path: relative(full, f).split(sep).join('/'), text: readFileSync(f, 'utf8') }));
    return { label, files };
  }
  if (!full.toLowerCase().endsWith('.zip')) {
    throw new UserError('definitions.notPackage', { 'zh-CN': `${path} 既不是文件夹也不是 .zip 文件`, en: `${path} is neither a folder nor a .zip file` });
  }
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(readFileSync(full));
  } catch (e) {
    throw new UserError('definitions.badZip', { 'zh-CN': `无法读取 zip 文件 ${path}：${(e as Error).message}`, en: `Cannot read the zip file ${path}: ${(e as Error).message}` });
  }
  const files = Object.entries(entries)
    .filter(([name]) => !name.endsWith('/') && !name.startsWith('__MACOSX/'))
    .map(([name, bytes]) => ({ path: name, text: strFromU8(bytes) }));
  return { label, files: stripCommonFolder(files) };
}

/** Fixed timestamp for zip entries, so that exports are byte-identical. */
const ZIP_MTIME = new Date('2020-01-01T00:00:00Z');

/** Writes files to a folder, or to a .zip when the target ends with .zip. */
export function writePackageFiles(files: SourceFile[], target: string): void {
  if (target.toLowerCase().endsWith('.zip')) {
    const entries = Object.fromEntries(files.map((f) => [f.path, [strToU8(f.text), { mtime: ZIP_MTIME }] as const]));
    mkdirSync(dirname(resolve(target)), { recursive: true });
    writeFileSync(target, zipSync(entries as never, { level: 9 }));
    return;
  }
  for (const f of files) {
    const out = join(target, ...f.path.split('/'));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, f.text);
  }
}
