/**
 * The outer (Groth16) statement around the emitted STARK verifier.
 *
 * Exactly two public inputs, in order: `programVKey` and `sha256(publicValues) & (2^253 − 1)`.
 * Everything else is private: the public-values length L and PV_MAX bytes (each range-checked
 * to 8 bits, bytes at positions ≥ L forced to 0 so the byte vector is canonical), hashed with
 * the variable-length SHA-256 gadget (padding for L done in-circuit). A layout maps those
 * wires to the STARK's public inputs — the same wires the verifier circuit absorbs into its
 * transcript and uses in its bus terms — and `programVKey` is the STARK verifier's vkey wire.
 *
 * Layouts:
 * - `mipsLayout`: the MIPS machine's [exitCode, pv[0..PV_MAX), mask[0..PV_MAX)] with exitCode the
 *   constant 0 (only successful runs verify on chain) and mask[i] = [i < L].
 * - `wordsLayout(n)`: for toy AIRs with n public inputs: publicValues = the n inputs as 4-byte
 *   little-endian words (L = 4n fixed), each word checked canonical (< p).
 */
import type { AirDefinition } from "../stark/air.ts";
import type { ProofOptions } from "../stark/options.ts";
import type { StarkProof } from "../stark/proof.ts";
import { PV_MAX, NUM_PUBLIC_INPUTS } from "../mips/air/tables.ts";
import { emitStarkVerifierWith } from "./circuit/stark-verifier.ts";
import type { Builder, Lc } from "./r1cs/builder.ts";
import { num2bits } from "./r1cs/gadgets/bits.ts";
import { type Kb, KoalaBear } from "./r1cs/gadgets/koalabear.ts";
import { digestMasked253, sha256Var } from "./r1cs/gadgets/sha256.ts";
import { publicValuesDigest } from "./groth16/proof-bytes.ts";

/** The private statement wires a layout reads. */
export interface StatementWires {
  /** PV_MAX bytes (each < 256; zero at positions ≥ len). */
  readonly bytes: readonly Lc[];
  /** lt[i] = [i < len] (boolean). */
  readonly lt: readonly Lc[];
  readonly len: Lc;
}

export interface StatementLayout {
  /** Part of the shape id (and of the circuit cache key). */
  readonly name: string;
  readonly pvMax: number;
  /** The STARK public inputs as canonical KoalaBear values, from the statement wires. */
  starkPublics(b: Builder, f: KoalaBear, s: StatementWires): Kb[];
  /** The STARK public inputs' values for given public values (what the STARK proof was made for). */
  starkPublicValues(publicValues: Uint8Array): number[];
}

/** The MIPS machine (src/mips/air/tables.ts): exit code 0, PV_MAX bytes, PV_MAX masks. */
export const mipsLayout: StatementLayout = {
  name: `mips-pv${PV_MAX}`,
  pvMax: PV_MAX,
  starkPublics(_b, f, s) {
    const exitCode = f.constant(0); // exitCode = 0: the STARK's public input 0 is the constant 0
    const out = [
      exitCode,
      ...s.bytes.map((x) => ({ lc: x, bound: 255n })),
      ...s.lt.map((x) => ({ lc: x, bound: 1n })),
    ];
    if (out.length !== NUM_PUBLIC_INPUTS) throw new Error("mipsLayout: PV_MAX mismatch");
    return out;
  },
  starkPublicValues(pv) {
    const out = new Array<number>(NUM_PUBLIC_INPUTS).fill(0);
    pv.forEach((x, i) => {
      out[1 + i] = x;
      out[1 + PV_MAX + i] = 1;
    });
    return out;
  },
};

