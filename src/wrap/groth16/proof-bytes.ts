/**
 * The on-chain encoding of a Groth16 proof and the verifier selector.
 *
 * proofBytes (260 bytes) = selector (4) || a.x || a.y || b.x1 || b.x0 || b.y1 || b.y0 || c.x || c.y,
 * each coordinate a 32-byte big-endian word, in snarkjs's Solidity calldata order (for G2,
 * x1 / y1 are the c1 ("imaginary") halves: snarkjs's `pi_b[0][1]`, `pi_b[1][1]`).
 *
 * selector = bytes4(keccak256(abi.encode(alphax, alphay, betax1, betax2, betay1, betay2,
 * gammax1, gammax2, gammay1, gammay2, deltax1, deltax2, deltay1, deltay2, IC0x, IC0y, IC1x,
 * ...))): the `uint256 constant`s of the generated snarkjs verifier in declaration order
 * (betax1 = vk_beta_2[0][1], betax2 = vk_beta_2[0][0], likewise gamma and delta).
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { ZkmipsError } from "../../errors.ts";
import { sha256 } from "@noble/hashes/sha2.js";
import { Q } from "./fr.ts";
import type { SnarkjsProof, SnarkjsVkey } from "./snarkjs.ts";

export const PROOF_BYTES_LENGTH = 260;

/** A proof in affine coordinates, as the Solidity verifier takes it (G2 as [c0, c1] pairs). */
export interface Groth16Proof {
  a: [bigint, bigint];
  b: [[bigint, bigint], [bigint, bigint]];
  c: [bigint, bigint];
}

