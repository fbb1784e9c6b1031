/**
 * Fast mode's block compiler: straight-line runs of pre-decoded instructions (up to and including
 * a branch and its delay slot) are compiled once into JS functions over the register file, so
 * that V8 optimises them like ordinary code. A block is compiled the 32nd time execution
 * reaches its first instruction with no branch pending; anything the compiler does not handle
 * (syscall, break, likely branches, rare instructions, code outside the text) ends the block
 * before it and runs in the interpreter (cpu.ts) until the next block boundary, so both paths
 * share semantics and the tests compare this mode with the tracing mode (always interpreted).
 */
import type { Cpu } from "./cpu.ts";
import { Op } from "./decode.ts";
import { hex } from "./layout.ts";

/** A compiled block: executes `len` instructions (unless it throws) and returns the next pc. */
type Block = (
  r: Int32Array,
  pages: (Int32Array | undefined)[],
  zero: Int32Array,
  cpu: Cpu,
  f: FaultFn,
) => number;
export type FaultFn = (cpu: Cpu, k: number, pc: number, reason: string) => never;

export const MAX_BLOCK = 128;
/** A block is compiled when execution has entered it this many times (cold code stays interpreted). */
export const COMPILE_AFTER = 32;

/** Raises the fault of instruction k of a block (at `pc`), leaving cycles and pc as the interpreter would. */
export const fail: FaultFn = (cpu, k, pc, reason) => {
  cpu.cycles += k + 1;
  cpu.pc = pc;
  throw cpu.fault(reason, pc);
};

