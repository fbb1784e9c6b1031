/**
 * Writer for snarkjs `.wtns` files (binfile "wtns" v2): section 1 = (u32 n8 = 32, prime r,
 * u32 nWitness), section 2 = the witness values, 32-byte little-endian standard form. Wire 0
 * must be 1, then the public signals (outputs, public inputs), then the private wires.
 */
import { ZkmipsError } from "../../errors.ts";
import { R, writeLE } from "./fr.ts";

export function encodeWtns(values: readonly bigint[]): Uint8Array {
  if (values[0] !== 1n) throw new ZkmipsError("witness wire 0 must be 1");
  const n = values.length;
  const out = new Uint8Array(12 + 12 + 40 + 12 + n * 32);
  const v = new DataView(out.buffer);
  out.set([0x77, 0x74, 0x6e, 0x73]); // "wtns"
  v.setUint32(4, 2, true);
  v.setUint32(8, 2, true);
  v.setUint32(12, 1, true);
  v.setBigUint64(16, 40n, true);
  v.setUint32(24, 32, true);
  writeLE(out, 28, R);
  v.setUint32(60, n, true);
  v.setUint32(64, 2, true);
  v.setBigUint64(68, BigInt(n * 32), true);
  values.forEach((x, i) => {
    if (x < 0n || x >= R) throw new ZkmipsError(`witness value ${i} is not a BN254 scalar field element`);
    writeLE(out, 76 + i * 32, x);
  });
  return out;
}
