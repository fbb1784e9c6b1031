/**
 * `zkmips relay`: runs the relayer (src/bridge/relayer.ts) between a source and a destination
 * chain described by a destination deployment file; `zkmips relay status` prints what its
 * database records. Keys: ZKMIPS_RELAYER_KEY pays on the destination (local dev chains
 * 31337/31338 fall back to Hardhat's development account 3); ZKMIPS_COMMITTEE_KEYS
 * (comma-separated) lets the relayer attest block hashes for a committee oracle (devnets; the
 * demo committee, Hardhat's account 1, is used automatically when the deployment names it).
 * Without --mock each update is preflighted, proven (MIPS STARK), wrapped (Groth16, dev key from
 * the cache) and submitted; the STARK and the final proof are kept in the database first.
 */
import path from "node:path";
import type { Command } from "commander";
import { Wallet, type BaseWallet } from "ethers";
import { ZkmipsError } from "../../errors.ts";
import { REPO_ROOT } from "../../bridge/artifacts.ts";
import { contractAddress, readDeployment, type DeploymentFile } from "../../bridge/deploy.ts";
import { devWallet } from "../../bridge/nodes.ts";
import { groth16Prover, mockProver } from "../../bridge/prover.ts";
import { Relayer, jsonLogger } from "../../bridge/relayer.ts";
import { connectRpc } from "../../bridge/rpc.ts";
import { RelayerStore } from "../../bridge/store.ts";
import { setupProgressBar } from "./demo.ts";

const LOCAL_CHAINS = new Set([31337n, 31338n]);

function inboxOf(d: DeploymentFile): { inbox: string; outbox: string } {
  if (d.role !== "destination" || d.inbox === undefined) {
    throw new ZkmipsError(
      `deployment of chain ${d.chainId} is not a destination deployment`,
      "pass deployments/<destChainId>.json",
    );
  }
  return { inbox: contractAddress(d, "StateInbox"), outbox: d.inbox.sourceOutbox };
}

function defaultDb(d: DeploymentFile): string {
  return path.join(
    REPO_ROOT,
    ".zkmips",
    "relayer",
    `${d.chainId}-${contractAddress(d, "StateInbox").toLowerCase()}.sqlite`,
  );
}

function parseKey(k: string, what: string): Wallet {
  try {
    return new Wallet(k.trim());
  } catch {
    throw new ZkmipsError(`${what} is not a private key`, "give a 32-byte hex key");
  }
}

function nonNegInt(v: string, flag: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n))
    throw new ZkmipsError(`${flag} must be a non-negative integer, got ${v}`);
  return n;
}

interface RelayOpts {
  sourceRpc: string;
  destRpc: string;
  deployment: string;
  confirmations: string;
  mock?: boolean;
  once?: boolean;
  db?: string;
  interval: string;
  cache: string;
}