function word(x: bigint): Uint8Array {
  if (x < 0n || x >= 1n << 256n) throw new ZkmipsError(`value ${x} does not fit a 32-byte word`);
  return hexToBytes(x.toString(16).padStart(64, "0"));
}

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function bytesToHex(b: Uint8Array): `0x${string}` {
  return `0x${Buffer.from(b).toString("hex")}`;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function dec(s: string | undefined, what: string): bigint {
  if (s === undefined || !/^[0-9]+$/.test(s)) throw new ZkmipsError(`${what} is not a decimal integer: ${s}`);
  return BigInt(s);
}

/** Converts snarkjs's proof JSON (projective, z = 1) into affine coordinates. */
export function fromSnarkjsProof(p: SnarkjsProof): Groth16Proof {
  if (p.pi_a[2] !== "1" || p.pi_c[2] !== "1" || p.pi_b[2]?.[0] !== "1" || p.pi_b[2]?.[1] !== "0") {
    throw new ZkmipsError("snarkjs proof is not normalized (z != 1)");
  }
  return {
    a: [dec(p.pi_a[0], "pi_a.x"), dec(p.pi_a[1], "pi_a.y")],
    b: [
      [dec(p.pi_b[0]?.[0], "pi_b.x0"), dec(p.pi_b[0]?.[1], "pi_b.x1")],
      [dec(p.pi_b[1]?.[0], "pi_b.y0"), dec(p.pi_b[1]?.[1], "pi_b.y1")],
    ],
    c: [dec(p.pi_c[0], "pi_c.x"), dec(p.pi_c[1], "pi_c.y")],
  };
}

export function toSnarkjsProof(p: Groth16Proof): SnarkjsProof {
  const s = (x: bigint): string => x.toString();
  return {
    pi_a: [s(p.a[0]), s(p.a[1]), "1"],
    pi_b: [
      [s(p.b[0][0]), s(p.b[0][1])],
      [s(p.b[1][0]), s(p.b[1][1])],
      ["1", "0"],
    ],
    pi_c: [s(p.c[0]), s(p.c[1]), "1"],
    protocol: "groth16",
    curve: "bn128",
  };
}

/** The eight calldata words in Solidity order: a.x a.y b.x1 b.x0 b.y1 b.y0 c.x c.y. */
export function proofWords(p: Groth16Proof): bigint[] {
  return [p.a[0], p.a[1], p.b[0][1], p.b[0][0], p.b[1][1], p.b[1][0], p.c[0], p.c[1]];
}

function selectorBytes(selector: string): Uint8Array {
  if (!/^0x[0-9a-fA-F]{8}$/.test(selector)) {
    throw new ZkmipsError(`selector ${JSON.stringify(selector)} is not 0x followed by 8 hex digits`);
  }
  return hexToBytes(selector.slice(2));
}

/**
 * @example encodeProofBytes("0x1234abcd", proof) // Uint8Array(260)
 */
export function encodeProofBytes(selector: string, proof: Groth16Proof): Uint8Array {
  return concat([selectorBytes(selector), ...proofWords(proof).map(word)]);
}

/**
 * Strict inverse of `encodeProofBytes`: exactly 260 bytes, every coordinate below the base
 * field modulus q; throws ZkmipsError otherwise. Curve membership is the verifier's job.
 */
export function decodeProofBytes(bytes: Uint8Array | string): {
  selector: `0x${string}`;
  proof: Groth16Proof;
} {
  let b: Uint8Array;
  if (typeof bytes === "string") {
    if (!/^0x([0-9a-fA-F]{2})*$/.test(bytes))
      throw new ZkmipsError("proofBytes is not a 0x-prefixed hex string");
    b = hexToBytes(bytes.slice(2));
  } else b = bytes;
  if (b.length !== PROOF_BYTES_LENGTH) {
    throw new ZkmipsError(
      `proofBytes has ${b.length} bytes, expected ${PROOF_BYTES_LENGTH} (selector + 8 words)`,
    );
  }
  const w: bigint[] = [];
  for (let i = 0; i < 8; i++) {
    const x = BigInt(bytesToHex(b.subarray(4 + 32 * i, 36 + 32 * i)));
    if (x >= Q) throw new ZkmipsError(`proofBytes word ${i} is not a base-field element (>= q)`);
    w.push(x);
  }
  const [ax, ay, bx1, bx0, by1, by0, cx, cy] = w as [
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  return {
    selector: bytesToHex(b.subarray(0, 4)),
    proof: {
      a: [ax, ay],
      b: [
        [bx0, bx1],
        [by0, by1],
      ],
      c: [cx, cy],
    },
  };
}

/** The verifying-key words in the order of the generated verifier's constants. */
export function vkeyWords(vk: SnarkjsVkey): bigint[] {
  const g2 = (p: string[][], what: string): bigint[] => [
    dec(p[0]?.[1], `${what}.x1`),
    dec(p[0]?.[0], `${what}.x0`),
    dec(p[1]?.[1], `${what}.y1`),
    dec(p[1]?.[0], `${what}.y0`),
  ];
  return [
    dec(vk.vk_alpha_1[0], "alpha.x"),
    dec(vk.vk_alpha_1[1], "alpha.y"),
    ...g2(vk.vk_beta_2, "beta"),
    ...g2(vk.vk_gamma_2, "gamma"),
    ...g2(vk.vk_delta_2, "delta"),
    ...vk.IC.flatMap((p, i) => [dec(p[0], `IC${i}.x`), dec(p[1], `IC${i}.y`)]),
  ];
}

/** bytes4(keccak256(abi.encode(<verifier constants>))) as 0x + 8 hex digits. */
export function verifierSelector(vk: SnarkjsVkey): `0x${string}` {
  const digest = keccak_256(concat(vkeyWords(vk).map(word)));
  return bytesToHex(digest.subarray(0, 4));
}

/** Public input 1 of the wrap statement: sha256(publicValues) & (2^253 - 1) (< r). */
export function publicValuesDigest(publicValues: Uint8Array): bigint {
  return BigInt(bytesToHex(sha256(publicValues))) & ((1n << 253n) - 1n);
}
