// The layers (issue 9): sim/base/ is the base every layer may import (coded errors and positions,
// the profile size syntax, the fixed capture command line, repo paths and the file-system edge
// checks, the YAML-schema reader); the rest of sim/ (pure stages) sits on it; qemu-scripts/ (fetch,
// facts, capture) may use sim/; harness/ (catalog, compare, CLI) is the top. tests/ may import
// anything. `npm run depcheck` fails on a runtime import cycle or an import that runs upward.
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'an import cycle (type-only imports excluded: they vanish at run time)', from: {}, to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } } },
    { name: 'base-is-the-bottom', severity: 'error', comment: 'sim/base/ imports nothing from the rest of the repo', from: { path: '^sim/base/' }, to: { path: '^(harness|qemu-scripts|tests)/|^sim/(?!base/)' } },
    { name: 'sim-is-below-the-scripts', severity: 'error', comment: 'sim/ imports nothing from harness/ or qemu-scripts/', from: { path: '^sim/' }, to: { path: '^(harness|qemu-scripts)/' } },
    { name: 'sim-stages-are-pure', severity: 'error', comment: 'outside sim/base/, sim/ uses no Node built-in (no I/O in the stages)', from: { path: '^sim/', pathNot: '^sim/base/' }, to: { dependencyTypes: ['core'] } },
    { name: 'qemu-scripts-below-harness', severity: 'error', comment: 'qemu-scripts/ does not import the harness', from: { path: '^qemu-scripts/' }, to: { path: '^harness/' } },
    { name: 'no-tests-from-source', severity: 'error', comment: 'only tests import tests', from: { pathNot: '^tests/' }, to: { path: '^tests/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
