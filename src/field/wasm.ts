/**
 * Host side of the KoalaBear WASM kernels (src/field/wasm/assembly/koalabear.ts): one module
 * instance per thread, twiddle tables cached in WASM memory, columns copied in and out.
 * Same results as the plain TypeScript functions in `ntt.ts` (tested to agree).
 */
import { P, inv, mul, rootOfUnity } from "./koalabear.ts";
import { KOALABEAR_WASM_BASE64 } from "./wasm/koalabear.wasm.ts";

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
  dif(ptr: number, logN: number, tw: number): void;
  dit(ptr: number, logN: number, tw: number): void;
  bitrev(ptr: number, logN: number): void;
  mulPointwise(ptr: number, n: number, f: number): void;
  mulScalar(ptr: number, n: number, c: number): void;
  reduceRows(m: number, rows: number, width: number, coef: number, out: number, accumulate: number): void;
  vToMont(o: number, n: number): void;
  vFromMont(o: number, n: number): void;
  vFill(o: number, v: number, n: number): void;
  vAdd(o: number, a: number, b: number, n: number): void;
  vSub(o: number, a: number, b: number, n: number): void;
  vNeg(o: number, a: number, n: number): void;
  vMul(o: number, a: number, b: number, n: number): void;
  vLift(o: number, a: number, n: number): void;
  eMulB(o: number, a: number, b: number, n: number): void;
  eMul(o: number, a: number, b: number, n: number): void;
  vFirstNonzero(a: number, n: number, stride: number): number;
  eAxpyB(acc: number, c: number, a0: number, a1: number, a2: number, a3: number, n: number): void;
  eAxpyE(acc: number, c: number, a0: number, a1: number, a2: number, a3: number, n: number): void;
  eBatchInverse(ptr: number, n: number, scratch: number): void;
  deepCombine(
    acc: number,
    rT: number,
    rQ: number,
    invZ: number,
    invZn: number,
    n: number,
    consts: number,
    hasOff: number,
  ): void;
}

export type FieldKernels = Exports;

/** The raw kernels (vector ops over Montgomery-form values) for the constraint evaluator. */
export function fieldKernels(): FieldKernels {
  return api();
}

let arena = 0;
let arenaBytes = 0;

/** A reusable region of at least `bytes` bytes (its content is not preserved across calls). */
export function wasmArena(bytes: number): number {
  if (bytes > arenaBytes) {
    arena = alloc(bytes);
    arenaBytes = bytes;
  }
  return arena;
}

/** A fresh view of WASM memory (views are invalidated when memory grows). */
export function wasmU32(ptr: number, len: number): Uint32Array {
  return u32(ptr, len);
}

/** 2^32 mod p: multiplying by it puts a value in Montgomery form. */
const R_MOD_P = Number((1n << 32n) % BigInt(P));
export const toMont = (x: number): number => mul(x, R_MOD_P);

let ex: Exports | undefined;
let top = 1 << 16;
const cache = new Map<string, number>();
let scratch = 0;
let scratchBytes = 0;
let coefPtr = 0;
let coefBytes = 0;

function api(): Exports {
  if (!ex) {
    const module = new WA.Module(Buffer.from(KOALABEAR_WASM_BASE64, "base64"));
    ex = new WA.Instance(module, {}).exports as unknown as Exports;
  }
  return ex;
}

function alloc(bytes: number): number {
  const e = api();
  const ptr = top;
  top += (bytes + 15) & ~15;
  const have = e.memory.buffer.byteLength;
  if (top > have) e.memory.grow(Math.ceil((top - have) / 65536));
  return ptr;
}

function scratchOf(bytes: number): number {
  if (bytes > scratchBytes) {
    scratch = alloc(bytes);
    scratchBytes = bytes;
  }
  return scratch;
}

function u32(ptr: number, len: number): Uint32Array {
  return new Uint32Array(api().memory.buffer, ptr, len);
}

/** Cached table of Montgomery-form values f(i), i < len. */
function table(key: string, len: number, fill: (out: Uint32Array) => void): number {
  let ptr = cache.get(key);
  if (ptr === undefined) {
    const tmp = new Uint32Array(len);
    fill(tmp);
    for (let i = 0; i < len; i++) tmp[i] = toMont(tmp[i]);
    ptr = alloc(4 * len);
    u32(ptr, len).set(tmp);
    cache.set(key, ptr);
  }
  return ptr;
}

