/**
 * Proving, verifying and the program verifying key for MIPS runs.
 *
 * Proof file (version 1, little-endian): "ZKMIPSP" 0x01 | u8 log2 height of the Program table
 * (bit 7 set: the AIR includes the Keccak tables, bit 6: the SysMisc table, see MachineOptions) | u8 exit code | u16 public-values length | public-values bytes | the STARK proof (src/stark format,
 * to the end). Decoding is canonical (length <= PV_MAX, nothing left over); the STARK verifier
 * decodes the rest canonically too.
 *
 * The statement the verifier checks: the program (through programVKey, the commitment to the
 * Program and Byte tables), the exit code and the public-values bytes (public inputs of the STARK).
 */
import { ZkmipsError } from "../../errors.ts";
import { type ProofOptions, DEFAULT_OPTIONS, securityBits } from "../../stark/options.ts";
import { type ProvingKey, prove, setup } from "../../stark/prover.ts";
import { verify } from "../../stark/verifier.ts";
import { hashRowsParallel } from "../../hash/sponge.ts";
import { poseidonBatchParallel } from "../../hash/poseidon.ts";
import { type MipsMachine, buildMachine } from "./machine.ts";
import type { AirDefinition } from "../../stark/air.ts";
import { type ExecutionSummary, type PadTo, generateWitness } from "./witness.ts";
import { type ProgramImage, PV_MAX, publicInputs } from "./tables.ts";

const MAGIC = [0x5a, 0x4b, 0x4d, 0x49, 0x50, 0x53, 0x50, 0x01]; // "ZKMIPSP" v1

export interface MipsProveStats {
  cycles: number;
  rowsPerTable: Record<string, number>;
  logHeights: Record<string, number>;
  /** log2 heights before padding (equal to logHeights without `padTo`). */
  naturalLogHeights: Record<string, number>;
  /** Committed cells (main + 4·aux + 4·quotient chunks, per row of every table) per cycle. */
  cellsPerCycle: number;
  phasesMs: Record<string, number>;
  proofBytes: number;
  securityBits: { conjectured: number; proven: number };
}

export interface MipsProof {
  file: Uint8Array;
  exitCode: number;
  publicValues: Uint8Array;
  stats: MipsProveStats;
}

export interface MipsProver {
  machine: MipsMachine;
  pk: ProvingKey;
  /**
   * The same AIR without the optional tables a run does not use (Keccak/KeccakMem, SysMisc), by
   * variant; same vkey (only Program and Byte are preprocessed).
   */
  lean?: Map<string, { machine: MipsMachine; pk: ProvingKey }>;
}

interface Variant {
  keccak: boolean;
  sysmisc: boolean;
}

/** The prover for the AIR with only the optional tables `v` names: the same preprocessed data. */
function leanProver(p: MipsProver, v: Variant): { machine: MipsMachine; pk: ProvingKey } {
  if (v.keccak && v.sysmisc) return p;
  const key = `${+v.keccak}${+v.sysmisc}`;
  p.lean ??= new Map();
  let lean = p.lean.get(key);
  if (!lean) {
    const machine = buildMachine(p.machine.program, p.machine.programHeight, v);
    const keep = new Set(machine.air.tables.map((t) => t.name));
    const preLde = p.pk.preLde.filter((_, i) => keep.has(p.machine.air.tables[i].name));
    lean = { machine, pk: { ...p.pk, air: machine.air, preLde } };
    p.lean.set(key, lean);
  }
  return lean;
}

/** Builds the AIR for a program and commits its preprocessed tables (the vkey). */
export async function mipsSetup(
  program: ProgramImage,
  options: ProofOptions = DEFAULT_OPTIONS,
): Promise<MipsProver> {
  const machine = buildMachine(program);
  const pk = await setup(machine.air, options, hashRowsParallel, poseidonBatchParallel);
  return { machine, pk };
}

/** programVKey as 0x-prefixed 32-byte hex. */
export const vkeyHex = (vkey: bigint): string => "0x" + vkey.toString(16).padStart(64, "0");

export function parseVkeyHex(hex: string): bigint {
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex))
    throw new ZkmipsError(
      `--vkey "${hex}" is not 0x followed by 64 hex digits`,
      "pass the output of `zkmips vkey <elf>`",
    );
  return BigInt(hex);
}

export interface ProveMipsConfig {
  selfCheck?: boolean;
  /** Pad tables to these log2 heights (a shape), so proofs of one shape share one wrap circuit. */
  padTo?: PadTo;
  onPhase?: (phase: string, ms: number) => void;
}

