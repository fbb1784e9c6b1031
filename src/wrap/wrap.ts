/**
 * The end-to-end wrap: a STARK proof (any AIR + a statement layout) → the shape's circuit
 * (`.r1cs`, emitted by statement.ts) → its Groth16 key (groth16/setup.ts: dev or ceremony,
 * cached by the `.r1cs` hash) → witness → snarkjs Groth16 proof → `proof.groth16.json`.
 *
 * Cache: `.zkmips/wrap/<shapeKey>/` holds `circuit.r1cs` and `shape.json` ({shapeId, rows,
 * r1csSha256, buildSeconds}). shapeKey = 16 hex of sha256 over the circuit's parameters (AIR
 * name/version/tables, options, heights, layout) and the sources that emit it; the Groth16 key is
 * then found by the `.r1cs` content hash, so a proof needs no circuit rebuild once set up.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ZkmipsError } from "../errors.ts";
import type { AirDefinition } from "../stark/air.ts";
import type { ProofOptions } from "../stark/options.ts";
import { DEFAULT_CACHE_ROOT, sha256File } from "./groth16/cache.ts";
import { bytesToHex, encodeProofBytes, publicValuesDigest } from "./groth16/proof-bytes.ts";
import type { Groth16ProofFile } from "./groth16/proof-file.ts";
import { proveGroth16, verifyGroth16 } from "./groth16/prove.ts";
import { type SetupOptions, type SetupResult, setupGroth16 } from "./groth16/setup.ts";
import { Builder } from "./r1cs/builder.ts";
import { writeR1cs } from "./r1cs/files.ts";
import { type StatementLayout, type StatementWitness, emitWrapStatement } from "./statement.ts";

/** Bump when the emitted circuit changes for the same parameters (invalidates cached .r1cs). */
export const WRAP_CIRCUIT_VERSION = 1;

/** DESIGN's hard cap for one Groth16 circuit (2^22 constraints). */
export const MAX_WRAP_CONSTRAINTS = 1 << 22;

/** One circuit: an AIR at fixed table heights, proof options and a statement layout. */
export interface WrapShape {
  /** The default shape's id (src/wrap/shapes.ts) when the heights are one, e.g. "mips-s16". */
  readonly name?: string;
  readonly air: AirDefinition;
  readonly options: ProofOptions;
  readonly logHeights: readonly number[];
  readonly layout: StatementLayout;
}

/** Human-readable id: [default shape name,] layout, AIR, log2 heights per table, options. */
export function shapeId(s: WrapShape): string {
  const o = s.options;
  const opts = `b${o.logBlowup}q${o.numQueries}g${o.grindingBits}a${o.logFoldingArity}f${o.logFinalPolyLen}`;
  const id = `${s.layout.name}:${s.air.name}-v${s.air.version}:h${s.logHeights.join(".")}:${opts}`;
  return s.name ? `${s.name}:${id}` : id;
}

/** Source directories whose code determines the emitted circuit (relative to src/). */
const CIRCUIT_SOURCES = [
  "wrap/circuit",
  "wrap/r1cs",
  "wrap/statement.ts",
  "stark",
  "hash",
  "field",
  "mips/air",
];
let sourcesDigest: string | undefined;

/**
 * sha256 over the sources that emit the circuit (AIR constraints, verifier circuit, gadgets),
 * so a code change can never reuse a stale cached `.r1cs` (and key).
 */
export function circuitSourcesDigest(): string {
  if (sourcesDigest) return sourcesDigest;
  const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const h = createHash("sha256");
  const walk = (p: string): void => {
    if (!fs.existsSync(p)) return;
    if (fs.statSync(p).isDirectory()) {
      for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
    } else if (p.endsWith(".ts") || p.endsWith(".wasm")) {
      h.update(path.relative(src, p)).update("\0").update(fs.readFileSync(p)).update("\0");
    }
  };
  CIRCUIT_SOURCES.forEach((d) => walk(path.join(src, d)));
  sourcesDigest = h.digest("hex");
  return sourcesDigest;
}

export function shapeKey(s: WrapShape): string {
  const params = {
    v: WRAP_CIRCUIT_VERSION,
    sources: circuitSourcesDigest(),
    id: shapeId(s),
    pvMax: s.layout.pvMax,
    nPub: s.air.numPublicInputs,
    tables: s.air.tables.map((t) => [t.name, t.mainWidth, t.auxWidth, t.quotientChunks]),
  };
  return createHash("sha256").update(JSON.stringify(params)).digest("hex").slice(0, 16);
}

export interface ShapeCircuit {
  shapeId: string;
  r1cs: string;
  rows: number;
  r1csSha256: string;
  buildSeconds: number;
  reused: boolean;
}

