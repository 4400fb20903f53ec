// The old kernels' probe /init: its ELF header, deterministic bytes that match the committed facts,
// and its behaviour, run instruction by instruction on a small IA-32 interpreter (written here from
// the SDM's opcode map, not from ../asm32.ts) against a fake kernel: the system calls it makes, in
// order, and the console bytes it writes, which harness/state/parse.ts must read.
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { readCpio } from '../../../qemu-scripts/initramfs/cpio.ts';
import { BSS_BYTES, EHDR_BYTES, LOAD_ADDR, PHDR_BYTES, REBOOT, SLAB_ATTRS, SYS, miniInitElf } from '../../../qemu-scripts/initramfs/mini-init.ts';
import { buildMiniImage, readInitramfsFacts } from '../../../qemu-scripts/initramfs/image.ts';
import { SLAB_BLOCK, STATE_FILES, STATE_MARK } from '../../../qemu-scripts/initramfs/markers.ts';
import { parseStateLog } from '../../../harness/state/parse.ts';

// ── a fake kernel and an IA-32 interpreter of the instructions the program uses ──

interface FakeFs {
  readonly files: ReadonlyMap<string, string>;
  /** /sys/kernel/slab's entries: name and d_type (4 DT_DIR, 10 DT_LNK). */
  readonly slab: readonly { readonly name: string; readonly type: number }[] | undefined;
  /**
   * The largest count one read(2) of a /proc file, or one write(2), takes (a short read or write).
   * Default: all asked. A sysfs attribute is read whole: 3.0.1 fs/sysfs/file.c sysfs_read_file() fills
   * its buffer with one show() and returns min(count, length), so the program reads it once.
   */
  readonly readChunk?: number;
}

interface Run {
  readonly console: string;
  readonly calls: readonly { readonly nr: number; readonly args: readonly number[] }[];
  readonly mounts: readonly string[];
  /** What was written to each file other than the console, by path. */
  readonly written: ReadonlyMap<string, string>;
  /** Descriptors still open when it ended. */
  readonly openAtEnd: number;
}

const ENOENT = -2;
const STACK_TOP = 0xbf800000;

