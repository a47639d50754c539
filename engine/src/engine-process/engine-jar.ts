/** Locating (and building when needed) the engine server jar of engine/server. */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OperationalError } from '../errors.ts';

/** The engines GridFlow can run. */
export type EngineFlavour = 'operaton' | 'camunda';

const serverDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'server');

/**
 * Returns the jar of a flavour, building it with Maven first when its sources changed
 * (engine/server/scripts/build.mjs caches by content hash: a no-op takes ~0.1 s).
 */
export function ensureEngineJar(flavour: EngineFlavour): string {
  const result = spawnSync(process.execPath, [join(serverDir, 'scripts', 'build.mjs'), flavour], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const jar = result.stdout.trim().split('\n').filter(Boolean).at(-1);
  if (result.status !== 0 || !jar) {
    const tail = result.stderr.trim().split('\n').slice(-15).join('\n');
    throw new OperationalError({
      'zh-CN': `无法构建流程引擎（${flavour}）。需要 Java 17 和 Maven，且能访问 Maven Central。\n${tail}`,
      en: `Cannot build the process engine (${flavour}). It needs Java 17 and Maven with access to Maven Central.\n${tail}`,
    });
  }
  return jar;
}
