/**
 * `execute`: runs a loaded program to completion in fast mode, or in tracing mode recording one
 * row per executed instruction (see trace.ts). Both modes run the same interpreter core.
 */
import { ZkmipsError } from "../errors.ts";
import { Cpu } from "./cpu.ts";
import type { MipsProgram } from "./elf.ts";
import { hex } from "./layout.ts";
import { Memory } from "./memory.ts";
import { ByteSink, LinuxSyscalls } from "./syscalls.ts";
import { TraceRecorder, type ExecutionTrace } from "./trace.ts";

/** Raised when the guest does not exit within `maxCycles` instructions. */
export class CycleLimitError extends ZkmipsError {
  constructor(
    readonly limit: number,
    readonly pc: number,
  ) {
    super(
      `guest did not exit within ${limit} cycles (stopped at pc ${hex(pc)})`,
      "raise --max-cycles or check the guest for an endless loop",
    );
    this.name = "CycleLimitError";
  }
}

export interface ExecuteOptions {
  /** Private input, read by the guest from fd 0. */
  input?: Uint8Array;
  /** Hints (unconstrained advice), read by the guest from fd 4. */
  hints?: Uint8Array;
  /** Stop with a ZkmipsError after this many instructions (default: no limit). */
  maxCycles?: number;
  /** Record the execution trace (slower). */
  trace?: boolean;
  /** Receives fd-1 bytes as written; without it they are collected in the result. */
  stdout?: (chunk: Uint8Array) => void;
  /** Receives fd-2 bytes as written; without it they are collected in the result. */
  stderr?: (chunk: Uint8Array) => void;
}

export interface ExecutionResult {
  /** Guest exit status (exit/exit_group argument & 0xff). */
  exitCode: number;
  /** Instructions executed, including the final exit syscall. */
  cycles: number;
  /** Collected fd-1 bytes (empty when a stdout callback was given). */
  stdout: Uint8Array;
  stderr: Uint8Array;
  /** Bytes written to fd 3: the public values of the proven statement. */
  publicValues: Uint8Array;
  inputConsumed: number;
  hintsConsumed: number;
  trace?: ExecutionTrace;
}

/** The machine state before the first instruction. */
export function createMachine(
  program: MipsProgram,
  io: {
    input: Uint8Array;
    hints: Uint8Array;
    stdout: (c: Uint8Array) => void;
    stderr: (c: Uint8Array) => void;
  },
): { cpu: Cpu; sys: LinuxSyscalls } {
  const mem = new Memory();
  let textLo = Infinity;
  let textHi = 0;
  for (const s of program.segments) {
    mem.writeBytes(s.vaddr, s.data);
    if (s.executable) {
      textLo = Math.min(textLo, s.vaddr & ~3);
      textHi = Math.max(textHi, (s.vaddr + s.data.length) & ~3);
    }
  }
  const sys = new LinuxSyscalls(mem, program.brkStart, io);
  const cpu = new Cpu(mem, program.entry, { base: textLo, bytes: textHi - textLo }, sys);
  cpu.r[29] = program.initialSp;
  return { cpu, sys };
}

/**
 * Runs `program` until it exits. Throws MipsFault on a guest fault and ZkmipsError when
 * `maxCycles` is exceeded.
 * @example const { exitCode, stdout } = execute(loadElf(bytes), { input: new TextEncoder().encode("hi") });
 */
export function execute(program: MipsProgram, options: ExecuteOptions = {}): ExecutionResult {
  const input = options.input ?? new Uint8Array(0);
  const hints = options.hints ?? new Uint8Array(0);
  const outSink = new ByteSink();
  const errSink = new ByteSink();
  const { cpu, sys } = createMachine(program, {
    input,
    hints,
    stdout: options.stdout ?? ((c) => outSink.push(c)),
    stderr: options.stderr ?? ((c) => errSink.push(c)),
  });
  const limit = options.maxCycles ?? Number.MAX_SAFE_INTEGER;
  if (!(limit >= 0) || !Number.isSafeInteger(limit))
    throw new ZkmipsError(`maxCycles must be a non-negative integer, got ${limit}`);
  let trace: ExecutionTrace | undefined;
  let halted: boolean;
  if (options.trace) {
    const rec = new TraceRecorder(cpu, sys);
    halted = rec.run(limit);
    if (halted)
      trace = rec.finish(input.subarray(0, sys.inputPos), hints.subarray(0, sys.hintsPos), program.entry);
  } else {
    halted = cpu.runFast(limit);
  }
  if (!halted) {
    throw new CycleLimitError(limit, cpu.pc);
  }
  return {
    exitCode: cpu.exitCode,
    cycles: cpu.cycles,
    stdout: outSink.bytes(),
    stderr: errSink.bytes(),
    publicValues: sys.publicValues.bytes(),
    inputConsumed: sys.inputPos,
    hintsConsumed: sys.hintsPos,
    trace,
  };
}
