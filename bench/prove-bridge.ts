/**
 * `npx tsx bench/prove-bridge.ts [--shape natural|mips-s16|...] [--profile onchain|default]
 * [--messages N]`: proves the bridge's storage-proof guest (the demo's first update with N
 * messages, default 4; no chain started) the way real mode does — at the on-chain profile, padded
 * to a shape — and verifies the proof. Prints each STARK phase with the process RSS at its end, the
 * peak RSS, cycles, proof size and verify time; last line one JSON object. Memory-heavy: ~12.5 GB
 * at mips-s16 (2026-11-24); run it alone.
 */
import { ONCHAIN_OPTIONS, profileByName, type ProfileName } from "../src/stark/options.ts";
import { proveElf } from "../src/mips/air/pipeline.ts";
import { verifyMips } from "../src/mips/air/prove.ts";
import { programImage } from "../src/mips/air/program.ts";
import { loadElf } from "../src/mips/elf.ts";
import { closeHashPool } from "../src/hash/sponge.ts";
import { storageProofElf } from "../src/bridge/guest.ts";
import { sampleGuestInput } from "../src/bridge/sample-input.ts";
import { findShape, shapePadTo } from "../src/wrap/shapes.ts";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const shapeArg = arg("--shape") ?? "mips-s16";
const options = arg("--profile") ? profileByName(arg("--profile") as ProfileName).options : ONCHAIN_OPTIONS;
const messages = Number(arg("--messages") ?? 4);
const input = await sampleGuestInput(
  Array.from({ length: messages }, (_, i) => ({
    target: "0x" + "c0".repeat(20),
    payload: "0x7cf5dab0" + (i + 1).toString(16).padStart(64, "0"),
  })),
  31338n,
);
const elf = storageProofElf();
const shape = shapeArg === "natural" ? undefined : findShape(shapeArg);
let peak = 0;
const t0 = performance.now();
const proof = await proveElf(elf, {
  input,
  options,
  padTo: shape ? shapePadTo(shape, Object.keys(shape.logHeights)) : undefined,
  onPhase: (phase, ms) => {
    const rss = process.memoryUsage().rss / 2 ** 30;
    peak = Math.max(peak, rss);
    if (!phase.startsWith("commit-fri") && phase !== "fri")
      console.log(
        `${((performance.now() - t0) / 1000).toFixed(1).padStart(7)} s  ${phase.padEnd(16)} ${(ms / 1000).toFixed(1).padStart(7)} s  rss ${rss.toFixed(2)} GiB`,
      );
  },
});
const proveSeconds = (performance.now() - t0) / 1000;
const t1 = performance.now();
await verifyMips(proof.file, { program: programImage(loadElf(elf)) }, options);
const verifySeconds = (performance.now() - t1) / 1000;
const result = {
  shape: shapeArg,
  messages,
  cycles: proof.stats.cycles,
  proveSeconds: Number(proveSeconds.toFixed(1)),
  verifySeconds: Number(verifySeconds.toFixed(2)),
  proofBytes: proof.file.length,
  peakRssGiB: Number(peak.toFixed(2)),
};
console.log(
  `storage-proof guest, ${messages} messages: ${result.cycles} cycles, proved in ${result.proveSeconds} s ` +
    `(${shapeArg}), verified in ${result.verifySeconds} s, proof ${result.proofBytes} B, peak RSS ${result.peakRssGiB} GiB`,
);
console.log(JSON.stringify(result));
await closeHashPool();
