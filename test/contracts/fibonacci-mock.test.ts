/**
 * Mock mode end to end for the example app: the real fibonacci guest runs in the executor and
 * its fd-3 bytes go to ProvenFibonacci through MipsMockVerifier (nothing is proven).
 */
import { expect } from "chai";
import fs from "node:fs";
import { network } from "hardhat";
import { execute, loadElf } from "../../src/mips/index.ts";
import { randomVKey } from "./support.ts";

const { ethers } = await network.create();

function fibMod64(n: number): bigint {
  let [a, b] = [0n, 1n];
  for (let i = 0; i < n; i++) [a, b] = [b, (a + b) & ((1n << 64n) - 1n)];
  return a;
}

describe("ProvenFibonacci in mock mode with the real fibonacci guest", () => {
  it("accepts the guest's public values and stores fib(n) mod 2^64", async () => {
    const program = loadElf(new Uint8Array(fs.readFileSync("guests/fibonacci/fibonacci.elf")));
    const mock = await ethers.deployContract("MipsMockVerifier");
    const app = await ethers.deployContract("ProvenFibonacci", [await mock.getAddress(), randomVKey()]);
    for (const n of [0, 1, 10, 93, 100]) {
      const input = new Uint8Array(Uint32Array.of(n).buffer);
      const run = execute(program, { input });
      expect(run.exitCode).to.equal(0);
      await app.submit(run.publicValues, "0x");
      expect(await app.fibonacci(n)).to.equal(fibMod64(n));
      expect(await app.isProven(n)).to.equal(true);
    }
  });
});
