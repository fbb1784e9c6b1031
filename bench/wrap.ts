/**
 * `npm run bench:wrap [-- --sizes 12,14,16] [--threads N] [--prove-max 18] [--no-gas]`: Groth16 part of the wrap
 * benchmark. For each size k it writes a multiplication-chain circuit with exactly
 * 2^k - 3 constraints and two public signals (domain 2^k, like the wrap circuit's statement),
 * directly as .r1cs + .wtns, then measures: dev setup (with its phases), snarkjs prove,
 * snarkjs verify, @noble/curves verify, and the Solidity verifier's gas (committed fixture
 * verifier on Hardhat's EDR: gas does not depend on the circuit size, only on nPublic = 2).
 * It extrapolates setup (wall and CPU seconds) and prove time to a 2^21 domain from the two
 * largest sizes. Last line: one JSON object.
 * `--e2e [--mips-sizes]`: instead, the end-to-end wrap figures of bench/wrap-e2e.ts (a real
 * STARK through the statement circuit, dev setup, prove, verify, gateway gas; MIPS circuit sizes).
 */
import fs from "node:fs";
import os from "node:os";
import { devSetup } from "../src/wrap/groth16/dev-setup.ts";
import { proveGroth16, verifyGroth16, verifyGroth16Noble } from "../src/wrap/groth16/prove.ts";
import { loadSnarkjs, releaseSnarkjsCurves } from "../src/wrap/groth16/snarkjs.ts";
import { writeChain } from "../test/wrap/groth16-support.ts";
import { benchWrapE2e } from "./wrap-e2e.ts";

const OUT = ".zkmips/bench-wrap";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function solidityGas(): Promise<{ gasUsed: number; execution: number } | undefined> {
  try {
    const { network } = await import("hardhat");
    const { ethers } = await network.create();
    const sample = JSON.parse(fs.readFileSync("circuits/test-groth16/fixture/sample-proof.json", "utf8")) as {
      proofBytes: string;
      publicSignals: string[];
    };
    const { decodeProofBytes, proofWords } = await import("../src/wrap/groth16/proof-bytes.ts");
    const w = proofWords(decodeProofBytes(sample.proofBytes).proof);
    const v = await ethers.deployContract("Groth16VerifierStatementStub");
    const tx = await v.verifyProof.send(
      [w[0], w[1]],
      [
        [w[2], w[3]],
        [w[4], w[5]],
      ],
      [w[6], w[7]],
      sample.publicSignals.map(BigInt),
    );
    const receipt = await tx.wait();
    const data = Buffer.from(tx.data.slice(2), "hex");
    const calldata = data.reduce((s, x) => s + (x === 0 ? 4 : 16), 0);
    const gasUsed = Number(receipt!.gasUsed);
    return { gasUsed, execution: gasUsed - 21_000 - calldata };
  } catch (e) {
    console.error(`gas measurement skipped: ${(e as Error).message}`);
    return undefined;
  }
}

async function mainE2e(): Promise<void> {
  const r = await benchWrapE2e({ mipsSizes: process.argv.includes("--mips-sizes") });
  await releaseSnarkjsCurves();
  console.log(JSON.stringify({ bench: "wrap-e2e", loadAverage1m: +os.loadavg()[0]!.toFixed(1), ...r }));
  process.exit(0);
}

