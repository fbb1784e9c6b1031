/**
 * Default shapes of the MIPS machine: named tuples of log2 table heights. `zkmips prove` pads every
 * table to the smallest default shape the run fits (`--shape ID` picks one), so all proofs of a shape
 * (and program) have the same heights, hence one wrap circuit, one Groth16 key, one verifier
 * contract. `zkmips wrap` recognises the shape from the proof's heights.
 *
 * Program and Byte are not part of a shape: Byte is always 2^8 rows, and the Program table's height
 * is fixed by the ELF (its preprocessed columns, at that height, are the programVKey; padding it would
 * change the vkey). So a wrap circuit is one per (shape, Program height); for one program — the
 * bridge's storage-proof guest — that is one circuit per shape.
 *
 * Heights were chosen from the example guests' natural heights (`npx tsx bench/shape-heights.ts`,
 * table in docs/wrap.md) with headroom on the big tables; a shape covers those guests' instruction
 * mixes up to its cycle class, not every possible mix (a run of 2^16 additions needs AddSub at 2^16).
 * Tables a shape does not list (a chip added later) are padded to its `others` height.
 *
 * A shape also names the proof profile (src/stark/options.ts) its proofs are wrapped at: the wrap
 * circuit verifies one option set. mips-s12/s16/s18 are wrapped at the on-chain profile (blowup 64,
 * 14 queries: the circuit stays under 2^22); mips-s19 is too tall for it (tables <= 2^18 at blowup 64).
 */
import { ZkmipsError } from "../errors.ts";
import { type ProfileName, type ProofOptions, maxLogHeight } from "../stark/options.ts";

export interface MipsShape {
  /** Name used by `--shape` and in the wrap shape id. */
  readonly id: string;
  readonly description: string;
  /** log2 height per table name (every table but Program and Byte). */
  readonly logHeights: Readonly<Record<string, number>>;
  /** log2 height of tables not listed. */
  readonly others: number;
  /** The proof profile proofs of this shape are wrapped at (`zkmips prove --profile`). */
  readonly profile: ProfileName;
}

/** Tables whose height no shape sets (fixed by the program / the AIR). */
export const UNSHAPED_TABLES: readonly string[] = ["Program", "Byte"];

/**
 * Heights relative to a base b (the big ALU/memory tables at b). MemFinal grows with the program
 * image (about the Program height) and Io with the input size, so both have a floor.
 */
function shape(id: string, description: string, b: number): MipsShape {
  return {
    id,
    description,
    logHeights: {
      MemFinal: Math.max(b - 3, 13),
      Io: Math.max(b - 3, 12),
      AddSub: b,
      Bitwise: b,
      Lt: b - 2,
      Shift: b - 1,
      Branch: b - 1,
      Jump: b - 5,
      Mem: b,
      Syscall: b - 7,
      HiLo: b - 5,
      MovCond: b - 5,
      SignExt: b - 5,
      Div: b - 7,
      Clz: b - 7,
      // keccak-f precompile: 288 Keccak rows and 25 KeccakMem rows per permutation (present only in
      // proofs of runs that call it); 2^b rows = 113 permutations at mips-s16 (b = 15).
      Keccak: b,
      KeccakMem: b - 3,
    },
    others: b - 7,
    profile: "onchain",
  };
}

/**
 * Smallest first. mips-s19 is meant as the largest that fits this machine's memory (~180M committed
 * cells, about a natural 2^20-cycle run): its Mem/Bitwise/Shift budget follows the storage-proof
 * guest with software keccak and state-transition. With the keccak-f precompile the storage-proof
 * guest (4 messages: 40,751 cycles, 34 permutations) fits mips-s16.
 */
export const DEFAULT_SHAPES: readonly MipsShape[] = [
  shape("mips-s12", "small runs (tests, up to ~2^11-2^12 cycles)", 11),
  shape(
    "mips-s16",
    "up to ~2^15-2^16 cycles, 113 keccak-f calls (fibonacci n=5600, sha256 1 KB, keccak 300 B, storage-proof)",
    15,
  ),
  shape("mips-s18", "up to ~2^17-2^18 cycles (fibonacci n=22500, keccak 1450 B)", 17),
  {
    id: "mips-s19",
    description:
      "up to ~2^19-2^20 cycles, memory-heavy (state-transition 16/16, storage-proof with software keccak)",
    logHeights: {
      ...shape("", "", 17).logHeights,
      Mem: 19,
      Bitwise: 18,
      Shift: 17,
      Branch: 16,
      Lt: 15,
    },
    others: 10,
    // Mem at 2^19 is over the on-chain profile's 2^18 limit; its wrap circuit at the default
    // profile is over 2^22 (docs/wrap.md), so proofs of this shape are not wrapped today.
    profile: "default",
  },
];

