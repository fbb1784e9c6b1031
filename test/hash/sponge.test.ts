import { expect } from "chai";
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import {
  VALUES_PER_ELEMENT,
  closeHashPool,
  hashRows,
  hashRowsParallel,
  hashValues,
  hashValuesReference,
  packValues,
  packValuesReference,
} from "../../src/hash/sponge.ts";
import { poseidonReference } from "../../src/hash/poseidon-reference.ts";
import { limbsToBigint } from "../../src/hash/poseidon-limbs.ts";

const u31 = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  fc.constantFrom(0, 1, 2 ** 31 - 1, 0x7f000000),
);

function randomMatrix(width: number, rows: number, seed: number): Uint32Array {
  const m = new Uint32Array(width * rows);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < m.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    m[i] = (x >>> 0) & 0x7fffffff;
  }
  return m;
}

describe("Poseidon sponge over packed 31-bit values", () => {
  after(() => closeHashPool());

  it("packs 8 values per element as sum v_i 2^(31 i)", () => {
    expect(VALUES_PER_ELEMENT).to.equal(8);
    expect(packValues([1, 2])).to.deep.equal([1n + (2n << 31n)]);
    const nine = [1, 2, 3, 4, 5, 6, 7, 2 ** 31 - 1, 9];
    const e0 = nine.slice(0, 8).reduce((acc, v, i) => acc + (BigInt(v) << BigInt(31 * i)), 0n);
    expect(packValues(nine)).to.deep.equal([e0, 9n]);
  });

  it("packValues equals the reference on random values", () => {
    fc.assert(
      fc.property(fc.array(u31, { maxLength: 40 }), (vs) => {
        expect(packValues(vs)).to.deep.equal(packValuesReference(vs));
      }),
    );
  });

  it("follows the sponge spec: one call up to 16 elements, then chunks of 15 after the first 16", () => {
    const vs = Array.from({ length: 17 * 8 + 3 }, (_, i) => (i * 2654435761) % 2 ** 31);
    const e = packValuesReference(vs);
    expect(e.length).to.equal(18);
    const h1 = poseidonReference(e.slice(0, 16));
    expect(hashValues(vs)).to.equal(poseidonReference([h1, ...e.slice(16)]));
    expect(hashValues(vs.slice(0, 128))).to.equal(poseidonReference(e.slice(0, 16)));
    expect(hashValues([5])).to.equal(poseidonReference([5n]));
  });

  it("hashValues equals the reference on random inputs", () => {
    fc.assert(
      fc.property(fc.array(u31, { minLength: 1, maxLength: 300 }), (vs) => {
        expect(hashValues(vs)).to.equal(hashValuesReference(vs));
      }),
      { numRuns: 40 },
    );
  });

  it("hashRows equals hashValuesReference per row, for widths crossing 8/128/136 value boundaries", () => {
    const widths = [1, 2, 7, 8, 9, 15, 16, 17, 127, 128, 129, 135, 136, 137, 248, 249, 250];
    for (const width of widths) {
      const rows = 3;
      const m = randomMatrix(width, rows, width * 31 + 7);
      const out = hashRows(m, width, rows);
      for (let r = 0; r < rows; r++)
        expect(limbsToBigint(out, r * 8), `width ${width} row ${r}`).to.equal(
          hashValuesReference(m.subarray(r * width, (r + 1) * width)),
        );
    }
  });

  it("hashRows equals the reference on random matrices", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 140 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer(),
        (width, rows, seed) => {
          const m = randomMatrix(width, rows, seed);
          const out = hashRows(m, width, rows);
          for (let r = 0; r < rows; r++)
            expect(limbsToBigint(out, r * 8)).to.equal(
              hashValuesReference(m.subarray(r * width, (r + 1) * width)),
            );
        },
      ),
      { numRuns: 25 },
    );
  });

  it("hashRowsParallel returns exactly hashRows's output, and the pool is reused", async () => {
    for (const [width, rows] of [
      [100, 700],
      [9, 3000],
      [3, 5],
    ]) {
      const m = randomMatrix(width, rows, width + rows);
      const expected = hashRows(m, width, rows);
      expect(await hashRowsParallel(m, width, rows), `${width}x${rows}`).to.deep.equal(expected);
    }
    const m = randomMatrix(50, 1000, 1);
    const [a, b] = await Promise.all([hashRowsParallel(m, 50, 1000), hashRowsParallel(m, 50, 1000)]);
    expect(a).to.deep.equal(b);
    expect(a).to.deep.equal(hashRows(m, 50, 1000));
  });

  it("lets the process exit while the worker pool is idle (no explicit close)", () => {
    const sponge = new URL("../../src/hash/sponge.ts", import.meta.url).href;
    const script = `
      const { hashRowsParallel, hashRows } = await import(${JSON.stringify(sponge)});
      const m = new Uint32Array(64 * 600).map((_, i) => i);
      const a = await hashRowsParallel(m, 64, 600);
      const b = hashRows(m, 64, 600);
      if (a.some((x, i) => x !== b[i])) process.exit(3);
      console.log("done");`;
    const res = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      timeout: 60_000,
      encoding: "utf8",
      env: { ...process.env, ZKMIPS_HASH_THREADS: "2" },
    });
    expect(res.error, "the child process did not exit by itself").to.equal(undefined);
    expect(res.status, res.stderr).to.equal(0);
    expect(res.stdout.trim()).to.equal("done");
  });

  it("rejects empty input, values >= 2^31 and short matrices", async () => {
    expect(() => hashValues([])).to.throw(/empty/);
    expect(() => packValues([2 ** 31])).to.throw(/31-bit/);
    expect(() => packValues([-1])).to.throw(/31-bit/);
    expect(() => hashRows(new Uint32Array([1, 2 ** 31]), 2, 1)).to.throw(/31-bit/);
    expect(() => hashRows(new Uint32Array(5), 3, 2)).to.throw(/need 6 values/);
    const bad = new Uint32Array(100 * 400).fill(2 ** 31);
    let err: unknown;
    try {
      await hashRowsParallel(bad, 100, 400);
    } catch (e) {
      err = e;
    }
    expect(String(err)).to.match(/31-bit/);
  });
});
