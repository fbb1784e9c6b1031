/**
 * Minimal Merkle-Patricia-trie proof check for tests (what the storage-proof guest does in C):
 * walks `eth_getProof` nodes from a root along keccak256(key) and returns the RLP value at
 * the end, or null when the proof shows the key is absent. Throws on an inconsistent proof.
 */
import { decodeRlp, getBytes, hexlify, keccak256, type RlpStructuredData } from "ethers";

function nibbles(hex: string): number[] {
  return [...hex.slice(2)].map((c) => parseInt(c, 16));
}

/** Hex-prefix decoding of a leaf/extension path: [isLeaf, nibbles]. */
function hpDecode(path: string): [boolean, number[]] {
  const n = nibbles(path);
  const flag = n[0];
  return [(flag & 2) !== 0, n.slice(flag & 1 ? 1 : 2)];
}

export function verifyMptProof(root: string, key: string, proof: readonly string[]): string | null {
  const path = nibbles(keccak256(key));
  let pos = 0;
  let expected: string | RlpStructuredData = root;
  for (let i = 0; ; i++) {
    let node: RlpStructuredData;
    if (typeof expected === "string") {
      if (i >= proof.length) throw new Error("proof ended early");
      if (keccak256(proof[i]) !== expected) throw new Error(`node ${i} does not hash to its reference`);
      node = decodeRlp(proof[i]);
    } else {
      node = expected; // node embedded in its parent (shorter than 32 bytes)
      i--;
    }
    if (!Array.isArray(node)) throw new Error("trie node is not a list");
    if (node.length === 17) {
      if (pos === path.length) return (node[16] as string) === "0x" ? null : (node[16] as string);
      const child: RlpStructuredData = node[path[pos++]];
      if (child === "0x") return null;
      expected = child;
    } else if (node.length === 2) {
      const [leaf, rest] = hpDecode(node[0] as string);
      const here = path.slice(pos, pos + rest.length);
      if (here.length !== rest.length || here.some((v, j) => v !== rest[j])) return null;
      pos += rest.length;
      if (leaf) return pos === path.length ? (node[1] as string) : null;
      expected = node[1];
    } else {
      throw new Error(`trie node has ${node.length} items`);
    }
    if (typeof expected === "string" && getBytes(expected).length !== 32) {
      throw new Error(`bad child reference ${hexlify(expected)}`);
    }
  }
}
