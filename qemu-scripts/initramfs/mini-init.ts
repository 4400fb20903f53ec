// The state probe's /init for the kernels older than the pinned busybox supports: Debian bookworm's
// static busybox is built against glibc 2.36, whose ELF note ABI-tag says 3.2.0, and 2.6.x/3.0 are
// older (sim/traits.ts state.probeImage). This is a static i386 ELF executable of about 2.5 KiB,
// assembled here (./asm32.ts), that does what image.ts initScript() does with system calls only
// (int 0x80; numbers of arch/x86/include/asm/unistd_32.h, the same in 2.6.11 through 7.2): mount proc
// and sysfs, drop the console log level, print each STATE_FILES file and the SLUB geometry of
// /sys/kernel/slab between the same markers, then reboot(LINUX_REBOOT_CMD_RESTART). Its bytes depend
// on nothing but this file, so the image's size and sha256 are committed facts. The kernel must have
// CONFIG_BINFMT_ELF: the seeds' allnoconfig builds (3.0.1-i386, 2.6.34-i386) do not, so no /init of
// any kind runs on them ("Failed to execute /init"); 3.0.1-i386-elf is that build with it.
import { Asm32, type Reg } from './asm32.ts';
import { SLAB_BLOCK, STATE_FILES, STATE_MARK } from './markers.ts';

/** Where the /init is assembled, as the image facts name it. */
export const MINI_INIT_PROGRAM = 'qemu-scripts/initramfs/mini-init.ts';

/** arch/x86/include/asm/unistd_32.h (3.0.1; unchanged since 2.6.11). */
export const SYS = { exit: 1, read: 3, write: 4, open: 5, close: 6, mount: 21, reboot: 88, getdents: 141 } as const;
/** include/asm-generic/fcntl.h (x86): O_WRONLY 01, O_DIRECTORY 0200000. */
const O_WRONLY = 1;
const O_DIRECTORY = 0o200000;
/** include/linux/reboot.h: the magic numbers and LINUX_REBOOT_CMD_RESTART. */
export const REBOOT = { magic1: 0xfee1dead, magic2: 672274793, restart: 0x01234567 } as const;
/** include/linux/fs.h DT_DIR: the d_type fs/readdir.c filldir() stores in the last byte of each linux_dirent. */
const DT_DIR = 4;
/** struct linux_dirent (fs/readdir.c): d_ino, d_off (4 bytes each), d_reclen (2), then d_name. */
const DIRENT = { reclen: 8, name: 10 } as const;

/** The ELF's load address: the i386 ELF ABI's traditional text base. */
export const LOAD_ADDR = 0x08048000;
/** sizeof(Elf32_Ehdr) and sizeof(Elf32_Phdr) (include/linux/elf.h). */
export const EHDR_BYTES = 52;
export const PHDR_BYTES = 32;

/** Read buffer for one read(2) of a /proc file, and for getdents(2). */
const BUF_BYTES = 4096;
/** The cache attributes printed per SLUB cache, in image.ts initScript()'s order. */
export const SLAB_ATTRS = ['object_size', 'slab_size', 'objs_per_slab', 'order'] as const;

const bytesOf = (s: string): Buffer => Buffer.from(s, 'latin1');
const cstr = (s: string): Buffer => Buffer.from(`${s}\0`, 'latin1');

/** The bss: [name, bytes], laid out in this order after the file's last byte (16-aligned). */
const BSS: readonly (readonly [string, number])[] = [
  ['buf', BUF_BYTES], ['dents', BUF_BYTES], ['line', 512], ['dirfd', 4], ['dentsEnd', 4], ['reclen', 4], ['attrFd', 4], ['pathEnd', 4],
];

type Ref = { label: string; add: number };

/** The assembler and the helpers every routine of the program uses. */
interface Emit {
  readonly a: Asm32;
  /** `mov eax, n; int 0x80`. */
  readonly sys: (n: number) => Asm32;
  readonly at: (label: string, add?: number) => Ref;
  /** The address of a bss variable (BSS order). */
  readonly bss: (name: string) => Ref;
  /** write_all() of the string at `label`, whose bytes are `s`. */
  readonly writeStr: (label: string, s: string) => Asm32;
  readonly set: (r: Reg, v: number | Ref) => Asm32;
}

