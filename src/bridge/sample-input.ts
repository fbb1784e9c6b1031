/**
 * A storage-proof guest input made without starting any chain: the demo's source-chain history
 * (MessageOutbox deployed by development account 0, the same messages sent by account 2) is
 * replayed on Hardhat's in-process EDR network, and the witness is collected from it exactly as
 * the relayer collects it from a node. The real-mode preflight runs the guest on this input
 * before `zkmips demo` / `zkmips deploy` start or touch a chain; the relayer runs the preflight
 * again on each actual input before proving.
 */
import path from "node:path";
import type { Provider } from "ethers";
import { ensureArtifacts, deploy, REPO_ROOT } from "./artifacts.ts";
import { collectWitness, encodeGuestInput, type RpcSender } from "./guest-input.ts";
import { devWallet } from "./nodes.ts";
import { ZERO_HASH } from "./public-values.ts";

export interface SampleMessage {
  target: string;
  payload: string;
}

/**
 * The guest input of the first update of a fresh bridge whose outbox received `messages`
 * (to `destChainId`), as the demo produces it.
 */
export async function sampleGuestInput(messages: SampleMessage[], destChainId: bigint): Promise<Uint8Array> {
  ensureArtifacts();
  const { createHardhatRuntimeEnvironment, importUserConfig } = await import("hardhat/hre");
  const configPath = path.join(REPO_ROOT, "hardhat.config.ts");
  const hre = await createHardhatRuntimeEnvironment(
    await importUserConfig(configPath),
    { config: configPath },
    REPO_ROOT,
  );
  const conn = await hre.network.create();
  try {
    const provider = conn.ethers.provider as unknown as Provider & RpcSender;
    const outbox = await deploy(devWallet(0, provider), "MessageOutbox");
    const user = outbox.contract.connect(devWallet(2, provider)) as unknown as {
      sendMessage(d: bigint, t: string, p: string): Promise<{ wait(): Promise<unknown> }>;
    };
    for (const m of messages) await (await user.sendMessage(destChainId, m.target, m.payload)).wait();
    const w = await collectWitness(provider, {
      outbox: outbox.address,
      destChainId,
      prev: { blockNumber: BigInt(outbox.blockNumber), accumulator: ZERO_HASH, count: 0n },
      blockNumber: BigInt(await provider.getBlockNumber()),
    });
    return encodeGuestInput(w);
  } finally {
    await conn.close();
  }
}
