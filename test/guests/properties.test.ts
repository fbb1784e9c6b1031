/**
 * Property tests of the C guests under zkmips against the TypeScript models, on random
 * inputs (fast-check, fixed seed): hash guests on random byte strings, state-transition on
 * random tables and transfer batches (out-of-range accounts, overdrafts, overflowing
 * receivers, self-transfers), fibonacci on random n. Both compiler builds each time.
 */
import { expect } from "chai";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runExecutor } from "./executor.ts";
import {
  encodeStateTransition,
  encodeU32,
  fibonacciModel,
  keccakModel,
  sha256Model,
  stateTransitionModel,
} from "./models.ts";

const GUESTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../guests");
const builds = (name: string) =>
  [`${name}.elf`, `${name}.clang.elf`].map((f) => ({ f, elf: readFileSync(path.join(GUESTS, name, f)) }));
const params = { numRuns: 25, seed: 20261124 };

async function agree(
  name: string,
  input: Uint8Array,
  model: { publicValues: Buffer; stdout: string },
): Promise<void> {
  for (const { f, elf } of builds(name)) {
    const run = await runExecutor(elf, { input });
    expect(run.fault, run.fault?.message).to.equal(undefined);
    expect(run.exitCode, `${f}: ${run.stderr.toString()}`).to.equal(0);
    expect(run.publicValues.toString("hex"), f).to.equal(model.publicValues.toString("hex"));
    expect(run.stdout.toString("latin1"), f).to.equal(model.stdout);
  }
}

describe("C guests under zkmips on random inputs agree with the TypeScript models", function () {
  it("sha256 of random byte strings (0..600 bytes)", async function () {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), (bytes) =>
        agree("sha256", bytes, sha256Model(bytes)),
      ),
      params,
    );
  });

  it("keccak-256 of random byte strings (0..600 bytes)", async function () {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), (bytes) =>
        agree("keccak", bytes, keccakModel(bytes)),
      ),
      params,
    );
  });

  it("fibonacci of random n below 3000", async function () {
    await fc.assert(
      fc.asyncProperty(fc.nat(2999), (n) => agree("fibonacci", encodeU32(n), fibonacciModel(n))),
      params,
    );
  });

  it("state-transition on random tables and transfer batches", async function () {
    const max = (1n << 64n) - 1n;
    const balance = fc.oneof(
      fc.bigInt({ min: 0n, max: 1000n }),
      fc.constantFrom(0n, max, max - 1n, 1n << 63n),
      fc.bigInt({ min: 0n, max }),
    );
    const transfer = fc.record({
      from: fc.oneof(fc.nat(9), fc.constant(0xffffffff)),
      to: fc.oneof(fc.nat(9), fc.constant(0xffffffff)),
      amount: fc.oneof(fc.bigInt({ min: 0n, max: 1200n }), fc.constantFrom(0n, max, 1n << 63n)),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(balance, { maxLength: 9 }),
        fc.array(transfer, { maxLength: 12 }),
        async (balances, transfers) => {
          const model = stateTransitionModel(balances, transfers);
          await agree("state-transition", encodeStateTransition(balances, transfers), model);
        },
      ),
      params,
    );
  });
});
