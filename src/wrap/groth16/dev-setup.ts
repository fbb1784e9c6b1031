/**
 * `zkmips setup --dev`: a single-party Groth16 setup that writes a snarkjs-compatible `.zkey`
 * straight from an R1CS, without a powers-of-tau file. NOT FOR PRODUCTION: whoever runs it
 * could forge proofs if the toxic waste (tau, alpha, beta, gamma, delta) leaked; here it is
 * drawn from the OS CSPRNG and dropped when the function returns (as gnark's groth16.Setup).
 *
 * What it computes (snarkjs 0.7.6 `zkey_new.js` + `groth16_prove.js` conventions):
 * - domain: n = smallest power of two >= nConstraints + nPublic + 1; the QAP gets one extra
 *   A-row `pub_s · 1` per public signal s = 0..nPublic (constraint index nConstraints + s),
 *   which makes the IC points linearly independent.
 * - per wire s, with Lagrange basis L_i(tau) over the n-domain:
 *   a_s = sum_i A[i][s] L_i(tau), b_s, c_s likewise; K_s = beta a_s + alpha b_s + c_s.
 *   Sections: A = a_s G1, B1 = b_s G1, B2 = b_s G2, IC = K_s / gamma G1 (s <= nPublic),
 *   C = K_s / delta G1 (s > nPublic).
 * - H: the prover evaluates A·B - C on the odd points w_2n^(2j+1) of the 2n-domain (where
 *   Z = x^n - 1 = -2, so those values are h·Z); H_j = L^(2n)_(2j+1)(tau) / delta G1, so that
 *   sum_j (h·Z)(w_2n^(2j+1)) H_j = h(tau) Z(tau) / delta G1.
 * - coefficient section: the A and B terms (plus the extra rows) with value c·R^2 mod r, which
 *   the prover's Montgomery multiplication by a standard-form witness turns into c·w·R.
 * - points: affine, x||y little-endian Montgomery; section 10 holds a 64-byte circuit hash
 *   (here blake2b-512 of the .r1cs bytes) and zero contributions.
 */
import { createHash } from "node:crypto";
import os from "node:os";
import { ZkmipsError } from "../../errors.ts";
import { BinFileWriter } from "./binfile.ts";
import { FixedBasePool, bestWindow, type Group } from "./fixed-base.ts";
import {
  MONT_R2,
  Q,
  R,
  TWO_ADICITY,
  batchInvert,
  inv,
  pow,
  randomNonZero,
  rootOfUnity,
  scalarsToLE,
  writeLE,
} from "./fr.ts";
import { R1csFile } from "./r1cs-file.ts";

export const DEV_WARNING =
  "DEV SETUP - NOT FOR PRODUCTION: a single party drew the toxic waste; this key must not secure real value.";

export interface DevSetupOptions {
  /** Worker threads for the curve arithmetic (default: one per CPU). */
  threads?: number;
  /** Called as each stage starts and ends: `done` / `total` in units of that stage. */
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface DevSetupStats {
  nConstraints: number;
  nPublic: number;
  nVars: number;
  domainSize: number;
  g1Points: number;
  g2Points: number;
  /** Seconds per phase. */
  timings: Record<string, number>;
}

/** Smallest power of two >= nConstraints + nPublic + 1 (snarkjs's `cirPower`). */
export function domainPower(nConstraints: number, nPublic: number): number {
  const need = nConstraints + nPublic + 1;
  let p = 0;
  while (2 ** p < need) p++;
  return p;
}

/**
 * Writes a Groth16 proving key for `r1csPath` to `zkeyPath`.
 * @example await devSetup("circuit.r1cs", ".zkmips/keys/x.zkey")
 */
export async function devSetup(
  r1csPath: string,
  zkeyPath: string,
  opts: DevSetupOptions = {},
): Promise<DevSetupStats> {
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string): void => {
    const t = performance.now();
    timings[name] = (t - t0) / 1000;
    t0 = t;
  };
  const progress = opts.onProgress ?? (() => {});