export function register(program: Command): void {
  const relay = program
    .command("relay")
    .description("relay proven MessageOutbox states to a StateInbox and execute the messages")
    .option("--source-rpc <url>", "JSON-RPC URL of the source chain")
    .option("--dest-rpc <url>", "JSON-RPC URL of the destination chain")
    .option("--deployment <file>", "destination deployment file (deployments/<chainId>.json)")
    .option("--confirmations <n>", "relay only source blocks this deep (reorg safety)", "0")
    .option("--mock", "run the guest and submit an empty proof (MipsMockVerifier only; proves nothing)")
    .option("--once", "do one round and exit")
    .option("--db <file>", "SQLite progress database (default .zkmips/relayer/<chain>-<inbox>.sqlite)")
    .option("--interval <seconds>", "pause between rounds", "2")
    .option("--cache <dir>", "real mode: artifact cache (wrap circuits, Groth16 keys)", ".zkmips")
    .action(async (opts: RelayOpts) => {
      for (const [flag, v] of [
        ["--source-rpc", opts.sourceRpc],
        ["--dest-rpc", opts.destRpc],
        ["--deployment", opts.deployment],
      ] as const) {
        if (!v) throw new ZkmipsError(`relay needs ${flag}`, "see zkmips relay --help");
      }
      const confirmations = nonNegInt(opts.confirmations, "--confirmations");
      const interval = nonNegInt(opts.interval, "--interval");
      // Real mode: every update's input goes through the preflight before it is proven.
      const bar = setupProgressBar();
      const prover = opts.mock
        ? mockProver()
        : groth16Prover({
            cacheRoot: opts.cache,
            log: (l) => void process.stderr.write(`zkmips relay: ${l}\n`),
            onSetupProgress: bar.onProgress,
          });
      const source = await connectRpc(opts.sourceRpc, "--source-rpc");
      const dest = await connectRpc(opts.destRpc, "--dest-rpc");
      const dep = readDeployment(opts.deployment);
      const { inbox, outbox } = inboxOf(dep);
      const destChain = (await dest.getNetwork()).chainId;
      if (destChain.toString() !== dep.chainId) {
        throw new ZkmipsError(
          `--dest-rpc is chain ${destChain} but ${opts.deployment} is for chain ${dep.chainId}`,
          "check --dest-rpc",
        );
      }
      const key = process.env.ZKMIPS_RELAYER_KEY;
      let signer: BaseWallet;
      if (key) signer = parseKey(key, "ZKMIPS_RELAYER_KEY").connect(dest);
      else if (LOCAL_CHAINS.has(destChain)) signer = devWallet(3, dest);
      else
        throw new ZkmipsError(
          "no relayer key",
          "set ZKMIPS_RELAYER_KEY to the key that pays on the destination",
        );
      const attesters: BaseWallet[] = (process.env.ZKMIPS_COMMITTEE_KEYS ?? "")
        .split(",")
        .filter((k) => k.trim() !== "")
        .map((k) => parseKey(k, "ZKMIPS_COMMITTEE_KEYS entry").connect(dest));
      const demoMember = devWallet(1);
      if (
        attesters.length === 0 &&
        LOCAL_CHAINS.has(destChain) &&
        dep.inbox?.committee.includes(demoMember.address)
      ) {
        attesters.push(demoMember.connect(dest));
      }
      const log = jsonLogger();
      const relayer = await Relayer.open({
        source,
        dest,
        destSigner: signer,
        outbox,
        inbox,
        confirmations,
        prover,
        dbPath: opts.db ?? defaultDb(dep),
        attesters,
        log,
      });
      const ac = new AbortController();
      process.once("SIGINT", () => ac.abort());
      try {
        await relayer.run({ once: opts.once, intervalMs: interval * 1000, signal: ac.signal });
      } finally {
        bar.stop();
        relayer.close();
        source.destroy();
        dest.destroy();
      }
    });

  relay
    .command("status")
    .description("print the relayer database: updates proved/submitted/accepted and message counts")
    .option("--deployment <file>", "destination deployment file (to find the default database)")
    .option("--db <file>", "SQLite progress database")
    .action((own: { deployment?: string; db?: string }, cmd: Command) => {
      // Options given before "status" are parsed by the parent command.
      const opts = { ...(cmd.parent?.opts() as { deployment?: string; db?: string }), ...own };
      if (!opts.db && !opts.deployment) throw new ZkmipsError("relay status needs --db or --deployment");
      const db = opts.db ?? defaultDb(readDeployment(opts.deployment!));
      const store = new RelayerStore(db, { mustExist: true });
      try {
        const proofs = store.proofs();
        const counts = store.messageCounts();
        process.stdout.write(`relayer database ${db}\n`);
        process.stdout.write(
          `messages: ${counts.executed} executed, ${counts.failed} failed (target reverted), ${counts.sent} sent (unconfirmed), ${counts.foreign} for other chains\n`,
        );
        process.stdout.write(`STARK proofs kept for wrapping: ${store.starkCount()}\n`);
        process.stdout.write(`updates (${proofs.length}):\n`);
        for (const p of proofs) {
          process.stdout.write(
            `  source block ${p.blockNumber}  nonces ${p.prevCount}..${p.newCount - 1}  ${p.status}${p.updateId !== null ? ` (inbox update ${p.updateId})` : ""}  ${p.cycles} cycles${p.details?.selector ? `  groth16 selector ${p.details.selector}` : p.proof.length === 0 ? "  mock" : ""}${p.submitTx ? `  tx ${p.submitTx}` : ""}\n`,
          );
        }
      } finally {
        store.close();
      }
    });
}
