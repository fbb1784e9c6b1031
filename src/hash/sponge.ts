/**
 * Leaf hashing: packs 31-bit values (KoalaBear elements or any u31) into BN254 elements and
 * absorbs them with a Poseidon chain. The exact spec (the circuit mirrors it):
 * - packing: e_k = sum_{i<8} v_{8k+i} * 2^(31 i); the last element holds the remaining < 8 values;
 * - <= 16 elements: Poseidon(len)(elems); otherwise h = Poseidon(16)(elems[0..16]) and then,
 *   for each following chunk c of <= 15 elements, h = Poseidon(1 + c.length)(h, ...c).
 * `hashRows` hashes every row of a row-major matrix; `hashRowsParallel` splits the rows over
 * worker threads and returns the same bytes.
 */
import { LIMBS_PER_ELEMENT, limbsToBigint } from "./poseidon-limbs.ts";
import { poseidon, poseidonBatch } from "./poseidon.ts";
import { POSEIDON_MAX_INPUTS } from "./poseidon-reference.ts";
import { VALUES_PER_ELEMENT, hashElementsReference } from "./poseidon-sponge-reference.ts";
import { hashRowsInPool } from "./poseidon-pool.ts";

export { VALUES_PER_ELEMENT };
export { packValuesReference, hashValuesReference } from "./poseidon-sponge-reference.ts";

const TWO_31 = 2 ** 31;

function checkValue(v: number, j: number): void {
  if (!(v >= 0 && v < TWO_31 && Number.isInteger(v)))
    throw new RangeError(`packValues: value ${j} is not a 31-bit integer (${v})`);
}

/**
 * Writes values[from, to) packed (8 per element) as u32 limbs into `out` at limb offset `at`;
 * returns the number of elements written.
 */
function packInto(values: ArrayLike<number>, from: number, to: number, out: Uint32Array, at: number): number {
  const elems = Math.ceil((to - from) / VALUES_PER_ELEMENT);
  out.fill(0, at, at + elems * LIMBS_PER_ELEMENT);
  for (let j = from; j < to; j++) {
    const v = values[j];
    checkValue(v, j);
    const k = j - from;
    const e = (k / VALUES_PER_ELEMENT) | 0;
    const bit = 31 * (k - e * VALUES_PER_ELEMENT);
    const limb = at + e * LIMBS_PER_ELEMENT + (bit >>> 5);
    const shift = bit & 31;
    out[limb] |= v << shift;
    if (shift > 1) out[limb + 1] |= v >>> (32 - shift);
  }
  return elems;
}

/**
 * Packs 31-bit values into BN254 elements, 8 per element (e = sum v_i 2^(31 i)).
 *
 * @example packValues([1, 2]) // [1n + (2n << 31n)]
 */
export function packValues(values: ArrayLike<number>): bigint[] {
  const limbs = new Uint32Array(Math.ceil(values.length / VALUES_PER_ELEMENT) * LIMBS_PER_ELEMENT);
  const n = packInto(values, 0, values.length, limbs, 0);
  return Array.from({ length: n }, (_, k) => limbsToBigint(limbs, k * LIMBS_PER_ELEMENT));
}

/**
 * Hash of a list of 31-bit values (packing + Poseidon chain, see the module comment).
 *
 * @example hashValues([1, 2, 3]) // Poseidon(1)(1 + 2*2^31 + 3*2^62)
 */
export function hashValues(values: ArrayLike<number>): bigint {
  if (values.length === 0) throw new RangeError("hashValues: empty input");
  return hashElementsReference(packValues(values), poseidon);
}

/** Rows hashed per block in `hashRows` (bounds the scratch memory). */
const BLOCK_ROWS = 512;

/**
 * hashValues of every row of a row-major `rows x width` matrix, as rows * 8 limbs.
 *
 * @example hashRows(new Uint32Array([1, 2, 3, 4]), 2, 2) // limbs of [hashValues([1,2]), hashValues([3,4])]
 */
export function hashRows(matrix: Uint32Array, width: number, rows: number): Uint32Array<ArrayBuffer> {
  checkMatrix(matrix, width, rows);
  const out = new Uint32Array(rows * LIMBS_PER_ELEMENT);
  const elems = Math.ceil(width / VALUES_PER_ELEMENT);
  const first = Math.min(elems, POSEIDON_MAX_INPUTS);
  const scratch = new Uint32Array(BLOCK_ROWS * POSEIDON_MAX_INPUTS * LIMBS_PER_ELEMENT);
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const count = Math.min(BLOCK_ROWS, rows - r0);
    // Stage 0: the first min(elems, 16) elements of each row.
    const firstValues = Math.min(width, first * VALUES_PER_ELEMENT);
    for (let r = 0; r < count; r++) {
      const base = (r0 + r) * width;
      packInto(matrix, base, base + firstValues, scratch, r * first * LIMBS_PER_ELEMENT);
    }
    let h = poseidonBatch(first, scratch, count);
    // Following stages: (h, next <= 15 elements).
    for (let v0 = firstValues; v0 < width; v0 += (POSEIDON_MAX_INPUTS - 1) * VALUES_PER_ELEMENT) {
      const v1 = Math.min(width, v0 + (POSEIDON_MAX_INPUTS - 1) * VALUES_PER_ELEMENT);
      const n = 1 + Math.ceil((v1 - v0) / VALUES_PER_ELEMENT);
      for (let r = 0; r < count; r++) {
        const at = r * n * LIMBS_PER_ELEMENT;
        scratch.set(h.subarray(r * LIMBS_PER_ELEMENT, (r + 1) * LIMBS_PER_ELEMENT), at);
        const base = (r0 + r) * width;
        packInto(matrix, base + v0, base + v1, scratch, at + LIMBS_PER_ELEMENT);
      }
      h = poseidonBatch(n, scratch, count);
    }
    out.set(h, r0 * LIMBS_PER_ELEMENT);
  }
  return out;
}

export function checkMatrix(matrix: Uint32Array, width: number, rows: number): void {
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`hashRows: bad width ${width}`);
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`hashRows: bad row count ${rows}`);
  if (matrix.length < width * rows)
    throw new RangeError(
      `hashRows: ${rows} rows of ${width} need ${width * rows} values, got ${matrix.length}`,
    );
}

/**
 * Same result as `hashRows`, computed by a pool of worker threads (one per available core,
 * reused across calls; idle workers do not keep the process alive, `closeHashPool` ends them).
 */
export async function hashRowsParallel(
  matrix: Uint32Array,
  width: number,
  rows: number,
): Promise<Uint32Array> {
  checkMatrix(matrix, width, rows);
  return hashRowsInPool(matrix, width, rows, hashRows);
}

export { closeHashPool } from "./poseidon-pool.ts";