  const r1cs = R1csFile.read(r1csPath);
  const { nWires: nVars, nPublic, nConstraints } = r1cs.header;
  if (nConstraints === 0) throw new ZkmipsError(`${r1csPath}: circuit has no constraints`);
  const power = domainPower(nConstraints, nPublic);
  if (power + 1 > TWO_ADICITY) {
    throw new ZkmipsError(
      `${r1csPath}: ${nConstraints} constraints exceed BN254's FFT domain (2^${TWO_ADICITY - 1})`,
    );
  }
  const n = 2 ** power;

  // Toxic waste. tau must avoid both evaluation domains (probability ~2^-232 otherwise).
  let tau: bigint;
  do tau = randomNonZero();
  while (pow(tau, BigInt(2 * n)) === 1n);
  const alpha = randomNonZero();
  const beta = randomNonZero();
  const gamma = randomNonZero();
  const delta = randomNonZero();

  // Lagrange basis of the n-domain at tau: L_i = (tau^n - 1)/n · w^i / (tau - w^i).
  progress("lagrange", 0, 2);
  const w = rootOfUnity(power);
  const lag = new Array<bigint>(n);
  {
    let x = 1n;
    const xs = new Array<bigint>(n);
    for (let i = 0; i < n; i++) {
      xs[i] = x;
      lag[i] = tau - x + R;
      x = (x * w) % R;
    }
    batchInvert(lag);
    const k = ((pow(tau, BigInt(n)) - 1n + R) * inv(BigInt(n))) % R;
    for (let i = 0; i < n; i++) lag[i] = (((k * xs[i]!) % R) * lag[i]!) % R;
  }
  progress("lagrange", 1, 2);
  lap("lagrange");

  // One pass over the terms: QAP polynomials at tau per wire, and the coefficient section.
  progress("constraints", 0, nConstraints);
  const a = new Array<bigint>(nVars).fill(0n);
  const b = new Array<bigint>(nVars).fill(0n);
  const c = new Array<bigint>(nVars).fill(0n);
  let nCoefs = nPublic + 1;
  r1cs.forEachTerm((m) => {
    if (m !== 2) nCoefs++;
  });
  const coefs = new Uint8Array(4 + nCoefs * 44);
  const cv = new DataView(coefs.buffer);
  cv.setUint32(0, nCoefs, true);
  let cp = 4;
  const bytes = r1cs.bytes;
  const fv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const acc = [a, b, c];
  r1cs.forEachTerm((m, row, wire, off) => {
    const coef =
      fv.getBigUint64(off, true) |
      (fv.getBigUint64(off + 8, true) << 64n) |
      (fv.getBigUint64(off + 16, true) << 128n) |
      (fv.getBigUint64(off + 24, true) << 192n);
    // Lazy: sums of products < r^2 grow by one bit per doubling of a wire's uses; reduced below.
    acc[m]![wire]! += coef * lag[row]!;
    if (m !== 2) {
      cv.setUint32(cp, m, true);
      cv.setUint32(cp + 4, row, true);
      cv.setUint32(cp + 8, wire, true);
      writeLE(coefs, cp + 12, (coef * MONT_R2) % R);
      cp += 44;
    }
  });
  for (let s = 0; s <= nPublic; s++) {
    a[s]! += lag[nConstraints + s]!;
    cv.setUint32(cp, 0, true);
    cv.setUint32(cp + 4, nConstraints + s, true);
    cv.setUint32(cp + 8, s, true);
    writeLE(coefs, cp + 12, MONT_R2);
    cp += 44;
  }
  progress("constraints", nConstraints, nConstraints);
  lap("constraints");

  const gammaInv = inv(gamma);
  const deltaInv = inv(delta);
  const ic = new Array<bigint>(nPublic + 1);
  const cPriv = new Array<bigint>(nVars - nPublic - 1);
  for (let s = 0; s < nVars; s++) {
    a[s] = a[s]! % R;
    b[s] = b[s]! % R;
    const k = (beta * a[s]! + alpha * b[s]! + c[s]!) % R;
    if (s <= nPublic) ic[s] = (k * gammaInv) % R;
    else cPriv[s - nPublic - 1] = (k * deltaInv) % R;
  }
  lag.length = 0;
  c.length = 0;