/** JS for one non-branch instruction, or undefined when it must end the block. */
export function emit(
  op: number,
  rs: number,
  rt: number,
  rd: number,
  imm: number,
  pc: number,
  k: number,
): string | undefined {
  const R = (i: number): string => `r[${i}]`;
  const F = (reason: string): string => `f(cpu, ${k}, ${pc}, ${reason})`;
  const load = (kind: string, align: number, expr: (w: string) => string): string =>
    `{ const a = (r[${rs}] + ${imm}) | 0;` +
    (align ? ` if (a & ${align}) ${F(`"unaligned ${kind} load from " + hex(a)`)};` : "") +
    ` const p = pages[a >>> 12]; if (p === undefined) ${F(`"load from invalid address " + hex(a)`)};` +
    ` const w = p[(a >>> 2) & 1023]; ${R(rt)} = ${expr("w")}; }`;
  const store = (align: number, body: string): string =>
    `{ const a = (r[${rs}] + ${imm}) | 0;` +
    (align ? ` if (a & ${align}) ${F(`"unaligned store to " + hex(a)`)};` : "") +
    ` let p = pages[a >>> 12]; if (p === undefined) ${F(`"store to invalid address " + hex(a)`)};` +
    ` if (p === zero) p = cpu.mem.alloc(a >>> 12); const i = (a >>> 2) & 1023; const v = r[${rt}]; ${body}` +
    ` if (((a - cpu.textBase) >>> 0) < cpu.textBytes) cpu.textWritten(a); }`;
  switch (op) {
    case Op.NOP:
      return "";
    case Op.SLL:
      return `${R(rd)} = r[${rt}] << ${imm};`;
    case Op.SRL:
      return `${R(rd)} = r[${rt}] >>> ${imm};`;
    case Op.SRA:
      return `${R(rd)} = r[${rt}] >> ${imm};`;
    case Op.ROTR:
      return `${R(rd)} = (r[${rt}] >>> ${imm}) | (r[${rt}] << ${32 - imm});`;
    case Op.SLLV:
      return `${R(rd)} = r[${rt}] << r[${rs}];`;
    case Op.SRLV:
      return `${R(rd)} = r[${rt}] >>> r[${rs}];`;
    case Op.SRAV:
      return `${R(rd)} = r[${rt}] >> r[${rs}];`;
    case Op.MOVZ:
      return `if (r[${rt}] === 0) ${R(rd)} = r[${rs}];`;
    case Op.MOVN:
      return `if (r[${rt}] !== 0) ${R(rd)} = r[${rs}];`;
    case Op.MFHI:
      return `${R(rd)} = r[32];`;
    case Op.MFLO:
      return `${R(rd)} = r[33];`;
    case Op.MTHI:
      return `r[32] = r[${rs}];`;
    case Op.MTLO:
      return `r[33] = r[${rs}];`;
    case Op.ADD:
    case Op.SUB:
      return `{ const s = r[${rs}] ${op === Op.ADD ? "+" : "-"} r[${rt}]; if (s > 2147483647 || s < -2147483648) ${F(`"integer overflow (${op === Op.ADD ? "add" : "sub"})"`)}; ${R(rd)} = s; }`;
    case Op.ADDI:
      return `{ const s = r[${rs}] + ${imm}; if (s > 2147483647 || s < -2147483648) ${F(`"integer overflow (addi)"`)}; ${R(rt)} = s; }`;
    case Op.ADDU:
      return `${R(rd)} = r[${rs}] + r[${rt}];`;
    case Op.SUBU:
      return `${R(rd)} = r[${rs}] - r[${rt}];`;
    case Op.AND:
      return `${R(rd)} = r[${rs}] & r[${rt}];`;
    case Op.OR:
      return `${R(rd)} = r[${rs}] | r[${rt}];`;
    case Op.XOR:
      return `${R(rd)} = r[${rs}] ^ r[${rt}];`;
    case Op.NOR:
      return `${R(rd)} = ~(r[${rs}] | r[${rt}]);`;
    case Op.SLT:
      return `${R(rd)} = r[${rs}] < r[${rt}] ? 1 : 0;`;
    case Op.SLTU:
      return `${R(rd)} = (r[${rs}] >>> 0) < (r[${rt}] >>> 0) ? 1 : 0;`;
    case Op.ADDIU:
      return `${R(rt)} = r[${rs}] + ${imm};`;
    case Op.SLTI:
      return `${R(rt)} = r[${rs}] < ${imm} ? 1 : 0;`;
    case Op.SLTIU:
      return `${R(rt)} = (r[${rs}] >>> 0) < ${imm >>> 0} ? 1 : 0;`;
    case Op.ANDI:
      return `${R(rt)} = r[${rs}] & ${imm};`;
    case Op.ORI:
      return `${R(rt)} = r[${rs}] | ${imm};`;
    case Op.XORI:
      return `${R(rt)} = r[${rs}] ^ ${imm};`;
    case Op.LUI:
      return `${R(rt)} = ${imm};`;
    case Op.MUL:
      return `${R(rd)} = Math.imul(r[${rs}], r[${rt}]);`;
    case Op.CLZ:
      return `${R(rd)} = Math.clz32(r[${rs}]);`;
    case Op.CLO:
      return `${R(rd)} = Math.clz32(~r[${rs}]);`;
    case Op.SEB:
      return `${R(rd)} = (r[${rt}] << 24) >> 24;`;
    case Op.SEH:
      return `${R(rd)} = (r[${rt}] << 16) >> 16;`;
    case Op.WSBH:
      return `{ const v = r[${rt}]; ${R(rd)} = ((v & 0x00ff00ff) << 8) | ((v >>> 8) & 0x00ff00ff); }`;
    case Op.EXT:
      return `${R(rt)} = (r[${rs}] >>> ${rd}) & ${imm};`;
    case Op.INS:
      return rt === 0 ? "" : `r[${rt}] = (r[${rt}] & ${~imm}) | ((r[${rs}] << ${rd}) & ${imm});`;
    case Op.MULT:
    case Op.MULTU:
      return `mul64(r, ${rs}, ${rt}, ${op === Op.MULT ? 1 : 0}, 0);`;
    case Op.MADD:
    case Op.MADDU:
      return `mul64(r, ${rs}, ${rt}, ${op === Op.MADD ? 1 : 0}, 1);`;
    case Op.MSUB:
    case Op.MSUBU:
      return `mul64(r, ${rs}, ${rt}, ${op === Op.MSUB ? 1 : 0}, 2);`;
    case Op.DIV:
      return `{ const a = r[${rs}]; let b = r[${rt}]; if (b === 0 || (b === -1 && a === -2147483648)) b = 1; r[33] = (a / b) | 0; r[32] = a % b | 0; }`;
    case Op.DIVU:
      return `{ const a = r[${rs}] >>> 0; let b = r[${rt}] >>> 0; if (b === 0) b = 1; r[33] = (a / b) >>> 0; r[32] = a % b; }`;
    case Op.TEQ:
      return `if (r[${rs}] === r[${rt}]) ${F(`"trap (teq; integer division by zero when after a div)"`)};`;
    case Op.TNE:
      return `if (r[${rs}] !== r[${rt}]) ${F(`"trap (tne)"`)};`;
    case Op.LB:
      return load("byte", 0, (w) => `(${w} << (24 - ((a & 3) << 3))) >> 24`);
    case Op.LBU:
      return load("byte", 0, (w) => `(${w} >>> ((a & 3) << 3)) & 255`);
    case Op.LH:
      return load("halfword", 1, (w) => `(${w} << (16 - ((a & 2) << 3))) >> 16`);
    case Op.LHU:
      return load("halfword", 1, (w) => `(${w} >>> ((a & 2) << 3)) & 0xffff`);
    case Op.LW:
      return load("word", 3, (w) => w);
    case Op.SW:
      return store(3, "p[i] = v;");
    case Op.SB:
      return store(0, "const sh = (a & 3) << 3; p[i] = (p[i] & ~(255 << sh)) | ((v & 255) << sh);");
    case Op.SH:
      return store(1, "const sh = (a & 2) << 3; p[i] = (p[i] & ~(0xffff << sh)) | ((v & 0xffff) << sh);");
    default:
      return undefined;
  }
}

