/**
 * Minimal ELF32 little-endian reader for tests: symbol addresses from .symtab and the word
 * stored at a virtual address in a PT_LOAD segment. Independent of src/mips on purpose.
 */
export function elfSymbol(elf: Uint8Array, name: string): number | undefined {
  const view = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const shoff = view.getUint32(0x20, true);
  const shentsize = view.getUint16(0x2e, true);
  const shnum = view.getUint16(0x30, true);
  const section = (i: number) => {
    const base = shoff + i * shentsize;
    return {
      type: view.getUint32(base + 4, true),
      offset: view.getUint32(base + 16, true),
      size: view.getUint32(base + 20, true),
      link: view.getUint32(base + 24, true),
    };
  };
  for (let i = 0; i < shnum; i++) {
    const sym = section(i);
    if (sym.type !== 2) continue; // SHT_SYMTAB
    const str = section(sym.link);
    for (let off = sym.offset; off < sym.offset + sym.size; off += 16) {
      const nameOff = str.offset + view.getUint32(off, true);
      let end = nameOff;
      while (elf[end] !== 0) end++;
      if (Buffer.from(elf.subarray(nameOff, end)).toString("latin1") === name)
        return view.getUint32(off + 4, true);
    }
  }
  return undefined;
}

export function elfWordAt(elf: Uint8Array, address: number): number | undefined {
  const view = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const phoff = view.getUint32(0x1c, true);
  const phentsize = view.getUint16(0x2a, true);
  const phnum = view.getUint16(0x2c, true);
  for (let i = 0; i < phnum; i++) {
    const base = phoff + i * phentsize;
    if (view.getUint32(base, true) !== 1) continue; // PT_LOAD
    const offset = view.getUint32(base + 4, true);
    const vaddr = view.getUint32(base + 8, true);
    const filesz = view.getUint32(base + 16, true);
    if (address >= vaddr && address + 4 <= vaddr + filesz)
      return view.getUint32(offset + address - vaddr, true);
  }
  return undefined;
}