function emitter(): Emit {
  const a = new Asm32();
  const at = (label: string, add = 0): Ref => ({ label, add });
  return {
    a,
    at,
    sys: (n) => a.movImm('eax', n).int80(),
    bss: (name) => {
      let off = 0;
      for (const [n, size] of BSS) {
        if (n === name) return at('bss', off);
        off += size;
      }
      throw new Error(`bss ${name}`);
    },
    writeStr: (label, s) => a.movImm('ecx', at(label)).movImm('edx', bytesOf(s).length).call('write_all'),
    set: (r, v) => a.movImm(r, v),
  };
}

/** The program: code, then its strings and tables, then the bss labels (offsets from `end`). */
export function miniInitProgram(): Asm32 {
  const e = emitter();
  emitStart(e);
  emitSlabDir(e);
  emitSlabLine(e);
  emitCatFd(e);
  emitWriteAll(e);
  emitData(e);
  return e.a;
}

/** init's entry: mount /proc and /sys, quiet printk, then every STATE_FILES file between its markers. */
function emitStart({ a, sys, at, set }: Emit): void {
  a.label('start');
  // mount("proc", "/proc", "proc", 0, NULL), mount("sysfs", "/sys", "sysfs", 0, NULL)
  for (const [fs, dir] of [['proc', 'proc_dir'], ['sysfs', 'sys_dir']] as const) {
    set('ebx', at(`fs_${fs}`)); set('ecx', at(dir)); set('edx', at(`fs_${fs}`)); a.xor('esi', 'esi').xor('edi', 'edi');
    sys(SYS.mount);
  }
  // echo 1 > /proc/sys/kernel/printk: console_loglevel 1, so no printk lands inside a block
  set('ebx', at('printk')); set('ecx', O_WRONLY); sys(SYS.open);
  a.test('eax', 'eax').j('s', 'files');
  a.mov('edi', 'eax').mov('ebx', 'eax');
  a.movImm('ecx', at('one')).movImm('edx', 2).call('write_fd');
  a.mov('ebx', 'edi'); sys(SYS.close);
  // each STATE_FILES file: begin marker, its bytes (or the failed marker), end marker; ebp walks the table
  a.label('files');
  set('ebp', at('table'));
  a.label('next_file');
  a.load('ebx', 'ebp', 0).test('ebx', 'ebx').j('e', 'slab');
  a.load('ecx', 'ebp', 4).load('edx', 'ebp', 8).call('write_all');
  a.load('ebx', 'ebp', 0).xor('ecx', 'ecx'); sys(SYS.open);
  a.test('eax', 'eax').j('s', 'file_failed');
  a.mov('edi', 'eax').call('cat_fd').mov('esi', 'eax');
  a.mov('ebx', 'edi'); sys(SYS.close);
  a.test('esi', 'esi').j('s', 'file_failed').jmp('file_end');
  a.label('file_failed');
  a.load('ecx', 'ebp', 12).load('edx', 'ebp', 16).call('write_all');
  a.label('file_end');
  a.load('ecx', 'ebp', 20).load('edx', 'ebp', 24).call('write_all');
  a.addImm('ebp', 28).jmp('next_file');
}