/** The shape's log2 height for every table of the machine except Program and Byte (a `padTo`). */
export function shapePadTo(s: MipsShape, tableNames: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of tableNames) if (!UNSHAPED_TABLES.includes(n)) out[n] = s.logHeights[n] ?? s.others;
  return out;
}

/** Why natural heights do not fit a shape (the first table that is too tall), or null when they fit. */
export function whyNotFits(s: MipsShape, natural: Readonly<Record<string, number>>): string | null {
  const pad = shapePadTo(s, Object.keys(natural));
  for (const [n, lg] of Object.entries(pad))
    if (natural[n] > lg) return `table ${n} needs 2^${natural[n]} rows, ${s.id} has 2^${lg}`;
  return null;
}

/** Whether every table of the shape can be proven at these options (maxLogHeight). */
export function shapeAllowsOptions(s: MipsShape, o: ProofOptions): boolean {
  return Math.max(s.others, ...Object.values(s.logHeights)) <= maxLogHeight(o);
}

/** The smallest default shape the natural heights fit, or undefined. */
export function chooseShape(
  natural: Readonly<Record<string, number>>,
  shapes: readonly MipsShape[] = DEFAULT_SHAPES,
): MipsShape | undefined {
  return shapes.find((s) => whyNotFits(s, natural) === null);
}

export function findShape(id: string, shapes: readonly MipsShape[] = DEFAULT_SHAPES): MipsShape {
  const s = shapes.find((x) => x.id === id);
  if (!s)
    throw new ZkmipsError(
      `unknown shape "${id}"`,
      `default shapes: ${shapes.map((x) => x.id).join(", ")} (or "auto", "natural")`,
    );
  return s;
}

/** The default shape whose heights equal a proof's (by table name; Program and Byte ignored). */
export function shapeOfHeights(
  heights: Readonly<Record<string, number>>,
  shapes: readonly MipsShape[] = DEFAULT_SHAPES,
): MipsShape | undefined {
  return shapes.find((s) => {
    const pad = shapePadTo(s, Object.keys(heights));
    return Object.entries(pad).every(([n, lg]) => heights[n] === lg);
  });
}

/** One line per default shape saying why `heights` are not that shape (for errors). */
export function explainNoShape(
  heights: Readonly<Record<string, number>>,
  shapes: readonly MipsShape[] = DEFAULT_SHAPES,
): string {
  return shapes
    .map((s) => {
      const why = whyNotFits(s, heights);
      if (why) return `${s.id}: ${why}`;
      const pad = shapePadTo(s, Object.keys(heights));
      const n = Object.keys(pad).find((t) => heights[t] !== pad[t])!;
      return `${s.id}: table ${n} is 2^${heights[n]} rows, ${s.id} pads it to 2^${pad[n]} (prove with --shape ${s.id})`;
    })
    .join("; ");
}

/**
 * What `zkmips prove --shape` means: "auto" (default) = the smallest default shape that fits, else
 * natural heights; "natural" = no padding; an id = that shape (a run that does not fit is an error).
 * With `options` (the proof's profile), shapes with tables taller than `maxLogHeight(options)` are
 * not candidates (mips-s19 at the on-chain profile).
 * Returns the padTo function for the prover and a getter for the shape it chose.
 */
export function shapeChooser(
  choice: string = "auto",
  options?: ProofOptions,
): {
  padTo: (natural: Readonly<Record<string, number>>) => Record<string, number> | undefined;
  chosen: () => { shape: MipsShape | undefined; why?: string };
} {
  let result: { shape: MipsShape | undefined; why?: string } = { shape: undefined };
  const fixed = choice === "auto" || choice === "natural" ? undefined : findShape(choice);
  // With options: only shapes whose tables can be proven at them (mips-s19 is too tall at blowup 64).
  const candidates = options ? DEFAULT_SHAPES.filter((s) => shapeAllowsOptions(s, options)) : DEFAULT_SHAPES;
  if (fixed && !candidates.includes(fixed))
    throw new ZkmipsError(
      `shape ${fixed.id} has tables taller than 2^${maxLogHeight(options!)} rows, the limit at blowup 2^${options!.logBlowup}`,
      `use a smaller shape (${candidates.map((x) => x.id).join(", ")}) or the default profile`,
    );
  return {
    padTo(natural) {
      const names = Object.keys(natural);
      if (choice === "natural") return undefined;
      if (fixed) {
        const why = whyNotFits(fixed, natural);
        if (why)
          throw new ZkmipsError(
            `the run does not fit shape ${fixed.id}: ${why}`,
            "use a larger shape (--shape auto picks the smallest that fits)",
          );
        result = { shape: fixed };
        return shapePadTo(fixed, names);
      }
      const s = chooseShape(natural, candidates);
      result = s ? { shape: s } : { shape: undefined, why: explainNoShape(natural, candidates) };
      return s ? shapePadTo(s, names) : undefined;
    },
    chosen: () => result,
  };
}
