import nx from '@nx/eslint-plugin';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '.cache/**', 'tools/**'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [
            '^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$',
            '^.*/tools/stack/stack\\.js$',
            '^.*/tools/petstore-contract/petstore-contract\\.js$',
            '^.*/tools/webpack/app\\.config$',
          ],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:data-access', 'type:util'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:data-access', 'type:util'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:api-gateway', onlyDependOnLibsWithTags: ['scope:shared'], notDependOnLibsWithTags: ['type:data-access'] },
            { sourceTag: 'scope:user-service', onlyDependOnLibsWithTags: ['scope:shared'], notDependOnLibsWithTags: ['type:data-access'] },
            { sourceTag: 'scope:pet-service', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:photo-service', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:order-service', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:inventory-service', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.cts', '**/*.mts', '**/*.js', '**/*.jsx', '**/*.cjs', '**/*.mjs'],
    // Override or add rules here
    rules: {},
  },
];
