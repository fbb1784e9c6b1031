/**
 * Linux O32 system calls, emulated deterministically for one single-threaded process.
 * Convention: $v0 = number, arguments in $a0..$a3 and (5th, 6th) at sp+16, sp+20; the result is
 * returned in $v0 with $a3 = 0, or an errno in $v0 with $a3 = 1. Every call listed in
 * docs/executor.md is handled; any other number is a fault, never a silent no-op.
 * Guest-visible state that lives outside memory (break, mmap cursor, virtual clock) is kept here.
 * The mmap, clock and rt_sigaction rules are chosen so the MIPS AIR can prove them (docs/executor.md).
 */
import type { Cpu, SyscallHandler } from "./cpu.ts";
import {
  FD_HINTS,
  FD_INPUT,
  FD_PUBLIC,
  FD_STDERR,
  FD_STDOUT,
  MAX_ADDR,
  MIN_ADDR,
  PAGE_BYTES,
  REG_ULR,
  STACK_BOTTOM,
  STACK_BYTES,
  hex,
} from "./layout.ts";
import { Memory } from "./memory.ts";
import { keccakF } from "./keccakf.ts";

/** zkmips precompile: keccak-f[1600] on the 25 lanes at $a0 (outside Linux O32's 4000-4999; docs/executor.md). */
export const SYS_KECCAKF = 0x00010109;

// MIPS errno values (some differ from other architectures).
const ENOENT = 2;
const EBADF = 9;
const EAGAIN = 11;
const ENOMEM = 12;
const EFAULT = 14;
const ENODEV = 19;
const EINVAL = 22;

const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x800;
const MADV_DONTNEED = 4;

/** ZKMIPS_STRACE=1 logs every syscall to stderr (debugging aid). */
const STRACE = process.env.ZKMIPS_STRACE === "1";

/** Start of the virtual wall clock (CLOCK_REALTIME): 2024-01-01T00:00:00Z. */
export const REALTIME_EPOCH_S = 1704067200;
/** Each clock_gettime advances the virtual clock by this much before reading it. */
export const CLOCK_STEP_NS = 1000;

/** Growable byte sink. */
export class ByteSink {
  private buf = new Uint8Array(256);
  length = 0;
  push(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + bytes.length));
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export interface SyscallIo {
  input: Uint8Array;
  hints: Uint8Array;
  stdout: (chunk: Uint8Array) => void;
  stderr: (chunk: Uint8Array) => void;
}

/** Observer of every memory word a syscall reads or writes (used by the tracer). */
export type AccessObserver = (addr: number, prev: number, value: number) => void;

export class LinuxSyscalls implements SyscallHandler {
  inputPos = 0;
  hintsPos = 0;
  readonly publicValues = new ByteSink();
  brk: number;
  /** Lowest address handed out by mmap so far; mmap grows down from the stack. */
  mmapLow = STACK_BOTTOM;
  /** Virtual clock (seconds, nanoseconds < 1e9): advanced by clock_gettime and nanosleep only. */
  clockSec = 0;
  clockNsec = 0;
  /** Set while tracing: sees every memory word the current syscall touches. */
  observer: AccessObserver | undefined;
  private readonly brkStart: number;
  private brkHigh: number;

  constructor(
    private readonly mem: Memory,
    brkStart: number,
    private readonly io: SyscallIo,
  ) {
    this.brkStart = this.brk = this.brkHigh = brkStart;
  }

