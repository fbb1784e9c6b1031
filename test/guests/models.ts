/**
 * TypeScript reference models of the C guests (independent of qemu and of the executor):
 * the expected public values for a given input, and input encoders for the binary formats
 * documented in docs/guests.md.
 */
import { createHash } from "node:crypto";
import { keccak_256 } from "@noble/hashes/sha3.js";

const u32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};
const u64 = (v: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt.asUintN(64, v));
  return b;
};
const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};

export const encodeU32 = u32;
export const encodeU64 = u64;

/** fibonacci: public values = u32 n || u64 fib(n) mod 2^64. */
export function fibonacciModel(n: number): { publicValues: Buffer; stdout: string } {
  let a = 0n;
  let b = 1n;
  for (let i = 0; i < n; i++) [a, b] = [b, BigInt.asUintN(64, a + b)];
  return { publicValues: Buffer.concat([u32(n), u64(a)]), stdout: `fib(${n}) = ${a}\n` };
}

export function sha256Model(input: Uint8Array): { publicValues: Buffer; stdout: string } {
  const d = sha256(input);
  return { publicValues: d, stdout: `${d.toString("hex")}\n` };
}

export function keccakModel(input: Uint8Array): { publicValues: Buffer; stdout: string } {
  const d = Buffer.from(keccak_256(input));
  return { publicValues: d, stdout: `${d.toString("hex")}\n` };
}

/** bigloop: xorshift32 checksum, public values = u32 iterations || u32 checksum. */
export function bigloopModel(iterations: number): { publicValues: Buffer; stdout: string } {
  let x = 0x9e3779b9;
  let sum = 0;
  for (let i = 0; i < iterations; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    sum = Math.imul((sum + ((x ^ i) >>> 0)) >>> 0, 0x01000193) >>> 0;
  }
  const hex = sum.toString(16).padStart(8, "0");
  return {
    publicValues: Buffer.concat([u32(iterations), u32(sum)]),
    stdout: `bigloop(${iterations}) checksum ${hex}\n`,
  };
}

/** isqrt: public values = u64 n || u32 floor(sqrt(n)). */
export function isqrtModel(n: bigint): { root: number; publicValues: Buffer; stdout: string } {
  let r = BigInt(Math.floor(Math.sqrt(Number(n))));
  while (r * r > n) r--;
  while ((r + 1n) * (r + 1n) <= n) r++;
  return {
    root: Number(r),
    publicValues: Buffer.concat([u64(n), u32(Number(r))]),
    stdout: `isqrt(${n}) = ${r}\n`,
  };
}

export interface Transfer {
  from: number;
  to: number;
  amount: bigint;
}

/** state-transition input: u32 count, u64 balances, u32 count, {u32 from, u32 to, u64 amount}. */
export function encodeStateTransition(balances: bigint[], transfers: Transfer[]): Buffer {
  return Buffer.concat([
    u32(balances.length),
    ...balances.map(u64),
    u32(transfers.length),
    ...transfers.flatMap((t) => [u32(t.from), u32(t.to), u64(t.amount)]),
  ]);
}

/** Merkle root: leaf = sha256(0x00 || u32 i || u64 bal), zero-padded to 2^k, node = sha256(0x01 || l || r). */
export function balanceRoot(balances: bigint[]): Buffer {
  let width = 1;
  while (width < balances.length) width *= 2;
  let level: Buffer[] = [];
  for (let i = 0; i < width; i++) {
    level.push(i < balances.length ? sha256(Buffer.of(0), u32(i), u64(balances[i])) : Buffer.alloc(32));
  }
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(sha256(Buffer.of(1), level[i], level[i + 1]));
    level = next;
  }
  return level[0];
}

