// Profile loading: every golden loads, and every kind of bad profile is refused with a code and a position.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { goldensDir, repoRoot } from '../../../sim/base/paths.ts';
import { MAX_CMDLINE_LENGTH, ProfileError, defaults, loadProfile, parseProfile, splitParams, type ProfileCode } from '../../../harness/profile/load.ts';
import { kernelIds } from '../../../harness/kernels.ts';
import { FIXED_APPEND } from '../../../sim/base/cmdline.ts';

const KERNELS = ['5.10-amd64', '6.1-686-pae', '6.1-amd64', '6.12-amd64'];
// the syntax and range checks alone; the envelope checks the loader adds are tested in load-envelope.test.ts
const OPTS = { kernelIds: KERNELS, envelope: 'skip' } as const;
const FILE = 'goldens/x86_64-6.1-pc-512m/profile.yaml';
const fixtures = path.join(repoRoot, 'tests/fixtures/profiles');

/**
 * The four required lines, with overrides, then extra lines. Overrides keep the line numbers:
 * kernel is line 1 (value at col 9), machine 2 (col 10), memory 3 (col 9), cpus 4 (col 7); extras start at 5.
 */
function src(over: { kernel?: string; machine?: string; memory?: string; cpus?: string } = {}, ...extra: string[]): string {
  const v = { kernel: '6.1-amd64', machine: 'pc', memory: '512M', cpus: '2', ...over };
  return [`kernel: ${v.kernel}`, `machine: ${v.machine}`, `memory: ${v.memory}`, `cpus: ${v.cpus}`, ...extra, ''].join('\n');
}

function numa(nodes: string[], memory = '4G', cpus = '4'): string {
  return src({ memory, cpus }, 'numa:', ...nodes.map((n) => `  - ${n}`));
}

function catchProfileError(fn: () => unknown): ProfileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProfileError) return e;
    throw e;
  }
  throw new Error('expected a ProfileError, got none');
}

function goldenProfiles(): string[] {
  return readdirSync(goldensDir)
    .filter((d) => existsSync(path.join(goldensDir, d, 'profile.yaml')))
    .sort();
}

describe('loadProfile on the goldens', () => {
  const names = goldenProfiles();

  test('goldens_count: expect all 24 checked-in profiles to be found', () => {
    expect(names.length).toBeGreaterThanOrEqual(24);
  });

  // expect every golden to load against the real catalog, named after its folder
  test.each(names)('loadProfile_golden %s', (name) => {
    const file = path.join(goldensDir, name, 'profile.yaml');
    const spec = loadProfile(file);
    expect(spec.name).toBe(name);
    expect(spec.file).toBe(file);
    expect(kernelIds()).toContain(spec.kernel);
    expect(Number.isSafeInteger(spec.memoryBytes)).toBe(true);
    if (spec.numa) expect(spec.numa.reduce((a, n) => a + n.memoryBytes, 0)).toBe(spec.memoryBytes);
  });

  test('loadProfile_plain512m: expect bytes, verbatim text and absent optionals', () => {
    const spec = loadProfile(path.join(goldensDir, 'x86_64-6.1-pc-512m/profile.yaml'));
    expect(spec).toEqual({
      name: 'x86_64-6.1-pc-512m',
      kernel: '6.1-amd64',
      machine: 'pc',
      memoryBytes: 536_870_912,
      memoryText: '512M',
      cpus: 2,
      cpu: undefined,
      numa: undefined,
      cmdline: undefined,
      file: path.join(goldensDir, 'x86_64-6.1-pc-512m/profile.yaml'),
    });
  });

  test.each([
    ['x86_64-6.1-pc-128m', 134_217_728],
    ['x86_64-6.1-pc-3g', 3_221_225_472],
    ['x86_64-6.12-pc-6g', 6_442_450_944],
    ['x86_64-7.2-q35-8g', 8_589_934_592],
    ['i386-6.1-pae-q35-4g', 4_294_967_296],
  ])('loadProfile_bytes %s: expect %d bytes', (name, bytes) => {
    expect(loadProfile(path.join(goldensDir, name, 'profile.yaml')).memoryBytes).toBe(bytes);
  });

  test('loadProfile_numa2: expect two 2G nodes with their cpus', () => {
    const spec = loadProfile(path.join(goldensDir, 'x86_64-6.1-pc-4g-numa2/profile.yaml'));
    expect(spec.numa).toEqual([
      { memoryBytes: 2_147_483_648, memoryText: '2G', cpus: [0, 1] },
      { memoryBytes: 2_147_483_648, memoryText: '2G', cpus: [2, 3] },
    ]);
  });

  test('parseProfile_probeState: expect probe: state kept, and no probe key without it', () => {
    expect(parseProfile(src({}, 'probe: state'), FILE, OPTS).probe).toBe('state');
    expect('probe' in parseProfile(src(), FILE, OPTS)).toBe(false);
  });

  test('loadProfile_cpuFlag: expect the -cpu value verbatim', () => {
    expect(loadProfile(path.join(goldensDir, 'x86_64-6.12-pc-2g-la57/profile.yaml')).cpu).toBe('qemu64,+la57');
  });

  test('loadProfile_cmdlineDollar: expect memmap=32M$0x8000000 untouched', () => {
    expect(loadProfile(path.join(goldensDir, 'x86_64-6.1-pc-512m-memmap/profile.yaml')).cmdline).toBe('memmap=32M$0x8000000');
  });
});

