/**
 * Compact storage of R1CS rows A·w × B·w = C·w. Every linear combination is a run of terms
 * (wire index, coefficient code) in two growable Uint32Arrays; a row is three runs. A
 * coefficient below 2^31 is stored inline as its code; larger ones go to a deduplicated
 * pool and the code is 2^31 + pool index. About 8 bytes per term and 16 per row.
 */
import { R } from "./field.ts";

const POOL_FLAG = 0x80000000;

class U32Vec {
  data: Uint32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Uint32Array(capacity);
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  /** Makes room for `n` more entries. */
  reserve(n: number): void {
    if (this.length + n <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint32Array(cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

export class ConstraintStore {
  /** Term wire indices. */
  readonly wires = new U32Vec(1 << 12);
  /** Term coefficient codes (see module comment). */
  readonly codes = new U32Vec(1 << 12);
  /** Term start of every LC: row i's A, B, C are runs 3i, 3i+1, 3i+2; one extra end entry. */
  readonly starts = new U32Vec(1 << 10);
  /** Label id (index into `labelNames`) of every row. */
  readonly labels = new U32Vec(1 << 10);
  readonly pool: bigint[] = [];
  private readonly poolIndex = new Map<bigint, number>();

  constructor() {
    this.starts.push(0);
  }

  get nConstraints(): number {
    return this.labels.length;
  }

  get nTerms(): number {
    return this.wires.length;
  }

  code(coef: bigint): number {
    if (coef < 0x80000000n) return Number(coef);
    let i = this.poolIndex.get(coef);
    if (i === undefined) {
      i = this.pool.length;
      this.pool.push(coef);
      this.poolIndex.set(coef, i);
    }
    return (POOL_FLAG | i) >>> 0;
  }

  coef(code: number): bigint {
    return code >= POOL_FLAG ? this.pool[code - POOL_FLAG] : BigInt(code);
  }

  /** Appends one LC run; `wires` and `coefs` must be sorted by wire, coefficients canonical and nonzero. */
  pushLc(wires: readonly number[], coefs: readonly bigint[]): void {
    for (let i = 0; i < wires.length; i++) {
      this.wires.push(wires[i]);
      this.codes.push(this.code(coefs[i]));
    }
    this.starts.push(this.wires.length);
  }

  /**
   * Appends recorded rows (a `RowTemplate`'s runs) with template wire t mapped to
   * t < firstInternal ? inputMap[t] : base + t − firstInternal; `codes` are this store's codes.
   */
  appendRows(
    wires: Uint32Array,
    codes: Uint32Array,
    starts: Uint32Array,
    inputMap: readonly number[],
    firstInternal: number,
    base: number,
    label: number,
  ): void {
    const nRuns = starts.length - 1;
    const nTerms = wires.length;
    this.wires.reserve(nTerms);
    this.codes.reserve(nTerms);
    this.starts.reserve(nRuns);
    this.labels.reserve(nRuns / 3);
    const W = this.wires.data;
    let at = this.wires.length;
    const offset = base - firstInternal;
    for (let i = 0; i < nTerms; i++) {
      const t = wires[i];
      W[at++] = t < firstInternal ? inputMap[t] : t + offset;
    }
    this.codes.data.set(codes, this.codes.length);
    const S = this.starts.data;
    const s0 = this.wires.length;
    for (let k = 1; k <= nRuns; k++) S[this.starts.length++] = s0 + starts[k];
    this.wires.length += nTerms;
    this.codes.length += nTerms;
    for (let r = 0; r < nRuns / 3; r++) this.labels.data[this.labels.length++] = label;
  }

  endRow(label: number): void {
    this.labels.push(label);
  }

  /** Evaluates run `k` (0 ≤ k < 3·nConstraints) at `witness`, modulo r. */
  evalLc(k: number, witness: readonly bigint[]): bigint {
    const s = this.starts.data[k];
    const e = this.starts.data[k + 1];
    let acc = 0n;
    for (let i = s; i < e; i++) acc += this.coef(this.codes.data[i]) * witness[this.wires.data[i]];
    return acc % R;
  }

  /** Bytes of this store, for the memory figures in docs/r1cs.md. */
  get byteSize(): number {
    return (
      (this.wires.data.length + this.codes.data.length + this.starts.data.length + this.labels.data.length) *
      4
    );
  }
}
