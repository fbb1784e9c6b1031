/**
 * Two spawned Hardhat nodes (chains 31337 and 31338) and a fresh bridge stack on them per test:
 * MessageOutbox on the source; MipsMockVerifier, committee oracle (dev account 1), StateInbox
 * and BridgedCounter on the destination. Shared by the relayer and end-to-end tests.
 * With `{ groth16: true }` the inbox points at a MipsVerifierGateway routed (selector
 * STUB_SELECTOR) through MipsVerifierGroth16 to the Groth16VerifierStub TEST DOUBLE, which accepts
 * exactly the proof and public signals last given to its `setExpected` — the real-mode plumbing
 * (260-byte proofBytes, routes) without the cryptography. With `{ groth16Key }` the gateway routes
 * to that key's generated verifier, compiled and deployed by `deployDestination`.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { AbiCoder, Contract, type TransactionResponse } from "ethers";
import { deployDestination, deploySource, type Groth16KeyRef } from "../../src/bridge/deploy.ts";
import { deploy } from "../../src/bridge/artifacts.ts";
import { devWallet, startHardhatNode, type LocalNode } from "../../src/bridge/nodes.ts";
import { ensureArtifacts } from "../../src/bridge/artifacts.ts";
import type { RelayerOptions } from "../../src/bridge/relayer.ts";

export interface Chains {
  src: LocalNode;
  dst: LocalNode;
  stop(): void;
}

export async function startChains(): Promise<Chains> {
  ensureArtifacts();
  const [src, dst] = await Promise.all([startHardhatNode(31337n), startHardhatNode(31338n)]);
  return {
    src,
    dst,
    stop() {
      for (const n of [src, dst]) {
        n.provider.destroy();
        n.stop();
      }
    },
  };
}

export interface Stack {
  outbox: Contract;
  outboxAddr: string;
  inboxAddr: string;
  inbox: Contract;
  counter: Contract;
  /** Sends `increment(by)` messages from the allowed sender; returns the source block numbers. */
  send(...by: number[]): Promise<number[]>;
  /** Relayer options for this stack (fresh temporary database unless given). */
  relayerOptions(extra?: Partial<RelayerOptions>): RelayerOptions;
  dbPath: string;
  programVKey: string;
  /** The destination deployment file (routes, addresses). */
  destFile: import("../../src/bridge/deploy.ts").DeploymentFile;
  /** With { groth16: true }: the Groth16VerifierStub test double behind the gateway. */
  groth16Stub?: Contract;
}

export const STUB_SELECTOR = "0x5e1ec7ed";

export async function deployStack(
  c: Chains,
  opts: { groth16?: boolean; groth16Key?: Groth16KeyRef } = {},
): Promise<Stack> {
  const user = devWallet(2, c.src.provider);
  const source = await deploySource(devWallet(0, c.src.provider));
  const stub = opts.groth16 ? await deploy(devWallet(0, c.dst.provider), "Groth16VerifierStub") : undefined;
  const real = opts.groth16 || opts.groth16Key !== undefined;
  const dest = await deployDestination(devWallet(0, c.dst.provider), {
    sourceChainId: c.src.chainId,
    sourceOutbox: source.outbox.address,
    initialBlockNumber: BigInt(source.outbox.blockNumber),
    programVKey: "0x" + "00".repeat(31) + "01",
    mock: !real,
    groth16: stub ? { verifier: stub.address, selector: STUB_SELECTOR } : opts.groth16Key,
    committee: [devWallet(1).address],
    threshold: 1,
    counterSourceSender: user.address,
  });
  const outbox = source.outbox.contract.connect(user) as Contract;
  const counterAddr = dest.counter!.address;
  const dbPath = path.join(mkdtempSync(path.join(os.tmpdir(), "zkmips-relayer-")), "relayer.sqlite");
  return {
    outbox,
    outboxAddr: source.outbox.address,
    inboxAddr: dest.inbox.address,
    inbox: dest.inbox.contract as Contract,
    counter: dest.counter!.contract as Contract,
    dbPath,
    programVKey: "0x" + "00".repeat(31) + "01",
    destFile: dest.file,
    groth16Stub: stub?.contract as Contract | undefined,
    async send(...by: number[]) {
      const blocks: number[] = [];
      for (const b of by) {
        const data = "0x7cf5dab0" + AbiCoder.defaultAbiCoder().encode(["uint256"], [b]).slice(2);
        const tx = (await outbox.sendMessage(c.dst.chainId, counterAddr, data)) as TransactionResponse;
        blocks.push((await tx.wait())!.blockNumber);
      }
      return blocks;
    },
    relayerOptions(extra = {}) {
      return {
        source: c.src.provider,
        dest: c.dst.provider,
        destSigner: devWallet(3, c.dst.provider),
        outbox: source.outbox.address,
        inbox: dest.inbox.address,
        dbPath,
        attesters: [devWallet(1, c.dst.provider)],
        ...extra,
      };
    },
  };
}
