/**
 * Block header RLP from an `eth_getBlockByNumber` result: the exact bytes whose keccak256 is the
 * block hash (what the storage-proof guest hashes). Covers pre-London up to Prague headers:
 * optional trailing fields are included when the node reports them.
 */
import { encodeRlp, getBytes, keccak256, toBeArray } from "ethers";
import { ZkmipsError } from "../errors.ts";

/** The fields of a JSON-RPC block this module reads (all hex strings). */
export interface RpcBlock {
  hash: string;
  number: string;
  stateRoot: string;
  parentHash: string;
  sha3Uncles: string;
  miner: string;
  transactionsRoot: string;
  receiptsRoot: string;
  logsBloom: string;
  difficulty: string;
  gasLimit: string;
  gasUsed: string;
  timestamp: string;
  extraData: string;
  mixHash: string;
  nonce: string;
  baseFeePerGas?: string;
  withdrawalsRoot?: string;
  blobGasUsed?: string;
  excessBlobGas?: string;
  parentBeaconBlockRoot?: string;
  requestsHash?: string;
}

/** Minimal big-endian integer (0 -> empty), as RLP encodes header integers. */
function int(v: string): Uint8Array {
  return toBeArray(BigInt(v));
}

/** Header fields in consensus order; trailing optional fields stop at the first missing one. */
export function headerRlp(block: RpcBlock): Uint8Array {
  const fields: Uint8Array[] = [
    getBytes(block.parentHash),
    getBytes(block.sha3Uncles),
    getBytes(block.miner),
    getBytes(block.stateRoot),
    getBytes(block.transactionsRoot),
    getBytes(block.receiptsRoot),
    getBytes(block.logsBloom),
    int(block.difficulty),
    int(block.number),
    int(block.gasLimit),
    int(block.gasUsed),
    int(block.timestamp),
    getBytes(block.extraData),
    getBytes(block.mixHash),
    getBytes(block.nonce),
  ];
  const optional: [string | undefined, boolean][] = [
    [block.baseFeePerGas, true],
    [block.withdrawalsRoot, false],
    [block.blobGasUsed, true],
    [block.excessBlobGas, true],
    [block.parentBeaconBlockRoot, false],
    [block.requestsHash, false],
  ];
  for (const [v, isInt] of optional) {
    if (v === undefined || v === null) break;
    fields.push(isInt ? int(v) : getBytes(v));
  }
  const rlp = getBytes(encodeRlp(fields));
  if (keccak256(rlp) !== block.hash) {
    throw new ZkmipsError(
      `block ${BigInt(block.number)}: the header rebuilt from eth_getBlockByNumber does not hash to ${block.hash}`,
      "the node reports header fields this relayer does not know; use a supported node",
    );
  }
  return rlp;
}
