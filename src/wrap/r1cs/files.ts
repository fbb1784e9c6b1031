/**
 * Writers for snarkjs's binary `.r1cs` (iden3 r1csfile v1) and `.wtns` (v2) formats, streamed
 * through a 4 MiB buffer so that millions of rows never sit in memory twice.
 *
 * Both are iden3 "binfiles": 4-byte magic, u32 version, u32 section count, then sections of
 * (u32 type, u64 byte size, payload). All integers little-endian; field elements are 32-byte
 * little-endian in standard (not Montgomery) form.
 * - r1cs sections: 1 header (u32 n8 = 32, prime, u32 nWires, u32 nPubOut, u32 nPubIn,
 *   u32 nPrvIn, u64 nLabels, u32 nConstraints); 2 constraints (per row A, B, C, each
 *   u32 nTerms then nTerms × (u32 wire, 32-byte coefficient)); 3 wire → label map (u64 per
 *   wire; we use the identity map, so nLabels = nWires).
 * - wtns sections: 1 header (u32 n8, prime, u32 nWitness); 2 values (32 bytes each).
 */
import { closeSync, openSync, writeSync } from "node:fs";
import type { Builder } from "./builder.ts";
import { R } from "./field.ts";
import type { ConstraintStore } from "./store.ts";

const N8 = 32;
const CHUNK = 1 << 22;

class ChunkWriter {
  private readonly buf = Buffer.alloc(CHUNK);
  private pos = 0;
  written = 0;
  constructor(private readonly fd: number) {}

  private room(n: number): void {
    if (this.pos + n > CHUNK) this.flush();
  }
  flush(): void {
    if (this.pos > 0) writeSync(this.fd, this.buf, 0, this.pos);
    this.written += this.pos;
    this.pos = 0;
  }
  u32(x: number): void {
    this.room(4);
    this.buf.writeUInt32LE(x >>> 0, this.pos);
    this.pos += 4;
  }
  u64(x: number): void {
    this.room(8);
    this.buf.writeBigUInt64LE(BigInt(x), this.pos);
    this.pos += 8;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  /** A field element, 32 bytes little-endian. */
  fe(x: bigint): void {
    this.room(N8);
    let v = x;
    for (let i = 0; i < 4; i++) {
      this.buf.writeBigUInt64LE(v & 0xffffffffffffffffn, this.pos + 8 * i);
      v >>= 64n;
    }
    this.pos += N8;
  }
  /** A small field element (< 2^32) without BigInt work. */
  smallFe(x: number): void {
    this.room(N8);
    this.buf.fill(0, this.pos, this.pos + N8);
    this.buf.writeUInt32LE(x, this.pos);
    this.pos += N8;
  }
  magic(tag: string, version: number, nSections: number): void {
    this.bytes(Buffer.from(tag, "ascii"));
    this.u32(version);
    this.u32(nSections);
  }
  section(type: number, size: number): void {
    this.u32(type);
    this.u64(size);
  }
}

function withFile(path: string, body: (w: ChunkWriter) => void): number {
  const fd = openSync(path, "w");
  try {
    const w = new ChunkWriter(fd);
    body(w);
    w.flush();
    return w.written;
  } finally {
    closeSync(fd);
  }
}

/** Writes the builder's constraint system as `.r1cs`; returns the file size in bytes. */
export function writeR1cs(b: Builder, path: string): number {
  const s = b.store;
  if (!s) throw new Error("r1cs: writeR1cs needs a builder in compile or both mode");
  return writeR1csStore(s, { nWires: b.nWires, nPublic: b.nPublic, nPrivate: b.nPrivateInputs }, path);
}

export interface R1csHeader {
  readonly nWires: number;
  readonly nPublic: number;
  readonly nPrivate: number;
}

export function writeR1csStore(s: ConstraintStore, h: R1csHeader, path: string): number {
  const n = s.nConstraints;
  const headerSize = 4 + N8 + 4 * 4 + 8 + 4;
  const constraintsSize = 3 * n * 4 + s.nTerms * (4 + N8);
  const mapSize = 8 * h.nWires;
  // Pool coefficients are written many times: encode each once.
  const poolBytes = s.pool.map((x) => {
    const b = Buffer.alloc(N8);
    let v = x;
    for (let i = 0; i < 4; i++) {
      b.writeBigUInt64LE(v & 0xffffffffffffffffn, 8 * i);
      v >>= 64n;
    }
    return b;
  });
  return withFile(path, (w) => {
    w.magic("r1cs", 1, 3);
    w.section(1, headerSize);
    w.u32(N8);
    w.fe(R);
    w.u32(h.nWires);
    w.u32(0); // nPubOut: all public signals are declared as public inputs
    w.u32(h.nPublic);
    w.u32(h.nPrivate);
    w.u64(h.nWires);
    w.u32(n);
    w.section(2, constraintsSize);
    const st = s.starts.data;
    const wires = s.wires.data;
    const codes = s.codes.data;
    for (let k = 0; k < 3 * n; k++) {
      const a = st[k];
      const e = st[k + 1];
      w.u32(e - a);
      for (let i = a; i < e; i++) {
        w.u32(wires[i]);
        const code = codes[i];
        if (code >= 0x80000000) w.bytes(poolBytes[code - 0x80000000]);
        else w.smallFe(code);
      }
    }
    w.section(3, mapSize);
    for (let i = 0; i < h.nWires; i++) w.u64(i);
  });
}

/** Writes a witness vector (wire 0 = 1) as `.wtns`; returns the file size in bytes. */
export function writeWtns(witness: readonly bigint[], path: string): number {
  return withFile(path, (w) => {
    w.magic("wtns", 2, 2);
    w.section(1, 4 + N8 + 4);
    w.u32(N8);
    w.fe(R);
    w.u32(witness.length);
    w.section(2, N8 * witness.length);
    for (const x of witness) w.fe(x);
  });
}
