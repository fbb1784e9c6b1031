/**
 * Real-mode preflight (src/bridge/preflight.ts): each refusal is one line naming the number and
 * the limit, comes before any chain is started or any proof attempted, and the CLI exits 1 with
 * it. Limits are forced where needed so that every path is tested whatever prerequisites of real
 * mode (PV_MAX, keccak precompile, circuit size) have landed; the CLI cases run on today's code.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { runDemo } from "../../src/bridge/demo.ts";
import { storageProofElf } from "../../src/bridge/guest.ts";
import { realModePreflight } from "../../src/bridge/preflight.ts";
import { sampleGuestInput } from "../../src/bridge/sample-input.ts";
import { DEFAULT_SHAPES } from "../../src/wrap/shapes.ts";
import { expectCliRefusal, type CliResult } from "./cli-refusal.ts";

const run = promisify(execFile);
const FIB = new Uint8Array(readFileSync("guests/fibonacci/fibonacci.elf"));
const sampleMessages = [1, 2, 3].map((i) => ({
  target: "0x" + "c0".repeat(20),
  payload: "0x7cf5dab0" + i.toString(16).padStart(64, "0"),
}));

async function refusal(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => null,
    (err: unknown) => err as Error,
  );
  expect(e, "expected a refusal").to.not.equal(null);
  expect(e!.constructor.name).to.equal("ZkmipsError");
  return e!;
}

describe("real-mode preflight", function () {
  this.timeout(300_000);
  let input: Uint8Array;
  let cache: string;
  before(async () => {
    input = await sampleGuestInput(sampleMessages, 31338n);
    cache = mkdtempSync(path.join(os.tmpdir(), "zkmips-preflight-"));
  });
  after(() => rmSync(cache, { recursive: true, force: true }));

  it("refuses public values over PV_MAX, naming the bytes written and the limit", async () => {
    const e = await refusal(
      realModePreflight(storageProofElf(), input, {
        what: "the storage-proof guest",
        limits: { pvMax: 256 },
      }),
    );
    expect(e.message).to.equal(
      "real mode: the storage-proof guest writes 384 public bytes, the MIPS AIR commits at most 256 (PV_MAX)",
    );
  });

  it("refuses a run longer than one proof covers, naming the cycle limit", async () => {
    const e = await refusal(
      realModePreflight(storageProofElf(), input, {
        what: "the storage-proof guest",
        limits: { maxCycles: 1 << 12 },
      }),
    );
    expect(e.message).to.equal(
      "real mode: the storage-proof guest runs more than 4,096 cycles, one MIPS proof covers at most 4,096 (2^12) (MAX_CYCLES)",
    );
  });

  it("refuses a run that fits no default shape, naming the table, its rows and the shape's", async () => {
    const e = await refusal(
      realModePreflight(storageProofElf(), input, {
        what: "the storage-proof guest",
        shapes: [DEFAULT_SHAPES[0]],
      }),
    );
    expect(e.message).to.match(
      new RegExp(
        `^real mode: the storage-proof guest runs [\\d,]+ cycles and fits no default shape: table \\w+ needs 2\\^\\d+ rows, ${DEFAULT_SHAPES[0].id} has 2\\^\\d+ \\(the largest shape\\)$`,
      ),
    );
  });

  it("refuses a guest that rejects its input (non-zero exit), quoting its error", async () => {
    const bad = Uint8Array.from(input);
    bad[bad.length - 1] ^= 1; // last payload byte: the outbox accumulator no longer matches
    const e = await refusal(realModePreflight(storageProofElf(), bad, { what: "the storage-proof guest" }));
    expect(e.message).to.match(
      /^real mode: the storage-proof guest exits with status 1 on this input \(.+\); only status 0 can be proven on chain$/,
    );
  });

  it("refuses a wrap circuit over the Groth16 cap, naming its constraint count", async () => {
    const n3 = Uint8Array.from([3, 0, 0, 0]);
    const e = await refusal(
      realModePreflight(FIB, n3, {
        what: "fibonacci",
        cacheRoot: cache,
        limits: { maxConstraints: 1 << 20 },
      }),
    );
    expect(e.message).to.match(
      /^real mode: the wrap circuit of fibonacci's shape mips-s\d+:mips-pv\d+:zkmips-mips32r2-v\d+:h[\d.]+:b\d+q\d+g\d+a\d+f\d+ has [\d,]+ constraints, the Groth16 cap is 1,048,576 \(2\^20\)$/,
    );
    const count = Number(/has ([\d,]+) constraints/.exec(e.message)![1].replace(/,/g, ""));
    expect(count).to.be.greaterThan(1 << 20);
  });

  it("zkmips demo (real) refuses before starting any chain", async () => {
    const progress: string[] = [];
    const e = await refusal(
      runDemo({ mock: false, limits: { pvMax: 256 }, progress: (l) => progress.push(l) }),
    );
    expect(e.message).to.match(/^real mode: the storage-proof guest writes 384 public bytes/);
    expect(progress.some((l) => /starting two local Hardhat chains/.test(l))).to.equal(false);
  });

  it("zkmips demo (today's code) exits 1 with the refusal as its only error line", async () => {
    // --max-constraints 1000000 makes the refusal certain even once real mode works at 2^22;
    // today it may come earlier (PV_MAX, a syscall without a chip, circuit size): any refusal
    // must be one line naming a number and a limit (or what the AIR cannot prove).
    const cli = await run("npx", ["zkmips", "demo", "--max-constraints", "1000000", "--cache", cache]).catch(
      (err: { code: number; stderr: string; stdout: string }) => err,
    );
    expectCliRefusal(cli as CliResult);
  });
});