  // H_j = L^(2n)_(2j+1)(tau) / delta = (tau^2n - 1)/(2n·delta) · x_j / (tau - x_j), x_j = w2^(2j+1).
  const w2 = rootOfUnity(power + 1);
  const w2sq = (w2 * w2) % R;
  const h = new Array<bigint>(n);
  {
    const xs = new Array<bigint>(n);
    let x = w2;
    for (let j = 0; j < n; j++) {
      xs[j] = x;
      h[j] = tau - x + R;
      x = (x * w2sq) % R;
    }
    batchInvert(h);
    const k = ((((pow(tau, BigInt(2 * n)) - 1n + R) * inv(BigInt(2 * n))) % R) * deltaInv) % R;
    for (let j = 0; j < n; j++) h[j] = (((k * xs[j]!) % R) * h[j]!) % R;
  }
  lap("scalars");

  const g1Points = 2 * nVars + n + 3;
  const g2Points = nVars + 3;
  const threads = g1Points + 3 * g2Points < 1 << 12 ? 1 : (opts.threads ?? os.availableParallelism());
  const pool = await FixedBasePool.create(threads, {
    1: bestWindow(g1Points / threads),
    2: bestWindow(g2Points / threads),
  });
  let sections: Map<number, Uint8Array>;
  let vk: Uint8Array[];
  try {
    const jobs: [number, Group, bigint[], string][] = [
      [5, 1, a, "A"],
      [6, 1, b, "B1"],
      [7, 2, b, "B2"],
      [8, 1, cPriv, "C"],
      [3, 1, ic, "IC"],
      [9, 1, h, "H"],
    ];
    const total = jobs.reduce((s, j) => s + j[2].length * (j[1] === 2 ? 3 : 1), 0);
    let done = 0;
    progress("points", 0, total);
    sections = new Map();
    for (const [id, group, scalars, _name] of jobs) {
      sections.set(id, await pool.mul(group, scalarsToLE(scalars)));
      done += scalars.length * (group === 2 ? 3 : 1);
      progress("points", done, total);
    }
    const vk1 = await pool.mul(1, scalarsToLE([alpha, beta, delta]));
    const vk2 = await pool.mul(2, scalarsToLE([beta, gamma, delta]));
    vk = [
      vk1.subarray(0, 64),
      vk1.subarray(64, 128),
      vk2.subarray(0, 128),
      vk2.subarray(128, 256),
      vk1.subarray(128, 192),
      vk2.subarray(256, 384),
    ];
  } finally {
    await pool.close();
  }
  lap("points");

  const out = new BinFileWriter(zkeyPath, "zkey", 1, 10);
  out.begin(1);
  out.u32(1); // Groth16
  out.end();
  out.begin(2);
  const q = new Uint8Array(32);
  const r = new Uint8Array(32);
  writeLE(q, 0, Q);
  writeLE(r, 0, R);
  out.u32(32);
  out.write(q);
  out.u32(32);
  out.write(r);
  out.u32(nVars);
  out.u32(nPublic);
  out.u32(n);
  for (const p of vk) out.write(p); // alpha1, beta1, beta2, gamma2, delta1, delta2
  out.end();
  for (const id of [3]) {
    out.begin(id);
    out.write(sections.get(id)!);
    out.end();
  }
  out.begin(4);
  out.write(coefs);
  out.end();
  for (const id of [5, 6, 7, 8, 9]) {
    out.begin(id);
    out.write(sections.get(id)!);
    out.end();
  }
  out.begin(10);
  out.write(blake2b512(r1cs.bytes));
  out.u32(0);
  out.end();
  out.close();
  lap("write");

  return {
    nConstraints,
    nPublic,
    nVars,
    domainSize: n,
    g1Points,
    g2Points,
    timings,
  };
}

/** blake2b-512 of `bytes`, fed in 1 GiB pieces: Hash.update rejects inputs of 2 GiB and more (a 3.9M-constraint .r1cs is ~2.3 GB). */
function blake2b512(bytes: Uint8Array): Uint8Array {
  const h = createHash("blake2b512");
  const piece = 1 << 30;
  for (let i = 0; i < bytes.length; i += piece)
    h.update(bytes.subarray(i, Math.min(bytes.length, i + piece)));
  return h.digest();
}
