/**
 * [full] The keccak-f precompile end to end: the keccakf guest and the bridge's storage-proof guest
 * (the demo's first update with one message, built on Hardhat's in-process network) prove at
 * DEFAULT_OPTIONS and verify (~2 min, ~1.7 GB); and the wrap circuit generator on the AIR with the
 * Keccak tables: compile mode counts the rows the tables add, "both" mode checks that the circuit
 * accepts a real MIPS proof of a keccakf call (insecure 2-query options) and rejects it with one
 * Keccak column's out-of-domain opening changed.
 */
import { expect } from "chai";
import { describeFull } from "../support/full.ts";
import type { ProofOptions } from "../../src/stark/options.ts";
import { buildMachine } from "../../src/mips/air/machine.ts";
import { Builder } from "../../src/wrap/r1cs/builder.ts";
import { emitWrapStatement, mipsLayout, type StatementWitness } from "../../src/wrap/statement.ts";
import { randomBytes } from "node:crypto";
import { mipsWrapInput } from "../../src/wrap/mips.ts";
import { mipsSetup, proveMips } from "../../src/mips/air/prove.ts";
import { programImage } from "../../src/mips/air/program.ts";
import { summaryFromTrace } from "../../src/mips/air/from-trace.ts";
import { execute } from "../../src/mips/index.ts";
import { SYS_KECCAKF } from "../../src/mips/syscalls.ts";
import { P } from "../../src/field/koalabear.ts";
import type { Ext } from "../../src/field/ext4.ts";
import { DATA, asm, li, program } from "../mips/asm.ts";
import { readFileSync } from "node:fs";
import { keccakP } from "@noble/hashes/sha3.js";
import { proveElf } from "../../src/mips/air/pipeline.ts";
import { verifyMips } from "../../src/mips/air/prove.ts";
import { loadElf } from "../../src/mips/index.ts";
import { runStorageGuest, storageProofElf } from "../../src/bridge/guest.ts";
import { sampleGuestInput } from "../../src/bridge/sample-input.ts";

describeFull("MIPS AIR keccak-f precompile: guests prove and verify", function () {
  this.timeout(900_000);
  it("the keccakf guest (5 permutations) proves and verifies; public values = keccakP^5 of the zero state", async () => {
    const elf = new Uint8Array(readFileSync("guests/keccakf/keccakf.elf"));
    const proof = await proveElf(elf, { input: Uint8Array.of(5, 0, 0, 0) });
    expect(proof.stats.rowsPerTable.Keccak).to.equal(5 * 288);
    const st = await verifyMips(proof.file, { program: programImage(loadElf(elf)) });
    const ref = new Uint32Array(50);
    for (let i = 0; i < 5; i++) keccakP(ref, 24);
    expect(Buffer.from(st.publicValues.subarray(4)).equals(Buffer.from(ref.buffer, 0, 8))).to.equal(true);
  });

  it("the storage-proof guest (one outbox message) proves and verifies with the public values it computes", async () => {
    const input = await sampleGuestInput(
      [{ target: "0x" + "c0".repeat(20), payload: "0x7cf5dab0" + "1".padStart(64, "0") }],
      31338n,
    );
    const elf = storageProofElf();
    const run = runStorageGuest(input, elf);
    const proof = await proveElf(elf, { input });
    expect(proof.stats.rowsPerTable.Keccak).to.be.greaterThan(0);
    expect(proof.stats.rowsPerTable.Keccak % 288).to.equal(0);
    const st = await verifyMips(proof.file, { program: programImage(loadElf(elf)) });
    expect(st.exitCode).to.equal(0);
    expect(Buffer.from(st.publicValues).equals(Buffer.from(run.publicValues))).to.equal(true);
  });
});

describeFull("MIPS AIR keccak-f precompile: wrap circuit", function () {
  this.timeout(600_000);
  it("the wrap circuit emits the Keccak tables' constraints (compile mode, 2 queries, small heights)", () => {
    const options: ProofOptions = {
      logBlowup: 2,
      numQueries: 2,
      grindingBits: 0,
      logFoldingArity: 2,
      logFinalPolyLen: 1,
    };
    const placeholder = { entry: 0, words: new Map<number, number>(), code: [], brkStart: 0 };
    const count = (keccak: boolean): number => {
      const air = buildMachine(placeholder, 1 << 8, { keccak }).air;
      const heights = air.tables.map((t) => t.fixedLogHeight ?? 5);
      const b = new Builder({ mode: "compile" });
      emitWrapStatement(b, air, options, heights, mipsLayout);
      return b.nConstraints;
    };
    const lean = count(false);
    const full = count(true);
    // 515 more main columns (+ LogUp and quotient columns: DEEP claims, canonical checks) and the
    // tables' OOD constraints
    expect(full - lean).to.be.greaterThan(100_000);
  });

  it("the wrap circuit accepts a real proof of a keccakf call and rejects a changed Keccak opening", async () => {
    const options: ProofOptions = {
      logBlowup: 2,
      numQueries: 2,
      grindingBits: 0,
      logFoldingArity: 2,
      logFinalPolyLen: 1,
    };
    // keccakf(DATA), write(3, DATA, 8), exit_group(0)
    const code = [
      ...li(4, DATA),
      ...li(2, SYS_KECCAKF),
      asm.syscall(),
      ...li(4, 3),
      ...li(5, DATA),
      ...li(6, 8),
      ...li(2, 4004),
      asm.syscall(),
      ...li(4, 0),
      ...li(2, 4246),
      asm.syscall(),
    ];
    const prog = program(code, { data: new Uint8Array(randomBytes(200)) });
    const prover = await mipsSetup(programImage(prog), options);
    const proof = await proveMips(prover, summaryFromTrace(execute(prog, { trace: true }).trace!));
    const { shape, witness } = await mipsWrapInput(proof.file, prover.pk.vkey, options);
    const k = shape.air.tables.findIndex((t) => t.name === "Keccak");
    expect(k).to.be.at.least(0);
    const check = (wit: StatementWitness) => {
      const b = new Builder({ mode: "both" });
      emitWrapStatement(b, shape.air, shape.options, shape.logHeights, shape.layout, wit);
      return b.check(b.witness()).ok;
    };
    expect(check(witness)).to.equal(true);
    const o = witness.proof.openings;
    const at = o[k].main[0];
    const bumped: Ext = [(at[100][0] + 1) % P, at[100][1], at[100][2], at[100][3]];
    const openings = o.map((t, i) =>
      i === k
        ? { ...t, main: [[...at.slice(0, 100), bumped, ...at.slice(101)], [...t.main[1]]] as [Ext[], Ext[]] }
        : t,
    );
    expect(check({ ...witness, proof: { ...witness.proof, openings } })).to.equal(false);
  });
});
