// ESLint flat config: typescript-eslint's type-aware rules over src, test, sample and bench.
// `npm run lint` runs it; .ci/run fails on any finding. A rule turned off here says why in one line.
import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist-sample/',
      'coverage/',
      '.ci-out/',
      '.consumer/',
      '.cache/',
      'bench/results/',
      'dist-b/',
      'test/consumer/',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.mjs', 'bench/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // A guard's answer may be a promise: one that is dropped or passed where a boolean is expected
      // lets a request through before (or without) its check. Explicit here so no preset change turns them off.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Passing on a reason we were handed (typed any/unknown: a library's error, a caught value) is
      // not inventing a non-Error reason; the same allowance only-throw-error makes for `throw`.
      // A leading underscore marks a parameter kept for its position (a describe.each column shown in
      // the title, a handler's payload): the usual convention, not an oversight.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
    },
  },
  {
    // Plain JavaScript run by Node (the benchmark, this file): Node's globals, still type-aware.
    files: ['**/*.mjs'],
    languageOptions: { globals: globals.node },
    rules: {
      // Unannotated JS: JSON.parse results, autocannon results and untyped parameters are `any` by
      // construction, so these rules would flag every property read rather than real mistakes.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
