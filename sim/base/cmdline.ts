// The kernel command line every capture boots with (qemu-scripts/qemu-argv.ts passes it to -append),
// in the base so that the simulator, the capture and the profile checks read the one definition.

/** The kernel parameters every capture starts with: serial console, fixed layout, exit on panic, every level printed. */
export const FIXED_APPEND = 'console=ttyS0 nokaslr panic=-1 loglevel=8';

/** What memblockDebug adds at the very end of the kernel command line (mm/memblock.c early_param "memblock"). */
export const MEMBLOCK_DEBUG_PARAM = 'memblock=debug';
