// The LSM inode, file and backing-file blobs (security/security.c ordered_lsm_init(): 5.10.223, 6.1.192,
// 6.12.115 read in 6.12.117; security/lsm_init.c security_init(): 7.2.13): the object sizes of
// lsm_inode_cache, lsm_file_cache and (7.2) lsm_backing_file_cache, blob_sizes.lbs_inode, lbs_file and
// lbs_backing_file, summed over the LSMs the framework prepares. One walk; each series gives its
// DEFINE_LSM() table and whether lsm_set_blob_size() (7.2: lsm_blob_size_update()) word-aligns each offset.
import { configValue } from '../../mm-inputs.ts';
import type { SizeEnv } from '../slab-create.ts';

/** A blob need: a struct's sizeof, or one pointer (smack's file blob, ima's inode blob: sizeof(void *)). */
type Need = { readonly struct: string } | { readonly pointer: true };

export interface Lsm {
  /** DEFINE_LSM()'s name, as CONFIG_LSM lists it. */
  readonly name: string;
  /** The option that builds it. */
  readonly option: string;
  readonly order: 'first' | 'mutable' | 'last';
  /** LSM_FLAG_EXCLUSIVE: only the first such LSM prepared is allowed (lsm_allowed()). */
  readonly exclusive?: true;
  /** Its lsm_blob_sizes.lbs_inode: a struct's sizeof, or a pointer. */
  readonly inode?: Need;
  /** The option under whose #ifdef its lbs_inode initialiser sits (7.2 security/ipe/ipe.c: CONFIG_IPE_PROP_FS_VERITY_BUILTIN_SIG); absent: always. */
  readonly inodeOption?: string;
  /** Its lsm_blob_sizes.lbs_file. */
  readonly file?: Need;
  /** Its lsm_blob_sizes.lbs_backing_file (7.2). */
  readonly backingFile?: Need;
}

/**
 * Every DEFINE_LSM() of the 6.12 tree with its order, LSM_FLAG_EXCLUSIVE and inode blob
 * (security/*: landlock/setup.c, lockdown/lockdown.c, yama/yama_lsm.c, loadpin/loadpin.c,
 * safesetid/lsm.c, apparmor/lsm.c, selinux/hooks.c, smack/smack_lsm.c, tomoyo/tomoyo.c, bpf/hooks.c,
 * ipe/ipe.c, integrity/ima/ima_main.c (LSM_ORDER_LAST, a struct ima_iint_cache pointer),
 * integrity/evm/evm_main.c (LSM_ORDER_LAST)); capability (commoncap.c) is LSM_ORDER_FIRST with no blob.
 * 6.12 has no "integrity" LSM: CONFIG_LSM's "integrity" is "not built into kernel" and ignored.
 */
export const LSMS_6_12: readonly Lsm[] = [
  { name: 'capability', option: 'SECURITY', order: 'first' },
  { name: 'landlock', option: 'SECURITY_LANDLOCK', order: 'mutable', inode: { struct: 'landlock_inode_security' }, file: { struct: 'landlock_file_security' } },
  { name: 'lockdown', option: 'SECURITY_LOCKDOWN_LSM', order: 'mutable' },
  { name: 'yama', option: 'SECURITY_YAMA', order: 'mutable' },
  { name: 'loadpin', option: 'SECURITY_LOADPIN', order: 'mutable' },
  { name: 'safesetid', option: 'SECURITY_SAFESETID', order: 'mutable' },
  { name: 'apparmor', option: 'SECURITY_APPARMOR', order: 'mutable', exclusive: true, file: { struct: 'aa_file_ctx' } },
  { name: 'selinux', option: 'SECURITY_SELINUX', order: 'mutable', exclusive: true, inode: { struct: 'inode_security_struct' }, file: { struct: 'file_security_struct' } },
  { name: 'smack', option: 'SECURITY_SMACK', order: 'mutable', exclusive: true, inode: { struct: 'inode_smack' }, file: { pointer: true } },
  { name: 'tomoyo', option: 'SECURITY_TOMOYO', order: 'mutable' },
  { name: 'bpf', option: 'BPF_LSM', order: 'mutable', inode: { struct: 'bpf_storage_blob' } },
  // security/ipe/ipe.c ipe_blobs: .lbs_inode under #ifdef CONFIG_IPE_PROP_FS_VERITY_BUILTIN_SIG (read in 6.12.117, as in 7.2.13)
  { name: 'ipe', option: 'SECURITY_IPE', order: 'mutable', inode: { struct: 'ipe_inode' }, inodeOption: 'IPE_PROP_FS_VERITY_BUILTIN_SIG' },
  { name: 'ima', option: 'IMA', order: 'last', inode: { pointer: true } },
  { name: 'evm', option: 'EVM', order: 'last', inode: { struct: 'evm_iint_cache' } },
];