/** Emits (or reuses) the shape's `.r1cs`. */
export function buildWrapCircuit(
  s: WrapShape,
  opts: { cacheRoot?: string; force?: boolean; maxConstraints?: number; log?: (l: string) => void } = {},
): ShapeCircuit {
  const dir = path.join(opts.cacheRoot ?? DEFAULT_CACHE_ROOT, "wrap", shapeKey(s));
  const r1cs = path.join(dir, "circuit.r1cs");
  const metaPath = path.join(dir, "shape.json");
  const id = shapeId(s);
  const max = opts.maxConstraints ?? MAX_WRAP_CONSTRAINTS;
  // A cached circuit is held to the same limit as a new one (the limit may be lower this time).
  const checkSize = (rows: number): void => {
    if (rows > max)
      throw new ZkmipsError(
        `the wrap circuit of shape ${id} has ${rows} constraints, more than the limit ${max}${Number.isInteger(Math.log2(max)) ? ` (2^${Math.log2(max)})` : ""}`,
        "Groth16 setup/prove at that size does not fit this machine; see docs/wrap.md (what does not fit yet)",
      );
  };
  if (!opts.force && fs.existsSync(metaPath) && fs.existsSync(r1cs)) {
    const m = JSON.parse(fs.readFileSync(metaPath, "utf8")) as Omit<ShapeCircuit, "r1cs" | "reused">;
    if (m.shapeId === id) {
      checkSize(m.rows);
      return { ...m, r1cs, reused: true };
    }
  }
  opts.log?.(`emitting the wrap circuit for ${id}`);
  const t0 = performance.now();
  const b = new Builder({ mode: "compile" });
  emitWrapStatement(b, s.air, s.options, s.logHeights, s.layout);
  checkSize(b.nConstraints);
  fs.mkdirSync(dir, { recursive: true });
  writeR1cs(b, `${r1cs}.tmp`);
  fs.renameSync(`${r1cs}.tmp`, r1cs);
  const meta = {
    shapeId: id,
    rows: b.nConstraints,
    r1csSha256: sha256File(r1cs),
    buildSeconds: (performance.now() - t0) / 1000,
  };
  fs.writeFileSync(metaPath, JSON.stringify(meta, null, 2) + "\n");
  return { ...meta, r1cs, reused: false };
}

export type WrapSetupOptions = Omit<SetupOptions, "r1cs">;

/** Circuit + Groth16 key of a shape (both cached). */
export async function setupWrap(
  s: WrapShape,
  opts: WrapSetupOptions & { forceCircuit?: boolean; maxConstraints?: number },
): Promise<{ circuit: ShapeCircuit; key: SetupResult }> {
  const circuit = buildWrapCircuit(s, {
    cacheRoot: opts.cacheRoot,
    force: opts.forceCircuit,
    maxConstraints: opts.maxConstraints,
    log: opts.log,
  });
  const key = await setupGroth16({ ...opts, r1cs: circuit.r1cs });
  return { circuit, key };
}

export interface WrapResult {
  file: Groth16ProofFile;
  witnessSeconds: number;
  proveSeconds: number;
}

/**
 * Witness + Groth16 proof for a STARK proof of this shape. The caller must have checked the
 * STARK with the TS verifier (a rejected STARK gives an unsatisfiable witness, reported here
 * as a failed off-chain check of the Groth16 proof).
 */
export async function proveWrap(
  s: WrapShape,
  key: SetupResult,
  w: StatementWitness,
  log?: (l: string) => void,
): Promise<WrapResult> {
  log?.("computing the witness");
  const t0 = performance.now();
  const b = new Builder({ mode: "prove" });
  emitWrapStatement(b, s.air, s.options, s.logHeights, s.layout, w);
  const witness = b.witness();
  const witnessSeconds = (performance.now() - t0) / 1000;
  log?.(`Groth16 prove (${b.nConstraints} constraints)`);
  const t1 = performance.now();
  const res = await proveGroth16(key.paths.zkey, witness);
  const proveSeconds = (performance.now() - t1) / 1000;
  const expected = [w.vkey, publicValuesDigest(w.publicValues)];
  if (res.publicSignals.length !== 2 || res.publicSignals.some((x, i) => x !== expected[i]))
    throw new ZkmipsError("wrap: the Groth16 public signals are not [programVKey, digest] (wrong key?)");
  if (!(await verifyGroth16(key.vkey, res.publicSignals, res.proof)))
    throw new ZkmipsError(
      "wrap: the Groth16 proof does not verify: the witness does not satisfy the circuit",
      "check the STARK proof with `zkmips verify` against the same vkey",
    );
  const selector = key.meta.selector as `0x${string}`;
  const file: Groth16ProofFile = {
    version: 1,
    shapeId: shapeId(s),
    selector,
    programVKey: "0x" + w.vkey.toString(16).padStart(64, "0"),
    publicValues: bytesToHex(w.publicValues),
    proofBytes: bytesToHex(encodeProofBytes(selector, res.proof)),
  };
  return { file, witnessSeconds, proveSeconds };
}