export async function proveMips(
  prover: MipsProver,
  run: ExecutionSummary,
  config: ProveMipsConfig = {},
): Promise<MipsProof> {
  let { machine, pk } = prover;
  const phasesMs: Record<string, number> = {};
  const t0 = performance.now();
  let wit = generateWitness(machine, run, { padTo: config.padTo });
  const variant: Variant = {
    keccak: machine.hasKeccak && (wit.rowsPerTable.get("Keccak") ?? 0) > 0,
    sysmisc: machine.hasSysMisc && (wit.rowsPerTable.get("SysMisc") ?? 0) > 0,
  };
  if (variant.keccak !== machine.hasKeccak || variant.sysmisc !== machine.hasSysMisc) {
    // Optional tables without rows are left out of the AIR (fewer columns to open).
    const full = machine;
    ({ machine, pk } = leanProver(prover, variant));
    const names = new Set(machine.air.tables.map((t) => t.name));
    wit = {
      ...wit,
      traces: wit.traces.filter((_, i) => names.has(full.air.tables[i].name)),
      rowsPerTable: new Map([...wit.rowsPerTable].filter(([k]) => names.has(k))),
      naturalLogHeights: Object.fromEntries(
        Object.entries(wit.naturalLogHeights).filter(([k]) => names.has(k)),
      ),
    };
  }
  phasesMs.witness = performance.now() - t0;
  config.onPhase?.("witness", phasesMs.witness);
  const { bytes } = await prove(pk, wit.traces, wit.publicInputs, {
    selfCheck: config.selfCheck ?? false,
    parallel: true,
    onPhase: (name, ms) => {
      // A phase may be reported several times (fri, commit-fri once per round): sum them.
      phasesMs[name] = (phasesMs[name] ?? 0) + ms;
      config.onPhase?.(name, ms);
    },
  });
  const file = encodeProofFile(
    Math.log2(machine.programHeight),
    wit.exitCode,
    wit.publicValues,
    bytes,
    machine.hasKeccak,
    machine.hasSysMisc,
  );
  const logHeights: Record<string, number> = {};
  let cells = 0;
  machine.air.tables.forEach((t, i) => {
    const n = wit.traces[i].main[0]?.length ?? 1 << (t.fixedLogHeight ?? 0);
    logHeights[t.name] = Math.log2(n);
    cells += n * (t.mainWidth + 4 * t.auxWidth + 4 * t.quotientChunks);
  });
  const maxLog = Math.max(...Object.values(logHeights));
  return {
    file,
    exitCode: wit.exitCode,
    publicValues: wit.publicValues,
    stats: {
      cycles: wit.cycles,
      rowsPerTable: Object.fromEntries(wit.rowsPerTable),
      logHeights,
      naturalLogHeights: { ...wit.naturalLogHeights },
      cellsPerCycle: cells / wit.cycles,
      phasesMs,
      proofBytes: file.length,
      securityBits: securityBits(pk.options, maxLog),
    },
  };
}

export function encodeProofFile(
  programLogHeight: number,
  exitCode: number,
  pv: Uint8Array,
  stark: Uint8Array,
  keccak = false,
  sysmisc = false,
): Uint8Array {
  if (pv.length > PV_MAX)
    throw new ZkmipsError(`public values are ${pv.length} bytes, more than PV_MAX = ${PV_MAX}`);
  const out = new Uint8Array(MAGIC.length + 4 + pv.length + stark.length);
  out.set(MAGIC, 0);
  let o = MAGIC.length;
  out[o++] = programLogHeight | (keccak ? KECCAK_FLAG : 0) | (sysmisc ? SYSMISC_FLAG : 0);
  out[o++] = exitCode;
  out[o++] = pv.length & 255;
  out[o++] = pv.length >> 8;
  out.set(pv, o);
  out.set(stark, o + pv.length);
  return out;
}

/** Bit of the height byte: the proof's AIR includes the Keccak tables. */
const KECCAK_FLAG = 0x80;
/** Bit of the height byte: the proof's AIR includes the SysMisc table. */
const SYSMISC_FLAG = 0x40;

export interface DecodedProofFile {
  programLogHeight: number;
  /** The AIR includes the Keccak tables. */
  keccak: boolean;
  /** The AIR includes the SysMisc table. */
  sysmisc: boolean;
  exitCode: number;
  publicValues: Uint8Array;
  stark: Uint8Array;
}

export function decodeProofFile(file: Uint8Array): DecodedProofFile {
  const bad = (why: string): never => {
    throw new ZkmipsError(
      `not a valid zkmips proof file: ${why}`,
      "pass a file written by `zkmips prove -o`",
    );
  };
  if (file.length < MAGIC.length + 4) bad("too short");
  if (MAGIC.some((b, i) => file[i] !== b)) bad("bad magic or version");
  let o = MAGIC.length;
  const keccak = (file[o] & KECCAK_FLAG) !== 0;
  const sysmisc = (file[o] & SYSMISC_FLAG) !== 0;
  const programLogHeight = file[o++] & ~(KECCAK_FLAG | SYSMISC_FLAG);
  const exitCode = file[o++];
  const pvLen = file[o] | (file[o + 1] << 8);
  o += 2;
  if (programLogHeight < 2 || programLogHeight > 20) bad(`program table height 2^${programLogHeight}`);
  if (pvLen > PV_MAX) bad(`public values length ${pvLen} > ${PV_MAX}`);
  if (file.length < o + pvLen) bad("truncated public values");
  return {
    programLogHeight,
    keccak,
    sysmisc,
    exitCode,
    publicValues: file.slice(o, o + pvLen),
    stark: file.subarray(o + pvLen),
  };
}

/**
 * Verifies a proof file against a program (by its ELF-derived image, or only its vkey). Returns the
 * statement; throws StarkVerifyError (a ZkmipsError naming the failed check) when invalid.
 */
export async function verifyMips(
  file: Uint8Array,
  against: { vkey: bigint } | { program: ProgramImage },
  options: ProofOptions = DEFAULT_OPTIONS,
): Promise<{ exitCode: number; publicValues: Uint8Array; vkey: bigint }> {
  const d = decodeProofFile(file);
  let air: AirDefinition;
  let vkey: bigint;
  if ("program" in against) {
    const prover = await mipsSetup(against.program, options);
    air = leanProver(prover, d).machine.air;
    vkey = prover.pk.vkey;
  } else {
    // The AIR's constraints do not depend on the program; only the Program table's height does
    // (its contents are bound by the vkey), so a placeholder table of that height suffices.
    const placeholder: ProgramImage = { entry: 0, words: new Map(), code: [], brkStart: 0 };
    const m = buildMachine(placeholder, 1 << d.programLogHeight, d);
    air = m.air;
    vkey = against.vkey;
  }
  verify(air, vkey, publicInputs(d.exitCode, d.publicValues), d.stark, options);
  return { exitCode: d.exitCode, publicValues: d.publicValues, vkey };
}
