/**
 * `zkmips deploy`: deploys the source stack (MessageOutbox) or the destination stack (verifier,
 * committee oracle, StateInbox[, BridgedCounter]) to a network named in hardhat.config.ts
 * (`--network`, its configured accounts sign) or to a JSON-RPC URL (`--rpc`, key from
 * ZKMIPS_DEPLOYER_KEY; local dev chains 31337/31338 fall back to Hardhat's account 0), and
 * records it in deployments/<chainId>.json. A non-mock destination without --groth16-verifier
 * first runs the real-mode preflight on a sample input (refusing with one line when the
 * storage-proof guest cannot be proven and wrapped), gets the wrap shape's Groth16 key (cache or
 * dev setup, NOT for production), then compiles and deploys its generated verifier and routes it.
 * `--role route` adds another cached key's verifier (e.g. a new wrap shape) to an existing
 * real-mode destination's gateway and appends it to the deployment file.
 */
import path from "node:path";
import type { Command } from "commander";
import { Wallet, isAddress, type Signer } from "ethers";
import { ZkmipsError } from "../../errors.ts";
import { ensureArtifacts } from "../../bridge/artifacts.ts";
import {
  DEFAULT_DEPLOYMENTS_DIR,
  addRouteToDeployment,
  keyRefFromDir,
  contractAddress,
  deployDestination,
  deploySource,
  readDeployment,
  writeDeployment,
} from "../../bridge/deploy.ts";
import { devWallet } from "../../bridge/nodes.ts";
import type { RealModeSetup } from "../../bridge/real.ts";
import { connectRpc } from "../../bridge/rpc.ts";
import { setupProgressBar } from "./demo.ts";

interface DeployOpts {
  network?: string;
  rpc?: string;
  role: string;
  sourceDeployment?: string;
  mock?: boolean;
  committee?: string;
  threshold: string;
  counterSender?: string;
  programVkey?: string;
  groth16Verifier?: string;
  selector?: string;
  deploymentsDir: string;
  cache: string;
  maxConstraints?: string;
  deployment?: string;
  groth16Key?: string;
  shapeId?: string;
}

async function signerFor(o: DeployOpts): Promise<{ signer: Signer; close: () => Promise<void> }> {
  if ((o.network === undefined) === (o.rpc === undefined)) {
    throw new ZkmipsError("deploy needs exactly one of --network <name> or --rpc <url>");
  }
  if (o.rpc !== undefined) {
    const provider = await connectRpc(o.rpc, "--rpc");
    const chainId = (await provider.getNetwork()).chainId;
    const key = process.env.ZKMIPS_DEPLOYER_KEY;
    let signer: Signer;
    if (key) signer = new Wallet(key, provider);
    else if (chainId === 31337n || chainId === 31338n) signer = devWallet(0, provider);
    else
      throw new ZkmipsError(
        "no deployer key",
        "set ZKMIPS_DEPLOYER_KEY or use --network with configured accounts",
      );
    return { signer, close: async () => provider.destroy() };
  }
  const { network } = await import("hardhat");
  let conn;
  try {
    conn = await network.create(o.network);
  } catch (e) {
    throw new ZkmipsError(
      `cannot connect to Hardhat network ${o.network}: ${(e as Error).message.split("\n")[0]}`,
      "check networks in hardhat.config.ts",
    );
  }
  const signers = await conn.ethers.getSigners();
  if (signers.length === 0) throw new ZkmipsError(`Hardhat network ${o.network} has no accounts configured`);
  return { signer: signers[0], close: () => conn.close() };
}

