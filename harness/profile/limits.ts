// The ranges a profile may take, each with where the limit comes from.
import type { MachineType } from '../../sim/types.ts';
import { SZ_1T } from '../../sim/base/sizes.ts';

export const MACHINES: readonly MachineType[] = ['pc', 'q35'];

/**
 * The simulator's envelope, not a hardware limit: every golden is ≤ 8G and the model is only
 * claimed up to 1T (STYLE §3 asks that a 1 TiB profile cost no more than a 512 MiB one).
 */
export const MAX_MEMORY_BYTES = SZ_1T;

/**
 * QEMU 7.2 MachineClass.max_cpus, which -smp is checked against (hw/core/machine-smp.c).
 * pc:  255, set in hw/i386/pc.c pc_machine_class_init and inherited unchanged by the i440fx
 *      machines of hw/i386/pc_piix.c.
 * q35: 288, set in hw/i386/pc_q35.c pc_q35_machine_options (raised from 255 in QEMU 2.8,
 *      commit 00d0f9fd "pc: q35: Bump max_cpus to 288"; raised again only after 7.2).
 */
export const MAX_CPUS: Readonly<Record<MachineType, number>> = { pc: 255, q35: 288 };

/**
 * The simulator's envelope, tighter than either side: QEMU 7.2 takes 128 nodes (MAX_NODES in
 * include/sysemu/numa.h) and the Debian amd64 kernels 1024 (CONFIG_MAXSMP=y, CONFIG_NODES_SHIFT=10,
 * checked in the 5.10, 6.1 and 6.12 configs). The i386 kernels are built without CONFIG_NUMA.
 */
export const MAX_NUMA_NODES = 64;

/**
 * arch/x86/include/asm/setup.h: COMMAND_LINE_SIZE 2048, including the NUL, so the boot protocol
 * advertises cmdline_size = 2047 (arch/x86/boot/header.S) and longer lines are cut.
 */
export const COMMAND_LINE_SIZE = 2048;