/**
 * Every DEFINE_LSM() / DEFINE_EARLY_LSM() of the 7.2.13 tree with its order, LSM_FLAG_EXCLUSIVE and
 * blobs (the same files as 6.12): the 6.12 set (ipe's lbs_inode under CONFIG_IPE_PROP_FS_VERITY_BUILTIN_SIG
 * in both), except that selinux has an lbs_backing_file
 * (security/selinux/hooks.c selinux_blob_sizes: struct backing_file_security_struct) and landlock's file
 * blob is 7.2's struct landlock_file_security. lockdown is a DEFINE_EARLY_LSM() under
 * CONFIG_SECURITY_LOCKDOWN_LSM_EARLY, prepared by early_security_init() before the others; it has no
 * blobs and is not exclusive, so where it is prepared changes no sum. Still no "integrity" LSM.
 */
export const LSMS_7_2: readonly Lsm[] = [
  { name: 'capability', option: 'SECURITY', order: 'first' },
  { name: 'landlock', option: 'SECURITY_LANDLOCK', order: 'mutable', inode: { struct: 'landlock_inode_security' }, file: { struct: 'landlock_file_security' } },
  { name: 'lockdown', option: 'SECURITY_LOCKDOWN_LSM', order: 'mutable' },
  { name: 'yama', option: 'SECURITY_YAMA', order: 'mutable' },
  { name: 'loadpin', option: 'SECURITY_LOADPIN', order: 'mutable' },
  { name: 'safesetid', option: 'SECURITY_SAFESETID', order: 'mutable' },
  { name: 'apparmor', option: 'SECURITY_APPARMOR', order: 'mutable', exclusive: true, file: { struct: 'aa_file_ctx' } },
  { name: 'selinux', option: 'SECURITY_SELINUX', order: 'mutable', exclusive: true, inode: { struct: 'inode_security_struct' }, file: { struct: 'file_security_struct' }, backingFile: { struct: 'backing_file_security_struct' } },
  { name: 'smack', option: 'SECURITY_SMACK', order: 'mutable', exclusive: true, inode: { struct: 'inode_smack' }, file: { pointer: true } },
  { name: 'tomoyo', option: 'SECURITY_TOMOYO', order: 'mutable' },
  { name: 'bpf', option: 'BPF_LSM', order: 'mutable', inode: { struct: 'bpf_storage_blob' } },
  { name: 'ipe', option: 'SECURITY_IPE', order: 'mutable', inode: { struct: 'ipe_inode' }, inodeOption: 'IPE_PROP_FS_VERITY_BUILTIN_SIG' },
  { name: 'ima', option: 'IMA', order: 'last', inode: { pointer: true } },
  { name: 'evm', option: 'EVM', order: 'last', inode: { struct: 'evm_iint_cache' } },
];

/**
 * The LSMs of the 5.10.223 and 6.1.192 trees that need a file or inode blob (security/apparmor/lsm.c,
 * selinux/hooks.c, smack/smack_lsm.c, landlock/setup.c, bpf/hooks.c), each LSM_ORDER_MUTABLE; the
 * others (capability, lockdown, yama, loadpin, safesetid, tomoyo, integrity) need none.
 */
export const LSMS_6_1: readonly Lsm[] = [
  { name: 'apparmor', option: 'SECURITY_APPARMOR', order: 'mutable', exclusive: true, file: { struct: 'aa_file_ctx' } },
  { name: 'selinux', option: 'SECURITY_SELINUX', order: 'mutable', exclusive: true, inode: { struct: 'inode_security_struct' }, file: { struct: 'file_security_struct' } },
  { name: 'smack', option: 'SECURITY_SMACK', order: 'mutable', exclusive: true, inode: { struct: 'inode_smack' }, file: { pointer: true } },
  { name: 'landlock', option: 'SECURITY_LANDLOCK', order: 'mutable', inode: { struct: 'landlock_inode_security' } },
  { name: 'bpf', option: 'BPF_LSM', order: 'mutable', inode: { struct: 'bpf_storage_blob' } },
];

