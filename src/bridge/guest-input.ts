/**
 * Input of the storage-proof guest (guests/storage-proof/main.c, "ZKSP" version 1): collects the
 * witness from a source-chain node (block header, eth_getProof of the outbox's slots 0 and 1,
 * the new messages), encodes it in the guest's binary format and computes the public values the
 * guest must commit (the TypeScript twin of its checks). docs/bridge.md describes the format.
 */
import { AbiCoder, getAddress, getBytes, id, toBeHex, zeroPadValue, type Provider } from "ethers";
import { ZkmipsError } from "../errors.ts";
import { headerRlp, type RpcBlock } from "./header.ts";
import {
  OUTBOX_ACCUMULATOR_SLOT,
  OUTBOX_COUNT_SLOT,
  chainAccumulator,
  messageHash,
  messagesRoot,
  type BridgeMessage,
  type Hex32,
  type StateUpdate,
} from "./public-values.ts";

/** Anything with a JSON-RPC `send` (ethers JsonRpcProvider, Hardhat's ethers provider). */
export interface RpcSender {
  send(method: string, params: unknown[]): Promise<unknown>;
}

/** The outbox state an update extends (what StateInbox holds). */
export interface PrevState {
  blockNumber: bigint;
  accumulator: Hex32;
  count: bigint;
}

/** Everything the guest reads. */
export interface StorageProofWitness {
  sourceChainId: bigint;
  destChainId: bigint;
  outbox: string;
  prev: PrevState;
  blockNumber: bigint;
  blockHash: Hex32;
  header: Uint8Array;
  accountProof: string[];
  /** Storage proofs of slot 0 (accumulator) and slot 1 (count). */
  slotProofs: [string[], string[]];
  /** Values eth_getProof reported (the guest re-derives them from the proofs). */
  slotValues: [Hex32, bigint];
  /** Messages prev.count .. newCount-1 in nonce order. */
  messages: BridgeMessage[];
}

const MAGIC = new TextEncoder().encode("ZKSP");
const coder = AbiCoder.defaultAbiCoder();

interface GetProofResult {
  accountProof: string[];
  storageProof: { key: string; value: string; proof: string[] }[];
}

function slotKey(slot: bigint): string {
  return zeroPadValue(toBeHex(slot), 32);
}

function word(v: bigint | string): Uint8Array {
  return getBytes(zeroPadValue(typeof v === "bigint" ? toBeHex(v) : v, 32));
}

