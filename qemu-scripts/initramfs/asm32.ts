// A small IA-32 encoder for the old kernels' probe /init (./mini-init.ts): the few 32-bit instruction
// forms that program needs, each encoded as the Intel SDM vol. 2 gives it (opcode, ModR/M, imm), with
// labels resolved in a second pass. Pure: the same program gives the same bytes on any host, so the
// image's size and sha256 can be committed facts. Every jump and call is rel32 and every memory
// operand is [reg + disp8] or [disp32], so an instruction's length never depends on a label.
import { BootsimError } from '../../sim/base/errors.ts';

export type AsmCode = 'ASM_BAD_OPERAND' | 'ASM_BAD_LABEL';

export class AsmError extends BootsimError<AsmCode> {}

/** The 32-bit general registers by their ModR/M number (SDM vol. 2, table 2-2). */
export const REG = { eax: 0, ecx: 1, edx: 2, ebx: 3, esp: 4, ebp: 5, esi: 6, edi: 7 } as const;
export type Reg = keyof typeof REG;

/** A 32-bit value: a number, or a label's address (plus an offset) resolved at assembly. */
export type Imm = number | { readonly label: string; readonly add?: number };

/** A jump condition and its Jcc rel32 second opcode byte (0F 8x). */
export const CC = { e: 0x84, ne: 0x85, s: 0x88, ns: 0x89, le: 0x8e, g: 0x8f, b: 0x82, ae: 0x83 } as const;
export type Cond = keyof typeof CC;

type Piece = { readonly kind: 'bytes'; readonly bytes: readonly number[] } | { readonly kind: 'imm32'; readonly value: Imm } | { readonly kind: 'rel32'; readonly label: string } | { readonly kind: 'label'; readonly name: string };

const modrm = (mod: number, reg: number, rm: number): number => (mod << 6) | (reg << 3) | rm;

function disp8(d: number): number {
  if (!Number.isInteger(d) || d < -128 || d > 127) throw new AsmError('ASM_BAD_OPERAND', `disp8: expected an integer from -128 to 127, got ${d}`);
  return d & 0xff;
}

/** [base + disp8]: mod 01; ESP as a base needs a SIB byte, which this encoder does not emit. */
function memOperand(reg: number, base: Reg, d: number): number[] {
  if (base === 'esp') throw new AsmError('ASM_BAD_OPERAND', 'memory operand: [esp + d] needs a SIB byte; expected another base register, got esp');
  return [modrm(1, reg, REG[base]), disp8(d)];
}

/**
 * The program being assembled: instructions append pieces, `label` marks a place, `bytes()` lays
 * it out from `origin` (the virtual address of its first byte) and resolves every label.
 */
export class Asm32 {
  private readonly pieces: Piece[] = [];

  private op(...bytes: number[]): this {
    this.pieces.push({ kind: 'bytes', bytes });
    return this;
  }

  private imm(value: Imm): this {
    this.pieces.push({ kind: 'imm32', value });
    return this;
  }

  label(name: string): this {
    this.pieces.push({ kind: 'label', name });
    return this;
  }

  /** Raw data bytes (strings, tables). */
  data(bytes: Uint8Array | readonly number[]): this {
    return this.op(...bytes);
  }

  /** A 32-bit little-endian word (a table entry). */
  dword(value: Imm): this {
    return this.imm(value);
  }

  /** MOV r32, imm32: B8+rd id. */
  movImm(r: Reg, v: Imm): this {
    return this.op(0xb8 + REG[r]).imm(v);
  }

  /** MOV r/m32, r32: 89 /r (register to register). */
  mov(dst: Reg, src: Reg): this {
    return this.op(0x89, modrm(3, REG[src], REG[dst]));
  }

  /** MOV r32, r/m32: 8B /r from [base + d]. */
  load(dst: Reg, base: Reg, d = 0): this {
    return this.op(0x8b, ...memOperand(REG[dst], base, d));
  }

  /** MOV r32, [disp32]: 8B /r, mod 00 rm 101. */
  loadAbs(dst: Reg, at: Imm): this {
    return this.op(0x8b, modrm(0, REG[dst], 5)).imm(at);
  }

  /** MOV [disp32], r32: 89 /r, mod 00 rm 101. */
  storeAbs(at: Imm, src: Reg): this {
    return this.op(0x89, modrm(0, REG[src], 5)).imm(at);
  }

  /** MOVZX r32, r/m16: 0F B7 /r from [base + d]. */
  loadU16(dst: Reg, base: Reg, d = 0): this {
    return this.op(0x0f, 0xb7, ...memOperand(REG[dst], base, d));
  }

  /** MOVZX r32, r/m8: 0F B6 /r from [base + d]. */
  loadU8(dst: Reg, base: Reg, d = 0): this {
    return this.op(0x0f, 0xb6, ...memOperand(REG[dst], base, d));
  }