export function stateTransitionModel(
  balances: bigint[],
  transfers: Transfer[],
): { publicValues: Buffer; stdout: string; applied: number; rejected: number } {
  const max = (1n << 64n) - 1n;
  const after = [...balances];
  let applied = 0;
  let rejected = 0;
  for (const t of transfers) {
    const ok =
      t.from < after.length &&
      t.to < after.length &&
      t.amount <= after[t.from] &&
      (t.from === t.to || after[t.to] + t.amount <= max);
    if (!ok) {
      rejected++;
      continue;
    }
    after[t.from] -= t.amount;
    after[t.to] += t.amount;
    applied++;
  }
  const oldRoot = balanceRoot(balances);
  const newRoot = balanceRoot(after);
  return {
    publicValues: Buffer.concat([oldRoot, newRoot, u32(balances.length), u32(applied), u32(rejected)]),
    stdout:
      `old root ${oldRoot.toString("hex")}\nnew root ${newRoot.toString("hex")}\n` +
      `accounts ${balances.length} applied ${applied} rejected ${rejected}\n`,
    applied,
    rejected,
  };
}

/** selftest: the exact stdout and public values of guests/selftest (see its header comment). */
export function selftestModel(): { publicValues: Buffer; stdout: string } {
  const values = [
    0n,
    1n,
    7n,
    10n,
    0xffffffffn,
    0x100000000n,
    1000000007n,
    0x123456789abcdef0n,
    0x8000000000000000n,
    0x7fffffffffffffffn,
    0xffffffffffffffffn,
    0xfffffffffffffff9n,
  ];
  const h64 = (v: bigint) => BigInt.asUintN(64, v).toString(16).padStart(16, "0") + " ";
  const h32 = (v: number) => (v >>> 0).toString(16).padStart(8, "0");
  const lines: string[] = [];
  for (const a of values) {
    for (const b of values) {
      const sa = BigInt.asIntN(64, a);
      const sb = BigInt.asIntN(64, b);
      const s = b & 63n;
      let line = "";
      if (b === 0n) line += "- - - - ";
      else {
        line += h64(a / b) + h64(a % b);
        line += sa === -(1n << 63n) && sb === -1n ? "- - " : h64(sa / sb) + h64(sa % sb);
      }
      line += h64(a * b) + h64(a << s) + h64(a >> s) + h64(sa >> s);
      lines.push(line);
    }
  }
  const words = [0, 1, -1, 7, -7, 3, -3, 0x7fffffff, -0x80000000, 1000, -1000];
  for (const a of words) {
    for (const b of words) {
      let line = "";
      if (b === 0 || (a === -0x80000000 && b === -1)) line += "- - ";
      else line += `${h32(Math.trunc(a / b))} ${h32(a % b)} `;
      if (b === 0) line += "- -";
      else line += `${h32(Math.floor((a >>> 0) / (b >>> 0)))} ${h32((a >>> 0) % (b >>> 0))}`;
      lines.push(line);
    }
  }
  const buf = Buffer.from(Array.from({ length: 39 }, (_, i) => 65 + (i % 26)));
  buf.copyWithin(3, 0, 10);
  lines.push(buf.toString("latin1"));
  buf.copyWithin(0, 5, 22);
  lines.push(buf.toString("latin1"));
  buf.fill("*", 1, 7);
  buf.fill("#", 13, 22);
  lines.push(buf.toString("latin1"));
  buf.write("0123456789abcdef", 20, "latin1");
  lines.push(buf.toString("latin1"));
  lines.push([-1, 1, 0, 1].map(h32).join(" "));
  let sum = 0;
  for (let i = 0; i < 100000; i++) sum = (Math.imul(sum, 31) + (i < 10 ? i * i : i * 3)) >>> 0;
  for (let i = 0; i < 5; i++) sum = (Math.imul(sum, 31) + 0x5a) >>> 0;
  lines.push(h32(sum));
  const count = lines.length + 1;
  return {
    publicValues: u32(count),
    stdout: lines.map((l) => l + "\n").join("") + `lines ${count}\n`,
  };
}