/** 64-bit multiply (and accumulate) into hi:lo, as in cpu.ts. mode: 0 set, 1 add, 2 subtract. */
export function mul64(r: Int32Array, rs: number, rt: number, signed: number, mode: number): void {
  const a = r[rs];
  const b = r[rt];
  const ah = signed ? a >> 16 : a >>> 16;
  const bh = signed ? b >> 16 : b >>> 16;
  const al = a & 0xffff;
  const bl = b & 0xffff;
  const t = (ah * bl + al * bh) * 65536 + al * bl;
  const plo = Math.imul(a, b);
  const phi = (ah * bh + Math.floor(t / 4294967296)) | 0;
  if (mode === 0) {
    r[32] = phi;
    r[33] = plo;
  } else if (mode === 1) {
    const lo = (r[33] >>> 0) + (plo >>> 0);
    r[33] = lo | 0;
    r[32] = (r[32] + phi + (lo >= 4294967296 ? 1 : 0)) | 0;
  } else {
    const lo = (r[33] >>> 0) - (plo >>> 0);
    r[33] = lo | 0;
    r[32] = (r[32] - phi - (lo < 0 ? 1 : 0)) | 0;
  }
}

export const BRANCH_COND: Partial<Record<number, (rs: number, rt: number) => string>> = {
  [Op.BEQ]: (rs, rt) => `r[${rs}] === r[${rt}]`,
  [Op.BNE]: (rs, rt) => `r[${rs}] !== r[${rt}]`,
  [Op.BLEZ]: (rs) => `r[${rs}] <= 0`,
  [Op.BGTZ]: (rs) => `r[${rs}] > 0`,
  [Op.BLTZ]: (rs) => `r[${rs}] < 0`,
  [Op.BGEZ]: (rs) => `r[${rs}] >= 0`,
  [Op.BLTZAL]: (rs) => `r[${rs}] < 0`,
  [Op.BGEZAL]: (rs) => `r[${rs}] >= 0`,
};

