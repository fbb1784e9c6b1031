/**
 * Merkle verification mirroring `src/hash/merkle.ts` (binary Poseidon(2) tree over mixed-height
 * matrices, rows hashed with the packing sponge of `src/hash/sponge.ts`), plus the generic
 * primitive: index bits choose the child order at each level (1 row per level for the
 * order, 240 per Poseidon(2)).
 */
import type { Builder, Lc } from "../builder.ts";
import { select } from "./compare.ts";
import { poseidon } from "./poseidon.ts";

/** Values packed per BN254 element (as `src/hash/sponge.ts`). */
export const VALUES_PER_ELEMENT = 8;

/**
 * Packs 31-bit values 8 per element, e_k = Σ_i v_{8k+i}·2^(31i) (no rows). The caller must
 * know every value is < 2^31 (canonical KoalaBear values are): otherwise packing is not
 * injective.
 */
export function packValues(b: Builder, values: readonly Lc[]): Lc[] {
  const out: Lc[] = [];
  for (let k = 0; k < values.length; k += VALUES_PER_ELEMENT) {
    const chunk = values.slice(k, k + VALUES_PER_ELEMENT);
    out.push(b.sum(chunk.map((v, i) => [1n << BigInt(31 * i), v] as const)));
  }
  return out;
}

/** The sponge over elements: ≤ 16 → Poseidon(len); else Poseidon(16) then chunks of ≤ 15. */
export function hashElements(b: Builder, elems: readonly Lc[]): Lc {
  if (elems.length === 0) throw new RangeError("hashElements: empty input");
  if (elems.length <= 16) return poseidon(b, elems);
  let h = poseidon(b, elems.slice(0, 16));
  for (let i = 16; i < elems.length; i += 15) h = poseidon(b, [h, ...elems.slice(i, i + 15)]);
  return h;
}

/** `rowDigest` of `src/hash/merkle.ts`: the packed element itself for <= 8 values, else hashValues. */
export function rowDigest(b: Builder, values: readonly Lc[]): Lc {
  return values.length <= VALUES_PER_ELEMENT ? packValues(b, values)[0] : hashValues(b, values);
}

/** `hashValues` of `src/hash/sponge.ts` for 31-bit values. */
export function hashValues(b: Builder, values: readonly Lc[]): Lc {
  return b.scope("hashValues", () => hashElements(b, packValues(b, values)));
}

/**
 * Generic binary path: from `leaf` up, at level k the node is the right child when
 * indexBits[k] = 1. `inject(k)` (optional) returns a digest hashed in after level k
 * (Poseidon(2)(node, digest)), as the mixed-height tree does. Returns the root.
 */
export function merkleRoot(
  b: Builder,
  leaf: Lc,
  indexBits: readonly Lc[],
  siblings: readonly Lc[],
  inject?: (level: number) => Lc | undefined,
): Lc {
  if (indexBits.length !== siblings.length) throw new RangeError("merkleRoot: one index bit per sibling");
  return b.scope("merkle", () => {
    let node = leaf;
    for (let k = 0; k < siblings.length; k++) {
      const left = select(b, indexBits[k], siblings[k], node);
      const right = b.sub(b.add(node, siblings[k]), left);
      node = poseidon(b, [left, right]);
      const extra = inject?.(k);
      if (extra) node = poseidon(b, [node, extra]);
    }
    return node;
  });
}

export interface MatrixShape {
  readonly width: number;
  readonly height: number;
}

/**
 * Constrains that `rows` (one per matrix, canonical values) open the commitment `root` at the
 * index given by `indexBits` (little-endian, log2 of the tallest height), with `path` the
 * sibling digests from the leaves up — `merkleVerify` of `src/hash/merkle.ts` as rows.
 */
export function merkleVerify(
  b: Builder,
  root: Lc,
  shapes: readonly MatrixShape[],
  indexBits: readonly Lc[],
  rows: readonly (readonly Lc[])[],
  path: readonly Lc[],
): void {
  const groups = new Map<number, number[]>();
  shapes.forEach((s, i) => {
    if (s.width === 0) return;
    groups.set(s.height, [...(groups.get(s.height) ?? []), i]);
  });
  const maxHeight = Math.max(...groups.keys());
  const logH = Math.round(Math.log2(maxHeight));
  if (indexBits.length !== logH || path.length !== logH)
    throw new RangeError("merkleVerify: wrong path length");
  rows.forEach((r, i) => {
    if (r.length !== shapes[i].width) throw new RangeError(`merkleVerify: row ${i} has the wrong width`);
  });
  const rowsAt = (h: number): Lc[] => (groups.get(h) as number[]).flatMap((i) => rows[i]);
  b.scope("merkleVerify", () => {
    const leaf = rowDigest(b, rowsAt(maxHeight));
    const top = merkleRoot(b, leaf, indexBits, path, (k) => {
      const h = maxHeight >>> (k + 1);
      return groups.has(h) ? rowDigest(b, rowsAt(h)) : undefined;
    });
    b.assertEqual(top, root);
  });
}
