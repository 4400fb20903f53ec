// The state probe's markers and the files it prints (harness/state/parse.ts reads them): shared by
// both /init programs, the busybox script (./image.ts initScript) and the old kernels' ELF (./mini-init.ts).

/** The files the probe prints, in this order, each as one block (harness/state/parse.ts reads them). */
export const STATE_FILES = ['/proc/zoneinfo', '/proc/meminfo', '/proc/slabinfo', '/proc/iomem', '/proc/pagetypeinfo', '/proc/buddyinfo', '/proc/vmstat'] as const;
/** The block of SLUB cache geometry: one "<cache> <object_size> <slab_size> <objs_per_slab> <order>" line per cache directory. */
export const SLAB_BLOCK = '/sys/kernel/slab';
export type StateBlockName = (typeof STATE_FILES)[number] | typeof SLAB_BLOCK;
export const STATE_BLOCKS: readonly StateBlockName[] = [...STATE_FILES, SLAB_BLOCK];

/** The marker lines, each alone on its line. */
export const STATE_MARK = {
  begin: (block: string): string => `@@bootsim-state begin ${block}@@`,
  end: (block: string): string => `@@bootsim-state end ${block}@@`,
  /** A file /init could not read: the probe failed there. */
  failed: (block: string): string => `@@bootsim-state failed ${block}@@`,
  done: '@@bootsim-state done@@',
  /** Any marker line, with its kind and block. */
  line: /^@@bootsim-state (begin|end|failed) (\S+)@@$|^@@bootsim-state done@@$/,
} as const;