/** /sys/kernel/slab's cache directories, one slab_line() each, then the done marker and the reset. */
function emitSlabDir({ a, sys, at, set, bss, writeStr }: Emit): void {
  // /sys/kernel/slab: one "<cache> <object_size> <slab_size> <objs_per_slab> <order>" line per cache
  // directory; the symlinks (mm/slub.c sysfs_slab_alias: merged caches' aliases) and "." ".." skipped
  a.label('slab');
  writeStr('slab_begin', `${STATE_MARK.begin(SLAB_BLOCK)}\n`);
  set('ebx', at('slab_dir')); set('ecx', O_DIRECTORY); sys(SYS.open);
  a.test('eax', 'eax').j('s', 'slab_failed');
  a.storeAbs(bss('dirfd'), 'eax');
  a.label('getdents');
  a.loadAbs('ebx', bss('dirfd')); set('ecx', bss('dents')); set('edx', BUF_BYTES); sys(SYS.getdents);
  a.test('eax', 'eax').j('e', 'slab_close').j('s', 'slab_failed_close');
  set('esi', bss('dents'));
  a.mov('edi', 'esi').add('edi', 'eax').storeAbs(bss('dentsEnd'), 'edi');
  a.label('entry');
  a.loadAbs('edi', bss('dentsEnd')).cmp('esi', 'edi').j('ae', 'getdents');
  a.loadU16('eax', 'esi', DIRENT.reclen).storeAbs(bss('reclen'), 'eax');
  a.mov('ebx', 'esi').add('ebx', 'eax').loadU8('ebx', 'ebx', -1);
  a.cmpImm('ebx', DT_DIR).j('ne', 'skip');
  a.cmpU8('esi', DIRENT.name, '.'.charCodeAt(0)).j('e', 'skip');
  a.call('slab_line');
  a.label('skip');
  a.loadAbs('eax', bss('reclen')).add('esi', 'eax').jmp('entry');
  a.label('slab_close');
  a.loadAbs('ebx', bss('dirfd')); sys(SYS.close);
  a.jmp('slab_end');
  a.label('slab_failed_close');
  a.loadAbs('ebx', bss('dirfd')); sys(SYS.close);
  a.label('slab_failed');
  writeStr('slab_failed_mark', `${STATE_MARK.failed(SLAB_BLOCK)}\n`);
  a.label('slab_end');
  writeStr('slab_end_mark', `${STATE_MARK.end(SLAB_BLOCK)}\n`);
  writeStr('done', `${STATE_MARK.done}\n`);
  // reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_RESTART, NULL): a reset, which QEMU's
  // -no-reboot ends on. Not POWER_OFF: without pm_power_off (no ACPI or APM in these builds) 3.0.1
  // kernel/sys.c sys_reboot() turns it into HALT, and machine_halt() stops the CPU with QEMU still running.
  // If reboot(2) returns, exit(0) kills init and panic=-1 resets the machine the same way.
  set('ebx', REBOOT.magic1); set('ecx', REBOOT.magic2); set('edx', REBOOT.restart); a.xor('esi', 'esi'); sys(SYS.reboot);
  a.xor('ebx', 'ebx'); sys(SYS.exit);
}

/** slab_line(): one "<cache> <object_size> <slab_size> <objs_per_slab> <order>" line. */
function emitSlabLine({ a, sys, at, set, bss, writeStr }: Emit): void {
  // slab_line(esi = the cache's linux_dirent): "/sys/kernel/slab/<name>/<attr>" read for each attr
  a.label('slab_line');
  a.mov('ebx', 'esi').addImm('ebx', DIRENT.name);
  set('edx', at('slab_path', SLAB_BLOCK.length + 1));
  set('edi', bss('line'));
  a.label('copy_name');
  a.loadU8('eax', 'ebx', 0).test('eax', 'eax').j('e', 'named');
  a.storeU8('edx', 0, 'eax').storeU8('edi', 0, 'eax').inc('ebx').inc('edx').inc('edi').jmp('copy_name');
  a.label('named');
  a.storeImm8('edx', 0, '/'.charCodeAt(0)).inc('edx').storeAbs(bss('pathEnd'), 'edx');
  set('ebp', at('attrs'));
  a.label('attr');
  a.load('ecx', 'ebp', 0).test('ecx', 'ecx').j('e', 'emit');
  a.loadAbs('edx', bss('pathEnd'));
  a.label('copy_attr');
  a.loadU8('eax', 'ecx', 0).storeU8('edx', 0, 'eax').inc('ecx').inc('edx').test('eax', 'eax').j('ne', 'copy_attr');
  set('ebx', at('slab_path')); a.xor('ecx', 'ecx'); sys(SYS.open);
  a.test('eax', 'eax').j('s', 'attr_failed');
  a.storeAbs(bss('attrFd'), 'eax');
  a.storeImm8('edi', 0, ' '.charCodeAt(0)).inc('edi');
  a.mov('ebx', 'eax').mov('ecx', 'edi'); set('edx', 32); sys(SYS.read);
  a.mov('edx', 'eax');
  a.loadAbs('ebx', bss('attrFd')); sys(SYS.close);
  a.test('edx', 'edx').j('le', 'attr_failed');
  a.add('edi', 'edx');
  // the attribute's "%d\n" (mm/slub.c *_show): its newline dropped
  a.cmpU8('edi', -1, 10).j('ne', 'attr_next').dec('edi');
  a.label('attr_next');
  a.addImm('ebp', 4).jmp('attr');
  a.label('emit');
  a.storeImm8('edi', 0, 10).inc('edi');
  set('ecx', bss('line')); a.mov('edx', 'edi').sub('edx', 'ecx').call('write_all');
  a.ret();
  a.label('attr_failed');
  writeStr('slab_failed_mark', `${STATE_MARK.failed(SLAB_BLOCK)}\n`);
  a.ret();
}

