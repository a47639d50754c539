// Lint: typescript-eslint recommended rules plus the dependency-direction rule of docs/DESIGN:
// designer → runtime contracts → engine; runtime → engine; plugins → engine's plugin API;
// definitions and migrations import no app code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const appPackages = ['@gridflow/engine', '@gridflow/runtime', '@gridflow/designer', '@gridflow/plugin-*'];

/** Forbid imports of the given packages and of sibling top-level folders by relative path. */
function forbid(packages, folders, why) {
  return {
    'no-restricted-imports': ['error', {
      patterns: [
        ...packages.map((p) => ({ group: [p, `${p}/*`], message: why })),
        ...folders.map((f) => ({ group: [`**/${f}/**`, `**/${f}`], message: why })),
      ],
    }],
  };
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/target/**', 'data/**', 'engine/server/**', '**/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['definitions/**', 'migrations/**'],
    rules: forbid(appPackages, ['engine', 'runtime', 'designer', 'plugins'],
      'definitions and migrations are data and schema only: they import no app code'),
  },
  {
    files: ['engine/**'],
    rules: forbid(['@gridflow/runtime', '@gridflow/designer', '@gridflow/plugin-*', '@gridflow/migrations'],
      ['runtime', 'designer', 'plugins', 'migrations'],
      'engine is the pure core: it may not depend on runtime, designer, plugins or migrations'),
  },
  {
    files: ['plugins/**'],
    rules: forbid(['@gridflow/runtime', '@gridflow/designer', '@gridflow/migrations'],
      ['runtime', 'designer', 'migrations'],
      'plugins depend only on the engine plugin API (@gridflow/engine)'),
  },
  {
    files: ['runtime/**'],
    rules: forbid(['@gridflow/designer', '@gridflow/plugin-*'], ['designer'],
      'runtime may not depend on the designer; plugins are loaded through the plugin API'),
  },
  {
    files: ['designer/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: '@gridflow/runtime', message: 'the designer uses only @gridflow/runtime/contracts' }],
        patterns: [{ group: ['**/runtime/src/**', '@gridflow/migrations', '@gridflow/plugin-*'], message: 'the designer uses only @gridflow/runtime/contracts and @gridflow/engine' }],
      }],
    },
  },
);
