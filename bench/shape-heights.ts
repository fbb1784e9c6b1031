/**
 * `npx tsx bench/shape-heights.ts [--no-storage]`: natural log2 table heights of the example guests
 * (execution + witness only, no proving), the default shape each pads to (src/wrap/shapes.ts) with
 * committed cells before/after padding, and each default shape's heights. The storage-proof runs
 * build their input on an in-process Hardhat network. Last line: JSON.
 */
import { readFileSync } from "node:fs";
import { network } from "hardhat";
import type { Provider } from "ethers";
import { loadElf } from "../src/mips/elf.ts";
import { execute } from "../src/mips/execute.ts";
import { programImage } from "../src/mips/air/program.ts";
import { buildMachine } from "../src/mips/air/machine.ts";
import { generateWitness } from "../src/mips/air/witness.ts";
import { summaryFromTrace } from "../src/mips/air/from-trace.ts";
import { collectWitness, encodeGuestInput, type RpcSender } from "../src/bridge/guest-input.ts";
import { ZERO_HASH } from "../src/bridge/public-values.ts";
import { DEFAULT_SHAPES, chooseShape, explainNoShape, shapePadTo } from "../src/wrap/shapes.ts";

const u32 = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
};
const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 131 + 7) & 255);
function stInput(accounts: number, transfers: number): Uint8Array {
  const parts: number[] = [];
  const pu32 = (v: number) => parts.push(v & 255, (v >> 8) & 255, (v >> 16) & 255, (v >>> 24) & 255);
  const pu64 = (v: number) => {
    pu32(v);
    pu32(0);
  };
  pu32(accounts);
  for (let i = 0; i < accounts; i++) pu64(1000 + i);
  pu32(transfers);
  for (let i = 0; i < transfers; i++) {
    pu32(i % accounts);
    pu32((i * 7 + 3) % accounts);
    pu64(5 + i);
  }
  return Uint8Array.from(parts);
}

async function storageInput(messages: number): Promise<Uint8Array> {
  const { ethers } = await network.create();
  const provider = ethers.provider as unknown as Provider & RpcSender;
  const { chainId } = await ethers.provider.getNetwork();
  const [, alice] = await ethers.getSigners();
  const outbox = await ethers.deployContract("MessageOutbox");
  const deployBlock = BigInt((await outbox.deploymentTransaction()!.wait())!.blockNumber);
  const target = await ethers.deployContract("MessageTargetMock");
  for (let i = 0; i < messages; i++)
    await (outbox.connect(alice) as typeof outbox).sendMessage(
      chainId,
      await target.getAddress(),
      "0x" + "5a".repeat(17 * i),
    );
  const w = await collectWitness(provider, {
    outbox: await outbox.getAddress(),
    destChainId: chainId,
    prev: { blockNumber: deployBlock, accumulator: ZERO_HASH, count: 0n },
    blockNumber: BigInt(await ethers.provider.getBlockNumber()),
  });
  return encodeGuestInput(w);
}

const runs: [string, string, Uint8Array][] = [
  ["fibonacci n=10", "guests/fibonacci/fibonacci.elf", u32(10)],
  ["fibonacci n=5600", "guests/fibonacci/fibonacci.elf", u32(5600)],
  ["fibonacci n=22500", "guests/fibonacci/fibonacci.elf", u32(22500)],
  ["sha256 64 B", "guests/sha256/sha256.elf", bytes(64)],
  ["sha256 1 KB", "guests/sha256/sha256.elf", bytes(1024)],
  ["keccak 300 B", "guests/keccak/keccak.elf", bytes(300)],
  ["keccak 1450 B", "guests/keccak/keccak.elf", bytes(1450)],
  ["state-transition 16/16", "guests/state-transition/state-transition.elf", stInput(16, 16)],
  ["state-transition 64/64", "guests/state-transition/state-transition.elf", stInput(64, 64)],
];
if (!process.argv.includes("--no-storage")) {
  const one = await storageInput(1);
  const four = await storageInput(4);
  runs.push(["storage-proof 1 msg (software keccak)", "guests/storage-proof/storage-proof.soft.elf", one]);
  runs.push(["storage-proof 4 msgs (software keccak)", "guests/storage-proof/storage-proof.soft.elf", four]);
  runs.push(["storage-proof 4 msgs (keccak-f precompile)", "guests/storage-proof/storage-proof.elf", four]);
}
const rows: Record<string, unknown>[] = [];
for (const [name, elf, input] of runs) {
  const prog = loadElf(readFileSync(elf));
  const r = execute(prog, { trace: true, input, maxCycles: 1 << 22, stdout: () => {}, stderr: () => {} });
  if (r.exitCode !== 0) {
    console.log(name, "exit", r.exitCode, new TextDecoder().decode(r.stderr));
    continue;
  }
  if (r.trace!.rows > 1 << 20) {
    console.log(name, "cycles", r.trace!.rows, "> 2^20");
    continue;
  }
  const m = buildMachine(programImage(prog));
  let w;
  try {
    w = generateWitness(m, summaryFromTrace(r.trace!));
  } catch (e) {
    console.log(`${name}: cycles ${r.trace!.rows}, not provable yet: ${(e as Error).message}`);
    continue;
  }
  const lh: Record<string, number> = {};
  m.air.tables.forEach((t, i) => (lh[t.name] = Math.log2(w.traces[i].main[0]?.length ?? 1)));
  const cellsAt = (h: Record<string, number>) =>
    m.air.tables.reduce(
      (c, t) => c + (1 << h[t.name]) * (t.mainWidth + 4 * t.auxWidth + 4 * t.quotientChunks),
      0,
    );
  const shape = chooseShape(lh);
  const padded = shape ? { ...lh, ...shapePadTo(shape, Object.keys(lh)) } : lh;
  const mc = (c: number) => (c / 1e6).toFixed(1) + "M";
  console.log(
    `${name}: cycles ${w.cycles} pv ${w.publicValues.length} shape ${shape?.id ?? "none (" + explainNoShape(lh) + ")"} ` +
      `cells ${mc(cellsAt(lh))} -> ${mc(cellsAt(padded))}\n  log heights ${JSON.stringify(lh)}`,
  );
  rows.push({
    name,
    cycles: w.cycles,
    pv: w.publicValues.length,
    lh,
    shape: shape?.id,
    cells: cellsAt(lh),
    paddedCells: cellsAt(padded),
  });
}
{
  const m = buildMachine(programImage(loadElf(readFileSync("guests/fibonacci/fibonacci.elf"))));
  for (const s of DEFAULT_SHAPES) {
    const pad = shapePadTo(
      s,
      m.air.tables.map((t) => t.name),
    );
    const cells = m.air.tables.reduce(
      (c, t) =>
        c +
        (pad[t.name] === undefined
          ? 0
          : (1 << pad[t.name]) * (t.mainWidth + 4 * t.auxWidth + 4 * t.quotientChunks)),
      0,
    );
    console.log(`${s.id}: ${JSON.stringify(pad)} cells (without Program/Byte) ${(cells / 1e6).toFixed(1)}M`);
  }
}
console.log(JSON.stringify(rows));
