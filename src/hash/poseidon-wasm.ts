/**
 * Host side of the WASM Poseidon (src/hash/wasm/assembly/): instantiates the committed module
 * once per thread, writes each width's optimized constants in Montgomery form (R = 2^261,
 * 9 limbs of 29 bits, duplicated in both lanes of the two-lane SIMD build) on first use, and
 * runs batches through a fixed I/O window so that the JS/WASM boundary is crossed once per
 * chunk of hashes, not per hash. The module hashes two calls side by side.
 */
import { POSEIDON_WASM_BASE64 } from "./wasm/poseidon.wasm.ts";
import { poseidonOptConstants } from "./poseidon-opt.ts";
import { BN254_R } from "./poseidon-reference.ts";

const LIMB_BITS = 29n;
const LIMB_MASK = (1n << LIMB_BITS) - 1n;
const LIMBS = 9;
const ELEM_BYTES = LIMBS * 8;
const R = 1n << (LIMB_BITS * BigInt(LIMBS));
/** Hashes per boundary crossing (inputs: up to 16 * 32 bytes each). */
export const WASM_CHUNK = 1024;

/** The slice of the WebAssembly JS API used here (the project's lib settings omit DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface Exports {
  readonly memory: WasmMemory;
  heapBase(): number;
  r2Ptr(): number;
  onePtr(): number;
  permuteBatch(t: number, nP: number, consts: number, inPtr: number, outPtr: number, count: number): number;
  mulLoop(x: number, count: number): void;
  benchKernel(kind: number, count: number): void;
  lanes(): number;
}

interface Instance {
  readonly ex: Exports;
  readonly inPtr: number;
  readonly outPtr: number;
  readonly constPtr: (number | undefined)[];
  next: number;
}

let instance: Instance | undefined;

/**
 * Writes x as 9 limbs of 8 bytes: a u64 per limb when the module runs one lane, or the limb
 * duplicated in both u32 halves when it runs two calls side by side (constants are shared).
 */
function writeLimbs(ex: Exports, ptr: number, x: bigint): void {
  const view = new BigUint64Array(ex.memory.buffer, ptr, LIMBS);
  const two = ex.lanes() === 2;
  for (let k = 0; k < LIMBS; k++) {
    const v = x & LIMB_MASK;
    view[k] = two ? v | (v << 32n) : v;
    x >>= LIMB_BITS;
  }
}

function ensureMemory(ex: Exports, end: number): void {
  const have = ex.memory.buffer.byteLength;
  if (end > have) ex.memory.grow(Math.ceil((end - have) / 65536));
}

function getInstance(): Instance {
  if (instance) return instance;
  const module = new WA.Module(Buffer.from(POSEIDON_WASM_BASE64, "base64"));
  const ex = new WA.Instance(module, {}).exports as unknown as Exports;
  const inPtr = ex.heapBase();
  const outPtr = inPtr + WASM_CHUNK * 16 * 32;
  const next = outPtr + WASM_CHUNK * 32;
  ensureMemory(ex, next);
  writeLimbs(ex, ex.r2Ptr(), (R * R) % BN254_R);
  writeLimbs(ex, ex.onePtr(), 1n);
  instance = { ex, inPtr, outPtr, constPtr: [], next };
  return instance;
}

/** Partial rounds per block; must equal BLOCK in src/hash/wasm/assembly/poseidon.ts. */
const PARTIAL_BLOCK = 4;

/**
 * Constants of the blocked partial rounds (layout and algebra in permute(), assembly/poseidon.ts):
 * per block of m rounds r0.., for j < m the row (w_j, U_0,j .. U_j-1,j) with
 * U_i,j = sum_{k>=1} w_j,k v_i,k, then for k = 1..t-1 the values v_r0..r0+m-1,k.
 */
function partialBlocks(n: number): bigint[] {
  const { t, partialRounds: nP, S } = poseidonOptConstants(n);
  const w = (r: number, k: number): bigint => S[(2 * t - 1) * r + k];
  const v = (r: number, k: number): bigint => S[(2 * t - 1) * r + t + k - 1];
  const out: bigint[] = [];
  for (let r0 = 0; r0 < nP; r0 += PARTIAL_BLOCK) {
    const m = Math.min(PARTIAL_BLOCK, nP - r0);
    for (let j = 0; j < m; j++) {
      for (let k = 0; k < t; k++) out.push(w(r0 + j, k));
      for (let i = 0; i < j; i++) {
        let u = 0n;
        for (let k = 1; k < t; k++) u += w(r0 + j, k) * v(r0 + i, k);
        out.push(u % BN254_R);
      }
    }
    for (let k = 1; k < t; k++) for (let j = 0; j < m; j++) out.push(v(r0 + j, k));
  }
  return out;
}

