import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function violations(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'gridflow/dependency-direction').map((m) => m.message);
}

describe('dependency direction lint rule', () => {
  const cases: [string, string, boolean][] = [
    ['engine/src/a.ts', "import { x } from '@gridflow/runtime';", false],
    ['engine/src/a.ts', "import { x } from '../../runtime/src/config.ts';", false],
    ['engine/src/worker-host/a.ts', "import { x } from '../plugins/plugin-api.ts';", true],
    ['engine/src/a.ts', "import { x } from '@gridflow/definitions';", true],
    ['migrations/src/a.ts', "import { x } from '@gridflow/engine';", false],
    ['definitions/a.ts', "import { x } from '../runtime/src/config.ts';", false],
    ['plugins/webhook/src/a.ts', "import { x } from '@gridflow/engine';", true],
    ['plugins/webhook/src/a.ts', "import { x } from '@gridflow/runtime';", false],
    ['runtime/src/a.ts', "import { x } from '@gridflow/engine';", true],
    ['runtime/src/a.ts', "import { x } from '@gridflow/plugin-webhook';", false],
    ['designer/src/a.ts', "import { x } from '@gridflow/runtime/contracts';", true],
    ['runtime/src/server/a.ts', "import { x } from '../contracts/index.ts';", true],
    ['designer/src/a.ts', "import { x } from '@gridflow/runtime';", false],
  ];
  for (const [file, code, allowed] of cases) {
    it(`${allowed ? 'allows' : 'refuses'} ${code} in ${file}`, async () => {
      const found = await violations(file, `${code}\nexport const y = x;\n`);
      assert.equal(found.length, allowed ? 0 : 1, found.join('\n'));
    });
  }
});
