import nx from '@nx/eslint-plugin';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// pdfmake, exceljs and vega are heavy (fonts, canvas, workbook writer): only the renderers load them, so that workers,
// the CLI and the projections do not (ADR 0015).
const RENDERERS_ONLY = {
  group: ['pdfmake', 'pdfmake/*', 'exceljs', 'vega', 'vega-*'],
  message: 'Only libs/report-rendering imports pdfmake, exceljs or vega (ADR 0015): render through @erbm/report-rendering.',
};
const FRAMEWORK_FREE = {
  group: ['@nestjs/*', 'typeorm', 'pg', 'ioredis', 'bullmq', 'class-validator', 'class-transformer'],
  message: 'Domain and shared-kernel code stays free of frameworks and drivers.',
};

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
            { sourceTag: 'type:read', onlyDependOnLibsWithTags: ['type:util', 'type:domain', 'type:infra', 'type:read'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:util', 'type:domain', 'type:infra', 'type:read', 'type:application', 'type:platform'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:util', 'type:domain', 'type:infra', 'type:read', 'type:application', 'type:platform'] },
            // the read side, one way (ADR 0015): rendering → reporting → projections; forecasting and open data read
            // through reporting; domain, application and infra libraries never see a read-side library (type:read)
            { sourceTag: 'read:projections', onlyDependOnLibsWithTags: ['type:util', 'type:domain', 'type:infra'] },
            { sourceTag: 'read:reporting', onlyDependOnLibsWithTags: ['type:util', 'type:infra', 'read:projections'] },
            { sourceTag: 'read:rendering', onlyDependOnLibsWithTags: ['type:util', 'read:reporting', 'read:forecasting'] },
            { sourceTag: 'read:forecasting', onlyDependOnLibsWithTags: ['type:util', 'type:infra', 'read:reporting'] },
            { sourceTag: 'read:opendata', onlyDependOnLibsWithTags: ['type:util', 'type:infra', 'read:reporting'] },
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
    // No import cycle between the files of a project (ADR 0015); relative imports are resolved here, the @erbm/*
    // aliases are not, so cycles between projects are left to @nx/enforce-module-boundaries.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['**/*.ts'],
    ignores: ['libs/report-rendering/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [RENDERERS_ONLY] }] },
  },
  {
    files: ['libs/programme/**/*.ts', 'libs/operations/**/*.ts', 'libs/funding/**/*.ts', 'libs/insertion/**/*.ts', 'libs/identity/**/*.ts', 'libs/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [FRAMEWORK_FREE, RENDERERS_ONLY] },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts', 'bench/**/*.ts', 'apps/cli/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
];