export function register(program: Command): void {
  program
    .command("deploy")
    .description("deploy the bridge's source or destination stack and record deployments/<chainId>.json")
    .option("--network <name>", "network from hardhat.config.ts")
    .option("--rpc <url>", "JSON-RPC URL instead of a configured network")
    .option(
      "--role <role>",
      "source | destination | route (add a Groth16 key's verifier to a destination)",
      "destination",
    )
    .option("--deployment <file>", "route: the destination's deployment file to extend")
    .option("--groth16-key <dir>", "route: cached key directory .zkmips/groth16/<circuit>/<setup>")
    .option("--shape-id <id>", "route: the wrap shape the key is for (recorded)")
    .option("--source-deployment <file>", "destination: the source chain's deployment file")
    .option("--mock", "destination: MipsMockVerifier instead of the Groth16 gateway (proves nothing)")
    .option(
      "--committee <addresses>",
      "destination: comma-separated committee members of the block-hash oracle",
    )
    .option("--threshold <n>", "destination: signatures the committee oracle needs", "1")
    .option("--counter-sender <address>", "destination: also deploy BridgedCounter for this source sender")
    .option("--program-vkey <hex>", "destination: programVKey of the storage-proof guest (default: computed)")
    .option(
      "--groth16-verifier <address>",
      "destination, non-mock: an already deployed generated Groth16 verifier (default: preflight, dev key, deploy its verifier)",
    )
    .option("--selector <hex4>", "destination: the 4-byte selector of --groth16-verifier")
    .option("--deployments-dir <dir>", "where to write <chainId>.json", DEFAULT_DEPLOYMENTS_DIR)
    .option("--cache <dir>", "non-mock: artifact cache (wrap circuits, Groth16 keys)", ".zkmips")
    .option("--max-constraints <n>", "non-mock: refuse wrap circuits larger than this (default 2^22)")
    .action(async (o: DeployOpts) => {
      if (o.role !== "source" && o.role !== "destination" && o.role !== "route") {
        throw new ZkmipsError(`--role must be source, destination or route, got ${o.role}`);
      }
      ensureArtifacts((l) => process.stderr.write(l + "\n"));
      if (o.role === "route") {
        // Another wrap shape's verifier for an existing real-mode destination (append-only route).
        if (!o.deployment || !o.groth16Key)
          throw new ZkmipsError("--role route needs --deployment <file> and --groth16-key <dir>");
        const dep = readDeployment(o.deployment);
        const key = await keyRefFromDir(o.groth16Key, o.shapeId);
        const { signer, close } = await signerFor(o);
        try {
          const chainId = (await signer.provider!.getNetwork()).chainId;
          if (chainId.toString() !== dep.chainId)
            throw new ZkmipsError(
              `the RPC is chain ${chainId} but ${o.deployment} is for chain ${dep.chainId}`,
            );
          const r = await addRouteToDeployment(signer, dep, key);
          const out = writeDeployment(r.file, path.dirname(path.resolve(o.deployment)));
          process.stdout.write(
            `route ${r.route.selector} -> ${r.route.adapter} (verifier ${r.route.verifier}); wrote ${out}\n`,
          );
        } finally {
          await close();
        }
        return;
      }
      if (o.role === "destination") {
        if (!o.sourceDeployment)
          throw new ZkmipsError("a destination deployment needs --source-deployment <file>");
        if (!o.mock && !o.groth16Verifier !== !o.selector) {
          throw new ZkmipsError("--groth16-verifier and --selector go together");
        }
      }
      // Real mode without a given verifier: preflight + key of the wrap shape before any chain is touched.
      let real: RealModeSetup | undefined;
      if (o.role === "destination" && !o.mock && !o.groth16Verifier) {
        const maxConstraints = o.maxConstraints === undefined ? undefined : Number(o.maxConstraints);
        if (maxConstraints !== undefined && !(Number.isInteger(maxConstraints) && maxConstraints > 0))
          throw new ZkmipsError(`--max-constraints must be a positive integer, got ${o.maxConstraints}`);
        const { prepareRealMode } = await import("../../bridge/real.ts");
        const { closeHashPool } = await import("../../hash/sponge.ts");
        const bar = setupProgressBar();
        try {
          real = await prepareRealMode({
            messages: [1, 2, 3].map((i) => ({
              target: "0x" + "c0".repeat(20),
              payload: "0x7cf5dab0" + i.toString(16).padStart(64, "0"),
            })),
            destChainId: 31338n,
            cacheRoot: o.cache,
            limits: maxConstraints === undefined ? undefined : { maxConstraints },
            log: (l) => void process.stderr.write(`zkmips deploy: ${l}\n`),
            onSetupProgress: bar.onProgress,
          });
        } finally {
          bar.stop();
          await closeHashPool();
        }
      }
      const { signer, close } = await signerFor(o);
      try {
        if (o.role === "source") {
          const s = await deploySource(signer);
          const file = writeDeployment(s.file, o.deploymentsDir);
          process.stdout.write(
            `MessageOutbox ${s.outbox.address} (chain ${s.file.chainId}); wrote ${file}\n`,
          );
          return;
        }
        const src = readDeployment(o.sourceDeployment!);
        if (src.role !== "source") throw new ZkmipsError(`${o.sourceDeployment} is not a source deployment`);
        const committee = (o.committee ?? "").split(",").filter((a) => a.trim() !== "");
        if (committee.length === 0 || !committee.every((a) => isAddress(a.trim()))) {
          throw new ZkmipsError("--committee must list at least one address (comma-separated)");
        }
        const threshold = Number(o.threshold);
        if (!Number.isInteger(threshold) || threshold < 1 || threshold > committee.length) {
          throw new ZkmipsError(`--threshold must be between 1 and ${committee.length}`);
        }
        let programVKey = o.programVkey;
        if (programVKey === undefined) {
          const { vkeyOfElf } = await import("../../mips/air/pipeline.ts");
          const { vkeyHex } = await import("../../mips/air/prove.ts");
          const { storageProofElf } = await import("../../bridge/guest.ts");
          const { closeHashPool } = await import("../../hash/sponge.ts");
          // Real mode: at the proof profile of the preflight's shape (the vkey depends on the options).
          programVKey = vkeyHex(await vkeyOfElf(storageProofElf(), real?.preflight.shape.options));
          await closeHashPool();
        }
        const d = await deployDestination(signer, {
          sourceChainId: BigInt(src.chainId),
          sourceOutbox: contractAddress(src, "MessageOutbox"),
          initialBlockNumber: BigInt(src.contracts.MessageOutbox.blockNumber),
          programVKey,
          mock: o.mock === true,
          committee: committee.map((a) => a.trim()),
          threshold,
          groth16: o.mock
            ? undefined
            : (real?.key ?? { verifier: o.groth16Verifier!, selector: o.selector! }),
          counterSourceSender: o.counterSender,
        });
        const file = writeDeployment(d.file, o.deploymentsDir);
        for (const c of d.all) process.stdout.write(`${c.name.padEnd(26)} ${c.address}\n`);
        for (const r of d.file.groth16 ?? [])
          process.stdout.write(
            `route ${r.selector} -> ${r.adapter}${r.shapeId ? ` (shape ${r.shapeId})` : ""}\n`,
          );
        process.stdout.write(`chain ${d.file.chainId}; wrote ${file}\n`);
      } finally {
        await close();
      }
    });
}
