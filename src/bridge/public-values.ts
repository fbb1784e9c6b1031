/**
 * The bridge's wire formats, shared by the storage-proof guest, the relayer and the contracts
 * (Solidity twins: contracts/bridge/StatePublicValues.sol, contracts/bridge/BridgeMessages.sol):
 * - the public values of a state update (twelve 32-byte big-endian words, version 1),
 * - the message hash, the outbox accumulator chain and its storage slots,
 * - the Merkle tree over the message hashes of one update (root and inclusion proofs).
 * docs/contracts.md describes each format byte by byte.
 */
import { AbiCoder, getAddress, getBytes, hexlify, isHexString, keccak256, concat } from "ethers";
import { ZkmipsError } from "../errors.ts";

export const PUBLIC_VALUES_VERSION = 1n;
export const PUBLIC_VALUES_WORDS = 12;
export const PUBLIC_VALUES_LENGTH = PUBLIC_VALUES_WORDS * 32;
/** MessageOutbox storage slot of the accumulator (prove with eth_getProof). */
export const OUTBOX_ACCUMULATOR_SLOT = 0n;
/** MessageOutbox storage slot of the message count. */
export const OUTBOX_COUNT_SLOT = 1n;
export const ZERO_HASH = "0x" + "00".repeat(32);

/** A 0x-prefixed 32-byte hex string. */
export type Hex32 = string;

/** One state update of a source MessageOutbox, as the guest proves it and StateInbox checks it. */
export interface StateUpdate {
  sourceChainId: bigint;
  destChainId: bigint;
  /** MessageOutbox address on the source chain. */
  sourceOutbox: string;
  prevBlockNumber: bigint;
  prevAccumulator: Hex32;
  prevCount: bigint;
  blockNumber: bigint;
  blockHash: Hex32;
  newAccumulator: Hex32;
  newCount: bigint;
  /** Merkle root of the messages prevCount..newCount-1 (ZERO_HASH when there are none). */
  messagesRoot: Hex32;
}

/** A bridge message, exactly as MessageOutbox recorded it. */
export interface BridgeMessage {
  nonce: bigint;
  sourceChainId: bigint;
  destChainId: bigint;
  sender: string;
  target: string;
  payload: Uint8Array | string;
}

const UINT256_MAX = (1n << 256n) - 1n;
const coder = AbiCoder.defaultAbiCoder();

function checkUint(name: string, v: bigint): void {
  if (typeof v !== "bigint" || v < 0n || v > UINT256_MAX) {
    throw new ZkmipsError(`state update field ${name} must be a uint256, got ${String(v)}`);
  }
}

function checkHash(name: string, v: string): void {
  if (!isHexString(v, 32))
    throw new ZkmipsError(`state update field ${name} must be 32 bytes of hex, got ${v}`);
}

function checkAddress(name: string, v: string): string {
  try {
    return getAddress(v);
  } catch {
    throw new ZkmipsError(`${name} must be an address, got ${v}`);
  }
}

/**
 * Encodes the public values of a state update (384 bytes).
 * @example encodeStatePublicValues({ sourceChainId: 31337n, destChainId: 31338n, ... })
 */
export function encodeStatePublicValues(u: StateUpdate): Uint8Array {
  for (const k of [
    "sourceChainId",
    "destChainId",
    "prevBlockNumber",
    "prevCount",
    "blockNumber",
    "newCount",
  ] as const) {
    checkUint(k, u[k]);
  }
  for (const k of ["prevAccumulator", "blockHash", "newAccumulator", "messagesRoot"] as const)
    checkHash(k, u[k]);
  const outbox = checkAddress("sourceOutbox", u.sourceOutbox);
  return getBytes(
    coder.encode(
      [
        "uint256",
        "uint256",
        "uint256",
        "address",
        "uint256",
        "bytes32",
        "uint256",
        "uint256",
        "bytes32",
        "bytes32",
        "uint256",
        "bytes32",
      ],
      [
        PUBLIC_VALUES_VERSION,
        u.sourceChainId,
        u.destChainId,
        outbox,
        u.prevBlockNumber,
        u.prevAccumulator,
        u.prevCount,
        u.blockNumber,
        u.blockHash,
        u.newAccumulator,
        u.newCount,
        u.messagesRoot,
      ],
    ),
  );
}

