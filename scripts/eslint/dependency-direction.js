// ESLint rule: dependencies between GridFlow's top-level packages point one way (docs/DESIGN):
// designer → runtime contracts → engine; runtime → engine; plugins → engine's plugin API;
// definitions and migrations import no app code. Imports are resolved to the top-level folder of
// the target (by relative path or by @gridflow/<package> name) and checked against `allowed`.
import { dirname, relative, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..', '..');

/** Which top-level packages each package may import. */
const allowed = {
  definitions: [],
  migrations: [],
  engine: ['definitions'],
  plugins: ['engine'],
  runtime: ['engine', 'definitions', 'migrations'],
  designer: ['runtime:contracts', 'engine'],
  scripts: ['engine', 'runtime', 'definitions', 'migrations'],
};

const packageNames = {
  '@gridflow/definitions': 'definitions', '@gridflow/migrations': 'migrations', '@gridflow/engine': 'engine',
  '@gridflow/runtime': 'runtime', '@gridflow/designer': 'designer',
};

function topOf(file) {
  const [top] = relative(root, file).split(sep);
  return top;
}

function targetOf(source, fromFile) {
  if (source.startsWith('.')) {
    const top = topOf(resolve(dirname(fromFile), source));
    const contracts = top === 'runtime' && resolve(dirname(fromFile), source).includes(`${sep}runtime${sep}src${sep}contracts`);
    return contracts ? 'runtime:contracts' : top;
  }
  if (source.startsWith('@gridflow/plugin-')) return 'plugins';
  const match = Object.keys(packageNames).find((name) => source === name || source.startsWith(`${name}/`));
  if (!match) return undefined;
  return source === '@gridflow/runtime/contracts' ? 'runtime:contracts' : packageNames[match];
}

export default {
  meta: { type: 'problem', docs: { description: 'enforce the dependency direction between GridFlow packages' }, schema: [] },
  create(context) {
    const from = topOf(context.filename);
    const may = allowed[from];
    if (!may) return {};
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      const target = targetOf(source, context.filename);
      if (!target || target === from || target.startsWith(`${from}:`)) return;
      const ok = may.includes(target) || (target === 'runtime:contracts' && may.includes('runtime'));
      if (!ok) context.report({ node, message: `${from} may not import ${target.replace(':', ' ')} ("${source}"): dependencies point designer → runtime contracts → engine, plugins → engine; definitions and migrations import no app code` });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};