function powers(out: Uint32Array, base: number, first = 1): void {
  let x = first;
  for (let i = 0; i < out.length; i++) {
    out[i] = x;
    x = mul(x, base);
  }
}

function twiddles(logN: number, inverse: boolean): number {
  const w = inverse ? inv(rootOfUnity(logN)) : rootOfUnity(logN);
  return table(`tw${inverse ? "i" : ""}${logN}`, Math.max(1, 1 << (logN - 1)), (o) => powers(o, w));
}

/** Evaluations over H (natural) -> evaluations over shift*H' in bit-reversed order (as cosetLdeBitrev). */
export function wasmCosetLdeBitrev(evals: Uint32Array, logBlowup: number, shift: number): Uint32Array {
  const e = api();
  const n = evals.length;
  const logN = Math.round(Math.log2(n));
  const logL = logN + logBlowup;
  const size = 1 << logL;
  const twInv = twiddles(logN, true);
  const twFwd = twiddles(logL, false);
  // (1/n) * shift^i folds the inverse-NTT scaling and the coset shift into one pass.
  const factors = table(`coset${logN}:${shift}`, n, (o) => powers(o, shift, inv(n)));
  const ptr = scratchOf(4 * size);
  const buf = u32(ptr, size);
  buf.set(evals);
  buf.fill(0, n);
  e.bitrev(ptr, logN);
  e.dit(ptr, logN, twInv);
  e.mulPointwise(ptr, n, factors);
  e.dif(ptr, logL, twFwd);
  return u32(ptr, size).slice();
}

/** Coefficients (length <= 2^logSize) -> evaluations over shift*H in bit-reversed order. */
export function wasmCoeffsToCosetBitrev(coeffs: Uint32Array, logSize: number, shift: number): Uint32Array {
  const e = api();
  const size = 1 << logSize;
  const n = coeffs.length;
  const logN = Math.round(Math.log2(n));
  const factors = table(`shift${logN}:${shift}`, n, (o) => powers(o, shift));
  const ptr = scratchOf(4 * size);
  const buf = u32(ptr, size);
  buf.set(coeffs);
  buf.fill(0, n);
  e.mulPointwise(ptr, n, factors);
  e.dif(ptr, logSize, twiddles(logSize, false));
  return u32(ptr, size).slice();
}

/** In place: evaluations at w^i (natural) -> coefficients (natural), as ntt.idft. */
export function wasmIdft(a: Uint32Array): Uint32Array {
  const e = api();
  const n = a.length;
  const logN = Math.round(Math.log2(n));
  const ptr = scratchOf(4 * n);
  u32(ptr, n).set(a);
  e.bitrev(ptr, logN);
  e.dit(ptr, logN, twiddles(logN, true));
  e.mulScalar(ptr, n, toMont(inv(n)));
  a.set(u32(ptr, n));
  return a;
}

/** In place: coefficients (natural) -> evaluations at w^i (natural), as ntt.dft. */
export function wasmDft(a: Uint32Array): Uint32Array {
  const e = api();
  const n = a.length;
  const logN = Math.round(Math.log2(n));
  const ptr = scratchOf(4 * n);
  u32(ptr, n).set(a);
  e.bitrev(ptr, logN);
  e.dit(ptr, logN, twiddles(logN, false));
  a.set(u32(ptr, n));
  return a;
}

/**
 * out[i] (+)= sum_c m[i][c] * coef[c] for a row-major base matrix and extension coefficients
 * (canonical, 4 per column); out holds 4 values per row.
 */
