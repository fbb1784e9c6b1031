/**
 * The MIPS machine AIR for one program: the preprocessed Program and Byte tables, MemFinal, the
 * instruction chips and the verifier-side public terms. The AIR's structure (tables, constraints,
 * buses) is the same for every program; only the Program table's preprocessed columns depend on the
 * ELF, and their commitment (with Byte's) is the programVKey.
 */
import { type AirDefinition, AirBuilder } from "../../stark/air.ts";
import { ChipCtx as Ctx } from "./gadgets.ts";
import type { InstrChip } from "./instr.ts";
import { AddSubChip, BitwiseChip, LtChip } from "./chips/alu.ts";
import { BranchChip, JumpChip } from "./chips/control.ts";
import { ShiftChip } from "./chips/shift.ts";
import { MemChip } from "./chips/mem.ts";
import { SyscallChip, IoChip } from "./chips/syscall.ts";
import { HiLoChip } from "./chips/hilo.ts";
import { MovCondChip } from "./chips/movcond.ts";
import { SignExtChip } from "./chips/signext.ts";
import { DivChip } from "./chips/div.ts";
import { ClzChip } from "./chips/clz.ts";
import { SysMiscChip } from "./chips/sysmisc.ts";
import { KeccakChip, KeccakMemChip } from "./chips/keccak.ts";
import type { Decoded, Family } from "./decode.ts";
import {
  NUM_PUBLIC_INPUTS,
  type ProgramImage,
  buildByteColumns,
  buildProgramColumns,
  defineByteTable,
  defineMemFinal,
  defineProgramTable,
  definePublic,
} from "./tables.ts";

export const AIR_NAME = "zkmips-mips32r2";
export const AIR_VERSION = 1;

export interface MipsMachine {
  readonly air: AirDefinition;
  readonly program: ProgramImage;
  readonly chips: readonly InstrChip[];
  readonly io: IoChip;
  /** False when the AIR was built without the Keccak tables (then a keccakf syscall cannot balance). */
  readonly hasKeccak: boolean;
  /** False when the AIR was built without the SysMisc table (its syscalls are then refused). */
  readonly hasSysMisc: boolean;
  readonly keccak: KeccakChip;
  readonly keccakMem: KeccakMemChip;
  /** Table index of each named table. */
  readonly tableIndex: ReadonlyMap<string, number>;
  /** Constraint names per table (same order as the table's user constraints). */
  readonly constraintNames: ReadonlyMap<string, readonly string[]>;
  readonly programHeight: number;
  readonly rowOfPc: ReadonlyMap<number, number>;
  readonly decoded: ReadonlyMap<number, Decoded>;
  readonly chipOfFamily: ReadonlyMap<Family, InstrChip>;
}

let byteColumns: Uint32Array[] | undefined;

export function instructionChips(): InstrChip[] {
  return [
    new AddSubChip(),
    new BitwiseChip(),
    new LtChip(),
    new ShiftChip(),
    new BranchChip(),
    new JumpChip(),
    new MemChip(),
    new SyscallChip(),
    new HiLoChip(),
    new MovCondChip(),
    new SignExtChip(),
    new DivChip(),
    new ClzChip(),
    new SysMiscChip(),
  ];
}

export interface MachineOptions {
  /**
   * Include the Keccak and KeccakMem tables (default true). They come last and have no
   * preprocessed columns, so the AIR without them is a prefix with the same programVKey; a proof
   * of a run without keccakf calls may omit them (515 main columns less to open). Without them the
   * Syscall chip's KECCAK sends have no receiver, so a keccakf call cannot be proven.
   */
  keccak?: boolean;
  /**
   * Include the SysMisc table (default true): no preprocessed columns either, so the AIR without it
   * has the same programVKey; a proof of a run without the syscalls it proves may omit it.
   */
  sysmisc?: boolean;
}

/**
 * Builds the AIR for `program` (table order: Program, Byte, MemFinal, Io, one table per chip, then
 * Keccak, KeccakMem unless `opts.keccak` is false).
 */
export function buildMachine(
  program: ProgramImage,
  programHeight?: number,
  opts: MachineOptions = {},
): MipsMachine {
  const hasKeccak = opts.keccak ?? true;
  const hasSysMisc = opts.sysmisc ?? true;
  const air = new AirBuilder(AIR_NAME, AIR_VERSION, NUM_PUBLIC_INPUTS);
  const { columns, rowOfPc, decoded } = buildProgramColumns(program, programHeight);
  byteColumns ??= buildByteColumns();
  const ctxs: [string, Ctx][] = [];
  ctxs.push(["Program", defineProgramTable(air, columns)]);
  ctxs.push(["Byte", defineByteTable(air, byteColumns)]);
  ctxs.push(["MemFinal", defineMemFinal(air)]);
  const io = new IoChip();
  const ioT = air.addTable({ name: io.name, mainWidth: io.layout.width });
  const ioCx = new Ctx(ioT, io.layout);
  io.define(ioCx);
  ctxs.push([io.name, ioCx]);
  const chips = instructionChips().filter((c) => hasSysMisc || !(c instanceof SysMiscChip));
  for (const chip of chips) {
    const t = air.addTable({ name: chip.name, mainWidth: chip.layout.width });
    const cx = new Ctx(t, chip.layout);
    chip.define(cx);
    ctxs.push([chip.name, cx]);
  }
  const keccak = new KeccakChip();
  const keccakMem = new KeccakMemChip();
  for (const k of hasKeccak ? [keccak, keccakMem] : []) {
    const cx = new Ctx(air.addTable({ name: k.name, mainWidth: k.layout.width }), k.layout);
    k.define(cx);
    ctxs.push([k.name, cx]);
  }
  definePublic(air);
  const def = air.build();
  return {
    air: def,
    program,
    chips,
    io,
    hasKeccak,
    hasSysMisc,
    keccak,
    keccakMem,
    tableIndex: new Map(def.tables.map((t) => [t.name, t.index])),
    constraintNames: new Map(ctxs.map(([n, c]) => [n, c.constraintNames])),
    programHeight: columns[0].length,
    rowOfPc,
    decoded,
    // the default chip of a family is the one without `handles` (see InstrChip.handles)
    chipOfFamily: new Map(chips.filter((c) => !c.handles).map((c) => [c.family, c])),
  };
}
