// Two claims README makes of the source (issue 9 items 1 and 2), checked on its syntax trees:
// - "there are no casts of state": no type assertion (`x as T`, `<T>x`) anywhere in sim/, harness/ or
//   qemu-scripts/ names the boot state or one of its slice types (sim/state.ts BootSlices), or asserts
//   a value read from a binding called `state`: slice()/sliceIfAny()/withSlice() are the only access;
// - "seriesTraits() is the only place that compares versions": outside sim/traits.ts nothing calls
//   versionAtLeast() (nor imports it), nor compares a version's parts (`v[0]`, `version[1]`, `.minor` …) with
//   <, <=, > or >=. In sim/traits.ts seriesTraits() makes every cut with its `from(major, minor)`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../../sim/base/paths.ts';

const ROOTS = ['sim', 'harness', 'qemu-scripts'];

function sources(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((d) => {
    const rel = path.posix.join(dir, d.name);
    if (d.isDirectory()) return sources(rel);
    return d.name.endsWith('.ts') ? [rel] : [];
  });
}

const parse = (rel: string): ts.SourceFile => ts.createSourceFile(rel, readFileSync(path.join(repoRoot, rel), 'utf8'), ts.ScriptTarget.Latest, false);
const files = ROOTS.flatMap(sources).map(parse);

function walk(sf: ts.SourceFile, visit: (n: ts.Node) => void): void {
  const go = (n: ts.Node): void => {
    visit(n);
    ts.forEachChild(n, go);
  };
  go(sf);
}

const where = (sf: ts.SourceFile, n: ts.Node): string => `${sf.fileName}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}: ${n.getText(sf).replace(/\s+/g, ' ').slice(0, 120)}`;

/** BootState, BootSlices and every type BootSlices maps a slice to, read from sim/state.ts. */
function stateTypeNames(): Set<string> {
  const sf = files.find((f) => f.fileName === 'sim/state.ts')!;
  const names = new Set(['BootState', 'BootSlices']);
  walk(sf, (n) => {
    if (ts.isInterfaceDeclaration(n) && n.name.text === 'BootSlices') {
      for (const m of n.members) if (ts.isPropertySignature(m) && m.type && ts.isTypeReferenceNode(m.type)) names.add(m.type.typeName.getText(sf));
    }
  });
  return names;
}

/** The type assertions that touch the boot state, as `file:line: text`. */
export function stateCasts(sf: ts.SourceFile, typeNames: ReadonlySet<string>): string[] {
  const out: string[] = [];
  walk(sf, (n) => {
    if (!ts.isAsExpression(n) && !ts.isTypeAssertionExpression(n)) return;
    const namesState = n.type.getText(sf).split(/[^A-Za-z0-9_$]+/).some((w) => typeNames.has(w));
    let readsState = false;
    const find = (x: ts.Node): void => {
      if (ts.isIdentifier(x) && x.text === 'state') readsState = true;
      ts.forEachChild(x, find);
    };
    find(n.expression);
    if (namesState || readsState) out.push(where(sf, n));
  });
  return out;
}

/** versionAtLeast() calls and relational comparisons of .major/.minor/.patch, as `file:line: text`. */
export function versionComparisons(sf: ts.SourceFile): string[] {
  const out: string[] = [];
  const relational = new Set([ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken]);
  const versionish = (x: ts.Expression): boolean => ts.isIdentifier(x) && /^(v|ver|version|kernelVersion|release)$/i.test(x.text);
  const versionField = (x: ts.Expression): boolean =>
    (ts.isPropertyAccessExpression(x) && ['major', 'minor', 'patch'].includes(x.name.text))
    || (ts.isElementAccessExpression(x) && versionish(x.expression) && ts.isNumericLiteral(x.argumentExpression));
  walk(sf, (n) => {
    if (ts.isCallExpression(n) && (ts.isIdentifier(n.expression) ? n.expression.text : ts.isPropertyAccessExpression(n.expression) ? n.expression.name.text : '') === 'versionAtLeast') out.push(where(sf, n));
    if (ts.isImportSpecifier(n) && (n.propertyName ?? n.name).text === 'versionAtLeast') out.push(where(sf, n));
    if (ts.isBinaryExpression(n) && relational.has(n.operatorToken.kind) && (versionField(n.left) || versionField(n.right))) out.push(where(sf, n));
  });
  return out;
}

describe('source rules', () => {
  const typeNames = stateTypeNames();

  // expect the scan to see the tree and the registry (an empty walk would pass every rule below)
  test('rules_find_the_sources: expect the three layers, sim/state.ts and the slice types', () => {
    expect(files.length).toBeGreaterThan(200);
    for (const root of ROOTS) expect(files.some((f) => f.fileName.startsWith(`${root}/`))).toBe(true);
    expect([...typeNames]).toEqual(expect.arrayContaining(['BootState', 'BootSlices', 'ZonesState', 'MemblockState', 'E820State']));
  });

  // expect the detectors to flag what they are for (so that an empty result below means something)
  test('rules_detect: expect a state cast and a version comparison written here to be found', () => {
    const sf = ts.createSourceFile('x.ts', "import { versionAtLeast } from './traits.ts';\nconst z = (state as Record<string, unknown>).zones as ZonesState;\nconst y = <BootState>s;\nif (v.minor >= 12 || version[0] > 5 || versionAtLeast(v, 6, 1)) {}\n", ts.ScriptTarget.Latest, true);
    expect(stateCasts(sf, typeNames)).toHaveLength(3);
    expect(versionComparisons(sf)).toHaveLength(4);
  });

  // expect no type assertion on the boot state anywhere: slice()/sliceIfAny()/withSlice() are the only access
  test('no_state_casts: expect no `as`/`<T>` assertion naming a slice type or reading `state`', () => {
    expect(files.flatMap((f) => stateCasts(f, typeNames))).toEqual([]);
  });

  // expect every version comparison inside sim/traits.ts
  test('versions_compared_only_in_traits: expect no versionAtLeast() or major/minor/patch comparison outside sim/traits.ts', () => {
    expect(files.filter((f) => f.fileName !== 'sim/traits.ts').flatMap(versionComparisons)).toEqual([]);
  });

  // expect sim/traits.ts itself to make the cuts (the rule above would be vacuous if they had moved out of sight)
  test('traits_compares_versions: expect sim/traits.ts to define versionAtLeast and cut with from(major, minor) many times', () => {
    const sf = files.find((f) => f.fileName === 'sim/traits.ts')!;
    let cuts = 0;
    walk(sf, (n) => { if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'from') cuts++; });
    expect(versionComparisons(sf).length).toBeGreaterThan(0);
    expect(cuts).toBeGreaterThan(20);
  });
});