/** Toy AIRs: n public inputs as 4-byte little-endian words, L = 4n. */
export function wordsLayout(n: number): StatementLayout {
  return {
    name: `words${n}`,
    pvMax: 4 * n,
    starkPublics(b, f, s) {
      b.assertEqual(s.len, b.constant(BigInt(4 * n)));
      return Array.from({ length: n }, (_, i) =>
        f.canonical(b.sum([0, 1, 2, 3].map((k) => [1n << BigInt(8 * k), s.bytes[4 * i + k]] as const))),
      );
    },
    starkPublicValues(pv) {
      if (pv.length !== 4 * n) throw new Error(`wordsLayout: expected ${4 * n} bytes`);
      return Array.from({ length: n }, (_, i) =>
        new DataView(pv.buffer, pv.byteOffset).getUint32(4 * i, true),
      );
    },
  };
}

/** publicValues for `wordsLayout`: the inputs as little-endian u32 words. */
export function wordsPublicValues(inputs: readonly number[]): Uint8Array {
  const out = new Uint8Array(4 * inputs.length);
  const dv = new DataView(out.buffer);
  inputs.forEach((x, i) => dv.setUint32(4 * i, x, true));
  return out;
}

export interface StatementWitness {
  readonly vkey: bigint;
  readonly publicValues: Uint8Array;
  readonly proof: StarkProof;
}

/**
 * Emits the whole wrap circuit: the two public inputs, the statement wires, SHA-256, the
 * layout's binding and the STARK verifier for `logHeights`.
 */
export function emitWrapStatement(
  b: Builder,
  air: AirDefinition,
  o: ProofOptions,
  logHeights: readonly number[],
  layout: StatementLayout,
  w?: StatementWitness,
): void {
  if (b.computesValues && !w) throw new Error("emitWrapStatement: values needed in this mode");
  const pvMax = layout.pvMax;
  if (w && w.publicValues.length > pvMax)
    throw new Error(`emitWrapStatement: ${w.publicValues.length} public-values bytes > PV_MAX ${pvMax}`);
  const vk = b.publicInput(w?.vkey);
  const digest = b.publicInput(w ? publicValuesDigest(w.publicValues) : undefined);
  const len = b.privateInput(w ? BigInt(w.publicValues.length) : undefined);
  const bytes = Array.from({ length: pvMax }, (_, i) =>
    b.privateInput(w ? BigInt(w.publicValues[i] ?? 0) : undefined),
  );
  const lt = b.scope("statement.bytes", () => {
    bytes.forEach((x) => num2bits(b, x, 8));
    // eq[i] = [i = len] (one-hot, i = 0..pvMax, so len ≤ pvMax); lt[i] = Σ_{j>i} eq[j].
    const eqHigh = b.hints(
      pvMax,
      () => {
        const L = Number(b.value(len));
        return Array.from({ length: pvMax }, (_, i) => (i + 1 === L ? 1n : 0n));
      },
      "statement.eq",
    );
    const eq = [b.sub(b.one, b.sum(eqHigh.map((x) => [1n, x] as const))), ...eqHigh];
    eq.forEach((x) => b.assertBoolean(x));
    b.assertEqual(b.sum(eq.map((x, i) => [BigInt(i), x] as const)), len);
    const lt: Lc[] = new Array<Lc>(pvMax);
    let acc = b.zero;
    for (let i = pvMax - 1; i >= 0; i--) {
      acc = b.add(acc, eq[i + 1]);
      lt[i] = acc;
    }
    // bytes beyond len are 0 (the STARK absorbs all PV_MAX bytes)
    bytes.forEach((x, i) => b.assertMul(x, b.sub(b.one, lt[i]), b.zero));
    return lt;
  });
  b.scope("statement.digest", () => {
    const sha = sha256Var(b, bytes, len);
    b.assertEqual(digestMasked253(b, sha.words), digest);
  });
  const f = new KoalaBear(b);
  const pubs = b.scope("statement.binding", () => layout.starkPublics(b, f, { bytes, lt, len }));
  emitStarkVerifierWith(b, air, o, logHeights, vk, pubs, w?.proof);
}
