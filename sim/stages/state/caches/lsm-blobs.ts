// The LSM inode blob of 6.12 (security/security.c 6.12.115, read in 6.12.117): lsm_inode_cache's
// object size, blob_sizes.lbs_inode, summed over the LSMs ordered_lsm_init() prepares.
import { configValue } from '../../mm-inputs.ts';
import type { SizeEnv } from '../slab-create.ts';

interface Lsm {
  /** DEFINE_LSM()'s name, as CONFIG_LSM lists it. */
  readonly name: string;
  /** The option that builds it. */
  readonly option: string;
  readonly order: 'first' | 'mutable' | 'last';
  /** LSM_FLAG_EXCLUSIVE: only the first such LSM prepared is allowed (lsm_allowed()). */
  readonly exclusive?: true;
  /** Its lsm_blob_sizes.lbs_inode: a struct's sizeof, or a pointer. */
  readonly inode?: { readonly struct: string } | { readonly bytes: number };
}

/**
 * Every DEFINE_LSM() of the 6.12 tree with its order, LSM_FLAG_EXCLUSIVE and inode blob
 * (security/*: landlock/setup.c, lockdown/lockdown.c, yama/yama_lsm.c, loadpin/loadpin.c,
 * safesetid/lsm.c, apparmor/lsm.c, selinux/hooks.c, smack/smack_lsm.c, tomoyo/tomoyo.c, bpf/hooks.c,
 * ipe/ipe.c, integrity/ima/ima_main.c (LSM_ORDER_LAST, a struct ima_iint_cache pointer),
 * integrity/evm/evm_main.c (LSM_ORDER_LAST)); capability (commoncap.c) is LSM_ORDER_FIRST with no blob.
 * 6.12 has no "integrity" LSM: CONFIG_LSM's "integrity" is "not built into kernel" and ignored.
 */
const LSMS_6_12: readonly Lsm[] = [
  { name: 'capability', option: 'SECURITY', order: 'first' },
  { name: 'landlock', option: 'SECURITY_LANDLOCK', order: 'mutable', inode: { struct: 'landlock_inode_security' } },
  { name: 'lockdown', option: 'SECURITY_LOCKDOWN_LSM', order: 'mutable' },
  { name: 'yama', option: 'SECURITY_YAMA', order: 'mutable' },
  { name: 'loadpin', option: 'SECURITY_LOADPIN', order: 'mutable' },
  { name: 'safesetid', option: 'SECURITY_SAFESETID', order: 'mutable' },
  { name: 'apparmor', option: 'SECURITY_APPARMOR', order: 'mutable', exclusive: true },
  { name: 'selinux', option: 'SECURITY_SELINUX', order: 'mutable', exclusive: true, inode: { struct: 'inode_security_struct' } },
  { name: 'smack', option: 'SECURITY_SMACK', order: 'mutable', exclusive: true, inode: { struct: 'inode_smack' } },
  { name: 'tomoyo', option: 'SECURITY_TOMOYO', order: 'mutable' },
  { name: 'bpf', option: 'BPF_LSM', order: 'mutable', inode: { struct: 'bpf_storage_blob' } },
  { name: 'ipe', option: 'SECURITY_IPE', order: 'mutable', inode: { struct: 'ipe_inode' } },
  { name: 'ima', option: 'IMA', order: 'last', inode: { bytes: 8 } },
  { name: 'evm', option: 'EVM', order: 'last', inode: { struct: 'evm_iint_cache' } },
];

/** sizeof(struct rcu_head): the inode blob's head (two pointers). */
const RCU_HEAD = 16;
const WORD = 8;

/**
 * blob_sizes.lbs_inode (security/security.c 6.12 ordered_lsm_init()): ordered_lsm_parse() takes the
 * LSM_ORDER_FIRST LSMs, then CONFIG_LSM's names that are built (no lsm= or security=: both reach an
 * unreviewed __setup handler and are refused by sim/stages/cmdline.ts), then the LSM_ORDER_LAST ones;
 * prepare_lsm() skips an exclusive LSM after the first (lsm_allowed(); every .enabled default is on),
 * and lsm_set_blob_sizes() gives each allowed LSM's inode need the next word-aligned offset, the
 * first after an rcu_head. Undefined where CONFIG_LSM or a blob struct is not in the facts, and where
 * no LSM needs an inode blob (lbs_inode 0: ordered_lsm_init() creates no lsm_inode_cache).
 */
export function lsmInodeBlob(env: SizeEnv): number | undefined {
  const built = (l: Lsm): boolean => configValue(env.ctx, l.option).value === 'y';
  const list = configValue(env.ctx, 'LSM').value;
  if (list === undefined) return undefined;
  const names = list.replace(/^"|"$/g, '').split(',');
  const ordered = [
    ...LSMS_6_12.filter((l) => l.order === 'first' && built(l)),
    ...names.flatMap((n) => LSMS_6_12.filter((l) => l.order === 'mutable' && l.name === n && built(l))),
    ...LSMS_6_12.filter((l) => l.order === 'last' && built(l)),
  ];
  let exclusive = false;
  let blob = 0;
  for (const l of ordered) {
    if (l.exclusive) {
      if (exclusive) continue;
      exclusive = true;
    }
    if (!l.inode) continue;
    const need = 'bytes' in l.inode ? l.inode.bytes : env.ctx.kernel.facts.structs[l.inode.struct]?.bytes;
    if (need === undefined) return undefined;
    if (blob === 0) blob = RCU_HEAD;
    blob = Math.ceil(blob / WORD) * WORD + need;
  }
  return blob === 0 ? undefined : blob;
}