function run(elf: Buffer, fs: FakeFs, maxSteps = 2_000_000): Run {
  const memsz = elf.readUInt32LE(EHDR_BYTES + 20);
  const image = Buffer.alloc(memsz);
  elf.copy(image, 0, 0, elf.readUInt32LE(EHDR_BYTES + 16));
  const stack = Buffer.alloc(0x10000);
  const mem = (a: number, n: number): { buf: Buffer; off: number } => {
    if (a >= LOAD_ADDR && a + n <= LOAD_ADDR + memsz) return { buf: image, off: a - LOAD_ADDR };
    if (a >= STACK_TOP - stack.length && a + n <= STACK_TOP) return { buf: stack, off: a - (STACK_TOP - stack.length) };
    throw new Error(`access outside the mapping: 0x${a.toString(16)} (+${n})`);
  };
  const r8 = (a: number): number => { const m = mem(a, 1); return m.buf[m.off]!; };
  const r16 = (a: number): number => { const m = mem(a, 2); return m.buf.readUInt16LE(m.off); };
  const r32 = (a: number): number => { const m = mem(a, 4); return m.buf.readUInt32LE(m.off); };
  const w8 = (a: number, v: number): void => { const m = mem(a, 1); m.buf[m.off] = v & 0xff; };
  const w32 = (a: number, v: number): void => { const m = mem(a, 4); m.buf.writeUInt32LE(v >>> 0, m.off); };
  const cstring = (a: number): string => { let s = ''; for (let c = r8(a); c !== 0; c = r8(++a)) s += String.fromCharCode(c); return s; };
  const reg = new Uint32Array(8);
  reg[4] = STACK_TOP - 16;
  let eip = elf.readUInt32LE(24);
  let zf = false, sf = false, cf = false, of = false;
  const setFlags = (res: number, c: boolean, o: boolean): void => { zf = (res >>> 0) === 0; sf = (res >>> 0) >= 0x80000000; cf = c; of = o; };
  const alu = (op: 'add' | 'sub' | 'xor' | 'and', a: number, b: number): number => {
    a >>>= 0; b >>>= 0;
    if (op === 'add') { const r = (a + b) >>> 0; setFlags(r, a + b > 0xffffffff, ((a ^ r) & (b ^ r) & 0x80000000) !== 0); return r; }
    if (op === 'sub') { const r = (a - b) >>> 0; setFlags(r, a < b, ((a ^ b) & (a ^ r) & 0x80000000) !== 0); return r; }
    const r = (op === 'xor' ? a ^ b : a & b) >>> 0; setFlags(r, false, false); return r;
  };
  const cond = (cc: number): boolean => {
    switch (cc) {
      case 0x2: return cf; case 0x3: return !cf; case 0x4: return zf; case 0x5: return !zf;
      case 0x8: return sf; case 0x9: return !sf; case 0xe: return zf || sf !== of; case 0xf: return !zf && sf === of;
      default: throw new Error(`Jcc ${cc.toString(16)}`);
    }
  };
  const fetch8 = (): number => r8(eip++);
  const fetch32 = (): number => { const v = r32(eip); eip += 4; return v; };
  const sx8 = (v: number): number => (v << 24) >> 24;
  // ModR/M: mod 11 (register), 01 ([reg + disp8]) or 00 with rm 101 ([disp32]): the forms the program uses
  const modrm = (): { reg: number; rm: number; reg3: boolean; addr: number } => {
    const b = fetch8();
    const mod = b >> 6, reg3 = (b >> 3) & 7, rm = b & 7;
    if (mod === 3) return { reg: reg3, rm, reg3: true, addr: 0 };
    if (mod === 1 && rm !== 4) return { reg: reg3, rm, reg3: false, addr: (reg[rm]! + sx8(fetch8())) >>> 0 };
    if (mod === 0 && rm === 5) return { reg: reg3, rm, reg3: false, addr: fetch32() };
    throw new Error(`ModR/M ${b.toString(16)} not in the program's forms`);
  };
  // the fake kernel
  const fds = new Map<number, { path: string; data: Buffer; pos: number } | { dir: true; done: boolean }>();
  const written = new Map<string, string>();
  let nextFd = 3;
  const calls: { nr: number; args: number[] }[] = [];
  const mounts: string[] = [];
  let consoleOut = '';
  let exited = false;
  const dirent = (name: string, type: number, ino: number): Buffer => {
    const reclen = (10 + name.length + 2 + 3) & ~3;
    const b = Buffer.alloc(reclen);
    b.writeUInt32LE(ino, 0); b.writeUInt32LE(ino, 4); b.writeUInt16LE(reclen, 8); b.write(name, 10, 'latin1'); b[reclen - 1] = type;
    return b;
  };
  const syscall = (): void => {
    const [eax, ebx, ecx, edx, esi, edi] = [reg[0]!, reg[3]!, reg[1]!, reg[2]!, reg[6]!, reg[7]!];
    calls.push({ nr: eax, args: [ebx, ecx, edx, esi, edi] });
    let ret = 0;
    switch (eax) {
      case SYS.mount: mounts.push(`${cstring(ebx)} ${cstring(ecx)} ${cstring(edx)}`); break;
      case SYS.open: {
        const p = cstring(ebx);
        if (p === SLAB_BLOCK && (ecx & 0o200000) !== 0 && fs.slab) { fds.set(nextFd, { dir: true, done: false }); ret = nextFd++; break; }
        const f = fs.files.get(p);
        if (f === undefined) { ret = ENOENT; break; }
        fds.set(nextFd, { path: p, data: Buffer.from(f, 'latin1'), pos: 0 }); ret = nextFd++;
        break;
      }
      case SYS.read: {
        const f = fds.get(ebx);
        if (!f || 'dir' in f) { ret = -9; break; }
        const n = Math.min(edx, f.data.length - f.pos, f.path.startsWith('/sys/') ? edx : fs.readChunk ?? edx);
        for (let i = 0; i < n; i++) w8(ecx + i, f.data[f.pos + i]!);
        f.pos += n; ret = n;
        break;
      }
      case SYS.write: {
        const f = fds.get(ebx);
        if (ebx !== 1 && (!f || 'dir' in f)) { ret = -9; break; }
        const n = Math.min(edx, fs.readChunk ?? edx);
        let text = '';
        for (let i = 0; i < n; i++) text += String.fromCharCode(r8(ecx + i));
        if (ebx === 1) consoleOut += text;
        else if (f && !('dir' in f)) written.set(f.path, (written.get(f.path) ?? '') + text);
        ret = n;
        break;
      }
      case SYS.close: ret = fds.delete(ebx) ? 0 : -9; break;
      case SYS.getdents: {
        const d = fds.get(ebx);
        if (!d || !('dir' in d)) { ret = -20; break; }
        if (d.done) { ret = 0; break; }
        const all = Buffer.concat([dirent('.', 4, 1), dirent('..', 4, 2), ...fs.slab!.map((e, i) => dirent(e.name, e.type, 10 + i))]);
        if (all.length > edx) throw new Error('getdents buffer too small for the fake directory');
        for (let i = 0; i < all.length; i++) w8(ecx + i, all[i]!);
        d.done = true; ret = all.length;
        break;
      }
      case SYS.reboot: ret = 0; exited = true; break;
      case SYS.exit: exited = true; break;
      default: throw new Error(`system call ${eax}`);
    }
    reg[0] = ret >>> 0;
  };
  for (let step = 0; !exited; step++) {
    if (step > maxSteps) throw new Error('the program did not end');
    const op = fetch8();
    if (op >= 0xb8 && op <= 0xbf) { reg[op - 0xb8] = fetch32(); continue; }
    if (op >= 0x40 && op <= 0x47) { const o = of; reg[op - 0x40] = alu('add', reg[op - 0x40]!, 1); cf = o && cf; continue; }
    if (op >= 0x48 && op <= 0x4f) { reg[op - 0x48] = alu('sub', reg[op - 0x48]!, 1); continue; }
    switch (op) {
      case 0x89: { const m = modrm(); if (m.reg3) reg[m.rm] = reg[m.reg]!; else w32(m.addr, reg[m.reg]!); break; }
      case 0x8b: { const m = modrm(); reg[m.reg] = m.reg3 ? reg[m.rm]! : r32(m.addr); break; }
      case 0x88: { const m = modrm(); w8(m.addr, reg[m.reg]! & 0xff); break; }
      case 0xc6: { const m = modrm(); w8(m.addr, fetch8()); break; }
      case 0x80: { const m = modrm(); if (m.reg !== 7) throw new Error('80 /r'); alu('sub', r8(m.addr) << 24, fetch8() << 24); break; }
      case 0x31: { const m = modrm(); reg[m.rm] = alu('xor', reg[m.rm]!, reg[m.reg]!); break; }
      case 0x85: { const m = modrm(); alu('and', reg[m.rm]!, reg[m.reg]!); break; }
      case 0x01: { const m = modrm(); reg[m.rm] = alu('add', reg[m.rm]!, reg[m.reg]!); break; }
      case 0x29: { const m = modrm(); reg[m.rm] = alu('sub', reg[m.rm]!, reg[m.reg]!); break; }
      case 0x39: { const m = modrm(); alu('sub', reg[m.rm]!, reg[m.reg]!); break; }
      case 0x81: {
        const m = modrm(); const imm = fetch32();
        if (m.reg === 0) reg[m.rm] = alu('add', reg[m.rm]!, imm);
        else if (m.reg === 7) alu('sub', reg[m.rm]!, imm);
        else throw new Error('81 /r');
        break;
      }
      case 0x0f: {
        const op2 = fetch8();
        if (op2 === 0xb6 || op2 === 0xb7) { const m = modrm(); reg[m.reg] = op2 === 0xb6 ? r8(m.addr) : r16(m.addr); break; }
        if ((op2 & 0xf0) === 0x80) { const d = fetch32() | 0; if (cond(op2 & 0xf)) eip = (eip + d) >>> 0; break; }
        throw new Error(`0f ${op2.toString(16)}`);
      }
      case 0xcd: if (fetch8() !== 0x80) throw new Error('int'); syscall(); break;
      case 0xe8: { const d = fetch32() | 0; reg[4] = reg[4]! - 4; w32(reg[4]!, eip); eip = (eip + d) >>> 0; break; }
      case 0xc3: eip = r32(reg[4]!); reg[4] = reg[4]! + 4; break;
      case 0xe9: { const d = fetch32() | 0; eip = (eip + d) >>> 0; break; }
      default: throw new Error(`opcode ${op.toString(16)} at 0x${(eip - 1).toString(16)}`);
    }
  }
  return { console: consoleOut, calls, mounts, written, openAtEnd: fds.size };
}

