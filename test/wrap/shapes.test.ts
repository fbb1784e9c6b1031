/**
 * Default MIPS shapes (src/wrap/shapes.ts): well-formed and ordered, chosen from real runs' natural
 * heights, recognised from a proof's heights; `zkmips prove` pads to the smallest that fits and
 * `zkmips wrap` refuses heights that are no default shape, naming the shapes and why.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { expect } from "chai";
import { ZkmipsError } from "../../src/errors.ts";
import { loadElf } from "../../src/mips/elf.ts";
import { execute } from "../../src/mips/execute.ts";
import { buildMachine } from "../../src/mips/air/machine.ts";
import { programImage } from "../../src/mips/air/program.ts";
import { generateWitness } from "../../src/mips/air/witness.ts";
import { summaryFromTrace } from "../../src/mips/air/from-trace.ts";
import {
  DEFAULT_SHAPES,
  UNSHAPED_TABLES,
  chooseShape,
  explainNoShape,
  findShape,
  shapeAllowsOptions,
  shapeChooser,
  shapeOfHeights,
  shapePadTo,
} from "../../src/wrap/shapes.ts";
import { DEFAULT_OPTIONS, ONCHAIN_OPTIONS } from "../../src/stark/options.ts";
import { tmpFile } from "./r1cs-helpers.ts";

const FIB = "guests/fibonacci/fibonacci.elf";
const u32 = (n: number) => Uint8Array.of(n & 255, (n >> 8) & 255, (n >> 16) & 255, n >>> 24);

function natural(elf: string, input: Uint8Array): Record<string, number> {
  const prog = loadElf(fs.readFileSync(elf));
  const r = execute(prog, { trace: true, input, stdout: () => {}, stderr: () => {} });
  return {
    ...generateWitness(buildMachine(programImage(prog)), summaryFromTrace(r.trace!)).naturalLogHeights,
  };
}

function zkmips(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("npx", ["zkmips", ...args], { encoding: "utf8" });
  const stderr = r.stderr
    .split("\n")
    .filter((l) => l && !/npm warn/.test(l))
    .join("\n");
  return { status: r.status, stdout: r.stdout, stderr };
}

describe("default MIPS shapes", function () {
  this.timeout(300_000);
  const tables = buildMachine(programImage(loadElf(fs.readFileSync(FIB)))).air.tables.map((t) => t.name);

  it("name only tables of the machine, never Program or Byte, all within 2^2..2^20", () => {
    for (const s of DEFAULT_SHAPES) {
      for (const n of Object.keys(s.logHeights)) {
        expect(tables, `${s.id}: ${n}`).to.include(n);
        expect(UNSHAPED_TABLES).to.not.include(n);
      }
      for (const lg of Object.values(shapePadTo(s, tables))) expect(lg).to.be.within(2, 20);
      expect(Object.keys(shapePadTo(s, tables)).sort()).to.deep.equal(
        tables.filter((n) => !UNSHAPED_TABLES.includes(n)).sort(),
      );
    }
  });

  it("are ordered: every table of a shape is at most as tall as in the next one", () => {
    for (let i = 1; i < DEFAULT_SHAPES.length; i++) {
      const [a, b] = [shapePadTo(DEFAULT_SHAPES[i - 1], tables), shapePadTo(DEFAULT_SHAPES[i], tables)];
      for (const n of Object.keys(a)) expect(a[n], `${DEFAULT_SHAPES[i].id} ${n}`).to.be.at.most(b[n]);
    }
  });

  it("picks the smallest shape that fits a run's natural heights", () => {
    const small = natural(FIB, u32(10));
    expect(chooseShape(small)?.id).to.equal("mips-s12");
    const big = natural(FIB, u32(5600)); // 64k cycles: AddSub and Bitwise at 2^15
    expect(chooseShape(big)?.id).to.equal("mips-s16");
    expect(explainNoShape(big)).to.match(
      /^mips-s12: table (AddSub|Bitwise) needs 2\^15 rows, mips-s12 has 2\^11/,
    );
  });

  it("finds no shape for heights beyond every shape, and says which table", () => {
    const h = { ...natural(FIB, u32(10)), Mem: 20 };
    expect(chooseShape(h)).to.equal(undefined);
    expect(explainNoShape(h)).to.match(/mips-s19: table Mem needs 2\^20 rows, mips-s19 has 2\^19/);
  });

  it("recognises a shape from exactly its heights (Program/Byte ignored), and nothing else", () => {
    for (const s of DEFAULT_SHAPES) {
      const h: Record<string, number> = { Program: 11, Byte: 8, ...shapePadTo(s, tables) };
      expect(shapeOfHeights(h)?.id).to.equal(s.id);
      expect(shapeOfHeights({ ...h, Clz: h.Clz + 1 })).to.equal(undefined);
    }
  });

  it("--shape ID that the run does not fit is an error naming the table; unknown ids list the shapes", () => {
    const big = natural(FIB, u32(5600));
    expect(() => shapeChooser("mips-s12").padTo(big)).to.throw(
      ZkmipsError,
      /does not fit shape mips-s12: table/,
    );
    expect(() => findShape("mips-s99")).to.throw(ZkmipsError, /unknown shape "mips-s99"/);
    expect(shapeChooser("natural").padTo(big)).to.equal(undefined);
  });

  it("shapes name their wrap profile; at the on-chain profile only shapes with tables <= 2^18 are chosen", () => {
    expect(DEFAULT_SHAPES.filter((s) => s.profile === "onchain").map((s) => s.id)).to.deep.equal([
      "mips-s12",
      "mips-s16",
      "mips-s18",
    ]);
    for (const s of DEFAULT_SHAPES)
      expect(shapeAllowsOptions(s, ONCHAIN_OPTIONS), s.id).to.equal(s.profile === "onchain");
    expect(() => shapeChooser("mips-s19", ONCHAIN_OPTIONS)).to.throw(
      ZkmipsError,
      /shape mips-s19 has tables taller than 2\^18 rows, the limit at blowup 2\^6/,
    );
    // A run that only mips-s19 fits: auto picks it at the default profile, nothing at the on-chain one.
    const h = { ...shapePadTo(findShape("mips-s19"), tables) };
    const auto = shapeChooser("auto", ONCHAIN_OPTIONS);
    expect(auto.padTo(h)).to.equal(undefined);
    expect(auto.chosen().why).to.not.include("mips-s19");
    const dflt = shapeChooser("auto", DEFAULT_OPTIONS);
    dflt.padTo(h);
    expect(dflt.chosen().shape?.id).to.equal("mips-s19");
  });

  describe("zkmips prove / wrap", () => {
    const input = tmpFile("n10.bin");
    const shaped = tmpFile("fib-s12.proof");
    before(() => fs.writeFileSync(input, u32(10)));

    it("prove pads to the smallest shape that fits (mips-s12 for fibonacci n=10)", () => {
      const r = zkmips("prove", FIB, "--input", input, "-o", shaped, "--json");
      expect(r.status, r.stderr).to.equal(0);
      const j = JSON.parse(r.stdout) as { shape: string; traceHeights: Record<string, number> };
      expect(j.shape).to.equal("mips-s12");
      // The proof has the tables the run needs (no Keccak/SysMisc tables here), each at the shape's height.
      expect(j.traceHeights).to.deep.equal({
        Program: j.traceHeights.Program,
        Byte: 8,
        ...shapePadTo(findShape("mips-s12"), Object.keys(j.traceHeights)),
      });
      expect(Object.keys(j.traceHeights)).to.include.members(["AddSub", "MemFinal"]);
      const v = zkmips("verify", shaped, "--elf", FIB);
      expect(v.status, v.stderr).to.equal(0);
    });

    it("prove --shape ID that the run does not fit is a one-line error", () => {
      const big = tmpFile("n5600.bin");
      fs.writeFileSync(big, u32(5600));
      const r = zkmips("prove", FIB, "--input", big, "--shape", "mips-s12", "-o", tmpFile("x.proof"));
      expect(r.status).to.equal(1);
      expect(r.stderr).to.match(
        /^zkmips: error: the run does not fit shape mips-s12: table \w+ needs 2\^15 rows/,
      );
    });

    it("wrap refuses a proof at natural heights, listing the default shapes and why", () => {
      const nat = tmpFile("fib-natural.proof");
      const p = zkmips("prove", FIB, "--input", input, "--shape", "natural", "-o", nat);
      expect(p.status, p.stderr).to.equal(0);
      const r = zkmips("wrap", nat, "--elf", FIB, "-o", tmpFile("x.json"), "--cache", tmpFile("cache"));
      expect(r.status).to.equal(1);
      const last = r.stderr.split("\n").pop()!;
      expect(last).to.match(/^zkmips: error: the proof's table heights are none of the default shapes/);
      for (const s of DEFAULT_SHAPES) expect(last).to.include(`${s.id}: table`);
      expect(r.stderr).to.not.match(/\n\s+at /);
    });
  });
});