  handle(cpu: Cpu): void {
    const r = cpu.r;
    const num = r[2];
    const a0 = r[4];
    const a1 = r[5];
    const a2 = r[6];
    const a3 = r[7];
    let result: number;
    if (STRACE) {
      process.stderr.write(
        `[${cpu.cycles}] syscall ${num}(${hex(a0)}, ${hex(a1)}, ${hex(a2)}, ${hex(a3)})\n`,
      );
    }
    switch (num) {
      case 4001: // exit
      case 4246: // exit_group
        cpu.halted = true;
        cpu.exitCode = a0 & 0xff;
        return;
      case 4003: // read
        result = this.read(cpu, a0, a1, a2);
        break;
      case 4004: // write
        result = this.write(cpu, a0, a1, a2);
        break;
      case 4005: // open
      case 4288: // openat
      case 4085: // readlink
      case 4298: // readlinkat
        result = -ENOENT;
        break;
      case 4006: // close
        result = a0 >>> 0 <= FD_HINTS ? 0 : -EBADF;
        break;
      case 4020: // getpid
      case 4222: // gettid
        result = 1;
        break;
      case 4045: // brk
        result = this.setBrk(a0 >>> 0);
        break;
      case 4055: // fcntl
      case 4220: // fcntl64
        result = this.fcntl(a0, a1);
        break;
      case 4090: // mmap (offset in bytes)
      case 4210: // mmap2 (offset in pages)
        result = this.mmap(cpu, a0 >>> 0, a1 >>> 0, a3);
        break;
      case 4091: // munmap
        result = 0;
        break;
      case 4120: // clone: report a child with tid 1 that never runs (single thread, as in Cannon)
        result = 1;
        break;
      case 4162: // sched_yield
        result = 0;
        break;
      case 4166: // nanosleep
        result = this.nanosleep(cpu, a0);
        break;
      case 4194: // rt_sigaction
        result = this.sigaction(cpu, a0, a2);
        break;
      case 4195: // rt_sigprocmask: no signals are ever delivered; the old mask reads as empty
        if (a2 !== 0) result = this.fill(cpu, a2, new Uint8Array(Math.min(a3 >>> 0, 128)));
        else result = 0;
        break;
      case 4206: // sigaltstack: report "disabled"
        result = a1 !== 0 ? this.fill(cpu, a1, words(0, 0, 2)) : 0;
        break;
      case 4218: // madvise
        result = this.madvise(a0 >>> 0, a1 >>> 0, a2);
        break;
      case 4238: // futex
        result = this.futex(cpu, a0, a1, a2);
        break;
      case 4240: // sched_getaffinity: one CPU (so Go's GOMAXPROCS is 1)
        result = a2 !== 0 && a1 >>> 0 >= 4 ? this.fill(cpu, a2, words(1)) : -EINVAL;
        if (result === 0) result = 4;
        break;
      case 4263: // clock_gettime
        result = this.clockGettime(cpu, a0, a1);
        break;
      case 4266: // tgkill: signals are not delivered (Go uses it only for async preemption)
        result = 0;
        break;
      case 4283: // set_thread_area
        r[REG_ULR] = a0;
        result = 0;
        break;
      case 4338: // prlimit64(pid, resource, new, old): fixed limits; setting is accepted and ignored
        result = this.prlimit(cpu, a1, a3);
        break;
      case 4353: // getrandom: deterministic bytes
        result = this.getrandom(cpu, a0, a1 >>> 0);
        break;
      case SYS_KECCAKF:
        result = this.keccakf(cpu, a0 >>> 0);
        break;
      default:
        throw cpu.fault(`unknown syscall ${num}`, cpu.syscallPc);
    }
    if (result < 0) {
      r[2] = -result;
      r[7] = 1;
    } else {
      r[2] = result;
      r[7] = 0;
    }
  }

  /** True when [addr, addr + len) lies inside guest memory. */
  private range(addr: number, len: number): boolean {
    return addr >>> 0 >= MIN_ADDR && (addr >>> 0) + len <= MAX_ADDR;
  }

  /** Writes bytes into guest memory through the observer; returns 0 or -EFAULT. */
  private fill(cpu: Cpu, addr: number, bytes: Uint8Array): number {
    if (!this.range(addr, bytes.length)) return -EFAULT;
    this.storeBytes(cpu, addr >>> 0, bytes);
    return 0;
  }

  private storeBytes(cpu: Cpu, addr: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const obs = this.observer;
    if (obs) {
      const before: number[] = [];
      for (let w = addr & ~3; w < addr + bytes.length; w += 4) before.push(this.mem.readWord(w));
      this.mem.writeBytes(addr, bytes);
      let i = 0;
      for (let w = addr & ~3; w < addr + bytes.length; w += 4) obs(w, before[i++], this.mem.readWord(w));
    } else {
      this.mem.writeBytes(addr, bytes);
    }
    cpu.invalidate(addr, bytes.length);
  }

  private loadBytes(addr: number, len: number): Uint8Array {
    const obs = this.observer;
    if (obs && len > 0) {
      for (let w = addr & ~3; w < addr + len; w += 4) {
        const v = this.mem.readWord(w);
        obs(w, v, v);
      }
    }
    return this.mem.readBytes(addr, len);
  }

