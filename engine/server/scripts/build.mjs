#!/usr/bin/env node
// Builds the GridFlow engine server jar for one flavour (operaton | camunda) or both, but only
// when pom.xml or src/** changed since the last successful build of that flavour.
//
//   node engine/server/scripts/build.mjs [operaton|camunda|all] [--force]
//
// Prints the absolute jar path(s) on stdout, one per line; progress goes to stderr.
// Extra Maven flags come from GRIDFLOW_MAVEN_ARGS (e.g. "-o" to build offline).
// Exit codes: 0 built or up to date, 1 Maven failed, 2 usage error or mvn/java missing.
// Plain Node 20 ESM, no dependencies. Also importable: buildEngine(flavour, { force }).

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The directory holding pom.xml. */
export const SERVER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Flavours the pom knows, as Maven profile ids. */
export const FLAVOURS = ['operaton', 'camunda'];

const IS_WINDOWS = process.platform === 'win32';

/** Where a flavour's jar and build hash live. */
export function artifactPaths(flavour) {
  const dir = join(SERVER_DIR, 'target', flavour);
  return { dir, jar: join(dir, `gridflow-engine-${flavour}.jar`), hashFile: join(dir, '.build-hash') };
}

/** SHA-256 over pom.xml and every file under src/, by relative path and content. */
export function inputsHash() {
  const hash = createHash('sha256');
  const files = [join(SERVER_DIR, 'pom.xml'), ...listFiles(join(SERVER_DIR, 'src'))];
  for (const file of files) {
    hash.update(relative(SERVER_DIR, file).split(sep).join('/'));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort();
}

/** Throws a ToolMissingError unless `command -version`-style probing succeeds. */
function requireTool(command, args, hint) {
  const probe = spawnSync(command, args, { stdio: 'ignore', shell: IS_WINDOWS });
  if (probe.error || probe.status !== 0) {
    const error = new Error(`${command} not found or not working (${probe.error?.code ?? `exit ${probe.status}`}). ${hint}`);
    error.code = 'TOOL_MISSING';
    throw error;
  }
}

function mavenExtraArgs() {
  const raw = process.env.GRIDFLOW_MAVEN_ARGS ?? '';
  return raw.split(/\s+/).filter(Boolean);
}

/**
 * Builds one flavour unless its jar is up to date. Returns { jar, built, hash }.
 * Throws with code TOOL_MISSING (java/mvn absent) or MAVEN_FAILED.
 */
export function buildEngine(flavour, { force = false, log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  if (!FLAVOURS.includes(flavour)) throw new Error(`unknown flavour '${flavour}', expected one of ${FLAVOURS.join(', ')}`);
  const { jar, hashFile } = artifactPaths(flavour);
  const hash = inputsHash();
  if (!force && existsSync(jar) && existsSync(hashFile) && readFileSync(hashFile, 'utf8').trim() === hash) {
    log(`[engine-build] ${flavour}: up to date (${hash.slice(0, 12)})`);
    return { jar, built: false, hash };
  }
  requireTool('java', ['-version'], 'Install a Java 17+ JDK (e.g. apt-get install openjdk-17-jdk-headless).');
  requireTool('mvn', ['-v'], 'Install Maven 3.8+ (e.g. apt-get install maven).');
  const args = ['-q', '-B', '-Dstyle.color=never', `-P${flavour}`, 'clean', 'package', '-DskipTests', ...mavenExtraArgs()];
  log(`[engine-build] ${flavour}: mvn ${args.join(' ')}`);
  const started = Date.now();
  // Maven's output goes to stderr: stdout carries only the jar paths
  const result = spawnSync('mvn', args, { cwd: SERVER_DIR, stdio: ['ignore', process.stderr, process.stderr], shell: IS_WINDOWS });
  if (result.error || result.status !== 0 || !existsSync(jar)) {
    const error = new Error(`Maven build of the ${flavour} engine failed (${result.error?.message ?? `exit ${result.status}`}); see the output above`);
    error.code = 'MAVEN_FAILED';
    throw error;
  }
  writeFileSync(hashFile, `${hash}\n`);
  log(`[engine-build] ${flavour}: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { jar, built: true, hash };
}

function main(argv) {
  const force = argv.includes('--force');
  const positional = argv.filter((a) => !a.startsWith('--'));
  const which = positional[0] ?? 'operaton';
  if (positional.length > 1 || ![...FLAVOURS, 'all'].includes(which)) {
    process.stderr.write('usage: node engine/server/scripts/build.mjs [operaton|camunda|all] [--force]\n');
    return 2;
  }
  const flavours = which === 'all' ? FLAVOURS : [which];
  try {
    for (const flavour of flavours) {
      const { jar } = buildEngine(flavour, { force });
      process.stdout.write(`${jar}\n`);
    }
    return 0;
  } catch (error) {
    process.stderr.write(`[engine-build] ${error.message}\n`);
    return error.code === 'MAVEN_FAILED' ? 1 : 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