/** Binary writer: words, raw bytes, u32 little-endian lengths. */
class Writer {
  private parts: Uint8Array[] = [];
  raw(b: Uint8Array): this {
    this.parts.push(b);
    return this;
  }
  u32(n: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n, true);
    return this.raw(b);
  }
  bytes(b: Uint8Array | string): this {
    const v = getBytes(b);
    return this.u32(v.length).raw(v);
  }
  nodes(list: readonly string[]): this {
    this.u32(list.length);
    for (const n of list) this.bytes(n);
    return this;
  }
  done(): Uint8Array {
    const out = new Uint8Array(this.parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

/** Encodes the witness in the guest's input format. */
export function encodeGuestInput(w: StorageProofWitness): Uint8Array {
  const wr = new Writer()
    .raw(MAGIC)
    .u32(1)
    .raw(word(w.sourceChainId))
    .raw(word(w.destChainId))
    .raw(getBytes(getAddress(w.outbox)))
    .raw(word(w.prev.blockNumber))
    .raw(word(w.prev.accumulator))
    .raw(word(w.prev.count))
    .raw(word(w.blockHash))
    .bytes(w.header)
    .nodes(w.accountProof)
    .nodes(w.slotProofs[0])
    .nodes(w.slotProofs[1])
    .u32(w.messages.length);
  for (const m of w.messages) {
    wr.raw(word(m.destChainId))
      .raw(getBytes(getAddress(m.sender)))
      .raw(getBytes(getAddress(m.target)))
      .bytes(m.payload);
  }
  return wr.done();
}

/** The public values the guest must commit for this witness (computed in TypeScript). */
export function expectedUpdate(w: StorageProofWitness): StateUpdate {
  let acc = w.prev.accumulator;
  const hashes: Hex32[] = [];
  for (const m of w.messages) {
    const h = messageHash(m);
    hashes.push(h);
    acc = chainAccumulator(acc, h);
  }
  return {
    sourceChainId: w.sourceChainId,
    destChainId: w.destChainId,
    sourceOutbox: getAddress(w.outbox),
    prevBlockNumber: w.prev.blockNumber,
    prevAccumulator: w.prev.accumulator,
    prevCount: w.prev.count,
    blockNumber: w.blockNumber,
    blockHash: w.blockHash,
    newAccumulator: acc,
    newCount: w.prev.count + BigInt(w.messages.length),
    messagesRoot: messagesRoot(hashes),
  };
}

const MESSAGE_SENT_TOPIC = id("MessageSent(uint256,uint256,address,address,bytes,bytes32,bytes32)");

/** MessageSent logs of `outbox` in [fromBlock, toBlock] with nonce in [fromNonce, toNonce). */
export async function fetchMessages(
  provider: Provider,
  outbox: string,
  sourceChainId: bigint,
  fromBlock: bigint,
  toBlock: bigint,
  fromNonce: bigint,
  toNonce: bigint,
): Promise<BridgeMessage[]> {
  const logs = await provider.getLogs({
    address: outbox,
    topics: [MESSAGE_SENT_TOPIC],
    fromBlock: Number(fromBlock),
    toBlock: Number(toBlock),
  });
  const byNonce = new Map<bigint, BridgeMessage>();
  for (const log of logs) {
    const nonce = BigInt(log.topics[1]);
    if (nonce < fromNonce || nonce >= toNonce) continue;
    const [target, payload] = coder.decode(
      ["address", "bytes", "bytes32", "bytes32"],
      log.data,
    ) as unknown as [string, string];
    byNonce.set(nonce, {
      nonce,
      sourceChainId,
      destChainId: BigInt(log.topics[2]),
      sender: getAddress("0x" + log.topics[3].slice(26)),
      target: getAddress(target),
      payload,
    });
  }
  const out: BridgeMessage[] = [];
  for (let n = fromNonce; n < toNonce; n++) {
    const m = byNonce.get(n);
    if (m === undefined) {
      throw new ZkmipsError(
        `source chain: MessageSent for nonce ${n} not found in blocks ${fromBlock}..${toBlock} of ${outbox}`,
        "the node may have pruned logs or reorged; retry later",
      );
    }
    out.push(m);
  }
  return out;
}

/**
 * Collects the witness of the update from `prev` to the outbox state at `blockNumber` from a
 * source-chain node (`provider` must be a JSON-RPC provider).
 */
export async function collectWitness(
  provider: Provider & RpcSender,
  opts: { outbox: string; destChainId: bigint; prev: PrevState; blockNumber: bigint },
): Promise<StorageProofWitness> {
  const sourceChainId = (await provider.getNetwork()).chainId;
  const tag = toBeHex(opts.blockNumber);
  const block = (await provider.send("eth_getBlockByNumber", [tag, false])) as RpcBlock | null;
  if (block === null) throw new ZkmipsError(`source chain has no block ${opts.blockNumber}`);
  const header = headerRlp(block);
  const keys = [slotKey(OUTBOX_ACCUMULATOR_SLOT), slotKey(OUTBOX_COUNT_SLOT)];
  const proof = (await provider.send("eth_getProof", [opts.outbox, keys, tag])) as GetProofResult;
  const acc = zeroPadValue(toBeHex(BigInt(proof.storageProof[0].value)), 32);
  const count = BigInt(proof.storageProof[1].value);
  if (count < opts.prev.count) {
    throw new ZkmipsError(
      `outbox count ${count} at block ${opts.blockNumber} is below the inbox's ${opts.prev.count}`,
      "the inbox and the source chain disagree: check --source-rpc and the deployment file",
    );
  }
  const messages = await fetchMessages(
    provider,
    opts.outbox,
    sourceChainId,
    opts.prev.blockNumber + 1n,
    opts.blockNumber,
    opts.prev.count,
    count,
  );
  return {
    sourceChainId,
    destChainId: opts.destChainId,
    outbox: getAddress(opts.outbox),
    prev: opts.prev,
    blockNumber: opts.blockNumber,
    blockHash: block.hash,
    header,
    accountProof: proof.accountProof,
    slotProofs: [proof.storageProof[0].proof, proof.storageProof[1].proof],
    slotValues: [acc, count],
    messages,
  };
}