/** cat_fd(): a file's bytes to the console. */
function emitCatFd({ a, sys, set, bss }: Emit): void {
  // cat_fd(edi = fd): read(2) and write_all until EOF; eax 0 at EOF, the negative errno on a read error
  a.label('cat_fd');
  a.mov('ebx', 'edi'); set('ecx', bss('buf')); set('edx', BUF_BYTES); sys(SYS.read);
  a.test('eax', 'eax').j('le', 'cat_ret');
  set('ecx', bss('buf')); a.mov('edx', 'eax').call('write_all').jmp('cat_fd');
  a.label('cat_ret');
  a.ret();
}

/** write_all() and write_fd(). */
function emitWriteAll({ a, sys, set }: Emit): void {
  // write_all(ecx = bytes, edx = length) to fd 1, /dev/console (init/main.c opens it for init), and
  // write_fd(ebx = fd, ecx, edx): a short write goes on (int 0x80 keeps ebx), an error gives up
  a.label('write_all');
  set('ebx', 1);
  a.label('write_fd');
  a.test('edx', 'edx').j('e', 'write_ret');
  sys(SYS.write);
  a.test('eax', 'eax').j('le', 'write_ret');
  a.add('ecx', 'eax').sub('edx', 'eax').jmp('write_fd');
  a.label('write_ret');
  a.ret();
}

/** The strings, the path buffer and the two tables the code walks; `end` labels the bss. */
function emitData({ a, at }: Emit): void {
  const str = (label: string, b: Buffer): Asm32 => a.label(label).data(b);
  str('fs_proc', cstr('proc')); str('proc_dir', cstr('/proc')); str('fs_sysfs', cstr('sysfs')); str('sys_dir', cstr('/sys'));
  str('printk', cstr('/proc/sys/kernel/printk')); str('one', bytesOf('1\n'));
  str('slab_dir', cstr(SLAB_BLOCK));
  str('slab_begin', bytesOf(`${STATE_MARK.begin(SLAB_BLOCK)}\n`));
  str('slab_failed_mark', bytesOf(`${STATE_MARK.failed(SLAB_BLOCK)}\n`));
  str('slab_end_mark', bytesOf(`${STATE_MARK.end(SLAB_BLOCK)}\n`));
  str('done', bytesOf(`${STATE_MARK.done}\n`));
  SLAB_ATTRS.forEach((n, i) => str(`attr_${i}`, cstr(n)));
  STATE_FILES.forEach((f, i) => {
    str(`path_${i}`, cstr(f));
    str(`begin_${i}`, bytesOf(`${STATE_MARK.begin(f)}\n`));
    str(`failed_${i}`, bytesOf(`${STATE_MARK.failed(f)}\n`));
    str(`end_${i}`, bytesOf(`${STATE_MARK.end(f)}\n`));
  });
  // the path buffer: "/sys/kernel/slab/" and room for "<cache>/<attr>\0" (a cache name is at most 255 bytes: NAME_MAX)
  a.label('slab_path').data(Buffer.concat([bytesOf(`${SLAB_BLOCK}/`), Buffer.alloc(256 + 32)]));
  // the tables: the attribute names, 0-ended; one row per STATE_FILES file (path, begin, begin length,
  // failed, failed length, end, end length), 0-ended
  a.label('attrs');
  SLAB_ATTRS.forEach((_, i) => a.dword(at(`attr_${i}`)));
  a.dword(0);
  a.label('table');
  STATE_FILES.forEach((f, i) => {
    a.dword(at(`path_${i}`)).dword(at(`begin_${i}`)).dword(bytesOf(`${STATE_MARK.begin(f)}\n`).length);
    a.dword(at(`failed_${i}`)).dword(bytesOf(`${STATE_MARK.failed(f)}\n`).length);
    a.dword(at(`end_${i}`)).dword(bytesOf(`${STATE_MARK.end(f)}\n`).length);
  });
  a.dword(0);
  a.label('end');
}

