import { describe, expect, test } from 'vitest';
import { bootContext, simulate, type BootContext } from '../../../../sim/boot.ts';
import { loadKernelWithFacts } from '../../../../harness/kernels.ts';
import { slabCachesOf } from '../../../../sim/stages/state/caches/index.ts';
import { LSMS_7_2, lsmBackingFileBlob, lsmFileBlob, lsmInodeBlob } from '../../../../sim/stages/state/caches/lsm-blobs.ts';
import type { MachineSpec } from '../../../../sim/types.ts';

const M = 1024 * 1024;
function ctxOf(p: Partial<MachineSpec> = {}): BootContext {
  const spec: MachineSpec = { name: 't', kernel: '7.2-amd64', machine: 'pc', memoryBytes: 1024 * M, memoryText: '1G', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...p };
  return bootContext({ spec, kernel: loadKernelWithFacts(spec.kernel) });
}
/** The same boot with some config options replaced (undefined: not set). */
function withConfig(ctx: BootContext, over: Readonly<Record<string, string | undefined>>): BootContext {
  const config: Record<string, string> = { ...ctx.kernel.facts.config };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete config[k];
    else config[k] = v;
  }
  return { ...ctx, kernel: { ...ctx.kernel, facts: { ...ctx.kernel.facts, config } } };
}
const ctx = ctxOf();
const { state } = simulate(ctx);
const struct = (name: string): number => {
  const s = ctx.kernel.facts.structs[name];
  if (!s) throw new Error(`facts lack struct ${name}`);
  return s.bytes;
};
const word = (x: number): number => Math.ceil(x / 8) * 8;
const boot = slabCachesOf(state, ctx, '7.2', 'boot');
const post = slabCachesOf(state, ctx, '7.2', 'post');
const aliasOf = (name: string): string | undefined => post?.caches.find((c) => c.aliases.some((a) => a.name === name))?.name;

describe('7.2 LSM blobs (security/lsm_init.c security_init())', () => {
  test('lsm_inode_blob_ipe_builtin_sig', () => {
    // expect: rcu_head 16, landlock, bpf, ipe's 1-byte ipe_inode (CONFIG_IPE_PROP_FS_VERITY_BUILTIN_SIG=y), then
    // the LSM_ORDER_LAST ima pointer and evm, each at the next word-aligned offset; selinux is exclusive after apparmor
    let blob = 16 + struct('landlock_inode_security') + struct('bpf_storage_blob');
    blob = word(blob) + struct('ipe_inode');
    blob = word(blob) + 8;
    blob = word(blob) + struct('evm_iint_cache');
    expect(lsmInodeBlob({ state, ctx }, LSMS_7_2, 'word')).toBe(blob);
  });
  test('lsm_inode_blob_without_ipe_sig', () => {
    // expect: without the option ipe_blobs has no lbs_inode: rcu_head, landlock, bpf, ima, evm
    const c = withConfig(ctx, { IPE_PROP_FS_VERITY_BUILTIN_SIG: undefined });
    expect(lsmInodeBlob({ state, ctx: c }, LSMS_7_2, 'word')).toBe(word(16 + struct('landlock_inode_security') + struct('bpf_storage_blob')) + 8 + struct('evm_iint_cache'));
  });
  test('lsm_file_and_backing_file_blobs', () => {
    // expect: lbs_file landlock then apparmor (no rcu_head); lbs_backing_file only selinux's, excluded after apparmor: 0
    expect(lsmFileBlob({ state, ctx }, LSMS_7_2, 'word')).toBe(word(struct('landlock_file_security')) + struct('aa_file_ctx'));
    expect(lsmBackingFileBlob({ state, ctx }, LSMS_7_2, 'word')).toBe(0);
    // expect: with selinux first it is the exclusive one and brings its backing-file blob
    const sel = withConfig(ctx, { LSM: 'selinux,apparmor' });
    expect(lsmBackingFileBlob({ state, ctx: sel }, LSMS_7_2, 'word')).toBe(struct('backing_file_security_struct'));
  });
});

describe('7.2 boot table: the engine decides every call by rule', () => {
  test('create_boot_caches_none_undetermined', () => {
    // expect: with lsm_inode_cache sized, no boot call depends on an unsized one
    expect(boot?.undetermined.map((u) => u.name)).toEqual([]);
  });
  test.each([
    // expect: the five calls once settled by a boot's reading are caches of their own by find_mergeable()'s rule
    'lsm_inode_cache', 'kernfs_node_cache', 'mem_cgroup', 'mem_cgroup_per_node', 'taskstats',
  ])('create_boot_cache_own_%s', (name) => {
    expect(boot?.caches.some((c) => c.name === name)).toBe(true);
  });
  test('create_boot_no_backing_file_cache', () => {
    // expect: security_init() creates no lsm_backing_file_cache when lbs_backing_file is 0
    expect(boot?.calls.some((c) => c.name === 'lsm_backing_file_cache')).toBe(false);
  });
  test.each([
    // expect: the 56-byte file blob folds into ftrace_event_field, kernfs_iattrs_cache into Acpi-State (80), fs_cache into anon_vma_chain (:A-64)
    ['lsm_file_cache', 'ftrace_event_field'], ['kernfs_iattrs_cache', 'Acpi-State'], ['fs_cache', 'anon_vma_chain'],
  ] as const)('create_boot_alias_%s', (name, into) => {
    expect(aliasOf(name)).toBe(into);
  });
  test('create_boot_acpi_off_kernfs_iattrs_own', () => {
    // expect: under acpi=off no Acpi-State exists, so kernfs_iattrs_cache finds no 80-byte cache to fold into
    const off = ctxOf({ cmdline: 'acpi=off' });
    const r = slabCachesOf(simulate(off).state, off, '7.2', 'boot');
    expect(r?.caches.some((c) => c.name === 'kernfs_iattrs_cache')).toBe(true);
  });
});