export function wasmReduceRows(
  m: Uint32Array,
  rows: number,
  width: number,
  coef: Uint32Array,
  out: Uint32Array,
  accumulate: boolean,
): void {
  const e = api();
  if (16 * width > coefBytes) {
    coefPtr = alloc(16 * width);
    coefBytes = 16 * width;
  }
  const cm = u32(coefPtr, 4 * width);
  for (let i = 0; i < 4 * width; i++) cm[i] = toMont(coef[i]);
  // Process in blocks so that the scratch buffer stays moderate.
  const block = Math.max(1, Math.min(rows, Math.floor((1 << 24) / Math.max(1, width))));
  const mPtr = scratchOf(4 * block * width + 16 * block);
  const oPtr = mPtr + 4 * block * width;
  for (let r0 = 0; r0 < rows; r0 += block) {
    const nr = Math.min(block, rows - r0);
    u32(mPtr, nr * width).set(m.subarray(r0 * width, (r0 + nr) * width));
    if (accumulate) u32(oPtr, 4 * nr).set(out.subarray(4 * r0, 4 * (r0 + nr)));
    e.reduceRows(mPtr, nr, width, coefPtr, oPtr, accumulate ? 1 : 0);
    out.set(u32(oPtr, 4 * nr), 4 * r0);
  }
}

/** In place: inverts extension elements (flat, canonical, 4 values each); zeros stay zero. */
export function wasmExtBatchInverse(values: Uint32Array): Uint32Array {
  const e = api();
  const n = values.length / 4;
  const block = Math.min(n, 1 << 18);
  const ptr = scratchOf(32 * block);
  for (let i0 = 0; i0 < n; i0 += block) {
    const m = Math.min(block, n - i0);
    u32(ptr, 4 * m).set(values.subarray(4 * i0, 4 * (i0 + m)));
    e.eBatchInverse(ptr, m, ptr + 16 * block);
    values.set(u32(ptr, 4 * m), 4 * i0);
  }
  return values;
}

/**
 * For each column c (length n): sum_i column[i] * weights[i], weights extension elements
 * (flat, canonical). One conversion of the weights, then one WASM pass per column.
 */
export function wasmWeightedSums(columns: readonly Uint32Array[], weights: Uint32Array): Uint32Array {
  const e = api();
  const n = weights.length / 4;
  const out = new Uint32Array(4 * columns.length);
  if (columns.length === 0) return out;
  const wPtr = scratchOf(16 * n + 4 * n + 16);
  const cPtr = wPtr + 16 * n;
  const oPtr = cPtr + 4 * n;
  const wv = u32(wPtr, 4 * n);
  wv.set(weights);
  e.vToMont(wPtr, 4 * n);
  columns.forEach((c, j) => {
    u32(cPtr, n).set(c);
    e.reduceRows(cPtr, 1, n, wPtr, oPtr, 0);
    out.set(u32(oPtr, 4), 4 * j);
  });
  return out;
}

/**
 * acc[i] += off * ([rT[i] - cZ + a2W (rQ[i] - cQ)] * invZ[i] + (rT[i] - cZn) * invZn[i]) over
 * flat extension arrays (canonical); see src/stark/deep.ts.
 */
export function wasmDeepCombine(
  acc: Uint32Array,
  rT: Uint32Array,
  rQ: Uint32Array,
  cZ: readonly number[],
  cQ: readonly number[],
  cZn: readonly number[],
  a2W: readonly number[],
  invZ: Uint32Array,
  invZn: Uint32Array,
  off: readonly number[],
): void {
  const e = api();
  const n = acc.length / 4;
  const block = Math.min(n, 1 << 16);
  const bytes = 16 * block;
  const base = scratchOf(5 * bytes + 80);
  const [pAcc, pT, pQ, pZ, pZn] = [0, 1, 2, 3, 4].map((k) => base + k * bytes);
  const pC = base + 5 * bytes;
  const consts = u32(pC, 20);
  consts.set([...cZ, ...cQ, ...cZn, ...a2W.map(toMont), ...off.map(toMont)]);
  const hasOff = off[0] === 1 && off[1] === 0 && off[2] === 0 && off[3] === 0 ? 0 : 1;
  for (let i0 = 0; i0 < n; i0 += block) {
    const m = Math.min(block, n - i0);
    const r = (a: Uint32Array) => a.subarray(4 * i0, 4 * (i0 + m));
    u32(pAcc, 4 * m).set(r(acc));
    u32(pT, 4 * m).set(r(rT));
    u32(pQ, 4 * m).set(r(rQ));
    u32(pZ, 4 * m).set(r(invZ));
    u32(pZn, 4 * m).set(r(invZn));
    e.deepCombine(pAcc, pT, pQ, pZ, pZn, m, pC, hasOff);
    acc.set(u32(pAcc, 4 * m), 4 * i0);
  }
}
