/**
 * `zkmips status --deployment FILE --rpc URL`: what the deployed bridge contracts of one chain
 * hold now: the outbox's message count and accumulator (source), or the inbox's relayed state,
 * updates, verifier, programVKey, oracle, pause flag and, in real mode, each Groth16 route of the
 * gateway with its wrap shape (destination).
 */
import type { Command } from "commander";
import { Contract } from "ethers";
import { ZkmipsError } from "../../errors.ts";
import { loadArtifact } from "../../bridge/artifacts.ts";
import { contractAddress, readDeployment } from "../../bridge/deploy.ts";
import { connectRpc } from "../../bridge/rpc.ts";

export function register(program: Command): void {
  program
    .command("status")
    .description("print the on-chain state of a bridge deployment (outbox or inbox)")
    .requiredOption("--deployment <file>", "deployments/<chainId>.json")
    .requiredOption("--rpc <url>", "JSON-RPC URL of that chain")
    .action(async (o: { deployment: string; rpc: string }) => {
      const d = readDeployment(o.deployment);
      const provider = await connectRpc(o.rpc, "--rpc");
      try {
        const chainId = (await provider.getNetwork()).chainId;
        if (chainId.toString() !== d.chainId) {
          throw new ZkmipsError(`--rpc is chain ${chainId} but ${o.deployment} is for chain ${d.chainId}`);
        }
        const out = (k: string, v: unknown): void =>
          void process.stdout.write(`${k.padEnd(18)} ${String(v)}\n`);
        out("chain", `${d.chainId} (${d.role}${d.mode ? ", " + d.mode : ""})`);
        out("head block", await provider.getBlockNumber());
        if (d.role === "source") {
          const outbox = new Contract(
            contractAddress(d, "MessageOutbox"),
            loadArtifact("MessageOutbox").abi,
            provider,
          );
          out("MessageOutbox", await outbox.getAddress());
          out("messages", await outbox.messageCount());
          out("accumulator", await outbox.accumulator());
          return;
        }
        const inbox = new Contract(
          contractAddress(d, "StateInbox"),
          loadArtifact("StateInbox").abi,
          provider,
        );
        out("StateInbox", await inbox.getAddress());
        out("source", `chain ${await inbox.SOURCE_CHAIN_ID()} outbox ${await inbox.SOURCE_OUTBOX()}`);
        out("last source block", await inbox.lastBlockNumber());
        out("messages relayed", await inbox.messageCount());
        out("accumulator", await inbox.accumulator());
        out("updates", await inbox.updateCount());
        out("verifier", await inbox.VERIFIER());
        out("programVKey", await inbox.programVKey());
        out("oracle", await inbox.oracle());
        out("paused", await inbox.paused());
        if (d.mode === "mock") out("WARNING", "mock verifier: anyone can submit any state (proves nothing)");
        for (const r of d.groth16 ?? []) {
          const gw = new Contract(
            await inbox.VERIFIER(),
            ["function routes(bytes4) view returns (address verifier, bool frozen)"],
            provider,
          );
          const route = (await gw.routes(r.selector)) as { verifier: string; frozen: boolean };
          const state = BigInt(route.verifier) === 0n ? "MISSING" : route.frozen ? "frozen" : "active";
          out(
            `route ${r.selector}`,
            `${state}${r.shapeId ? ` shape ${r.shapeId}` : ""}${r.setup === "dev" ? " (dev key)" : ""}`,
          );
        }
      } finally {
        provider.destroy();
      }
    });
}
