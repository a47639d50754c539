// Lint: typescript-eslint recommended rules plus GridFlow's dependency-direction rule
// (scripts/eslint/dependency-direction.js).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

import dependencyDirection from './scripts/eslint/dependency-direction.js';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/target/**', 'data/**', 'engine/server/**', '**/dist/**', '**/generated/**'] },
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
    plugins: { gridflow: { rules: { 'dependency-direction': dependencyDirection } } },
    rules: { 'gridflow/dependency-direction': 'error' },
  },
  {
    files: ['runtime/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.mjs', 'scripts/**/*.js'],
    rules: { 'no-control-regex': 'off' },
  },
);