// ── the tests ──

/** Small /proc files in each block's format (harness/state/parse.ts), 3.0.1-like. */
const PROC: Readonly<Record<(typeof STATE_FILES)[number], string>> = {
  '/proc/zoneinfo': 'Node 0, zone      DMA\n  pages free     3934\n        min      63\n        low      78\n        high     94\n        scanned  0\n        spanned  4080\n        present  3951\n    nr_free_pages 3934\n        protection: (0, 865, 1001, 1001)\n  pagesets\n    cpu: 0\n              count: 0\n              high:  0\n              batch: 1\n  vm stats threshold: 4\n  all_unreclaimable: 0\n  start_pfn:         16\n  inactive_ratio:    1\n',
  '/proc/meminfo': 'MemTotal:        1037000 kB\nMemFree:         1020000 kB\n',
  '/proc/slabinfo': 'slabinfo - version: 2.1\n# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\nkmalloc-8           512    512      8  512    1 : tunables    0    0    0 : slabdata      1      1      0\n',
  '/proc/iomem': '00000000-0000ffff : reserved\n00100000-3ffdffff : System RAM\n  01000000-0111d972 : Kernel code\n',
  '/proc/pagetypeinfo': 'Page block order: 10\nPages per block:  1024\n\nFree pages count per migrate type at order       0      1\nNode    0, zone      DMA, type    Unmovable      1      0\n\nNumber of blocks type     Unmovable  Reclaimable      Movable      Reserve      Isolate \nNode 0, zone      DMA            1            0            2            1            0 \n',
  '/proc/buddyinfo': 'Node 0, zone      DMA      2      1\n',
  '/proc/vmstat': 'nr_free_pages 256101\nnr_inactive_anon 0\n',
};

