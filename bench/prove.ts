/**
 * `npm run bench:prove [-- --large] [-- --only-large]`: proves the fibonacci and keccak guests at
 * about 2^16 cycles (and 2^18 with --large; only 2^18 with --only-large) and verifies each proof. Prints per run: cycles, cycles/s, time by phase,
 * peak RSS, proof size, verify time, committed cells per cycle; the last line is one JSON object.
 * Also the keccak-f precompile: `keccakf` proves 170 permutations (guests/keccakf, a 2^16-row Keccak
 * table) and reports permutations per second proved; `storageProof` gives the bridge's storage-proof
 * guest's cycles with the precompile and with software keccak (storage-proof.soft.elf) on the
 * demo's sample input (4 messages; Hardhat's in-process network, no proving).
 * Figures are noisy on a shared 2-core machine.
 */
import { readFileSync } from "node:fs";
import { proveElf } from "../src/mips/air/pipeline.ts";
import { verifyMips } from "../src/mips/air/prove.ts";
import { programImage } from "../src/mips/air/program.ts";
import { loadElf } from "../src/mips/elf.ts";
import { closeHashPool } from "../src/hash/sponge.ts";
import { execute } from "../src/mips/execute.ts";
import { sampleGuestInput } from "../src/bridge/sample-input.ts";

const onlyLarge = process.argv.includes("--only-large");
const large = onlyLarge || process.argv.includes("--large");
const u32 = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
};
const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 131 + 7) & 255);

// fibonacci: ~11.5 cycles per iteration (gcc); keccak: ~22k cycles per 136-byte block.
/** keccak-f permutations of the precompile run: 170 x 288 = 48,960 Keccak rows (2^16). */
const PERMS = 170;
const runs: { name: string; elf: string; input: Uint8Array }[] = onlyLarge
  ? []
  : [
      { name: "fibonacci-2^16", elf: "guests/fibonacci/fibonacci.elf", input: u32(5600) },
      { name: "keccak-2^16", elf: "guests/keccak/keccak.elf", input: bytes(300) },
      { name: `keccakf-${PERMS}`, elf: "guests/keccakf/keccakf.elf", input: u32(PERMS) },
    ];
if (large) {
  runs.push({ name: "fibonacci-2^18", elf: "guests/fibonacci/fibonacci.elf", input: u32(22500) });
  runs.push({ name: "keccak-2^18", elf: "guests/keccak/keccak.elf", input: bytes(1450) });
}

const results: Record<string, unknown>[] = [];
for (const r of runs) {
  const elf = new Uint8Array(readFileSync(r.elf));
  const t0 = performance.now();
  const proof = await proveElf(elf, { input: r.input });
  const proveMs = performance.now() - t0;
  const t1 = performance.now();
  await verifyMips(proof.file, { program: programImage(loadElf(elf)) });
  const verifyMs = performance.now() - t1;
  const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  const res = {
    name: r.name,
    cycles: proof.stats.cycles,
    cyclesPerSec: Math.round(proof.stats.cycles / (proveMs / 1000)),
    proveMs: Math.round(proveMs),
    phasesMs: {
      execute: Math.round(proof.executeMs),
      setup: Math.round(proof.setupMs),
      ...Object.fromEntries(Object.entries(proof.stats.phasesMs).map(([k, v]) => [k, Math.round(v)])),
    },
    verifyMs: Math.round(verifyMs),
    proofBytes: proof.stats.proofBytes,
    cellsPerCycle: Math.round(proof.stats.cellsPerCycle),
    logHeights: proof.stats.logHeights,
    peakRssMB,
    securityBits: proof.stats.securityBits,
  };
  results.push(res);
  console.log(
    `${r.name}: ${res.cycles} cycles, ${res.cyclesPerSec} cycles/s, prove ${(proveMs / 1000).toFixed(1)} s, verify ${verifyMs.toFixed(0)} ms, ` +
      `proof ${res.proofBytes} B, ${res.cellsPerCycle} cells/cycle, peak RSS ${peakRssMB} MB`,
  );
  console.log(`  phases (ms): ${JSON.stringify(res.phasesMs)}`);
}
await closeHashPool();

const kf = results.find((r) => r.name === `keccakf-${PERMS}`);
const keccakf = kf
  ? {
      permutations: PERMS,
      proveMs: kf.proveMs,
      permsPerSec: Number((PERMS / ((kf.proveMs as number) / 1000)).toFixed(2)),
    }
  : undefined;
if (keccakf)
  console.log(`keccak-f precompile: ${keccakf.permsPerSec} permutations/s proved (${PERMS} in one proof)`);

// The storage-proof guest on the demo's sample input: cycles with and without the precompile.
const spInput = await sampleGuestInput(
  Array.from({ length: 4 }, (_, i) => ({
    target: "0x" + "11".repeat(20),
    payload: "0x" + "5a".repeat(17 * i),
  })),
  31337n,
);
const cyclesOf = (path: string) =>
  execute(loadElf(new Uint8Array(readFileSync(path))), { input: spInput, stdout: () => {}, stderr: () => {} })
    .cycles;
const storageProof = {
  inputBytes: spInput.length,
  cyclesPrecompile: cyclesOf("guests/storage-proof/storage-proof.elf"),
  cyclesSoftware: cyclesOf("guests/storage-proof/storage-proof.soft.elf"),
  ratio: 0,
};
storageProof.ratio = Number((storageProof.cyclesSoftware / storageProof.cyclesPrecompile).toFixed(1));
console.log(
  `storage-proof guest: ${storageProof.cyclesPrecompile} cycles with the keccak-f precompile, ` +
    `${storageProof.cyclesSoftware} with software keccak (${storageProof.ratio}x)`,
);
console.log(JSON.stringify({ bench: "prove", runs: results, keccakf, storageProof }));
