/**
 * Fixed-base scalar multiplication on BN254 G1 and G2 for the dev setup: every proving-key
 * point is `s·G` for the group generator G, so one window table per group turns each
 * multiplication into at most 256/w mixed additions (w-bit windows over a 256-bit scalar).
 *
 * The curve arithmetic is ffjavascript's WASM module (wasmcurves' bn128 build: Montgomery
 * form, Jacobian coordinates). Each worker thread instantiates it with its own memory, builds
 * the tables once (w = 16: G1 16·65535 affine points = 64 MiB, G2 128 MiB) and then multiplies
 * chunks of scalars, returning affine points in snarkjs's zkey layout (little-endian
 * Montgomery x||y; the point at infinity as the all-zero encoding wasmcurves produces).
 */
import { Worker } from "node:worker_threads";
import os from "node:os";
import { buildBn128SingleThread } from "./snarkjs.ts";

/** Bytes of one affine point in LEM form, per group. */
export const AFFINE_SIZE = { 1: 64, 2: 128 } as const;
export type Group = 1 | 2;
export type WindowBits = 8 | 10 | 12 | 14 | 16;

/**
 * Window size minimizing one worker's work for `perWorker` products: the table costs
 * ceil(256/w)·(2^w - 1) Jacobian additions plus affine conversions (~2.5 mixed additions
 * each), every product ceil(256/w) mixed additions. w = 16 wins from ~160k products per worker.
 */
export function bestWindow(perWorker: number): WindowBits {
  let best: WindowBits = 8;
  let bestCost = Infinity;
  for (const w of [8, 10, 12, 14, 16] as const) {
    const windows = Math.ceil(256 / w);
    const cost = windows * (2 ** w - 1) * 2.5 + perWorker * windows;
    if (cost < bestCost) [best, bestCost] = [w, cost];
  }
  return best;
}

interface WasmInfo {
  code: Uint8Array;
  pG1gen: number;
  pG2gen: number;
}

let wasmInfo: Promise<WasmInfo> | undefined;

/** The bn128 WASM code and the addresses of its generator constants (same in every instance). */
function loadWasm(): Promise<WasmInfo> {
  wasmInfo ??= (async () => {
    const { tm } = await buildBn128SingleThread();
    return { code: new Uint8Array(tm.code), pG1gen: tm.pG1gen, pG2gen: tm.pG2gen };
  })();
  return wasmInfo;
}

