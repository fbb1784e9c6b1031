/**
 * Shared helpers of the contract tests: random words, the Groth16 proof-bytes layout and the
 * public-values digest as MipsVerifierGroth16 computes them.
 */
import { randomBytes } from "node:crypto";
import { concat, hexlify, sha256 } from "ethers";

/** BN254 scalar field modulus r. */
export const SCALAR_FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

export function randomHex(bytes: number): string {
  return hexlify(randomBytes(bytes));
}

/** A random programVKey below r. */
export function randomVKey(): string {
  return "0x" + (BigInt(randomHex(32)) % SCALAR_FIELD).toString(16).padStart(64, "0");
}

/** sha256(publicValues) & (2^253 - 1). */
export function publicValuesDigest(publicValues: string | Uint8Array): bigint {
  return BigInt(sha256(publicValues)) & ((1n << 253n) - 1n);
}

/** selector || eight proof words. */
export function proofBytes(selector: string, words: readonly string[]): string {
  return concat([selector, ...words]);
}

/** Flips the lowest bit of byte `index` of a hex string. */
export function flipByte(hex: string, index: number): string {
  const b = Uint8Array.from(Buffer.from(hex.slice(2), "hex"));
  b[index] ^= 1;
  return hexlify(b);
}

/** gasUsed of a mined transaction. */
export async function gasOf(tx: { wait(): Promise<{ gasUsed: bigint } | null> }): Promise<bigint> {
  const receipt = await tx.wait();
  if (receipt === null) throw new Error("transaction was not mined");
  return receipt.gasUsed;
}

/** Awaits a call that must revert and returns its raw revert data ("0x" when none). */
export async function revertData(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (e) {
    const data = (e as { data?: unknown }).data;
    if (typeof data === "string") return data;
    throw new Error(`call failed without revert data: ${(e as Error).message}`);
  }
  throw new Error("call did not revert");
}