const SLAB: FakeFs['slab'] = [
  { name: 'kmalloc-8', type: 4 },
  { name: ':t-0000064', type: 4 },
  { name: 'dentry_alias', type: 10 },
  { name: 'kmem_cache', type: 4 },
];

const slabFiles = (): Map<string, string> => {
  const m = new Map<string, string>();
  const geo: Record<string, readonly number[]> = { 'kmalloc-8': [8, 8, 512, 0], ':t-0000064': [64, 64, 64, 0], 'kmem_cache': [112, 128, 32, 0] };
  for (const [name, vals] of Object.entries(geo)) SLAB_ATTRS.forEach((a, i) => m.set(`${SLAB_BLOCK}/${name}/${a}`, `${vals[i]}\n`));
  return m;
};

const fullFs = (over: Partial<FakeFs> = {}): FakeFs => ({ files: new Map([...Object.entries(PROC), ['/proc/sys/kernel/printk', ''], ...slabFiles()]), slab: SLAB, ...over });

const expectedLog = (blocks: readonly [string, string | undefined][]): string =>
  blocks.map(([b, body]) => `${STATE_MARK.begin(b)}\n${body === undefined ? `${STATE_MARK.failed(b)}\n` : body}${STATE_MARK.end(b)}\n`).join('') + `${STATE_MARK.done}\n`;

const SLAB_LINES = 'kmalloc-8 8 8 512 0\n:t-0000064 64 64 64 0\nkmem_cache 112 128 32 0\n';

describe('the mini /init ELF', () => {
  test('header: expect ELF32 LSB ET_EXEC EM_386 with one RWX PT_LOAD at LOAD_ADDR covering the file and the bss, entry after the headers', () => {
    const e = miniInitElf();
    expect([...e.subarray(0, 8)]).toEqual([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]);
    expect([e.readUInt16LE(16), e.readUInt16LE(18), e.readUInt32LE(20)]).toEqual([2, 3, 1]);
    expect(e.readUInt32LE(24)).toBe(LOAD_ADDR + EHDR_BYTES + PHDR_BYTES);
    expect([e.readUInt32LE(28), e.readUInt16LE(40), e.readUInt16LE(42), e.readUInt16LE(44), e.readUInt32LE(32)]).toEqual([EHDR_BYTES, EHDR_BYTES, PHDR_BYTES, 1, 0]);
    const ph = EHDR_BYTES;
    expect([e.readUInt32LE(ph), e.readUInt32LE(ph + 4), e.readUInt32LE(ph + 8), e.readUInt32LE(ph + 16), e.readUInt32LE(ph + 24), e.readUInt32LE(ph + 28)]).toEqual([1, 0, LOAD_ADDR, e.length, 7, 0x1000]);
    expect(e.readUInt32LE(ph + 20) - e.readUInt32LE(ph + 16)).toBeGreaterThanOrEqual(BSS_BYTES);
  });

  test('deterministic: expect two builds byte-identical, and the image and its /init to be what goldens/initramfs/state-i386-mini.yaml says', () => {
    expect(miniInitElf().equals(miniInitElf())).toBe(true);
    const img = buildMiniImage();
    expect(img.equals(buildMiniImage())).toBe(true);
    const f = readInitramfsFacts('i386-mini');
    const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    expect([f.bytes, f.sha256]).toEqual([img.length, sha(img)]);
    const init = miniInitElf();
    expect('init' in f ? [f.init.bytes, f.init.sha256] : undefined).toEqual([init.length, sha(init)]);
  });

  test('image: expect /dev/console as char 5:1, /init the ELF (0755), proc and sys, and no busybox', () => {
    const by = new Map(readCpio(buildMiniImage()).map((r) => [r.name, r]));
    expect([...by.keys()].sort()).toEqual(['dev', 'dev/console', 'init', 'proc', 'sys']);
    expect(by.get('init')!.data.equals(miniInitElf())).toBe(true);
    expect(by.get('init')!.mode.toString(8)).toBe('100755');
    expect([by.get('dev/console')!.rdevmajor, by.get('dev/console')!.rdevminor]).toEqual([5, 1]);
  });
});

