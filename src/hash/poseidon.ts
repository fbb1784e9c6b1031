/**
 * Fast Poseidon over BN254, bit-exact with circomlib `Poseidon(n)` (n = 1..16).
 * `poseidon` hashes one input vector; `poseidonBatch` hashes many vectors of the same width
 * stored as 8 little-endian u32 limbs per element.
 */
import { poseidonBatchInPool } from "./poseidon-pool.ts";
import { poseidonBatchWasm } from "./poseidon-wasm.ts";
import { LIMBS_PER_ELEMENT, bigintToLimbs, limbsToBigint } from "./poseidon-limbs.ts";
import { BN254_R, POSEIDON_MAX_INPUTS } from "./poseidon-reference.ts";

/**
 * circomlib `Poseidon(inputs.length)` of canonical field elements.
 *
 * @example poseidon([1n, 2n]) // 0x115cc0f5e7d690413df64c6b9662e9cf2a3617f2743245519e19607a4417189an
 */
export function poseidon(inputs: readonly bigint[]): bigint {
  const n = inputs.length;
  if (n < 1 || n > POSEIDON_MAX_INPUTS)
    throw new RangeError(`poseidon: expected 1..${POSEIDON_MAX_INPUTS} inputs, got ${n}`);
  const limbs = new Uint32Array(n * LIMBS_PER_ELEMENT);
  for (let i = 0; i < n; i++) {
    const x = inputs[i];
    if (x < 0n || x >= BN254_R) throw new RangeError("poseidon: input is not a field element");
    bigintToLimbs(x, limbs, i * LIMBS_PER_ELEMENT);
  }
  const out = new Uint32Array(LIMBS_PER_ELEMENT);
  poseidonBatchWasm(n, limbs, 1, out);
  return limbsToBigint(out);
}

/**
 * `count` independent `Poseidon(n)` calls. `inputs` holds count * n elements, each 8
 * little-endian u32 limbs (canonical, < r); returns count * 8 limbs (canonical).
 *
 * @example poseidonBatch(2, limbsOf([1n, 2n]), 1) // limbs of poseidon([1n, 2n])
 */
export function poseidonBatch(n: number, inputs: Uint32Array, count: number): Uint32Array<ArrayBuffer> {
  checkBatchArgs(n, inputs, count);
  const out = new Uint32Array(count * LIMBS_PER_ELEMENT);
  poseidonBatchWasm(n, inputs, count, out);
  return out;
}

/**
 * Same result as `poseidonBatch`, computed by the worker pool of `hashRowsParallel` (for large
 * batches such as a Merkle tree level; small batches run on the calling thread).
 *
 * @example await poseidonBatchParallel(2, pairs, pairs.length / 16)
 */
export async function poseidonBatchParallel(
  n: number,
  inputs: Uint32Array,
  count: number,
): Promise<Uint32Array> {
  checkBatchArgs(n, inputs, count);
  return poseidonBatchInPool(n, inputs, count, poseidonBatch);
}

export function checkBatchArgs(n: number, inputs: Uint32Array, count: number): void {
  if (!Number.isInteger(n) || n < 1 || n > POSEIDON_MAX_INPUTS)
    throw new RangeError(`poseidonBatch: expected 1..${POSEIDON_MAX_INPUTS} inputs per hash, got ${n}`);
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`poseidonBatch: bad count ${count}`);
  if (inputs.length < count * n * LIMBS_PER_ELEMENT)
    throw new RangeError(
      `poseidonBatch: ${count} hashes of ${n} inputs need ${count * n * LIMBS_PER_ELEMENT} limbs, got ${inputs.length}`,
    );
}

export { BN254_R };
export { closeHashPool } from "./poseidon-pool.ts";
