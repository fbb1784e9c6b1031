/**
 * `npx tsx bench/merkle-arity4.ts [--heights 14,8,...] [--queries N] [--log-blowup B] [--keccak]`:
 * an estimate, in compile mode, of the wrap circuit's Merkle rows for the trace commitments
 * (pre, main, aux, quotient trees) if they were arity-4 trees instead of the binary trees of
 * `src/hash/merkle.ts`. Nothing here is used by the prover or the circuit (no format change).
 *
 * Arity-4 tree modelled: node = Poseidon(4)(c0..c3) with the current node placed by two index
 * bits among its 3 siblings (7 rows); a level pair whose top width is a shorter matrix height
 * takes that height's row digest as a 5th input (Poseidon(5)); a shorter height at an odd
 * distance from the one below forces one binary level (Poseidon(2), digest injected as today).
 * Leaf digests (row hashing) are the same in both trees and emitted in both.
 */
import { proofShape, treeLogHeight } from "../src/stark/proof.ts";
import { mipsCircuitArgs } from "./mips-circuit-args.ts";
import { Builder, type Lc } from "../src/wrap/r1cs/builder.ts";
import { select } from "../src/wrap/r1cs/gadgets/compare.ts";
import { type MatrixShape, merkleVerify, rowDigest } from "../src/wrap/r1cs/gadgets/merkle.ts";
import { poseidon } from "../src/wrap/r1cs/gadgets/poseidon.ts";

/** The 4 children with `node` at position b0 + 2·b1 and the siblings in order elsewhere. */
function place4(b: Builder, b0: Lc, b1: Lc, node: Lc, s: readonly Lc[]): Lc[] {
  const both = b.mul(b0, b1);
  // Indicators of pos = 0..3 and pos < 1, pos < 2 (affine in b0, b1, b0·b1).
  const eq = [
    b.sum(
      [
        [-1n, b0],
        [-1n, b1],
        [1n, both],
      ],
      1n,
    ),
    b.sub(b0, both),
    b.sub(b1, both),
    both,
  ];
  const c0 = select(b, eq[0], node, s[0]);
  // slot 1: node if pos = 1, s0 if pos = 0, else s1
  const c1 = b.add(b.add(s[1], b.mul(eq[1], b.sub(node, s[1]))), b.mul(eq[0], b.sub(s[0], s[1])));
  // slot 2: node if pos = 2, s2 if pos = 3, else s1
  const c2 = b.add(b.add(s[1], b.mul(eq[2], b.sub(node, s[1]))), b.mul(eq[3], b.sub(s[2], s[1])));
  const c3 = select(b, eq[3], node, s[2]);
  return [c0, c1, c2, c3];
}

function merkleVerify4(
  b: Builder,
  root: Lc,
  shapes: readonly MatrixShape[],
  bits: readonly Lc[],
  rows: readonly (readonly Lc[])[],
  wire: () => Lc,
): void {
  const groups = new Map<number, number[]>();
  shapes.forEach((s, i) => {
    if (s.width > 0) groups.set(s.height, [...(groups.get(s.height) ?? []), i]);
  });
  const maxH = Math.max(...groups.keys());
  const logH = Math.round(Math.log2(maxH));
  const rowsAt = (h: number): Lc[] => (groups.get(h) as number[]).flatMap((i) => rows[i]);
  let node = rowDigest(b, rowsAt(maxH));
  let k = 0;
  while (k < logH) {
    const inj1 = groups.has(maxH >>> (k + 1));
    if (inj1 || k + 1 === logH) {
      const sib = wire();
      const left = select(b, bits[k], sib, node);
      node = poseidon(b, [left, b.sub(b.add(node, sib), left)]);
      if (inj1) node = poseidon(b, [node, rowDigest(b, rowsAt(maxH >>> (k + 1)))]);
      k += 1;
    } else {
      const kids = place4(b, bits[k], bits[k + 1], node, [wire(), wire(), wire()]);
      const h = maxH >>> (k + 2);
      node = poseidon(b, groups.has(h) ? [...kids, rowDigest(b, rowsAt(h))] : kids);
      k += 2;
    }
  }
  b.assertEqual(node, root);
}

const { air, heights, options } = mipsCircuitArgs();

const shape = proofShape(air, options, heights);
let bin = 0;
let quad = 0;
for (const tree of shape.trees) {
  const logT = treeLogHeight(tree.shapes);
  const rowsFor = (arity: 2 | 4): number => {
    const b = new Builder({ mode: "compile" });
    const w = (): Lc => b.privateInput(undefined);
    const root = w();
    const bits = Array.from({ length: logT }, w);
    const rows = tree.shapes.map((s) => Array.from({ length: s.width }, w));
    const start = b.nConstraints;
    if (arity === 2) merkleVerify(b, root, tree.shapes, bits, rows, Array.from({ length: logT }, w));
    else merkleVerify4(b, root, tree.shapes, bits, rows, w);
    return b.nConstraints - start;
  };
  const [r2, r4] = [rowsFor(2), rowsFor(4)];
  bin += r2;
  quad += r4;
  console.log(`${tree.name.padEnd(5)} depth ${logT}: binary ${r2} rows/query, arity 4 ${r4} (${r4 - r2})`);
}
const q = options.numQueries;
console.log(
  `trace trees x ${q} queries: binary ${bin * q}, arity 4 ${quad * q}, change ${(quad - bin) * q} rows`,
);