describe('the mini /init run on a fake kernel', () => {
  test('run_all_present: expect mounts first, "1" written to /proc/sys/kernel/printk before any marker, every block in order, cache dirs only (no symlink, no . or ..), done, reboot(RESTART), nothing left open', () => {
    const r = run(miniInitElf(), fullFs());
    expect(r.mounts).toEqual(['proc /proc proc', 'sysfs /sys sysfs']);
    expect(r.written.get('/proc/sys/kernel/printk')).toBe('1\n');
    const firstMount = r.calls.findIndex((c) => c.nr === SYS.mount);
    const firstConsole = r.calls.findIndex((c) => c.nr === SYS.write && c.args[0] === 1);
    const printkWrite = r.calls.findIndex((c) => c.nr === SYS.write && c.args[0] !== 1);
    expect(firstMount).toBe(0);
    expect(printkWrite).toBeLessThan(firstConsole);
    expect(r.console).toBe(expectedLog([...STATE_FILES.map((f): [string, string] => [f, PROC[f]]), [SLAB_BLOCK, SLAB_LINES]]));
    const last = r.calls[r.calls.length - 1]!;
    expect([last.nr, ...last.args.slice(0, 3)]).toEqual([SYS.reboot, REBOOT.magic1, REBOOT.magic2, REBOOT.restart]);
    expect(r.openAtEnd).toBe(0);
  });

  test('run_parses: expect the blocks it prints (after the printk "1") to be a state log harness/state/parse.ts reads', () => {
    const r = run(miniInitElf(), fullFs());
    const log = parseStateLog(r.console, 'fake.log');
    expect(log.slab.map((s) => [s.name, s.objectSize, s.slabSize, s.objsPerSlab, s.order])).toEqual([['kmalloc-8', 8, 8, 512, 0], [':t-0000064', 64, 64, 64, 0], ['kmem_cache', 112, 128, 32, 0]]);
    expect(log.meminfo.get('MemTotal')).toEqual({ value: 1037000, unit: 'kB' });
  });

  test('run_short_io: expect reads and writes of one byte at a time to give the same console bytes', () => {
    expect(run(miniInitElf(), fullFs({ readChunk: 1 }), 20_000_000).console).toBe(run(miniInitElf(), fullFs()).console);
  });

  test('run_missing: expect an absent file, and an absent /sys/kernel/slab, each to print its failed marker inside its block and go on', () => {
    const files = new Map(fullFs().files);
    files.delete('/proc/pagetypeinfo');
    const r = run(miniInitElf(), { files, slab: undefined });
    expect(r.console).toBe(expectedLog([...STATE_FILES.map((f): [string, string | undefined] => [f, f === '/proc/pagetypeinfo' ? undefined : PROC[f]]), [SLAB_BLOCK, undefined]]));
  });

  test('run_attr_missing: expect a cache whose attribute is absent to print the slab block\'s failed marker and the other caches still', () => {
    const files = new Map(fullFs().files);
    files.delete(`${SLAB_BLOCK}/:t-0000064/order`);
    const r = run(miniInitElf(), fullFs({ files }));
    expect(r.console).toContain(`${STATE_MARK.begin(SLAB_BLOCK)}\nkmalloc-8 8 8 512 0\n${STATE_MARK.failed(SLAB_BLOCK)}\nkmem_cache 112 128 32 0\n${STATE_MARK.end(SLAB_BLOCK)}\n`);
  });
});
