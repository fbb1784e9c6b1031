/**
 * Mixed-height Merkle commitment to a batch of matrices (Plonky3 "MMCS" style), binary,
 * over Poseidon-BN254.
 *
 * Matrices (row-major Uint32Array of KoalaBear values, power-of-two heights) are committed
 * together in ONE tree whose leaf count is the largest height H. The digest of a list of
 * values is `rowDigest(values)`: the packed element sum v_i 2^(31 i) itself when there are at
 * most 8 values (one BN254 element, an injective encoding: no hash needed), otherwise
 * hashValues(values).
 * - leaf i = rowDigest(concatenation of row i of every matrix of height H, in input order);
 * - a node at level k (H/2^k nodes) = Poseidon(2)(left, right); then, if some matrices have
 *   height H/2^k, it becomes Poseidon(2)(node, rowDigest(their rows, concatenated)).
 * So one query at index q (of the tallest height) opens row q >> (log H - log h) of every
 * matrix with one authentication path of log H siblings. Matrices of width 0 are ignored.
 */
import { poseidon, poseidonBatch } from "./poseidon.ts";
import { VALUES_PER_ELEMENT, hashRows, hashValues, packValues } from "./sponge.ts";

export const LIMBS = 8;

export interface MatrixData {
  readonly values: Uint32Array;
  readonly width: number;
  readonly height: number;
}

export interface MatrixShape {
  readonly width: number;
  readonly height: number;
}

export interface MerkleTree {
  readonly root: bigint;
  readonly logHeight: number;
  readonly matrices: readonly MatrixData[];
  /** layers[k] = node digests at level k as 8 u32 limbs each; layers[logHeight] = root. */
  readonly layers: readonly Uint32Array[];
}

export interface MerkleOpening {
  /** One row per input matrix (empty for width-0 matrices), in input order. */
  readonly rows: Uint32Array[];
  /** Sibling digests from the leaf level upwards. */
  readonly path: bigint[];
}

export function limbsToBigint(limbs: Uint32Array, offset: number): bigint {
  let x = 0n;
  for (let i = LIMBS - 1; i >= 0; i--) x = (x << 32n) | BigInt(limbs[offset + i]);
  return x;
}

export function bigintToLimbs(x: bigint, out: Uint32Array, offset: number): void {
  for (let i = 0; i < LIMBS; i++) {
    out[offset + i] = Number(x & 0xffffffffn);
    x >>= 32n;
  }
}

/** Digest of a row: the packed element for at most 8 values, else hashValues. */
export function rowDigest(values: ArrayLike<number>): bigint {
  return values.length <= VALUES_PER_ELEMENT ? packValues(values)[0] : hashValues(values);
}

/** Packs rows of at most 8 values into one element each (8 limbs per row). */
export function packRows(matrix: Uint32Array, width: number, rows: number): Uint32Array {
  const out = new Uint32Array(rows * LIMBS);
  for (let r = 0; r < rows; r++) {
    const o = r * LIMBS;
    for (let i = 0; i < width; i++) {
      const v = matrix[r * width + i];
      const bit = 31 * i;
      const limb = bit >>> 5;
      const sh = bit & 31;
      out[o + limb] = (out[o + limb] | (v << sh)) >>> 0;
      if (sh > 1) out[o + limb + 1] = (out[o + limb + 1] | (v >>> (32 - sh))) >>> 0;
    }
  }
  return out;
}

function log2(n: number): number {
  const l = Math.round(Math.log2(n));
  if (n < 1 || 2 ** l !== n) throw new RangeError(`merkle: height ${n} is not a power of two`);
  return l;
}

/** Groups matrix indices by height; only matrices of positive width. */
function byHeight(shapes: readonly MatrixShape[]): Map<number, number[]> {
  const m = new Map<number, number[]>();
  shapes.forEach((s, i) => {
    if (s.width === 0) return;
    const list = m.get(s.height) ?? [];
    list.push(i);
    m.set(s.height, list);
  });
  return m;
}

function concatRowsMatrix(
  mats: readonly MatrixData[],
  idx: number[],
  height: number,
): { data: Uint32Array; width: number } {
  if (idx.length === 1) return { data: mats[idx[0]].values, width: mats[idx[0]].width };
  const width = idx.reduce((s, i) => s + mats[i].width, 0);
  const data = new Uint32Array(width * height);
  let off = 0;
  for (const i of idx) {
    const m = mats[i];
    for (let r = 0; r < height; r++)
      data.set(m.values.subarray(r * m.width, (r + 1) * m.width), r * width + off);
    off += m.width;
  }
  return { data, width };
}

/** Batch Poseidon(n) over limbs (`poseidonBatch` or `poseidonBatchParallel`). */
export type NodeHasher = (
  n: number,
  inputs: Uint32Array,
  count: number,
) => Uint32Array | Promise<Uint32Array>;