/** The bss's size in bytes. */
export const BSS_BYTES = BSS.reduce((n, [, s]) => n + s, 0);

/**
 * The executable: an Elf32_Ehdr (ET_EXEC, EM_386, ELFOSABI_SYSV), one PT_LOAD program header mapping
 * the whole file read-write-execute at LOAD_ADDR, with the bss after it (p_memsz > p_filesz:
 * fs/binfmt_elf.c load_elf_binary() zeroes it), then the code at e_entry. No section headers.
 */
export function miniInitElf(): Buffer {
  const head = EHDR_BYTES + PHDR_BYTES;
  const prog = miniInitProgram();
  // the bss label sits after the file's end, 16-aligned: assemble once to find the end, then for real
  const first = prog.label('bss').assemble(LOAD_ADDR + head);
  const fileEnd = first.labels.get('end')!;
  const bssAt = (fileEnd + 15) & ~15;
  const padded = miniInitProgram().data(Buffer.alloc(bssAt - fileEnd)).label('bss').assemble(LOAD_ADDR + head);
  const body = padded.bytes;
  const fileBytes = head + body.length;
  const memBytes = fileBytes + BSS_BYTES;
  const eh = Buffer.alloc(EHDR_BYTES);
  eh.set([0x7f, 0x45, 0x4c, 0x46, 1 /* ELFCLASS32 */, 1 /* ELFDATA2LSB */, 1 /* EV_CURRENT */, 0 /* ELFOSABI_SYSV */], 0);
  eh.writeUInt16LE(2, 16); // e_type ET_EXEC
  eh.writeUInt16LE(3, 18); // e_machine EM_386
  eh.writeUInt32LE(1, 20); // e_version
  eh.writeUInt32LE(padded.labels.get('start')!, 24); // e_entry
  eh.writeUInt32LE(EHDR_BYTES, 28); // e_phoff
  eh.writeUInt32LE(0, 32); // e_shoff
  eh.writeUInt32LE(0, 36); // e_flags
  eh.writeUInt16LE(EHDR_BYTES, 40); // e_ehsize
  eh.writeUInt16LE(PHDR_BYTES, 42); // e_phentsize
  eh.writeUInt16LE(1, 44); // e_phnum
  eh.writeUInt16LE(0, 46); // e_shentsize
  eh.writeUInt16LE(0, 48); // e_shnum
  eh.writeUInt16LE(0, 50); // e_shstrndx
  const ph = Buffer.alloc(PHDR_BYTES);
  ph.writeUInt32LE(1, 0); // p_type PT_LOAD
  ph.writeUInt32LE(0, 4); // p_offset
  ph.writeUInt32LE(LOAD_ADDR, 8); // p_vaddr
  ph.writeUInt32LE(LOAD_ADDR, 12); // p_paddr
  ph.writeUInt32LE(fileBytes, 16); // p_filesz
  ph.writeUInt32LE(memBytes, 20); // p_memsz
  ph.writeUInt32LE(7, 24); // p_flags PF_R | PF_W | PF_X
  ph.writeUInt32LE(0x1000, 28); // p_align
  return Buffer.concat([eh, ph, body]);
}
