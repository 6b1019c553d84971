// readExecutableHeader on hand-made headers: each format and CPU, and the look-alikes it must refuse.
import { describe, expect, test } from 'bun:test';
import { readExecutableHeader } from '../../build/executable-header.ts';

function elf(machine: number, cls = 2, data = 1): Uint8Array {
  const b = new Uint8Array(64);
  b.set([0x7f, 0x45, 0x4c, 0x46, cls, data]);
  new DataView(b.buffer).setUint16(18, machine, true);
  return b;
}

function macho(cpu: number): Uint8Array {
  const b = new Uint8Array(32);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0xfeedfacf, true);
  v.setUint32(4, cpu, true);
  return b;
}

function pe(machine: number, signature = 0x00004550): Uint8Array {
  const b = new Uint8Array(256);
  const v = new DataView(b.buffer);
  b.set([0x4d, 0x5a]);
  v.setUint32(0x3c, 0x80, true);
  v.setUint32(0x80, signature, true);
  v.setUint16(0x84, machine, true);
  return b;
}

describe('readExecutableHeader', () => {
  test.each([
    ['ELF x86-64', elf(0x3e), { format: 'elf', arch: 'x64' }],
    ['ELF aarch64', elf(0xb7), { format: 'elf', arch: 'arm64' }],
    ['ELF RISC-V', elf(0xf3), { format: 'elf', arch: 'unknown(243)' }],
    ['Mach-O x86_64', macho(0x01000007), { format: 'macho', arch: 'x64' }],
    ['Mach-O arm64', macho(0x0100000c), { format: 'macho', arch: 'arm64' }],
    ['PE AMD64', pe(0x8664), { format: 'pe', arch: 'x64' }],
    ['PE ARM64', pe(0xaa64), { format: 'pe', arch: 'arm64' }],
  ] as const)('%s', (_, bytes, expected) => {
    expect(readExecutableHeader(bytes)).toEqual(expected);
  });

  test.each([
    ['32-bit ELF', elf(0x3e, 1)],
    ['big-endian ELF', elf(0x3e, 2, 2)],
    ['MZ without a PE signature', pe(0x8664, 0x12345678)],
    ['a shell script', new TextEncoder().encode('#!/bin/sh\necho hi\n')],
    ['nothing', new Uint8Array(0)],
  ])('%s is not one of our executables', (_, bytes) => {
    expect(readExecutableHeader(bytes)).toBeUndefined();
  });
});