/** Decodes public values written by the storage-proof guest; throws ZkmipsError when malformed. */
export function decodeStatePublicValues(bytes: Uint8Array): StateUpdate {
  if (bytes.length !== PUBLIC_VALUES_LENGTH) {
    throw new ZkmipsError(
      `state-update public values must be ${PUBLIC_VALUES_LENGTH} bytes, got ${bytes.length}`,
      "were they written by the storage-proof guest?",
    );
  }
  const word = (i: number): string => hexlify(bytes.subarray(i * 32, i * 32 + 32));
  const uint = (i: number): bigint => BigInt(word(i));
  const version = uint(0);
  if (version !== PUBLIC_VALUES_VERSION) {
    throw new ZkmipsError(`unsupported state-update public values version ${version} (expected 1)`);
  }
  const outboxWord = uint(3);
  if (outboxWord >> 160n !== 0n)
    throw new ZkmipsError("state-update public values: word 3 is not an address");
  return {
    sourceChainId: uint(1),
    destChainId: uint(2),
    sourceOutbox: getAddress("0x" + outboxWord.toString(16).padStart(40, "0")),
    prevBlockNumber: uint(4),
    prevAccumulator: word(5),
    prevCount: uint(6),
    blockNumber: uint(7),
    blockHash: word(8),
    newAccumulator: word(9),
    newCount: uint(10),
    messagesRoot: word(11),
  };
}

/** keccak256(abi.encode(nonce, sourceChainId, destChainId, sender, target, payload)). */
export function messageHash(m: BridgeMessage): Hex32 {
  return keccak256(
    coder.encode(
      ["uint256", "uint256", "uint256", "address", "address", "bytes"],
      [
        m.nonce,
        m.sourceChainId,
        m.destChainId,
        checkAddress("sender", m.sender),
        checkAddress("target", m.target),
        m.payload,
      ],
    ),
  );
}

/** One step of the outbox hash chain: keccak256(abi.encode(accumulator, messageHash)). */
export function chainAccumulator(accumulator: Hex32, hash: Hex32): Hex32 {
  return keccak256(coder.encode(["bytes32", "bytes32"], [accumulator, hash]));
}

/** Depth of the messages tree of `count` leaves: ceil(log2(count)) (0 for one leaf). */
export function treeDepth(count: number): number {
  let depth = 0;
  while (2 ** depth < count) depth++;
  return depth;
}

function hashPair(left: string, right: string): string {
  return keccak256(concat([left, right]));
}

/** All levels of the tree, leaves first, each padded with ZERO_HASH to an even length. */
function levels(leaves: readonly Hex32[]): string[][] {
  const depth = treeDepth(leaves.length);
  const out: string[][] = [];
  let level = [...leaves];
  while (level.length < 2 ** depth) level.push(ZERO_HASH);
  out.push(level);
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(hashPair(level[i], level[i + 1]));
    level = next;
    out.push(level);
  }
  return out;
}

/**
 * Merkle root over message hashes in nonce order: leaves padded with ZERO_HASH to the next
 * power of two, node = keccak256(left || right), one leaf = its own root; ZERO_HASH when empty.
 */
export function messagesRoot(hashes: readonly Hex32[]): Hex32 {
  if (hashes.length === 0) return ZERO_HASH;
  hashes.forEach((h, i) => checkHash(`message hash ${i}`, h));
  const all = levels(hashes);
  return all[all.length - 1][0];
}

/** Siblings from leaf `index` up to the root, as StateInbox.executeMessage takes them. */
export function messagesProof(hashes: readonly Hex32[], index: number): Hex32[] {
  if (!Number.isInteger(index) || index < 0 || index >= hashes.length) {
    throw new ZkmipsError(`message index ${index} is outside the update (${hashes.length} messages)`);
  }
  const all = levels(hashes);
  const proof: string[] = [];
  let i = index;
  for (let d = 0; d < all.length - 1; d++) {
    proof.push(all[d][i ^ 1]);
    i >>= 1;
  }
  return proof;
}

/** EIP-712 types of a CommitteeBlockHashOracle attestation (for `signer.signTypedData`). */
export const COMMITTEE_ATTESTATION_TYPES: Record<string, { name: string; type: string }[]> = {
  BlockHashAttestation: [
    { name: "chainId", type: "uint256" },
    { name: "blockNumber", type: "uint256" },
    { name: "blockHash", type: "bytes32" },
  ],
};

/**
 * EIP-712 domain of the CommitteeBlockHashOracle at `oracle` on chain `oracleChainId` (the
 * destination chain, where the oracle lives; the attested chain id is in the message).
 * @example signer.signTypedData(committeeDomain(31338n, oracle), COMMITTEE_ATTESTATION_TYPES,
 *   { chainId: 31337n, blockNumber, blockHash })
 */
export function committeeDomain(
  oracleChainId: bigint,
  oracle: string,
): { name: string; version: string; chainId: bigint; verifyingContract: string } {
  return {
    name: "zkmips CommitteeBlockHashOracle",
    version: "1",
    chainId: oracleChainId,
    verifyingContract: checkAddress("oracle", oracle),
  };
}