describe('loadProfile on ad-hoc files', () => {
  test('loadProfile_adhocFile: expect the name from the file stem and block-style numa', () => {
    const spec = loadProfile(path.join(fixtures, 'good/adhoc-q35-1g.yaml'), OPTS);
    expect(spec.name).toBe('adhoc-q35-1g');
    expect(spec.machine).toBe('q35');
    expect(spec.numa).toEqual([
      { memoryBytes: 536_870_912, memoryText: '512M', cpus: [0, 2] },
      { memoryBytes: 536_870_912, memoryText: '512M', cpus: [1] },
    ]);
  });

  test('loadProfile_folderName: expect profile.yaml to take its folder name; 1024K is 1 MiB', () => {
    const spec = loadProfile(path.join(fixtures, 'good/named-by-folder/profile.yaml'), OPTS);
    expect(spec.name).toBe('named-by-folder');
    expect(spec.memoryBytes).toBe(1_048_576);
    expect(spec.memoryText).toBe('1024K');
  });

  test('loadProfile_relativePath: expect the file resolved, messages relative to the repo', () => {
    const rel = path.relative(process.cwd(), path.join(fixtures, 'bad/memory-suffix/profile.yaml'));
    const e = catchProfileError(() => loadProfile(rel, OPTS));
    expect(e.code).toBe('PROFILE_BAD_SIZE');
    expect(e.message).toBe(
      'tests/fixtures/profiles/bad/memory-suffix/profile.yaml:4:9: memory: expected a size like 512M or 4G (integer with K, M, G or T), got "512X"',
    );
  });

  test('loadProfile_missingFile: expect PROFILE_FILE_UNREADABLE with the errno', () => {
    const e = catchProfileError(() => loadProfile(path.join(fixtures, 'nope/profile.yaml'), OPTS));
    expect(e.code).toBe('PROFILE_FILE_UNREADABLE');
    expect(e.message).toBe('tests/fixtures/profiles/nope/profile.yaml: cannot read the profile (ENOENT)');
    expect(e.cause).toBeInstanceOf(Error);
  });

  test('loadProfile_directory: expect a directory to be refused as not a regular file, not a crash', () => {
    expect(catchProfileError(() => loadProfile(path.join(fixtures, 'good'), OPTS)).code).toBe('PROFILE_NOT_A_FILE');
  });

  test('loadProfile_notUtf8: expect PROFILE_FILE_UNREADABLE rather than replacement characters', () => {
    const e = catchProfileError(() => loadProfile(path.join(fixtures, 'bad/not-utf8.yaml'), OPTS));
    expect(e.code).toBe('PROFILE_FILE_UNREADABLE');
    expect(e.message).toBe('tests/fixtures/profiles/bad/not-utf8.yaml: expected UTF-8 text, got bytes that are not UTF-8');
  });

  test('loadProfile_badDerivedName: expect the file-derived name to be checked too, with no line', () => {
    const e = catchProfileError(() => loadProfile(path.join(fixtures, 'bad/Upper.yaml'), OPTS));
    expect(e.code).toBe('PROFILE_BAD_NAME');
    expect(e.pos).toEqual({ file: 'tests/fixtures/profiles/bad/Upper.yaml' });
    expect(e.message).toBe(
      'tests/fixtures/profiles/bad/Upper.yaml: name: expected a name of a-z, 0-9, ".", "_" and "-" that starts with a letter or digit, got "Upper" (taken from the file\'s path); rename it or add a name: field',
    );
  });

  test('loadProfile_explicitNameWins: expect name: to override the file name', () => {
    const spec = parseProfile(`name: fine\n${src()}`, 'Upper.yaml', OPTS);
    expect(spec.name).toBe('fine');
  });

  test('defaults_kernelIds: expect the catalog on disk', () => {
    expect(defaults.kernelIds).toEqual(kernelIds());
  });

  // without a kernelIds option the catalog is listed only for a refusal (harness/kernels.ts inCatalog)
  test.each(['6.1-amd46', '../kernels/6.1-amd64', 'images'])('defaults_unknown_kernel %j: expect PROFILE_UNKNOWN_KERNEL listing the catalog on disk', (kernel) => {
    expect(() => parseProfile(src({ kernel }), 'p.yaml', { envelope: 'skip' })).toThrow(expect.objectContaining({ code: 'PROFILE_UNKNOWN_KERNEL', message: expect.stringContaining(`from the catalog (${kernelIds().join(', ')})`) }));
  });

  test('defaults_known_kernel: expect every catalog id accepted without a kernelIds option', () => {
    for (const kernel of kernelIds()) expect(parseProfile(src({ kernel }), 'p.yaml', { envelope: 'skip' }).kernel).toBe(kernel);
  });
});

