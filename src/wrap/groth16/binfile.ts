/**
 * The iden3 "binfile" container used by `.r1cs`, `.wtns`, `.ptau` and `.zkey`: a 4-byte magic,
 * u32 version, u32 section count, then sections of (u32 id, u64 byte length, bytes), all
 * little-endian. Reading is whole-file (inputs here are at most a few hundred MiB); writing
 * streams section by section.
 */
import fs from "node:fs";
import { ZkmipsError } from "../../errors.ts";

export interface BinSection {
  id: number;
  offset: number;
  size: number;
}

export interface BinFile {
  bytes: Uint8Array;
  view: DataView;
  version: number;
  sections: BinSection[];
}

/** Parses the container; throws ZkmipsError naming the file when it is truncated or foreign. */
/**
 * The whole file in one array, read in 1 GiB chunks: `fs.readFileSync` refuses files of 2 GiB or
 * more, which the `.r1cs` of a ~4M-constraint circuit approaches.
 */
export function readWholeFile(path: string): Uint8Array {
  const fd = fs.openSync(path, "r");
  try {
    const size = fs.fstatSync(fd).size;
    const bytes = new Uint8Array(size);
    let off = 0;
    while (off < size) {
      const n = fs.readSync(fd, bytes, off, Math.min(size - off, 1 << 30), off);
      if (n === 0) throw new Error(`unexpected end of file after ${off} of ${size} bytes`);
      off += n;
    }
    return bytes;
  } finally {
    fs.closeSync(fd);
  }
}

export function parseBinFile(bytes: Uint8Array, magic: string, where: string): BinFile {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (what: string): never => {
    throw new ZkmipsError(
      `${where}: not a valid .${magic} file (${what})`,
      `regenerate it with a ${magic} writer`,
    );
  };
  if (bytes.length < 12) bad("shorter than its header");
  const got = String.fromCharCode(...bytes.subarray(0, 4));
  if (got !== magic) bad(`magic is ${JSON.stringify(got)}`);
  const version = view.getUint32(4, true);
  const n = view.getUint32(8, true);
  const sections: BinSection[] = [];
  let p = 12;
  for (let i = 0; i < n; i++) {
    if (p + 12 > bytes.length) bad(`section ${i} header past end of file`);
    const id = view.getUint32(p, true);
    const size = Number(view.getBigUint64(p + 4, true));
    p += 12;
    if (p + size > bytes.length) bad(`section ${id} of ${size} bytes runs past end of file`);
    sections.push({ id, offset: p, size });
    p += size;
  }
  return { bytes, view, version, sections };
}

/** The unique section with this id, or a ZkmipsError when missing or repeated. */
export function section(file: BinFile, id: number, where: string): BinSection {
  const found = file.sections.filter((s) => s.id === id);
  if (found.length !== 1) {
    throw new ZkmipsError(`${where}: expected exactly one section ${id}, found ${found.length}`);
  }
  return found[0]!;
}

/** Sequential writer of a binfile; each section is buffered chunks, written when ended. */
export class BinFileWriter {
  private readonly fd: number;
  private pos: number;
  private sectionStart = -1;

  constructor(path: string, magic: string, version: number, nSections: number) {
    this.fd = fs.openSync(path, "w");
    const head = new Uint8Array(12);
    head.set(Array.from(magic, (c) => c.charCodeAt(0)));
    const v = new DataView(head.buffer);
    v.setUint32(4, version, true);
    v.setUint32(8, nSections, true);
    fs.writeSync(this.fd, head);
    this.pos = 12;
  }

  begin(id: number): void {
    const h = new Uint8Array(12);
    new DataView(h.buffer).setUint32(0, id, true);
    fs.writeSync(this.fd, h, 0, 12, this.pos);
    this.pos += 12;
    this.sectionStart = this.pos;
  }

  write(bytes: Uint8Array): void {
    // fs.writeSync takes at most 2^31 - 1 bytes per call (a 2^22 MIPS circuit's coefficient
    // section is 2.3 GB), and may write fewer than asked.
    for (let off = 0; off < bytes.length;)
      off += fs.writeSync(this.fd, bytes, off, Math.min(bytes.length - off, 1 << 30), this.pos + off);
    this.pos += bytes.length;
  }

  u32(x: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, x, true);
    this.write(b);
  }

  end(): void {
    const size = new Uint8Array(8);
    new DataView(size.buffer).setBigUint64(0, BigInt(this.pos - this.sectionStart), true);
    fs.writeSync(this.fd, size, 0, 8, this.sectionStart - 8);
    this.sectionStart = -1;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
