// The IA-32 encoder of the mini /init: each instruction form against its encoding in the Intel SDM
// vol. 2 (opcode, ModR/M, immediate), rel32 targets measured from the next instruction, and the
// coded refusals (a disp8 out of range, an ESP base, a label missing or defined twice).
import { describe, expect, test } from 'vitest';
import { Asm32, AsmError } from '../../../qemu-scripts/initramfs/asm32.ts';

const bytes = (f: (a: Asm32) => Asm32, origin = 0x1000): number[] => [...f(new Asm32()).assemble(origin).bytes];

describe('Asm32 encodings (SDM vol. 2)', () => {
  test.each([
    ['mov eax, 1', (a: Asm32) => a.movImm('eax', 1), [0xb8, 1, 0, 0, 0]],
    ['mov edi, 0x12345678', (a: Asm32) => a.movImm('edi', 0x12345678), [0xbf, 0x78, 0x56, 0x34, 0x12]],
    ['mov ebx, edi (89 /r)', (a: Asm32) => a.mov('ebx', 'edi'), [0x89, 0xfb]],
    ['mov ebx, [ebp+0] (8B /r mod 01)', (a: Asm32) => a.load('ebx', 'ebp', 0), [0x8b, 0x5d, 0x00]],
    ['mov ecx, [ebp+12]', (a: Asm32) => a.load('ecx', 'ebp', 12), [0x8b, 0x4d, 0x0c]],
    ['mov ebx, [0x804ac10] (8B /r mod 00 rm 101)', (a: Asm32) => a.loadAbs('ebx', 0x804ac10), [0x8b, 0x1d, 0x10, 0xac, 0x04, 0x08]],
    ['mov [0x804ac10], eax (89 /r mod 00 rm 101)', (a: Asm32) => a.storeAbs(0x804ac10, 'eax'), [0x89, 0x05, 0x10, 0xac, 0x04, 0x08]],
    ['movzx eax, word [esi+8]', (a: Asm32) => a.loadU16('eax', 'esi', 8), [0x0f, 0xb7, 0x46, 0x08]],
    ['movzx ebx, byte [ebx-1]', (a: Asm32) => a.loadU8('ebx', 'ebx', -1), [0x0f, 0xb6, 0x5b, 0xff]],
    ['mov [edx+0], al', (a: Asm32) => a.storeU8('edx', 0, 'eax'), [0x88, 0x42, 0x00]],
    ['mov byte [edi+0], 0x2f', (a: Asm32) => a.storeImm8('edi', 0, 0x2f), [0xc6, 0x47, 0x00, 0x2f]],
    ['cmp byte [esi+10], 0x2e', (a: Asm32) => a.cmpU8('esi', 10, 0x2e), [0x80, 0x7e, 0x0a, 0x2e]],
    ['xor esi, esi', (a: Asm32) => a.xor('esi', 'esi'), [0x31, 0xf6]],
    ['test eax, eax', (a: Asm32) => a.test('eax', 'eax'), [0x85, 0xc0]],
    ['add edi, eax', (a: Asm32) => a.add('edi', 'eax'), [0x01, 0xc7]],
    ['sub edx, ecx', (a: Asm32) => a.sub('edx', 'ecx'), [0x29, 0xca]],
    ['cmp esi, edi', (a: Asm32) => a.cmp('esi', 'edi'), [0x39, 0xfe]],
    ['add ebp, 28 (81 /0 id)', (a: Asm32) => a.addImm('ebp', 28), [0x81, 0xc5, 28, 0, 0, 0]],
    ['cmp ebx, 4 (81 /7 id)', (a: Asm32) => a.cmpImm('ebx', 4), [0x81, 0xfb, 4, 0, 0, 0]],
    ['inc ebx; dec edi', (a: Asm32) => a.inc('ebx').dec('edi'), [0x43, 0x4f]],
    ['int 0x80; ret', (a: Asm32) => a.int80().ret(), [0xcd, 0x80, 0xc3]],
  ] as const)('%s', (_name, f, want) => {
    expect(bytes(f)).toEqual(want);
  });

  test('rel32: expect call, jmp and jcc targets relative to the next instruction, backwards negative', () => {
    // 0x1000: call +5 → 0x100a (jmp at 0x1005 is 5 bytes); 0x1005: jmp back to 0x1000; 0x100a: je to itself
    const out = bytes((a) => a.label('top').call('c').jmp('top').label('c').j('e', 'c'));
    expect(out).toEqual([0xe8, 0x05, 0, 0, 0, 0xe9, 0xf6, 0xff, 0xff, 0xff, 0x0f, 0x84, 0xfa, 0xff, 0xff, 0xff]);
  });

  test('labels as data: expect a label\'s address (plus its offset) in movImm and dword', () => {
    expect(bytes((a) => a.movImm('ecx', { label: 'd', add: 2 }).label('d').dword({ label: 'd' }), 0x8048000)).toEqual([0xb9, 0x07, 0x80, 0x04, 0x08, 0x05, 0x80, 0x04, 0x08]);
  });

  test('refusals: expect ASM_BAD_OPERAND for a disp8 of 128 and an esp base, ASM_BAD_LABEL for a missing or doubled label', () => {
    const code = (f: () => unknown): string | undefined => {
      try { f(); } catch (e) { return e instanceof AsmError ? e.code : 'other'; }
      return undefined;
    };
    expect(code(() => new Asm32().load('eax', 'ebp', 128))).toBe('ASM_BAD_OPERAND');
    expect(code(() => new Asm32().load('eax', 'esp', 0))).toBe('ASM_BAD_OPERAND');
    expect(code(() => new Asm32().jmp('nowhere').assemble(0))).toBe('ASM_BAD_LABEL');
    expect(code(() => new Asm32().label('x').label('x').assemble(0))).toBe('ASM_BAD_LABEL');
  });
});