describe('parseProfile accepts the edges', () => {
  test.each([
    ['cpus at the pc maximum', src({ cpus: '255' })],
    ['cpus at the q35 maximum', src({ machine: 'q35', cpus: '288' })],
    ['memory at the 1T envelope', src({ memory: '1T' })],
    // issue 10: memblock=debug is a profile's own parameter too (the capture may add it a second time)
    ['memblock=debug in the cmdline', src({}, 'cmdline: memblock=debug')],
    ['memory of 1K', src({ memory: '1K' })],
    ['a single numa node', numa(['{ memory: 4G, cpus: [0, 1, 2, 3] }'])],
    ['non-contiguous numa cpus', numa(['{ memory: 3G, cpus: [3, 0] }', '{ memory: 1G, cpus: [1, 2] }'])],
    ['numa sizes in mixed units', numa(['{ memory: 3072M, cpus: [0, 1] }', '{ memory: 1048576K, cpus: [2, 3] }'])],
    ['a memoryless numa node', numa(['{ memory: 4G, cpus: [0, 1] }', '{ memory: 0M, cpus: [2, 3] }'])],
    ['a CPU-less numa node', numa(['{ memory: 3G, cpus: [0, 1, 2, 3] }', '{ memory: 1G, cpus: [] }'])],
    ['64 numa nodes', src({ memory: '64M', cpus: '64' }, 'numa:', ...Array.from({ length: 64 }, (_, i) => `  - { memory: 1M, cpus: [${i}] }`))],
    ['cpu model alone', src({}, 'cpu: max')],
    ['cpu with several flags', src({}, 'cpu: "Skylake-Client-v4,-hle,+la57,+x2apic"')],
    ['nokaslr repeated in cmdline', src({}, 'cmdline: nokaslr')],
    ['debug and ignore_loglevel in cmdline', src({}, 'cmdline: "debug ignore_loglevel"')],
    ['a quoted value with spaces', src({}, 'cmdline: \'foo="a b" mem=1G\'')],
    ['the longest cmdline', src({}, `cmdline: ${'x'.repeat(MAX_CMDLINE_LENGTH)}`)],
    ['a name with dots and underscores', `name: x86_64-6.1.pc_1\n${src()}`],
    ['an alias to an anchor', src({ memory: '&m 4G' }, 'numa:', '  - { memory: *m, cpus: [0, 1] }')],
    ['comments and a document marker', `# a profile\n---\n${src()}`],
  ])('parseProfile_accepts %s', (_title, text) => {
    expect(() => parseProfile(text, 'edge.yaml', OPTS)).not.toThrow();
  });

  test('parseProfile_sortsNumaCpus: expect node cpus normalised ascending', () => {
    const spec = parseProfile(numa(['{ memory: 3G, cpus: [3, 0] }', '{ memory: 1G, cpus: [2, 1] }']), 'edge.yaml', OPTS);
    expect(spec.numa?.map((n) => n.cpus)).toEqual([[0, 3], [1, 2]]);
  });

  test('parseProfile_oneTerabyte: expect 1T as a safe integer', () => {
    expect(parseProfile(src({ memory: '1T' }), 'edge.yaml', OPTS).memoryBytes).toBe(1_099_511_627_776);
  });

  test('parseProfile_fileKept: expect file as given and pure of the cwd', () => {
    const spec = parseProfile(src(), 'some/dir/profile.yaml', OPTS);
    expect(spec.file).toBe('some/dir/profile.yaml');
    expect(spec.name).toBe('dir');
  });
});