/** Hashes pairs of digests: out[j] = Poseidon(2)(a[2j] or a[j], b[j]). */
async function compressPairs(
  left: Uint32Array,
  right: Uint32Array | null,
  count: number,
  nodeHasher: NodeHasher,
): Promise<Uint32Array> {
  // Siblings of one level are adjacent: the previous layer is already the input (no copy).
  if (!right) return nodeHasher(2, left.subarray(0, count * 2 * LIMBS), count);
  const inputs = new Uint32Array(count * 2 * LIMBS);
  for (let j = 0; j < count; j++) {
    const o = 2 * j * LIMBS;
    const a = j * LIMBS;
    for (let l = 0; l < LIMBS; l++) {
      inputs[o + l] = left[a + l];
      inputs[o + LIMBS + l] = right[a + l];
    }
  }
  return nodeHasher(2, inputs, count);
}

export type RowHasher = (
  matrix: Uint32Array,
  width: number,
  rows: number,
) => Uint32Array | Promise<Uint32Array>;

/**
 * Commits a batch of matrices. `rowHasher` / `nodeHasher` default to the single-thread
 * `hashRows` / `poseidonBatch`; pass `hashRowsParallel` / `poseidonBatchParallel` for workers.
 */
export async function merkleCommit(
  matrices: readonly MatrixData[],
  rowHasher: RowHasher = hashRows,
  nodeHasher: NodeHasher = poseidonBatch,
): Promise<MerkleTree> {
  const groups = byHeight(matrices);
  if (groups.size === 0) throw new RangeError("merkle: nothing to commit");
  for (const m of matrices) {
    if (m.values.length !== m.width * m.height) throw new RangeError("merkle: matrix size mismatch");
  }
  const maxHeight = Math.max(...groups.keys());
  const logH = log2(maxHeight);
  const hashed = new Map<number, Uint32Array>();
  // Every height's rows are submitted before any is awaited, so a parallel hasher keeps all
  // workers busy across groups instead of draining the pool after each one.
  const pending: Promise<void>[] = [];
  for (const [h, idx] of groups) {
    log2(h);
    const { data, width } = concatRowsMatrix(matrices, idx, h);
    if (width <= VALUES_PER_ELEMENT) hashed.set(h, packRows(data, width, h));
    else pending.push(Promise.resolve(rowHasher(data, width, h)).then((d) => void hashed.set(h, d)));
  }
  await Promise.all(pending);
  const layers: Uint32Array[] = [hashed.get(maxHeight)!];
  for (let k = 1; k <= logH; k++) {
    const count = maxHeight >>> k;
    let layer = await compressPairs(layers[k - 1], null, count, nodeHasher);
    const inj = hashed.get(count);
    if (inj) layer = await compressPairs(layer, inj, count, nodeHasher);
    layers.push(layer);
  }
  return { root: limbsToBigint(layers[logH], 0), logHeight: logH, matrices, layers };
}

/** Opens every matrix at `index` (an index at the tallest height). */
export function merkleOpen(tree: MerkleTree, index: number): MerkleOpening {
  const rows = tree.matrices.map((m) => {
    if (m.width === 0) return new Uint32Array(0);
    const r = index >>> (tree.logHeight - log2(m.height));
    return m.values.slice(r * m.width, (r + 1) * m.width);
  });
  const path: bigint[] = [];
  for (let k = 0; k < tree.logHeight; k++) {
    path.push(limbsToBigint(tree.layers[k], ((index >>> k) ^ 1) * LIMBS));
  }
  return { rows, path };
}

/**
 * Recomputes the root from an opening; shapes must be the committed matrices' shapes (the
 * verifier knows them). Returns false on any mismatch, never throws on well-typed input.
 */
export function merkleVerify(
  root: bigint,
  shapes: readonly MatrixShape[],
  index: number,
  opening: MerkleOpening,
): boolean {
  const groups = byHeight(shapes);
  if (groups.size === 0) return false;
  const maxHeight = Math.max(...groups.keys());
  const logH = log2(maxHeight);
  if (index < 0 || index >= maxHeight || opening.path.length !== logH) return false;
  if (opening.rows.length !== shapes.length) return false;
  for (let i = 0; i < shapes.length; i++) if (opening.rows[i].length !== shapes[i].width) return false;
  const rowsAt = (h: number): number[] => {
    const out: number[] = [];
    for (const i of groups.get(h)!) out.push(...opening.rows[i]);
    return out;
  };
  let node = rowDigest(rowsAt(maxHeight));
  for (let k = 0; k < logH; k++) {
    const sib = opening.path[k];
    node = (index >>> k) & 1 ? poseidon([sib, node]) : poseidon([node, sib]);
    const h = maxHeight >>> (k + 1);
    if (groups.has(h)) node = poseidon([node, rowDigest(rowsAt(h))]);
  }
  return node === root;
}
