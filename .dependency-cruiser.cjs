/**
 * The layering of docs/architecture.md, held by `npm test`: contracts ← platform (and db) ← domain folders ←
 * process entry points (edge/, order-worker/, infra/, bench/, the main.ts files); a folder is imported from
 * another only through its index.ts. Tests may reach inside the folders they test.
 */
const domain = '(admission|sequencer|checkout|cart|orders|catalog|audit|notifications|fulfillment|analytics|recommendations)';
const entry = '(edge|order-worker|infra|bench|web|test)';

module.exports = {
  forbidden: [
    {
      name: 'contracts-import-nothing',
      comment: 'contracts/ is the bottom layer: topic names, message schemas, ids, money.',
      severity: 'error',
      from: { path: '^contracts/' },
      to: { path: '^(?!contracts/)[^/]+/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'platform-imports-only-contracts',
      severity: 'error',
      from: { path: '^(platform|db)/' },
      to: { path: '^(?!(platform|db|contracts)/)[^/]+/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'domain-never-imports-entry-points',
      comment: 'Domain folders are libraries; the processes and scripts that run them sit above.',
      severity: 'error',
      from: { path: `^${domain}/` },
      to: { path: [`^${entry}/`, '^main\\.ts$'] },
    },
    {
      name: 'other-folders-through-index',
      comment: 'Another folder is imported only through its index.ts.',
      severity: 'error',
      from: { path: '^([^/]+)/', pathNot: ['^test/', '\\.test\\.ts$'] },
      to: { path: '^[^/]+/', pathNot: ['^$1/', '^[^/]+/index\\.ts$', '^node_modules/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'main-through-index',
      severity: 'error',
      from: { path: '^main\\.ts$' },
      to: { path: '^[^/]+/', pathNot: ['^[^/]+/index\\.ts$', '^node_modules/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.stack|bench/results)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