// [title, text, code, line, col, full message (for one case per kind)]
type BadCase = [string, string, ProfileCode, number, number, string?];

const tooManyNodes = src({ memory: '65M', cpus: '65' }, 'numa:', ...Array.from({ length: 65 }, (_, i) => `  - { memory: 1M, cpus: [${i}] }`));

const bad: BadCase[] = [
  // structure
  ['emptyFile', '', 'PROFILE_NOT_MAPPING', 1, 1, `${FILE}:1:1: expected a mapping with kernel, machine, memory and cpus, got an empty document`],
  ['commentsOnly', '# nothing here\n', 'PROFILE_NOT_MAPPING', 1, 1],
  ['listDocument', '- kernel: 6.1-amd64\n', 'PROFILE_NOT_MAPPING', 1, 1, `${FILE}:1:1: expected a mapping with kernel, machine, memory and cpus, got a list`],
  ['scalarDocument', 'just text\n', 'PROFILE_NOT_MAPPING', 1, 1],
  ['yamlUnclosedFlow', src({}, 'numa: [ { memory: 4G', ''), 'PROFILE_YAML_SYNTAX', 7, 1],
  ['yamlBadIndent', 'kernel: 6.1-amd64\n  machine: pc\n', 'PROFILE_YAML_SYNTAX', 1, 9, `${FILE}:1:9: expected valid YAML, got an error: Nested mappings are not allowed in compact mappings`],
  ['yamlTwoDocuments', `${src()}---\n${src()}`, 'PROFILE_YAML_SYNTAX', 5, 1, `${FILE}:5:1: expected valid YAML, got an error: Source contains multiple documents; please use YAML.parseAllDocuments()`],
  ['yamlUnknownAlias', src({ memory: '*nowhere' }), 'PROFILE_YAML_SYNTAX', 3, 9],
  ['duplicateKey', src({}, 'memory: 1G'), 'PROFILE_DUPLICATE_KEY', 5, 1, `${FILE}:5:1: memory: expected each key once in a mapping, got "memory" again`],
  ['duplicateKeyInNumaNode', numa(['{ memory: 2G, memory: 2G, cpus: [0, 1, 2, 3] }']), 'PROFILE_DUPLICATE_KEY', 6, 19],
  // keys
  ['typoKeySuggests', 'kernel: 6.1-amd64\nmachine: pc\nmemroy: 512M\ncpus: 2\n', 'PROFILE_UNKNOWN_KEY', 3, 1, `${FILE}:3:1: memroy: unknown key; expected one of name, kernel, machine, memory, cpus, cpu, numa, cmdline, probe, got "memroy"; did you mean "memory"?`],
  ['unknownKeyNoSuggestion', src({}, 'colour: red'), 'PROFILE_UNKNOWN_KEY', 5, 1],
  ['numericKey', src({}, '42: x'), 'PROFILE_UNKNOWN_KEY', 5, 1],
  ['missingMemory', 'kernel: 6.1-amd64\nmachine: pc\ncpus: 2\n', 'PROFILE_MISSING_FIELD', 1, 1, `${FILE}:1:1: memory: required field is missing; expected a size like 512M or 4G (integer with K, M, G or T)`],
  ['missingKernelAfterComment', '# header\nmachine: pc\nmemory: 1G\ncpus: 1\n', 'PROFILE_MISSING_FIELD', 2, 1],
  // name
  ['nameUpperCase', `name: X86-Big\n${src()}`, 'PROFILE_BAD_NAME', 1, 7, `${FILE}:1:7: name: expected a name of a-z, 0-9, ".", "_" and "-" that starts with a letter or digit, got "X86-Big"`],
  ['nameDotDot', `name: ".."\n${src()}`, 'PROFILE_BAD_NAME', 1, 7],
  ['nameSpace', `name: "a b"\n${src()}`, 'PROFILE_BAD_NAME', 1, 7],
  ['nameNumber', `name: 123\n${src()}`, 'PROFILE_BAD_TYPE', 1, 7],
  // kernel and machine
  ['kernelTypoSuggests', src({ kernel: '6.1-amd46' }), 'PROFILE_UNKNOWN_KERNEL', 1, 9, `${FILE}:1:9: kernel: expected a kernel id from the catalog (5.10-amd64, 6.1-686-pae, 6.1-amd64, 6.12-amd64), got "6.1-amd46"; did you mean "6.1-amd64"?`],
  ['kernelUnknownFar', src({ kernel: 'linux-latest' }), 'PROFILE_UNKNOWN_KERNEL', 1, 9],
  ['kernelAsNumber', src({ kernel: '6.1' }), 'PROFILE_BAD_TYPE', 1, 9, `${FILE}:1:9: kernel: expected a kernel id such as "6.1-amd64", got 6.1; quote it if you meant the text "6.1"`],
  ['machineTypoSuggests', src({ machine: 'q53' }), 'PROFILE_BAD_MACHINE', 2, 10, `${FILE}:2:10: machine: expected pc or q35, got "q53"; did you mean "q35"?`],
  ['machineVersioned', src({ machine: 'pc-i440fx-7.2' }), 'PROFILE_BAD_MACHINE', 2, 10],
  ['machineList', src({ machine: '[pc]' }), 'PROFILE_BAD_TYPE', 2, 10],
  // memory
  ['memoryBadSuffix', src({ memory: '512X' }), 'PROFILE_BAD_SIZE', 3, 9, `${FILE}:3:9: memory: expected a size like 512M or 4G (integer with K, M, G or T), got "512X"`],
  ['memoryLowerCase', src({ memory: '512m' }), 'PROFILE_BAD_SIZE', 3, 9, `${FILE}:3:9: memory: expected a size like 512M or 4G (integer with K, M, G or T), got "512m"; did you mean "512M"?`],
  ['memoryBareNumber', src({ memory: '512' }), 'PROFILE_BAD_SIZE', 3, 9, `${FILE}:3:9: memory: expected a size like 512M or 4G (integer with K, M, G or T), got 512 without a unit; did you mean "512M"?`],
  ['memoryFraction', src({ memory: '1.5G' }), 'PROFILE_BAD_SIZE', 3, 9],
  ['memoryLeadingZero', src({ memory: '0512M' }), 'PROFILE_BAD_SIZE', 3, 9],
  ['memoryEmpty', src({ memory: '' }), 'PROFILE_BAD_SIZE', 3, 9],
  ['memoryZero', src({ memory: '0M' }), 'PROFILE_OUT_OF_RANGE', 3, 9, `${FILE}:3:9: memory: expected a size above 0 and at most 1T, got "0M"`],
  ['memoryOverOneT', src({ memory: '1025G' }), 'PROFILE_OUT_OF_RANGE', 3, 9],
  ['memoryHuge', src({ memory: '99999999999999999999T' }), 'PROFILE_OUT_OF_RANGE', 3, 9],
  // cpus
  ['cpusZero', src({ cpus: '0' }), 'PROFILE_OUT_OF_RANGE', 4, 7],
  ['cpusNegative', src({ cpus: '-1' }), 'PROFILE_OUT_OF_RANGE', 4, 7, `${FILE}:4:7: cpus: expected an integer from 1 to 255 on pc or 288 on q35, got -1`],
  ['cpusFloat', src({ cpus: '2.5' }), 'PROFILE_BAD_TYPE', 4, 7, `${FILE}:4:7: cpus: expected an integer from 1 to 255 on pc or 288 on q35, got 2.5`],
  ['cpusString', src({ cpus: '"2"' }), 'PROFILE_BAD_TYPE', 4, 7],
  ['cpusBoolean', src({ cpus: 'true' }), 'PROFILE_BAD_TYPE', 4, 7],
  ['cpusTooManyForPc', src({ cpus: '256' }), 'PROFILE_OUT_OF_RANGE', 4, 7, `${FILE}:4:7: cpus: expected at most 255 on machine pc (QEMU 7.2 max_cpus), got 256`],
  ['cpusTooManyForQ35', src({ machine: 'q35', cpus: '289' }), 'PROFILE_OUT_OF_RANGE', 4, 7],
  // cpu
  ['cpuHost', src({}, 'cpu: host'), 'PROFILE_BAD_CPU_MODEL', 5, 6, `${FILE}:5:6: cpu: expected a model TCG can emulate (e.g. qemu64, max), got "host"; "host" needs KVM, and captures run with -accel tcg`],
  ['cpuHostWithFlags', src({}, 'cpu: "host,+la57"'), 'PROFILE_BAD_CPU_MODEL', 5, 6],
  ['cpuFlagWithoutSign', src({}, 'cpu: "qemu64,la57"'), 'PROFILE_BAD_CPU_MODEL', 5, 6, `${FILE}:5:6: cpu: expected a QEMU cpu model with optional +flag and -flag items, like "qemu64,+la57", got "qemu64,la57"`],
  ['cpuSpaceAfterComma', src({}, 'cpu: "qemu64, +la57"'), 'PROFILE_BAD_CPU_MODEL', 5, 6],
  ['cpuFlagEqualsOn', src({}, 'cpu: "qemu64,la57=on"'), 'PROFILE_BAD_CPU_MODEL', 5, 6],
  ['cpuOptionInjection', src({}, 'cpu: "qemu64 -device foo"'), 'PROFILE_BAD_CPU_MODEL', 5, 6],
  // numa
  ['numaSumMismatch', numa(['{ memory: 2G, cpus: [0, 1] }', '{ memory: 1G, cpus: [2, 3] }']), 'PROFILE_NUMA_SUM', 6, 3, `${FILE}:6:3: numa: expected node sizes adding up to memory (4G = 4294967296 bytes), got 2G + 1G = 3G (3221225472 bytes)`],
  ['numaSumOverByOneK', numa(['{ memory: 2G, cpus: [0, 1] }', '{ memory: 2097153K, cpus: [2, 3] }']), 'PROFILE_NUMA_SUM', 6, 3],
  ['numaCpuDuplicated', numa(['{ memory: 2G, cpus: [0, 1] }', '{ memory: 2G, cpus: [1, 2, 3] }']), 'PROFILE_NUMA_CPUS', 7, 26, `${FILE}:7:26: numa[1].cpus[0]: expected each cpu in exactly one node, got cpu 1 again (first in numa[0].cpus[1])`],
  ['numaCpuDuplicatedInNode', numa(['{ memory: 4G, cpus: [0, 1, 1, 2, 3] }']), 'PROFILE_NUMA_CPUS', 6, 32],
  ['numaCpuMissing', numa(['{ memory: 2G, cpus: [0, 1] }', '{ memory: 2G, cpus: [2] }']), 'PROFILE_NUMA_CPUS', 6, 3, `${FILE}:6:3: numa: expected every cpu from 0 to 3 in one node, got no node for cpu 3`],
  ['numaCpuOutOfRange', numa(['{ memory: 2G, cpus: [0, 1] }', '{ memory: 2G, cpus: [2, 3, 4] }']), 'PROFILE_NUMA_CPUS', 7, 32, `${FILE}:7:32: numa[1].cpus[2]: expected a cpu index from 0 to 3 (cpus: 4), got 4`],
  ['numaCpuNegative', numa(['{ memory: 4G, cpus: [-1, 0, 1, 2, 3] }']), 'PROFILE_NUMA_CPUS', 6, 26],
  ['numaCpuFloat', numa(['{ memory: 4G, cpus: [0.5] }']), 'PROFILE_BAD_TYPE', 6, 26],
  ['numaNodeWithNeither', numa(['{ memory: 0M, cpus: [] }', '{ memory: 4G, cpus: [0, 1, 2, 3] }']), 'PROFILE_NUMA_CPUS', 6, 25, `${FILE}:6:25: numa[0].cpus: expected cpu indexes for a memoryless node (memory: 0), got an empty list`],
  ['numaCpusScalar', numa(['{ memory: 4G, cpus: 0-3 }']), 'PROFILE_BAD_TYPE', 6, 25],
  ['numaTooManyNodes', tooManyNodes, 'PROFILE_OUT_OF_RANGE', 6, 3, `${FILE}:6:3: numa: expected 1 to 64 nodes (the simulator's envelope), got 65`],
  ['numaEmptyList', src({}, 'numa: []'), 'PROFILE_OUT_OF_RANGE', 5, 7],
  ['numaNotList', src({}, 'numa: { memory: 512M, cpus: [0, 1] }'), 'PROFILE_BAD_TYPE', 5, 7],
  ['numaNodeNotMapping', numa(['4G']), 'PROFILE_NOT_MAPPING', 6, 5],
  ['numaUnknownKeyTypo', numa(['{ memory: 2G, cpus: [0, 1] }', '{ memroy: 2G, cpus: [2, 3] }']), 'PROFILE_UNKNOWN_KEY', 7, 7, `${FILE}:7:7: numa[1].memroy: unknown key; expected memory or cpus, got "memroy"; did you mean "memory"?`],
  ['numaKeyCpuForCpus', numa(['{ memory: 4G, cpu: [0, 1, 2, 3] }']), 'PROFILE_UNKNOWN_KEY', 6, 19],
  ['numaNodeMissingCpus', numa(['{ memory: 4G }']), 'PROFILE_MISSING_FIELD', 6, 5, `${FILE}:6:5: numa[0].cpus: required field is missing; expected a list of cpu indexes like [0, 1]; [] for a CPU-less node`],
  ['numaNodeBadSize', numa(['{ memory: 4GB, cpus: [0, 1, 2, 3] }']), 'PROFILE_BAD_SIZE', 6, 15],
  // cmdline
  ['cmdlineNewline', src({}, 'cmdline: "mem=1G\\nquiet"'), 'PROFILE_BAD_CMDLINE', 5, 10, `${FILE}:5:10: cmdline: expected kernel parameters on one line of printable ASCII, got a newline at character 7`],
  ['cmdlineTab', src({}, 'cmdline: "mem=1G\\tfoo"'), 'PROFILE_BAD_CMDLINE', 5, 10],
  ['cmdlineEscape', src({}, 'cmdline: "mem=1G\\e[0m"'), 'PROFILE_BAD_CMDLINE', 5, 10],
  ['cmdlineNonAscii', src({}, 'cmdline: "mem=1G é"'), 'PROFILE_BAD_CMDLINE', 5, 10],
  ['cmdlineBlockScalar', src({}, 'cmdline: |', '  mem=1G'), 'PROFILE_BAD_CMDLINE', 5, 10],
  ['cmdlineEmpty', src({}, 'cmdline: ""'), 'PROFILE_BAD_CMDLINE', 5, 10],
  ['cmdlineConsole', src({}, 'cmdline: "mem=1G console=tty0"'), 'PROFILE_BAD_CMDLINE', 5, 10, `${FILE}:5:10: cmdline: expected parameters the capture does not fix, got "console=tty0"; console= is fixed because the capture reads the serial port (fixed: console=ttyS0)`],
  ['cmdlinePanic', src({}, 'cmdline: panic=0'), 'PROFILE_BAD_CMDLINE', 5, 10],
  ['cmdlineLoglevel', src({}, 'cmdline: loglevel=4'), 'PROFILE_BAD_CMDLINE', 5, 10],
  ['cmdlineQuiet', src({}, 'cmdline: "mem=1G quiet"'), 'PROFILE_BAD_CMDLINE', 5, 10],
  ['cmdlineEarlyprintk', src({}, 'cmdline: earlyprintk=serial'), 'PROFILE_BAD_CMDLINE', 5, 10],
  ['cmdlineQuotedConsole', src({}, 'cmdline: \'"console=ttyS1"\''), 'PROFILE_BAD_CMDLINE', 5, 10],
  ['cmdlineUnbalancedQuote', src({}, 'cmdline: \'foo="bar\''), 'PROFILE_BAD_CMDLINE', 5, 10],
  ['cmdlineTooLong', src({}, `cmdline: ${'x'.repeat(MAX_CMDLINE_LENGTH + 1)}`), 'PROFILE_BAD_CMDLINE', 5, 10],
  ['cmdlineNumber', src({}, 'cmdline: 42'), 'PROFILE_BAD_TYPE', 5, 10],
  // probe
  ['probeUnknown', src({}, 'probe: stats'), 'PROFILE_BAD_PROBE', 5, 8, `${FILE}:5:8: probe: expected state (the post-boot probe), got "stats"; did you mean "state"?`],
  ['probeNotText', src({}, 'probe: true'), 'PROFILE_BAD_TYPE', 5, 8],
  ['probeEmpty', src({}, 'probe:'), 'PROFILE_BAD_TYPE', 5, 7],
];

