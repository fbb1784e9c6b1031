import { expect } from "chai";
import { P } from "../../src/field/koalabear.ts";
import { parallelLdeColumns, parallelReduceRows, sharedU32 } from "../../src/field/pool.ts";
import { wasmReduceRows } from "../../src/field/wasm.ts";
import { ldeColumns } from "../../src/stark/prover.ts";

describe("field worker pool", () => {
  it("computes the same LDEs and row reductions as the calling thread", async () => {
    const cols = Array.from({ length: 37 }, (_, j) =>
      Uint32Array.from({ length: 1 << 10 }, (_, i) => (i * 2654435761 + j * 97) % P),
    );
    const par = await parallelLdeColumns(cols, 3, 3);
    expect(par.buffer).to.be.instanceOf(SharedArrayBuffer);
    expect(Uint32Array.from(par)).to.deep.equal(ldeColumns(cols, 3));
    const rows = 1 << 13;
    const width = 37;
    const coef = Uint32Array.from({ length: 4 * width }, (_, i) => (i * 7919 + 1) % P);
    const expected = Uint32Array.from({ length: 4 * rows }, (_, i) => i % P);
    const out = sharedU32(4 * rows);
    out.set(expected);
    wasmReduceRows(par, rows, width, coef, expected, true);
    await parallelReduceRows(par, rows, width, coef, out, true);
    expect(Uint32Array.from(out)).to.deep.equal(expected);
  });
});