/** Writes the optimized constants of Poseidon(n) in Montgomery form; returns their address. */
function constantsFor(inst: Instance, n: number): number {
  const cached = inst.constPtr[n];
  if (cached !== undefined) return cached;
  const { t, C, S, M, P } = poseidonOptConstants(n);
  const transpose = (m: readonly (readonly bigint[])[]): bigint[] =>
    Array.from({ length: t * t }, (_, k) => m[k % t][Math.floor(k / t)]);
  // Winograd constants of each row: -sum_k row[2k] row[2k+1] mod p.
  const negA = (m: bigint[]): bigint[] =>
    Array.from({ length: t }, (_, i) => {
      let a = 0n;
      for (let k = 0; 2 * k + 1 < t; k++) a += m[i * t + 2 * k] * m[i * t + 2 * k + 1];
      return (BN254_R - (a % BN254_R)) % BN254_R;
    });
  const mt = transpose(M);
  const pt = transpose(P);
  const all = [...C, ...S, ...mt, ...pt, ...negA(mt), ...negA(pt), ...partialBlocks(n)];
  const ptr = inst.next;
  ensureMemory(inst.ex, ptr + all.length * ELEM_BYTES);
  all.forEach((x, i) => writeLimbs(inst.ex, ptr + i * ELEM_BYTES, (x * R) % BN254_R));
  inst.next = ptr + all.length * ELEM_BYTES;
  inst.constPtr[n] = ptr;
  return ptr;
}

/**
 * count Poseidon(n) calls on 8-limb canonical inputs (validated: throws on an input >= r),
 * writing 8 limbs per call into `out`.
 */
export function poseidonBatchWasm(n: number, inputs: Uint32Array, count: number, out: Uint32Array): void {
  const inst = getInstance();
  const consts = constantsFor(inst, n);
  const { t, partialRounds } = poseidonOptConstants(n);
  for (let c0 = 0; c0 < count; c0 += WASM_CHUNK) {
    const k = Math.min(WASM_CHUNK, count - c0);
    // Views are recreated per chunk: memory.grow detaches old ones.
    const mem = new Uint32Array(inst.ex.memory.buffer);
    mem.set(inputs.subarray(c0 * n * 8, (c0 + k) * n * 8), inst.inPtr >>> 2);
    const bad = inst.ex.permuteBatch(t, partialRounds, consts, inst.inPtr, inst.outPtr, k);
    if (bad >= 0)
      throw new RangeError(`poseidonBatch: call ${c0 + bad} has an input that is not a field element (>= r)`);
    out.set(mem.subarray(inst.outPtr >>> 2, (inst.outPtr >>> 2) + k * 8), c0 * 8);
  }
}

/** CPU nanoseconds of this process since `c0` (wall time is unreliable on a shared machine). */
function cpuNanos(c0: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) * 1000;
}

/** CPU nanoseconds per Montgomery multiplication (per lane: a two-lane call counts twice) in WASM (`iterations` dependent squarings). */
export function wasmMulNanos(iterations = 1_000_000): number {
  const inst = getInstance();
  const x = inst.next;
  ensureMemory(inst.ex, x + ELEM_BYTES);
  writeLimbs(inst.ex, x, 123456789n);
  inst.ex.mulLoop(x, 1000);
  const c0 = process.cpuUsage();
  inst.ex.mulLoop(x, iterations);
  return cpuNanos(c0) / (iterations * inst.ex.lanes());
}

/**
 * Kernel throughput in CPU ns per operation (per lane): a multiply-add (Montgomery product plus an addition), a
 * 17-term dot product with one reduction, and a squaring.
 */
export function wasmKernelNanos(count = 20_000): { mulAdd: number; dot17: number; sqr: number } {
  const ex = getInstance().ex;
  const time = (kind: number, per: number): number => {
    // Fill the state buffers with small valid limbs (values < p).
    ex.benchKernel(kind, 10);
    const c0 = process.cpuUsage();
    ex.benchKernel(kind, count);
    return cpuNanos(c0) / (count * per * ex.lanes());
  };
  return { mulAdd: time(0, 16), dot17: time(1, 1), sqr: time(2, 16) };
}
