// One lint config for the whole repo. Rules encode the architecture: no floating promises
// (a lost rejection is a lost message), exhaustive switches, no reaching into another package's files.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/generated/**', '.data/**', '**/*.js', '**/*.mjs', '**/*.cjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/packages/*/src/**', '../../packages/**', '../../../packages/**'], message: 'Import the package by its name (@llmaas/...), not its files.' },
            { group: ['**/apps/*/src/**', '../../apps/**'], message: 'Apps do not import each other.' },
          ],
        },
      ],
    },
  },
  {
    // Nest injects by constructor parameter type: those imports must stay value imports.
    files: ['apps/**/*.ts', 'packages/service-kit/**/*.ts', 'packages/kafka/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    // Tool configuration files live outside the TypeScript projects.
    files: ['**/*.config.ts'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