async function main(): Promise<void> {
  if (process.argv.includes("--e2e")) return mainE2e();
  const sizes = (arg("--sizes") ?? "12,14,16").split(",").map(Number);
  const threads = Number(arg("--threads") ?? os.availableParallelism());
  // Sizes above this only run the setup (snarkjs proving is the slow part at 2^20+).
  const proveMax = Number(arg("--prove-max") ?? 18);
  const sj = await loadSnarkjs();
  const rows: Record<string, number>[] = [];
  console.log(
    `Groth16 bench: sizes 2^${sizes.join(", 2^")}, ${threads} setup threads, ${os.cpus().length} CPUs`,
  );
  for (const k of sizes) {
    const c = writeChain(OUT, k, 3n);
    const zkey = `${OUT}/chain_${k}.zkey`;
    let t = performance.now();
    const cpu0 = process.cpuUsage();
    const st = await devSetup(c.r1cs, zkey, { threads });
    const setup = (performance.now() - t) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const setupCpu = (cpu.user + cpu.system) / 1e6;
    if (k > proveMax) {
      const row = {
        log2Domain: k,
        constraints: st.nConstraints,
        setupS: +setup.toFixed(2),
        setupCpuS: +setupCpu.toFixed(2),
        setupPointsS: +(st.timings.points ?? 0).toFixed(2),
        g1Points: st.g1Points,
        g2Points: st.g2Points,
      };
      rows.push(row);
      console.log(JSON.stringify(row));
      fs.rmSync(zkey);
      continue;
    }
    t = performance.now();
    const res = await proveGroth16(zkey, c.wtns);
    const prove = (performance.now() - t) / 1000;
    const vkey = await sj.zKey.exportVerificationKey(zkey);
    t = performance.now();
    const ok = await verifyGroth16(vkey, res.publicSignals, res.proof);
    const verify = (performance.now() - t) / 1000;
    t = performance.now();
    const okNoble = verifyGroth16Noble(vkey, res.publicSignals, res.proof);
    const verifyNoble = (performance.now() - t) / 1000;
    if (!ok || !okNoble) throw new Error(`proof for 2^${k} did not verify (snarkjs ${ok}, noble ${okNoble})`);
    const row = {
      log2Domain: k,
      constraints: st.nConstraints,
      setupS: +setup.toFixed(2),
      setupCpuS: +setupCpu.toFixed(2),
      setupPointsS: +(st.timings.points ?? 0).toFixed(2),
      setupScalarsS: +(
        (st.timings.lagrange ?? 0) +
        (st.timings.constraints ?? 0) +
        (st.timings.scalars ?? 0)
      ).toFixed(2),
      g1Points: st.g1Points,
      g2Points: st.g2Points,
      proveS: +prove.toFixed(2),
      verifyS: +verify.toFixed(3),
      verifyNobleS: +verifyNoble.toFixed(3),
      zkeyMiB: +(fs.statSync(zkey).size / 2 ** 20).toFixed(1),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
    fs.rmSync(zkey);
  }
  // Setup = fixed part (window tables) + per-domain-point part: fit a line through the two
  // largest runs and evaluate it at 2^21, for wall time and for CPU time (all threads; on an
  // otherwise idle machine wall ~ CPU / threads, since the point phase is parallel).
  const fit = (key: "setupS" | "setupCpuS"): number => {
    if (rows.length < 2) return (rows[0]![key]! / 2 ** rows[0]!.log2Domain!) * 2 ** 21;
    const [a, b] = [rows[rows.length - 2]!, rows[rows.length - 1]!];
    const slope = (b[key]! - a[key]!) / (2 ** b.log2Domain! - 2 ** a.log2Domain!);
    return b[key]! + slope * (2 ** 21 - 2 ** b.log2Domain!);
  };
  const setup21 = fit("setupS");
  const setupCpu21 = fit("setupCpuS");
  const last = rows.filter((r) => r.proveS !== undefined).at(-1);
  const provePerPoint = last ? last.proveS! / 2 ** last.log2Domain! : NaN;
  const gas = process.argv.includes("--no-gas") ? undefined : await solidityGas();
  await releaseSnarkjsCurves();
  console.log(
    `extrapolated dev setup at a 2^21 domain: ${setup21.toFixed(0)} s wall here (${(setup21 / 60).toFixed(1)} min), ` +
      `${setupCpu21.toFixed(0)} CPU-s (~${(setupCpu21 / threads / 60).toFixed(1)} min on ${threads} idle cores); ` +
      `snarkjs prove ~${(provePerPoint * 2 ** 21).toFixed(0)} s (linear; noisy shared machine)`,
  );
  console.log(
    JSON.stringify({
      bench: "wrap-groth16",
      threads,
      rows,
      loadAverage1m: +os.loadavg()[0]!.toFixed(1),
      extrapolated2p21: {
        setupS: Math.round(setup21),
        setupCpuS: Math.round(setupCpu21),
        proveS: Math.round(provePerPoint * 2 ** 21),
      },
      solidityVerifyGas: gas ?? null,
    }),
  );
  process.exit(0);
}

await main();