  private loadWord(addr: number): number {
    const v = this.mem.readWord(addr);
    this.observer?.(addr, v, v);
    return v;
  }

  /** keccak-f[1600] in place on 200 word-aligned bytes (lane i = words 2i, 2i + 1); returns 0. */
  private keccakf(cpu: Cpu, ptr: number): number {
    if (ptr & 3 || !this.range(ptr, 200))
      throw cpu.fault(
        `keccakf state at ${hex(ptr)} is not 200 word-aligned bytes of guest memory`,
        cpu.syscallPc,
      );
    const s = new Uint32Array(50);
    for (let i = 0; i < 50; i++) s[i] = this.loadWord(ptr + 4 * i);
    keccakF(s);
    this.storeBytes(cpu, ptr, words(...s));
    return 0;
  }

  private read(cpu: Cpu, fd: number, buf: number, count: number): number {
    let src: Uint8Array;
    let pos: number;
    if (fd === FD_INPUT) [src, pos] = [this.io.input, this.inputPos];
    else if (fd === FD_HINTS) [src, pos] = [this.io.hints, this.hintsPos];
    else return -EBADF;
    const n = Math.min(count >>> 0, src.length - pos);
    if (n > 0 && !this.range(buf, n)) return -EFAULT;
    this.storeBytes(cpu, buf >>> 0, src.subarray(pos, pos + n));
    if (fd === FD_INPUT) this.inputPos += n;
    else this.hintsPos += n;
    return n;
  }

  private write(_cpu: Cpu, fd: number, buf: number, count: number): number {
    const n = count >>> 0;
    if (fd !== FD_STDOUT && fd !== FD_STDERR && fd !== FD_PUBLIC) return -EBADF;
    if (n > 0 && !this.range(buf, n)) return -EFAULT;
    const bytes = this.loadBytes(buf >>> 0, n);
    if (fd === FD_STDOUT) this.io.stdout(bytes);
    else if (fd === FD_STDERR) this.io.stderr(bytes);
    else this.publicValues.push(bytes);
    return n;
  }

  private setBrk(addr: number): number {
    if (addr < this.brkStart || addr > this.mmapLow) return this.brk;
    if (addr > this.brk) {
      // Memory that was above an earlier break reads as zero again when the break grows back.
      this.zero(this.brk, Math.min(addr, this.brkHigh));
    }
    this.brk = addr;
    if (addr > this.brkHigh) this.brkHigh = addr;
    return addr;
  }

  /** Zeroes [lo, hi) in memory (through the observer). */
  private zero(lo: number, hi: number): void {
    const mem = this.mem;
    for (let a = lo & ~3; a < hi; a += 4) {
      const p = mem.pages[a >>> 12];
      if (p === undefined || p === mem.zero) {
        a = ((a >>> 12) + 1) * PAGE_BYTES - 4;
        continue;
      }
      const i = (a >>> 2) & 1023;
      const prev = p[i];
      let next = 0;
      // keep the bytes outside [lo, hi) of partial words
      for (let b = 0; b < 4; b++) {
        const ba = a + b;
        if (ba < lo || ba >= hi) next |= prev & (0xff << (8 * b));
      }
      if (prev !== next) {
        p[i] = next;
        this.observer?.(a, prev, next);
      }
    }
  }

  private fcntl(fd: number, cmd: number): number {
    if (fd >>> 0 > FD_HINTS) return -EBADF;
    if (cmd === 1 || cmd === 2) return 0; // F_GETFD / F_SETFD
    if (cmd === 3) return fd === FD_INPUT || fd === FD_HINTS ? 0 : 1; // F_GETFL: O_RDONLY / O_WRONLY
    return -EINVAL;
  }

  private mmap(cpu: Cpu, addr: number, len: number, flags: number): number {
    const sp = cpu.r[29];
    if (!this.range(sp + 16, 8) || sp & 3) return -EFAULT;
    const fd = this.loadWord(sp + 16);
    if (!(flags & MAP_ANONYMOUS) || fd !== -1) return -ENODEV; // only anonymous mappings
    if (len === 0) return -EINVAL;
    const size = Math.ceil(len / PAGE_BYTES) * PAGE_BYTES;
    // MAP_FIXED: the address as given, contents kept (Linux would zero the range)
    if (flags & MAP_FIXED) {
      if (addr % PAGE_BYTES !== 0 || addr < this.brkHigh || addr + size > STACK_BOTTOM) return -EINVAL;
      if (addr < this.mmapLow) this.mmapLow = addr;
      return addr;
    }
    // otherwise the hint is ignored: the next range below the lowest mapping
    const lo = this.mmapLow - size;
    if (lo < this.brkHigh) return -ENOMEM;
    this.mmapLow = lo;
    return lo;
  }

