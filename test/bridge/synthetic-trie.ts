/**
 * A hand-built state for the storage-proof guest: one account whose storage trie holds slot 0
 * in a hashed leaf and slot 1 behind an extension node and a branch, in a leaf short enough
 * (< 32 bytes) to be embedded in its parent — shapes that real small Hardhat tries rarely have.
 */
import { encodeRlp, getBytes, keccak256, toBeHex, zeroPadValue, concat, hexlify } from "ethers";

type Nibbles = number[];

export function nibblesOf(hex: string): Nibbles {
  return [...hex.slice(2)].map((c) => parseInt(c, 16));
}

/** Hex-prefix encoding of a path (leaf or extension). */
export function hp(path: Nibbles, leaf: boolean): string {
  const odd = path.length % 2 === 1;
  const flag = (leaf ? 2 : 0) + (odd ? 1 : 0);
  const all = odd ? [flag, ...path] : [flag, 0, ...path];
  const bytes = new Uint8Array(all.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (all[2 * i] << 4) | all[2 * i + 1];
  return hexlify(bytes);
}

function branch(children: Record<number, string | string[]>): string {
  const items: (string | string[])[] = [];
  for (let i = 0; i < 16; i++) items.push(children[i] ?? "0x");
  items.push("0x");
  return encodeRlp(items);
}

export interface SyntheticState {
  stateRoot: string;
  accountProof: string[];
  slotProofs: [string[], string[]];
  /** Length of the embedded slot-1 leaf's RLP (must be < 32). */
  embeddedLeafLength: number;
}

/** Builds the tries for `outbox` with slot 0 = `acc` and slot 1 = `count`. */
export function syntheticState(outbox: string, acc: string, count: bigint): SyntheticState {
  const k0 = nibblesOf(keccak256(zeroPadValue("0x00", 32)));
  const k1 = nibblesOf(keccak256(zeroPadValue("0x01", 32)));
  if (k0[0] === k1[0]) throw new Error("slot keys share a first nibble");
  const leaf0 = encodeRlp([hp(k0.slice(1), true), encodeRlp(acc)]);
  // slot 1: root branch (nibble 0) -> extension (nibbles 1..8) -> branch (nibble 9) -> embedded leaf
  const leaf1Items = [hp(k1.slice(10), true), encodeRlp(toBeHex(count))];
  const leaf1 = encodeRlp(leaf1Items);
  const inner = branch({ [k1[9]]: leaf1Items, [(k1[9] + 1) % 16]: keccak256("0x01") });
  const ext = encodeRlp([hp(k1.slice(1, 9), false), keccak256(inner)]);
  const root = branch({ [k0[0]]: keccak256(leaf0), [k1[0]]: keccak256(ext) });
  const storageRoot = keccak256(root);
  const account = encodeRlp(["0x01", "0x", storageRoot, keccak256("0x")]);
  const accLeaf = encodeRlp([hp(nibblesOf(keccak256(outbox)), true), account]);
  return {
    stateRoot: keccak256(accLeaf),
    accountProof: [accLeaf],
    slotProofs: [
      [root, leaf0],
      [root, ext, inner],
    ],
    embeddedLeafLength: getBytes(leaf1).length,
  };
}

/** A minimal header RLP (15 fields) with the given state root and number. */
export function syntheticHeader(stateRoot: string, number: bigint): Uint8Array {
  const z32 = zeroPadValue("0x", 32);
  return getBytes(
    encodeRlp([
      z32,
      z32,
      zeroPadValue("0x", 20),
      stateRoot,
      z32,
      z32,
      hexlify(new Uint8Array(256)),
      "0x",
      toBeHex(number),
      "0x01",
      "0x",
      "0x01",
      "0x",
      z32,
      concat([new Uint8Array(8)]),
    ]),
  );
}