describe('parseProfile refuses bad profiles', () => {
  test('bad_tableSize: expect at least 25 cases', () => {
    expect(bad.length).toBeGreaterThanOrEqual(25);
  });

  test.each(bad)('parseProfile_%s', (_title, text, code, line, col, message) => {
    const e = catchProfileError(() => parseProfile(text, FILE, OPTS));
    expect({ code: e.code, line: e.pos?.line, col: e.pos?.col }).toEqual({ code, line, col });
    expect(e.pos?.file).toBe(FILE);
    expect(e.message.startsWith(`${FILE}:${line}:${col}: `)).toBe(true);
    if (message !== undefined) expect(e.message).toBe(message);
  });

  test('parseProfile_cmdlineTooLong: expect the limit and its source in the message', () => {
    const e = catchProfileError(() => parseProfile(src({}, `cmdline: ${'x'.repeat(MAX_CMDLINE_LENGTH + 1)}`), FILE, OPTS));
    expect(e.message).toBe(
      `${FILE}:5:10: cmdline: expected at most ${MAX_CMDLINE_LENGTH} characters (COMMAND_LINE_SIZE 2048 less the NUL, "${FIXED_APPEND}" and " memblock=debug"), got ${MAX_CMDLINE_LENGTH + 1}`,
    );
  });

  test('parseProfile_yamlCause: expect the YAML error kept as the cause', () => {
    const e = catchProfileError(() => parseProfile('kernel: [\n', FILE, OPTS));
    expect(e.code).toBe('PROFILE_YAML_SYNTAX');
    expect(e.cause).toBeInstanceOf(Error);
  });

  test('parseProfile_typoBeforeMissing: expect the typo reported, not the field it hides', () => {
    const e = catchProfileError(() => parseProfile('kernel: 6.1-amd64\nmachnie: pc\nmemory: 1G\ncpus: 1\n', FILE, OPTS));
    expect(e.code).toBe('PROFILE_UNKNOWN_KEY');
    expect(e.message).toContain('did you mean "machine"?');
  });

  test('parseProfile_fileOrder: expect the first bad field in the file to be the one reported', () => {
    const e = catchProfileError(() => parseProfile('cpus: 0\nkernel: nope\nmachine: pc\nmemory: 1G\n', FILE, OPTS));
    expect(e.code).toBe('PROFILE_OUT_OF_RANGE');
    expect(e.pos?.line).toBe(1);
  });

  test('parseProfile_isProfileError: expect the family class with name and code', () => {
    const e = catchProfileError(() => parseProfile(src({ machine: 'q53' }), FILE, OPTS));
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ProfileError');
  });
});

describe('splitParams', () => {
  test.each([
    ['mem=1G', ['mem=1G']],
    ['a  b', ['a', 'b']],
    ['foo="a b" c', ['foo="a b"', 'c']],
    ['"console=x y" z', ['"console=x y"', 'z']],
    ['memmap=32M$0x8000000', ['memmap=32M$0x8000000']],
  ])('splitParams_%s', (line, params) => {
    expect(splitParams(line)).toEqual(params);
  });
});