  private madvise(addr: number, len: number, advice: number): number {
    if (addr % PAGE_BYTES !== 0) return -EINVAL;
    // MADV_DONTNEED drops anonymous pages: they read as zero afterwards
    if (advice === MADV_DONTNEED && this.range(addr, len))
      this.zero(addr, addr + Math.ceil(len / PAGE_BYTES) * PAGE_BYTES);
    return 0;
  }

  private futex(cpu: Cpu, uaddr: number, op: number, val: number): number {
    const cmd = op & 127;
    if (cmd === 0 || cmd === 9) {
      // FUTEX_WAIT(_BITSET): nobody else can change the word; report a spurious wake-up or EAGAIN
      if (uaddr & 3 || !this.range(uaddr, 4)) return -EFAULT;
      return this.loadWord(uaddr) !== val ? -EAGAIN : 0;
    }
    if (cmd === 1 || cmd === 10) return 0; // FUTEX_WAKE(_BITSET): no waiters
    throw cpu.fault(`unsupported futex operation ${op}`, cpu.syscallPc);
  }

  /** Advances the virtual clock (sec >= 0, 0 <= nsec < 1e9). */
  private advanceClock(sec: number, nsec: number): void {
    this.clockNsec += nsec;
    this.clockSec += sec;
    if (this.clockNsec >= 1e9) {
      this.clockNsec -= 1e9;
      this.clockSec++;
    }
  }

  private clockGettime(cpu: Cpu, clock: number, ts: number): number {
    if (clock < 0 || clock > 11) return -EINVAL;
    this.advanceClock(0, CLOCK_STEP_NS);
    const base = clock === 0 || clock === 8 || clock === 11 ? REALTIME_EPOCH_S : 0; // REALTIME, *_ALARM, TAI
    return this.fill(cpu, ts, words(base + this.clockSec, this.clockNsec));
  }

  private nanosleep(cpu: Cpu, req: number): number {
    if (req & 3 || !this.range(req, 8)) return -EFAULT;
    const sec = this.loadWord(req);
    const nsec = this.loadWord(req + 4);
    if (sec < 0 || nsec < 0 || nsec >= 1e9) return -EINVAL;
    this.advanceClock(sec, nsec);
    void cpu;
    return 0;
  }

  /** Signals are never delivered: the new action (act) is ignored and the old one reads as SIG_DFL. */
  private sigaction(cpu: Cpu, sig: number, oact: number): number {
    if (sig < 1 || sig > 128) return -EINVAL;
    return oact !== 0 ? this.fill(cpu, oact, new Uint8Array(24)) : 0; // O32 struct sigaction: 24 bytes
  }

  private prlimit(cpu: Cpu, resource: number, old: number): number {
    if (resource < 0 || resource > 15) return -EINVAL;
    if (old === 0) return 0;
    // RLIMIT_STACK: 8 MiB, RLIMIT_NOFILE: 1024 (soft = hard, so Go does not try to raise it), else unlimited
    const lim = resource === 3 ? [STACK_BYTES, 0] : resource === 7 ? [1024, 0] : [0xffffffff, 0xffffffff];
    return this.fill(cpu, old, words(lim[0], lim[1], lim[0], lim[1]));
  }

  private getrandom(cpu: Cpu, buf: number, len: number): number {
    // xorshift32 stream from a fixed seed: reproducible, and documented as not random
    const out = new Uint8Array(len);
    let x = 0x2545f491;
    for (let i = 0; i < len; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x & 0xff;
    }
    const rc = this.fill(cpu, buf, out);
    return rc < 0 ? rc : len;
  }
}

function words(...ws: number[]): Uint8Array {
  const out = new Uint8Array(ws.length * 4);
  const view = new DataView(out.buffer);
  ws.forEach((w, i) => view.setUint32(i * 4, w >>> 0, true));
  return out;
}