  /** MOV r/m8, r8: 88 /r to [base + d]; the source is AL, CL, DL or BL (the low byte of eax..ebx). */
  storeU8(base: Reg, d: number, src: 'eax' | 'ecx' | 'edx' | 'ebx'): this {
    return this.op(0x88, ...memOperand(REG[src], base, d));
  }

  /** MOV r/m8, imm8: C6 /0 ib to [base + d]. */
  storeImm8(base: Reg, d: number, v: number): this {
    return this.op(0xc6, ...memOperand(0, base, d), v & 0xff);
  }

  /** CMP r/m8, imm8: 80 /7 ib at [base + d]. */
  cmpU8(base: Reg, d: number, v: number): this {
    return this.op(0x80, ...memOperand(7, base, d), v & 0xff);
  }

  /** XOR r/m32, r32: 31 /r. */
  xor(dst: Reg, src: Reg): this {
    return this.op(0x31, modrm(3, REG[src], REG[dst]));
  }

  /** TEST r/m32, r32: 85 /r. */
  test(a: Reg, b: Reg): this {
    return this.op(0x85, modrm(3, REG[b], REG[a]));
  }

  /** ADD r/m32, r32: 01 /r. */
  add(dst: Reg, src: Reg): this {
    return this.op(0x01, modrm(3, REG[src], REG[dst]));
  }

  /** SUB r/m32, r32: 29 /r. */
  sub(dst: Reg, src: Reg): this {
    return this.op(0x29, modrm(3, REG[src], REG[dst]));
  }

  /** CMP r/m32, r32: 39 /r. */
  cmp(a: Reg, b: Reg): this {
    return this.op(0x39, modrm(3, REG[b], REG[a]));
  }

  /** ADD r/m32, imm32: 81 /0 id. */
  addImm(dst: Reg, v: number): this {
    return this.op(0x81, modrm(3, 0, REG[dst])).imm(v);
  }

  /** CMP r/m32, imm32: 81 /7 id. */
  cmpImm(a: Reg, v: number): this {
    return this.op(0x81, modrm(3, 7, REG[a])).imm(v);
  }

  /** INC r32: 40+rd. */
  inc(r: Reg): this {
    return this.op(0x40 + REG[r]);
  }

  /** DEC r32: 48+rd. */
  dec(r: Reg): this {
    return this.op(0x48 + REG[r]);
  }

  /** INT 0x80: CD 80, the i386 system call gate (arch/x86/kernel/entry_32.S system_call). */
  int80(): this {
    return this.op(0xcd, 0x80);
  }

  /** CALL rel32: E8 cd. */
  call(label: string): this {
    this.op(0xe8);
    this.pieces.push({ kind: 'rel32', label });
    return this;
  }

  /** RET: C3. */
  ret(): this {
    return this.op(0xc3);
  }

  /** JMP rel32: E9 cd. */
  jmp(label: string): this {
    this.op(0xe9);
    this.pieces.push({ kind: 'rel32', label });
    return this;
  }

  /** Jcc rel32: 0F 8x cd. */
  j(cond: Cond, label: string): this {
    this.op(0x0f, CC[cond]);
    this.pieces.push({ kind: 'rel32', label });
    return this;
  }

  /** The bytes laid out from virtual address `origin`, and each label's address. Throws ASM_BAD_LABEL for a label defined twice or never. */
  assemble(origin: number): { readonly bytes: Buffer; readonly labels: ReadonlyMap<string, number> } {
    const labels = new Map<string, number>();
    let at = origin;
    for (const p of this.pieces) {
      if (p.kind === 'label') {
        if (labels.has(p.name)) throw new AsmError('ASM_BAD_LABEL', `label ${p.name}: expected one definition, got a second at 0x${at.toString(16)}`);
        labels.set(p.name, at);
      } else at += p.kind === 'bytes' ? p.bytes.length : 4;
    }
    const addr = (name: string): number => {
      const a = labels.get(name);
      if (a === undefined) throw new AsmError('ASM_BAD_LABEL', `label ${name}: expected a definition, got none`);
      return a;
    };
    const out = Buffer.alloc(at - origin);
    let off = 0;
    for (const p of this.pieces) {
      if (p.kind === 'label') continue;
      if (p.kind === 'bytes') {
        out.set(p.bytes, off);
        off += p.bytes.length;
        continue;
      }
      const v = p.kind === 'rel32' ? addr(p.label) - (origin + off + 4) : typeof p.value === 'number' ? p.value : addr(p.value.label) + (p.value.add ?? 0);
      out.writeUInt32LE(v >>> 0, off);
      off += 4;
    }
    return { bytes: out, labels };
  }
}
