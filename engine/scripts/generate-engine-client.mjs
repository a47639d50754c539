#!/usr/bin/env node
// Generates the types of GridFlow's engine client from the Camunda 7 REST API's OpenAPI document.
//
//   node engine/scripts/generate-engine-client.mjs [--force]
//
// Operaton publishes no OpenAPI artifact, but its REST API is Camunda 7's, so the document comes from
// org.camunda.bpm:camunda-engine-rest-openapi (a jar holding openapi.json) on Maven Central. The jar
// is taken from ~/.m2 when present, else fetched with `mvn dependency:copy` (which also fills ~/.m2).
// openapi-typescript turns openapi.json into engine/src/camunda/generated/engine-rest.ts (gitignored).
//
// Cached: the output's first line stamps the spec and generator versions; when it matches, nothing
// runs (no Maven, no network). Extra Maven flags come from GRIDFLOW_MAVEN_ARGS (e.g. "-o").
// Exit codes: 0 generated or up to date, 1 generation failed, 2 a tool or the network is missing.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The OpenAPI artifact: the REST API of Camunda 7.24.0, which Operaton 1.0.3 serves unchanged. */
const SPEC = { groupId: 'org.camunda.bpm', artifactId: 'camunda-engine-rest-openapi', version: '7.24.0' };
const COORDS = `${SPEC.groupId}:${SPEC.artifactId}:${SPEC.version}`;

const ENGINE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUT = join(ENGINE_DIR, 'src', 'camunda', 'generated', 'engine-rest.ts');
const IS_WINDOWS = process.platform === 'win32';

/** A failure whose message says what to do; `code` is the exit code. */
class GenerationError extends Error {
  constructor(message, code = 1) {
    super(message);
    this.code = code;
  }
}

const log = (message) => process.stderr.write(`generate-engine-client: ${message}\n`);

/** Version of the installed openapi-typescript, or a clear error when it is not installed. */
function generatorVersion() {
  try {
    const require = createRequire(join(ENGINE_DIR, 'package.json'));
    return JSON.parse(readFileSync(require.resolve('openapi-typescript/package.json'), 'utf8')).version;
  } catch {
    throw new GenerationError('openapi-typescript is not installed (a devDependency of @gridflow/engine): run `npm install` first.', 2);
  }
}

/**
 * openapi-typescript options. `defaultNonNullable: false` keeps properties that merely have a
 * default (e.g. `withoutTenantId`) optional in request bodies, as the engine treats them.
 */
const GENERATOR_OPTIONS = { defaultNonNullable: false };

/** The stamp written as the first line of the output: same stamp, same content. */
function stampFor(version) {
  return `// @generated from ${COORDS} by openapi-typescript ${version} ${JSON.stringify(GENERATOR_OPTIONS)}`;
}

function isUpToDate(stamp) {
  if (!existsSync(OUTPUT)) return false;
  const firstLine = readFileSync(OUTPUT, 'utf8').split('\n', 1)[0];
  return firstLine === stamp;
}

/** Path of the artifact inside the local Maven repository (MAVEN_REPO_LOCAL overrides ~/.m2/repository). */
function localRepoJar() {
  const repo = process.env.MAVEN_REPO_LOCAL || join(homedir(), '.m2', 'repository');
  return join(repo, ...SPEC.groupId.split('.'), SPEC.artifactId, SPEC.version, `${SPEC.artifactId}-${SPEC.version}.jar`);
}

/** The jar from ~/.m2, or fetched with Maven into a temporary folder. */
function locateJar(tempDir) {
  const cached = localRepoJar();
  if (existsSync(cached)) return cached;
  const probe = spawnSync('mvn', ['-v'], { stdio: 'ignore', shell: IS_WINDOWS });
  if (probe.error || probe.status !== 0) {
    throw new GenerationError(
      `${COORDS} is not in ${relativeHome(cached)} and Maven (mvn) was not found. ` +
      'Install Maven 3.8+ and Java 17+ (Debian: apt-get install maven openjdk-17-jdk-headless), then run this again.', 2);
  }
  log(`fetching ${COORDS} with Maven`);
  const extra = (process.env.GRIDFLOW_MAVEN_ARGS ?? '').split(/\s+/).filter(Boolean);
  if (process.env.MAVEN_REPO_LOCAL) extra.push(`-Dmaven.repo.local=${process.env.MAVEN_REPO_LOCAL}`);
  const result = spawnSync('mvn', ['-q', '-B', ...extra, 'dependency:copy', `-Dartifact=${COORDS}`, `-DoutputDirectory=${tempDir}`], {
    cwd: tempDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], shell: IS_WINDOWS,
  });
  const jar = join(tempDir, `${SPEC.artifactId}-${SPEC.version}.jar`);
  if (result.status !== 0 || !existsSync(jar)) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.replace(/\u001b\[[0-9;]*m/g, '').trim();
    const tail = output.split('\n').slice(-12).join('\n');
    throw new GenerationError(
      `Maven could not fetch ${COORDS} from Maven Central. Check the network (or a Maven mirror in ` +
      `~/.m2/settings.xml), or copy the jar to ${relativeHome(cached)}.\n${tail}`, 2);
  }
  return jar;
}

function relativeHome(path) {
  return path.startsWith(homedir()) ? `~/${relative(homedir(), path)}` : path;
}

/** openapi.json out of the jar. */
async function readSpec(jar) {
  const { unzipSync, strFromU8 } = await import('fflate');
  const entries = unzipSync(new Uint8Array(readFileSync(jar)), { filter: (file) => file.name === 'openapi.json' });
  const bytes = entries['openapi.json'];
  if (!bytes) throw new GenerationError(`${jar} holds no openapi.json: is it really ${COORDS}?`);
  const spec = JSON.parse(strFromU8(bytes));
  if (spec.info?.version !== SPEC.version) {
    throw new GenerationError(`${jar} describes version ${spec.info?.version}, expected ${SPEC.version}.`);
  }
  return spec;
}

async function toTypeScript(spec) {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const ast = await openapiTS(spec, { silent: true, ...GENERATOR_OPTIONS });
  return astToString(ast);
}

function writeAtomically(content) {
  mkdirSync(dirname(OUTPUT), { recursive: true });
  const temp = `${OUTPUT}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, OUTPUT);
}

async function main() {
  const started = Date.now();
  const force = process.argv.includes('--force');
  const stamp = stampFor(generatorVersion());
  if (!force && isUpToDate(stamp)) {
    log(`up to date (${COORDS})`);
    return;
  }
  const tempDir = mkdtempSync(join(tmpdir(), 'gf-openapi-'));
  try {
    const spec = await readSpec(locateJar(tempDir));
    const body = await toTypeScript(spec);
    const header = [
      stamp,
      '// Types of the Camunda 7 REST API (/engine-rest). Do not edit: run `npm run generate:engine-client`.',
      '/* eslint-disable */',
      '',
    ].join('\n');
    writeAtomically(header + body);
    log(`wrote ${relative(process.cwd(), OUTPUT)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  log(error instanceof GenerationError ? error.message : `failed: ${error?.stack ?? error}`);
  process.exit(error instanceof GenerationError ? error.code : 1);
});