/**
 * lsm_set_blob_size(): 'word' gives each need the next ALIGN(offset, sizeof(void *)) (6.12.115);
 * 'none' the running sum (5.10.223, 6.1.192: offset = *lbs; *lbs += *need).
 */
export type BlobAlign = 'word' | 'none';

/** sizeof(void *): 8 on x86_64, 4 on i386; the inode blob's head is a struct rcu_head, two pointers (include/linux/types.h callback_head). */
const wordOf = (env: SizeEnv): number => (configValue(env.ctx, '64BIT').value === 'y' ? 8 : 4);

/** The LSMs prepare_lsm() allows, in ordered_lsm_parse()'s order (see lsmInodeBlob); undefined without CONFIG_LSM in the facts. */
function allowedLsms(env: SizeEnv, table: readonly Lsm[]): Lsm[] | undefined {
  const built = (l: Lsm): boolean => configValue(env.ctx, l.option).value === 'y';
  const list = configValue(env.ctx, 'LSM').value;
  if (list === undefined) return undefined;
  const names = list.replace(/^"|"$/g, '').split(',');
  const ordered = [
    ...table.filter((l) => l.order === 'first' && built(l)),
    ...names.flatMap((n) => table.filter((l) => l.order === 'mutable' && l.name === n && built(l))),
    ...table.filter((l) => l.order === 'last' && built(l)),
  ];
  let exclusive = false;
  return ordered.filter((l) => {
    if (!l.exclusive) return true;
    if (exclusive) return false;
    exclusive = true;
    return true;
  });
}

/** lsm_set_blob_size() over the allowed LSMs' needs: each at the next offset (word-aligned or not), the first after `headWords` pointers; 0 where none needs one. */
function blob(env: SizeEnv, table: readonly Lsm[], align: BlobAlign, need: (l: Lsm) => Need | undefined, headWords: number): number | undefined {
  const lsms = allowedLsms(env, table);
  if (!lsms) return undefined;
  const word = wordOf(env);
  let size = 0;
  for (const l of lsms) {
    const n = need(l);
    if (!n) continue;
    const bytes = 'pointer' in n ? word : env.ctx.kernel.facts.structs[n.struct]?.bytes;
    if (bytes === undefined) return undefined;
    if (size === 0) size = headWords * word;
    size = (align === 'word' ? Math.ceil(size / word) * word : size) + bytes;
  }
  return size;
}

/**
 * blob_sizes.lbs_inode (security/security.c 6.12 ordered_lsm_init()): ordered_lsm_parse() takes the
 * LSM_ORDER_FIRST LSMs, then CONFIG_LSM's names that are built (no lsm= or security=: both reach an
 * unreviewed __setup handler and are refused by sim/stages/cmdline.ts), then the LSM_ORDER_LAST ones;
 * prepare_lsm() skips an exclusive LSM after the first (lsm_allowed(); every .enabled default is on),
 * and lsm_set_blob_sizes() gives each allowed LSM's inode need the next word-aligned offset, the
 * first after an rcu_head (5.10 and 6.1: the same walk, offsets not aligned; 7.2 security/lsm_init.c:
 * the same walk as lsm_order_parse(), lsm_order_append()'s exclusive skip, lsm_prepare() →
 * lsm_blob_size_update() ALIGN(*sz_cur, sizeof(void *)); an lbs_inode under an #ifdef counts only with
 * its Lsm.inodeOption =y). Undefined where CONFIG_LSM or a blob struct is not in the facts; 0 where no
 * LSM needs an inode blob (ordered_lsm_init() / security_init() then creates no lsm_inode_cache).
 */
export const lsmInodeBlob = (env: SizeEnv, table: readonly Lsm[], align: BlobAlign): number | undefined =>
  blob(env, table, align, (l) => (l.inodeOption === undefined || configValue(env.ctx, l.inodeOption).value === 'y' ? l.inode : undefined), 2);

/** blob_sizes.lbs_file: the same walk over the file needs, from offset 0 (no head); 0 makes no lsm_file_cache. */
export const lsmFileBlob = (env: SizeEnv, table: readonly Lsm[], align: BlobAlign): number | undefined => blob(env, table, align, (l) => l.file, 0);

/** blob_sizes.lbs_backing_file (7.2 security/lsm_init.c security_init()): the same walk from offset 0; 0 makes no lsm_backing_file_cache. */
export const lsmBackingFileBlob = (env: SizeEnv, table: readonly Lsm[], align: BlobAlign): number | undefined => blob(env, table, align, (l) => l.backingFile, 0);