// Plain JS so that workers need no TypeScript loader (mocha, hardhat and tsx all work).
const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require("node:worker_threads");
const BITS = workerData.windowBits;
const memory = new WebAssembly.Memory({ initial: 32 });
const inst = new WebAssembly.Instance(new WebAssembly.Module(workerData.code), { env: { memory } });
const ex = inst.exports;
let free = new Uint32Array(memory.buffer)[0];
// wasmcurves' batch functions take scratch memory at the address stored in word 0.
function reserve(bytes, scratch) {
  const need = free + bytes + scratch + 65536 - memory.buffer.byteLength;
  if (need > 0) memory.grow(Math.ceil(need / 65536));
  const p = free;
  new Uint32Array(memory.buffer)[0] = (p + bytes + 7) & ~7;
  return p;
}
const G = {
  1: { pre: "g1m", jac: 96, aff: 64, gen: workerData.pG1gen, table: 0, bits: BITS[1] },
  2: { pre: "g2m", jac: 192, aff: 128, gen: workerData.pG2gen, table: 0, bits: BITS[2] },
};
function buildTable(g) {
  const ENTRIES = (1 << g.bits) - 1, WINDOWS = Math.ceil(256 / g.bits);
  const add = ex[g.pre + "_add"], copy = ex[g.pre + "_copy"], zero = ex[g.pre + "_zero"];
  g.table = reserve(WINDOWS * ENTRIES * g.aff, 0);
  free = (g.table + WINDOWS * ENTRIES * g.aff + 7) & ~7;
  const mark = free;
  const base = reserve(g.jac, 0); free += g.jac;
  const scratch = reserve(ENTRIES * g.jac, ENTRIES * 3 * g.jac);
  copy(g.gen, base);
  for (let k = 0; k < WINDOWS; k++) {
    zero(scratch);
    add(scratch, base, scratch);
    for (let d = 1; d < ENTRIES; d++) add(scratch + (d - 1) * g.jac, base, scratch + d * g.jac);
    ex[g.pre + "_batchToAffine"](scratch, ENTRIES, g.table + k * ENTRIES * g.aff);
    add(scratch + (ENTRIES - 1) * g.jac, base, base); // 2^bits * base
  }
  free = mark;
  new Uint32Array(memory.buffer)[0] = free;
}
parentPort.on("message", ({ id, group, scalars }) => {
  const g = G[group];
  if (!g.table) buildTable(g);
  const n = scalars.length / 32;
  const bits = g.bits, ENTRIES = (1 << bits) - 1, WINDOWS = Math.ceil(256 / bits), mask = ENTRIES;
  const out = reserve(n * g.jac, n * 3 * g.jac);
  const zero = ex[g.pre + "_zero"], addMixed = ex[g.pre + "_addMixed"];
  for (let i = 0; i < n; i++) {
    const p = out + i * g.jac;
    const s = i * 32;
    zero(p);
    for (let k = 0; k < WINDOWS; k++) {
      const bit = k * bits, byte = bit >> 3;
      // 24 bits from the window's first byte cover any window of <= 16 bits.
      const word = scalars[s + byte] | ((byte + 1 < 32 ? scalars[s + byte + 1] : 0) << 8) |
        ((byte + 2 < 32 ? scalars[s + byte + 2] : 0) << 16);
      const d = (word >> (bit & 7)) & mask;
      if (d !== 0) addMixed(p, g.table + (k * ENTRIES + d - 1) * g.aff, p);
    }
  }
  ex[g.pre + "_batchToAffine"](out, n, out);
  const res = new Uint8Array(memory.buffer, out, n * g.aff).slice();
  new Uint32Array(memory.buffer)[0] = free;
  parentPort.postMessage({ id, points: res }, [res.buffer]);
});
`;

interface Pending {
  resolve: (points: Uint8Array) => void;
  reject: (err: Error) => void;
}

/** A pool of worker threads computing `s·G` for many scalars s (32-byte little-endian, < 2^256). */
export class FixedBasePool {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly queue: { id: number; group: Group; scalars: Uint8Array }[] = [];
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, number>();

  private constructor(private readonly workers: Worker[]) {
    for (const w of workers) {
      w.on("message", (msg: { id: number; points: Uint8Array }) => {
        this.busy.delete(w);
        this.idle.push(w);
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        p?.resolve(msg.points);
        this.pump();
      });
      w.on("error", (err) => {
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      });
      this.idle.push(w);
    }
  }

  /**
   * Starts `threads` workers (default: one per CPU) with per-group window sizes (see
   * `bestWindow`). Each worker builds its own tables on first use. Call `close()` when done.
   */
  static async create(
    threads = os.availableParallelism(),
    windowBits: Record<Group, WindowBits> = { 1: 16, 2: 16 },
  ): Promise<FixedBasePool> {
    const info = await loadWasm();
    const workers = Array.from(
      { length: Math.max(1, threads) },
      () => new Worker(WORKER_SOURCE, { eval: true, workerData: { ...info, windowBits } }),
    );
    return new FixedBasePool(workers);
  }

  get threads(): number {
    return this.workers.length;
  }

  /**
   * Multiplies the generator of G1 or G2 by each scalar (n·32 bytes, little-endian standard
   * form) and returns n affine points in LEM form. Large inputs are split across the workers.
   */
  async mul(group: Group, scalars: Uint8Array, chunk = 1 << 14): Promise<Uint8Array> {
    const n = scalars.length / 32;
    const size = AFFINE_SIZE[group];
    const out = new Uint8Array(n * size);
    const jobs: Promise<void>[] = [];
    for (let i = 0; i < n; i += chunk) {
      const m = Math.min(chunk, n - i);
      const part = scalars.slice(i * 32, (i + m) * 32);
      jobs.push(this.submit(group, part).then((pts) => out.set(pts, i * size)));
    }
    await Promise.all(jobs);
    return out;
  }

  private submit(group: Group, scalars: Uint8Array): Promise<Uint8Array> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.queue.push({ id, group, scalars });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.busy.set(w, job.id);
      w.postMessage(job, [job.scalars.buffer as ArrayBuffer]);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
