// Reads the executable format and CPU from the first bytes of a binary (ELF, Mach-O, PE), so that
// tests and the release can prove each artifact is built for the target its name promises.

/** What the header says: the container format and the CPU. */
export interface ExecutableHeader {
  format: 'elf' | 'macho' | 'pe';
  arch: 'x64' | 'arm64' | `unknown(${number})`;
}

// ELF e_machine (System V ABI), Mach-O cputype (<mach/machine.h>), PE Machine (PE format spec).
const ELF_MACHINE: Record<number, ExecutableHeader['arch']> = { 0x3e: 'x64', 0xb7: 'arm64' };
const MACHO_CPU: Record<number, ExecutableHeader['arch']> = { 0x01000007: 'x64', 0x0100000c: 'arm64' };
const PE_MACHINE: Record<number, ExecutableHeader['arch']> = { 0x8664: 'x64', 0xaa64: 'arm64' };

const archOf = (table: Record<number, ExecutableHeader['arch']>, value: number): ExecutableHeader['arch'] =>
  table[value] ?? `unknown(${value})`;

/** The format and CPU of a 64-bit little-endian executable, or undefined if the bytes are none of ours. */
export function readExecutableHeader(bytes: Uint8Array): ExecutableHeader | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 20 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) {
    // EI_CLASS 2 = 64-bit, EI_DATA 1 = little-endian: every target we ship.
    if (bytes[4] !== 2 || bytes[5] !== 1) return undefined;
    return { format: 'elf', arch: archOf(ELF_MACHINE, view.getUint16(18, true)) };
  }
  if (bytes.length >= 8 && view.getUint32(0, true) === 0xfeedfacf) {
    return { format: 'macho', arch: archOf(MACHO_CPU, view.getUint32(4, true)) };
  }
  if (bytes.length >= 0x40 && bytes[0] === 0x4d && bytes[1] === 0x5a) {
    const pe = view.getUint32(0x3c, true);
    if (pe + 6 > bytes.length || view.getUint32(pe, true) !== 0x00004550) return undefined;
    return { format: 'pe', arch: archOf(PE_MACHINE, view.getUint16(pe + 4, true)) };
  }
  return undefined;
}

/** The header format each target OS uses. */
export const FORMAT_OF_OS = { linux: 'elf', darwin: 'macho', windows: 'pe' } as const;
