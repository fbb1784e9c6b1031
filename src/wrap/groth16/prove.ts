/**
 * Groth16 proving and off-chain verification. Proving is snarkjs's `groth16.prove` on a
 * `.zkey` and a `.wtns`; verification is snarkjs's `groth16.verify`, cross-checked by an
 * independent pairing check with @noble/curves (`verifyGroth16Noble`).
 */
import fs from "node:fs";
import { bn254 } from "@noble/curves/bn254.js";
import { ZkmipsError } from "../../errors.ts";
import { R } from "./fr.ts";
import { fromSnarkjsProof, toSnarkjsProof, type Groth16Proof } from "./proof-bytes.ts";
import { loadSnarkjs, type SnarkjsProof, type SnarkjsVkey } from "./snarkjs.ts";
import { encodeWtns } from "./wtns.ts";

export interface Groth16ProveResult {
  proof: Groth16Proof;
  publicSignals: bigint[];
  /** snarkjs's own JSON, for its tools. */
  snarkjsProof: SnarkjsProof;
}

/**
 * Proves with snarkjs. `witness` is a `.wtns` path, the bytes of a `.wtns` file, or the wire
 * values themselves (wire 0 = 1, then public signals, then private wires).
 * @example const { proof, publicSignals } = await proveGroth16("k.zkey", "w.wtns")
 */
export async function proveGroth16(
  zkeyPath: string,
  witness: string | Uint8Array | readonly bigint[],
): Promise<Groth16ProveResult> {
  if (Array.isArray(witness)) witness = encodeWtns(witness as readonly bigint[]);
  if (!fs.existsSync(zkeyPath))
    throw new ZkmipsError(`proving key ${zkeyPath} not found`, "run `zkmips setup` first");
  if (typeof witness === "string" && !fs.existsSync(witness))
    throw new ZkmipsError(`witness ${witness} not found`);
  const sj = await loadSnarkjs();
  const w =
    typeof witness === "string"
      ? witness
      : ({ type: "mem", data: witness as Uint8Array } as unknown as string);
  let res: { proof: SnarkjsProof; publicSignals: string[] };
  try {
    res = await sj.groth16.prove(zkeyPath, w);
  } catch (e) {
    throw new ZkmipsError(`snarkjs could not prove with ${zkeyPath}: ${(e as Error).message}`);
  }
  return {
    proof: fromSnarkjsProof(res.proof),
    publicSignals: res.publicSignals.map((s) => BigInt(s)),
    snarkjsProof: res.proof,
  };
}

/** snarkjs's verifier; false (never a throw) for any malformed or wrong proof. */
export async function verifyGroth16(
  vk: SnarkjsVkey,
  publicSignals: readonly bigint[],
  proof: Groth16Proof,
): Promise<boolean> {
  if (publicSignals.length !== vk.nPublic || publicSignals.some((s) => s < 0n || s >= R)) return false;
  const sj = await loadSnarkjs();
  try {
    return await sj.groth16.verify(
      vk,
      publicSignals.map((s) => s.toString()),
      toSnarkjsProof(proof),
    );
  } catch {
    return false;
  }
}

type G1 = InstanceType<typeof bn254.G1.Point>;
type G2 = InstanceType<typeof bn254.G2.Point>;

function g1(x: bigint, y: bigint): G1 {
  const p = bn254.G1.Point.fromAffine({ x, y });
  p.assertValidity();
  return p;
}

function g2(x: [bigint, bigint], y: [bigint, bigint]): G2 {
  const { Fp2 } = bn254.fields;
  const p = bn254.G2.Point.fromAffine({
    x: Fp2.create({ c0: x[0], c1: x[1] }),
    y: Fp2.create({ c0: y[0], c1: y[1] }),
  });
  p.assertValidity();
  return p;
}

const big = (s: string | undefined): bigint => BigInt(s ?? "x");

/**
 * Independent check with @noble/curves: e(-A, B) · e(alpha, beta) · e(vk_x, gamma) · e(C, delta) = 1,
 * vk_x = IC0 + sum_i pub_i · IC_(i+1). Slow (~1 s) but shares no code with snarkjs.
 */
export function verifyGroth16Noble(
  vk: SnarkjsVkey,
  publicSignals: readonly bigint[],
  proof: Groth16Proof,
): boolean {
  try {
    if (publicSignals.length !== vk.nPublic || vk.IC.length !== vk.nPublic + 1) return false;
    if (publicSignals.some((s) => s < 0n || s >= R)) return false;
    const vg2 = (p: string[][]): G2 => g2([big(p[0]?.[0]), big(p[0]?.[1])], [big(p[1]?.[0]), big(p[1]?.[1])]);
    let vkx = g1(big(vk.IC[0]?.[0]), big(vk.IC[0]?.[1]));
    publicSignals.forEach((s, i) => {
      const ic = g1(big(vk.IC[i + 1]?.[0]), big(vk.IC[i + 1]?.[1]));
      if (s !== 0n) vkx = vkx.add(ic.multiply(s));
    });
    const gt = bn254.pairingBatch([
      { g1: g1(proof.a[0], proof.a[1]).negate(), g2: g2(proof.b[0], proof.b[1]) },
      { g1: g1(big(vk.vk_alpha_1[0]), big(vk.vk_alpha_1[1])), g2: vg2(vk.vk_beta_2) },
      { g1: vkx, g2: vg2(vk.vk_gamma_2) },
      { g1: g1(proof.c[0], proof.c[1]), g2: vg2(vk.vk_delta_2) },
    ]);
    return bn254.fields.Fp12.eql(gt, bn254.fields.Fp12.ONE);
  } catch {
    return false;
  }
}
