/**
 * End-to-end wrap figures for `npm run bench:wrap -- --e2e [--mips-sizes]` (bench/wrap.ts calls
 * `benchWrapE2e`): the CI toy STARK (rangeLookup AIR, TEST_OPTIONS) through the wrap statement
 * circuit, a fresh dev setup (own cache root, so setup is really measured), witness, snarkjs
 * prove, off-chain verify (snarkjs + @noble/curves), and `verifyProof` gas through the gateway on
 * Hardhat's EDR. With `--mips-sizes` it also emits (compile mode, no file) the MIPS fibonacci
 * guest's wrap circuit at DEFAULT_OPTIONS and at the 2-query options and reports their rows.
 */
import fs from "node:fs";
import { DEFAULT_OPTIONS, type ProofOptions } from "../src/stark/options.ts";
import { decodeProof, prove, setup } from "../src/stark/index.ts";
import { proveElf, vkeyOfElf } from "../src/mips/air/pipeline.ts";
import { closeHashPool } from "../src/hash/sponge.ts";
import { verifyGroth16, verifyGroth16Noble } from "../src/wrap/groth16/prove.ts";
import { decodeProofBytes, publicValuesDigest } from "../src/wrap/groth16/proof-bytes.ts";
import { mipsWrapInput } from "../src/wrap/mips.ts";
import { Builder } from "../src/wrap/r1cs/builder.ts";
import { emitWrapStatement, wordsLayout, wordsPublicValues } from "../src/wrap/statement.ts";
import { proveWrap, setupWrap, shapeId } from "../src/wrap/wrap.ts";
import { TEST_OPTIONS, rangeLookup } from "../test/stark/airs.ts";
import { checkOnChain, deployStack } from "../test/wrap/e2e-support.ts";

const CACHE = ".zkmips/bench-wrap-e2e";
const SMALL: ProofOptions = {
  logBlowup: 2,
  numQueries: 2,
  grindingBits: 0,
  logFoldingArity: 2,
  logFinalPolyLen: 1,
};

async function mipsRows(options: ProofOptions): Promise<{ shapeId: string; rows: number }> {
  const elf = fs.readFileSync("guests/fibonacci/fibonacci.elf");
  const vkey = await vkeyOfElf(elf, options);
  const p = await proveElf(elf, { input: Uint8Array.from([3, 0, 0, 0]), options });
  const { shape } = await mipsWrapInput(p.file, vkey, options);
  const b = new Builder({ mode: "compile" });
  emitWrapStatement(b, shape.air, shape.options, shape.logHeights, shape.layout);
  return { shapeId: shapeId(shape), rows: b.nConstraints };
}

export async function benchWrapE2e(opts: { mipsSizes: boolean }): Promise<Record<string, unknown>> {
  fs.rmSync(CACHE, { recursive: true, force: true });
  const inst = rangeLookup();
  const pk = await setup(inst.air, TEST_OPTIONS);
  const { bytes } = await prove(pk, inst.traces, inst.publicInputs, {});
  const { proof } = decodeProof(inst.air, TEST_OPTIONS, bytes);
  const shape = {
    air: inst.air,
    options: TEST_OPTIONS,
    logHeights: proof.logHeights,
    layout: wordsLayout(1),
  };
  const publicValues = wordsPublicValues(inst.publicInputs);
  const t0 = performance.now();
  const { circuit, key } = await setupWrap(shape, { mode: "dev", cacheRoot: CACHE });
  const setupS = (performance.now() - t0) / 1000;
  const r = await proveWrap(shape, key, { vkey: pk.vkey, publicValues, proof });
  const pub = [pk.vkey, publicValuesDigest(publicValues)];
  const g = decodeProofBytes(r.file.proofBytes).proof;
  let t = performance.now();
  if (!(await verifyGroth16(key.vkey, pub, g))) throw new Error("snarkjs rejected the wrapped proof");
  const verifySnarkjsS = (performance.now() - t) / 1000;
  t = performance.now();
  if (!verifyGroth16Noble(key.vkey, pub, g)) throw new Error("noble rejected the wrapped proof");
  const verifyNobleS = (performance.now() - t) / 1000;
  let gas: { gasUsed: number; execution: number } | null = null;
  try {
    const { network } = await import("hardhat");
    const { ethers } = await network.create();
    const d = await deployStack(ethers, key.paths.verifier, key.meta.contractName, key.meta.selector);
    gas = await checkOnChain(ethers, d, r.file);
  } catch (e) {
    console.error(`gas measurement skipped: ${(e as Error).message}`);
  }
  const toy = {
    shapeId: r.file.shapeId,
    constraints: circuit.rows,
    circuitBuildS: +circuit.buildSeconds.toFixed(2),
    domain: key.meta.domainSize,
    setupS: +setupS.toFixed(1),
    witnessS: +r.witnessSeconds.toFixed(2),
    proveS: +r.proveSeconds.toFixed(1),
    verifySnarkjsS: +verifySnarkjsS.toFixed(2),
    verifyNobleS: +verifyNobleS.toFixed(2),
    gatewayGas: gas,
  };
  console.log(
    `toy e2e ${toy.shapeId}: ${toy.constraints} constraints, setup ${toy.setupS} s, witness ${toy.witnessS} s, ` +
      `prove ${toy.proveS} s, verify ${toy.verifySnarkjsS} s (snarkjs) / ${toy.verifyNobleS} s (noble), gas ${JSON.stringify(gas)}`,
  );
  const mips = [];
  if (opts.mipsSizes) {
    for (const o of [SMALL, DEFAULT_OPTIONS]) {
      const m = await mipsRows(o);
      console.log(`MIPS fibonacci wrap circuit ${m.shapeId}: ${m.rows} constraints`);
      mips.push(m);
    }
    await closeHashPool();
  }
  return { toy, mips };
}