/** Compiles the block starting at text index `idx`; returns undefined when nothing compiles. */
export function compileBlock(cpu: Cpu, start: number): { fn: Block; len: number } | undefined {
  const code = cpu.code;
  const n = cpu.textBytes >>> 2;
  const parts: string[] = [];
  let len = 0;
  let end = "";
  const fields = (i: number): [number, number, number, number, number] => {
    const w0 = code[i * 2];
    return [w0 & 255, (w0 >>> 8) & 255, (w0 >>> 16) & 255, w0 >>> 24, code[i * 2 + 1]];
  };
  for (let i = start; i < n && len < MAX_BLOCK; i++) {
    const pc = (cpu.textBase + i * 4) | 0;
    const [op, rs, rt, rd, imm] = fields(i);
    const cond = BRANCH_COND[op];
    const isJump = op === Op.J || op === Op.JAL || op === Op.JR || op === Op.JALR;
    if (cond || isJump) {
      if (i + 1 >= n) break;
      const [sop, srs, srt, srd, simm] = fields(i + 1);
      const slot = emit(sop, srs, srt, srd, simm, pc + 4, len + 1);
      if (slot === undefined) break;
      const link = (reg: number): string => `r[${reg}] = ${(pc + 8) | 0};`;
      if (cond) {
        const al = op === Op.BLTZAL || op === Op.BGEZAL;
        end = `const t = ${cond(rs, rt)}; ${al ? link(31) : ""} ${slot} return t ? ${imm} : ${(pc + 8) | 0};`;
      } else if (op === Op.J || op === Op.JAL) {
        end = `${op === Op.JAL ? link(31) : ""} ${slot} return ${imm};`;
      } else {
        end = `const t = r[${rs}]; ${op === Op.JALR ? link(rd) : ""} ${slot} return t;`;
      }
      len += 2;
      break;
    }
    const body = emit(op, rs, rt, rd, imm, pc, len);
    if (body === undefined) break;
    parts.push(body);
    len++;
  }
  if (len === 0) return undefined;
  if (!end) end = `return ${(cpu.textBase + (start + len) * 4) | 0};`;
  const src = `return function block_${hex(cpu.textBase + start * 4)}(r, pages, zero, cpu, f) {\n${parts.join("\n")}\n${end}\n};`;
  const fn = new Function("hex", "mul64", src)(hex, mul64) as Block;
  return { fn, len };
}

/** Per-text-word block cache with entry counters. */
export class BlockCache<F = Block> {
  readonly fns: (F | null | undefined)[];
  readonly lens: Uint16Array;
  readonly counts: Uint8Array;

  constructor(words: number) {
    this.fns = new Array(words).fill(undefined);
    this.lens = new Uint16Array(words);
    this.counts = new Uint8Array(words);
  }

  clear(): void {
    this.fns.fill(undefined);
    this.counts.fill(0);
  }
}

/** Fast mode: compiled blocks where possible, the interpreter elsewhere. Returns true when halted. */
export function runCompiled(cpu: Cpu, limit: number): boolean {
  const cache = cpu.blocks;
  const fns = cache.fns;
  const lens = cache.lens;
  const counts = cache.counts;
  const r = cpu.r;
  const pages = cpu.mem.pages;
  const zero = cpu.mem.zero;
  const tb = cpu.textBase;
  const tlen = cpu.textBytes;
  for (;;) {
    const cycles = cpu.cycles;
    if (cycles >= limit) return false;
    const pc = cpu.pc;
    const off = (pc - tb) | 0;
    if (cpu.npc === ((pc + 4) | 0) && off >>> 0 < tlen && (off & 3) === 0) {
      const idx = off >> 2;
      let fn = fns[idx];
      if (fn === undefined && ++counts[idx] >= COMPILE_AFTER) {
        const b = compileBlock(cpu, idx);
        fn = fns[idx] = b ? b.fn : null;
        if (b) lens[idx] = b.len;
      }
      if (fn && cycles + lens[idx] <= limit) {
        const next = fn(r, pages, zero, cpu, fail);
        cpu.cycles = cycles + lens[idx];
        cpu.pc = next;
        cpu.npc = (next + 4) | 0;
        cpu.lastBranch = -2;
        continue;
      }
    }
    if (cpu.run(limit, true)) return true;
  }
}
