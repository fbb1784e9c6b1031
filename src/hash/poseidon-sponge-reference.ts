/**
 * Reference (BigInt, built on `poseidonReference`) of the value packing and the sponge of
 * `sponge.ts`. Slow and obviously correct: the fast code is tested against it.
 */
import { POSEIDON_MAX_INPUTS, poseidonReference } from "./poseidon-reference.ts";

/** 31-bit values per BN254 element: 8 * 31 = 248 bits < 254. */
export const VALUES_PER_ELEMENT = 8;
const VALUE_BITS = 31n;

/** Packs values (each an integer < 2^31) as e = sum v_i 2^(31 i), 8 per element; the last element holds the rest. */
export function packValuesReference(values: ArrayLike<number>): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < values.length; i += VALUES_PER_ELEMENT) {
    let e = 0n;
    const end = Math.min(values.length, i + VALUES_PER_ELEMENT);
    for (let j = end - 1; j >= i; j--) {
      const v = values[j];
      if (!Number.isInteger(v) || v < 0 || v >= 2 ** 31)
        throw new RangeError(`packValues: value ${j} is not a 31-bit integer (${v})`);
      e = (e << VALUE_BITS) | BigInt(v);
    }
    out.push(e);
  }
  return out;
}

/**
 * Sponge of `sponge.ts`: <= 16 elements -> Poseidon(len)(elems); otherwise
 * h = Poseidon(16)(first 16), then h = Poseidon(1 + c.length)(h, ...c) per chunk c of <= 15.
 */
export function hashElementsReference(elems: readonly bigint[], hash = poseidonReference): bigint {
  if (elems.length === 0) throw new RangeError("hashValues: empty input");
  if (elems.length <= POSEIDON_MAX_INPUTS) return hash(elems);
  let h = hash(elems.slice(0, POSEIDON_MAX_INPUTS));
  for (let i = POSEIDON_MAX_INPUTS; i < elems.length; i += POSEIDON_MAX_INPUTS - 1)
    h = hash([h, ...elems.slice(i, i + POSEIDON_MAX_INPUTS - 1)]);
  return h;
}

/** hashElementsReference(packValuesReference(values)). */
export function hashValuesReference(values: ArrayLike<number>): bigint {
  return hashElementsReference(packValuesReference(values));
}
