import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', 'reports/**', '.nx/**', 'data/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Take time from the Clock port, never new Date().' },
      ],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // layers
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:util'] },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:util', 'type:domain', 'type:infra'] },
            { sourceTag: 'type:application', onlyDependOnLibsWithTags: ['type:util', 'type:domain', 'type:infra'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:util', 'type:domain', 'type:infra', 'type:application', 'type:platform'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:util', 'type:domain', 'type:infra', 'type:application', 'type:platform'] },
            // bounded contexts: a domain context sees only itself and the shared kernel
            { sourceTag: 'scope:programme', onlyDependOnLibsWithTags: ['scope:programme', 'scope:shared'] },
            { sourceTag: 'scope:operations', onlyDependOnLibsWithTags: ['scope:operations', 'scope:shared'] },
            { sourceTag: 'scope:funding', onlyDependOnLibsWithTags: ['scope:funding', 'scope:shared'] },
            { sourceTag: 'scope:insertion', onlyDependOnLibsWithTags: ['scope:insertion', 'scope:shared'] },
            { sourceTag: 'scope:identity', onlyDependOnLibsWithTags: ['scope:identity', 'scope:shared'] },
          ],
          // domain code imports no framework or database driver
          banTransitiveDependencies: false,
        },
      ],
    },
  },
  {
    files: ['libs/programme/**/*.ts', 'libs/operations/**/*.ts', 'libs/funding/**/*.ts', 'libs/insertion/**/*.ts', 'libs/identity/**/*.ts', 'libs/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@nestjs/*', 'typeorm', 'pg', 'ioredis', 'bullmq', 'class-validator', 'class-transformer'], message: 'Domain and shared-kernel code stays free of frameworks and drivers.' }] },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts', 'bench/**/*.ts', 'apps/cli/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
];
