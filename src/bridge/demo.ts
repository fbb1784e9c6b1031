/**
 * `zkmips demo`: two local Hardhat chains, the whole bridge deployed, messages sent on the
 * source, one proven (or, with --mock, executed-only) state update relayed, the messages
 * executed on the destination, and a short report. Used by the CLI and the end-to-end test.
 *
 * Real mode, in order: preflight on a sample input of the same messages (in-process chain, no
 * node started; refuses with one line when real mode cannot work) → Groth16 key of the wrap shape
 * (cache, or dev setup) → chains → gateway routed to the shape's generated verifier → relayer:
 * preflight on the actual input, STARK, wrap, submit → executeMessage.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { AbiCoder, Contract, type TransactionResponse } from "ethers";
import { vkeyOfElf } from "../mips/air/pipeline.ts";
import { vkeyHex } from "../mips/air/prove.ts";
import { ensureArtifacts, REPO_ROOT } from "./artifacts.ts";
import { deployDestination, deploySource, writeDeployment, DEFAULT_DEPLOYMENTS_DIR } from "./deploy.ts";
import { storageProofElf } from "./guest.ts";
import { devWallet, startHardhatNode, type LocalNode } from "./nodes.ts";
import type { PreflightLimits } from "./preflight.ts";
import { groth16Prover, mockProver } from "./prover.ts";
import type { RealModeSetup } from "./real.ts";
import { Relayer, type RelayerEvent } from "./relayer.ts";

export interface DemoOptions {
  mock: boolean;
  messages?: number;
  sourceChainId?: bigint;
  destChainId?: bigint;
  deploymentsDir?: string;
  /** Progress lines (stderr in the CLI). */
  progress?: (line: string) => void;
  log?: (e: RelayerEvent) => void;
  /** Real mode: artifact cache root (default .zkmips), preflight limit overrides, setup progress. */
  cacheRoot?: string;
  limits?: Partial<PreflightLimits>;
  onSetupProgress?: (stage: string, done: number, total: number) => void;
}

export interface DemoReport {
  mode: "mock" | "groth16";
  source: { chainId: bigint; url: string; outbox: string };
  destination: {
    chainId: bigint;
    url: string;
    verifier: string;
    oracle: string;
    inbox: string;
    counter: string;
  };
  programVKey: string;
  messages: number;
  blockNumber: number;
  cycles: number;
  executeSeconds: number;
  proveSeconds: number | null;
  wrapSeconds: number | null;
  gasSend: bigint;
  gasSubmit: bigint;
  gasExecute: bigint;
  /** Real mode: the Groth16 route and key. */
  groth16?: {
    selector: string;
    shapeId: string;
    verifier: string;
    adapter: string;
    constraints: number;
    setupSeconds: number;
    keyReused: boolean;
  };
  counterValue: bigint;
  deploymentFiles: string[];
  totalSeconds: number;
}

export async function runDemo(o: DemoOptions): Promise<DemoReport> {
  const t0 = performance.now();
  const say = o.progress ?? (() => {});
  const n = o.messages ?? 3;
  const destChainId = o.destChainId ?? 31338n;
  ensureArtifacts(say);
  // Real mode: preflight and key before any chain starts; a refusal stops here, nothing is faked.
  let real: RealModeSetup | undefined;
  if (!o.mock) {
    const { prepareRealMode } = await import("./real.ts");
    real = await prepareRealMode({
      // The counter's address is not known yet; any address gives the same guest work.
      messages: Array.from({ length: n }, (_, i) => ({
        target: "0x" + "c0".repeat(20),
        payload: incrementCall(BigInt(i + 1)),
      })),
      destChainId,
      cacheRoot: o.cacheRoot,
      limits: o.limits,
      log: say,
      onSetupProgress: o.onSetupProgress,
    });
  }
  const prover = o.mock
    ? mockProver()
    : groth16Prover({
        cacheRoot: o.cacheRoot,
        limits: o.limits,
        log: say,
        onSetupProgress: o.onSetupProgress,
      });
  const nodes: LocalNode[] = [];
  let relayer: Relayer | undefined;
  try {
    say("[1/6] starting two local Hardhat chains ...");
    const [src, dst] = await Promise.all([
      startHardhatNode(o.sourceChainId ?? 31337n),
      startHardhatNode(destChainId),
    ]);
    nodes.push(src, dst);
    const srcDeployer = devWallet(0, src.provider);
    const dstDeployer = devWallet(0, dst.provider);
    const user = devWallet(2, src.provider);
    const committee = devWallet(1);

    say("[2/6] deploying MessageOutbox on the source and computing the guest's programVKey ...");
    const source = await deploySource(srcDeployer);
    // Real mode: the vkey at the proof profile of the preflight's shape (the vkey depends on the options).
    const programVKey = vkeyHex(await vkeyOfElf(storageProofElf(), real?.preflight.shape.options));

    say(
      `[3/6] deploying ${o.mock ? "MipsMockVerifier" : `gateway + ${real!.key.contractName} (solc) + MipsVerifierGroth16`}, committee oracle, StateInbox, BridgedCounter ...`,
    );
    const dest = await deployDestination(dstDeployer, {
      sourceChainId: src.chainId,
      sourceOutbox: source.outbox.address,
      initialBlockNumber: BigInt(source.outbox.blockNumber),
      programVKey,
      mock: o.mock,
      groth16: real?.key,
      committee: [committee.address],
      threshold: 1,
      counterSourceSender: user.address,
    });
    const dir = o.deploymentsDir ?? DEFAULT_DEPLOYMENTS_DIR;
    const files = [writeDeployment(source.file, dir), writeDeployment(dest.file, dir)];

    say(`[4/6] sending ${n} messages (BridgedCounter.increment(i)) on chain ${src.chainId} ...`);
    const outbox = source.outbox.contract.connect(user) as Contract;
    const counterAddr = dest.counter!.address;
    let gasSend = 0n;
    for (let i = 1; i <= n; i++) {
      const tx = (await outbox.sendMessage(
        dst.chainId,
        counterAddr,
        incrementCall(BigInt(i)),
      )) as TransactionResponse;
      gasSend += (await tx.wait())!.gasUsed;
    }

    say(`[5/6] relaying (${o.mock ? "mock: guest executed, empty proof" : "STARK + Groth16"}) ...`);
    const db = path.join(REPO_ROOT, ".zkmips", "demo", "relayer.sqlite");
    for (const f of [db, db + "-wal", db + "-shm"]) rmSync(f, { force: true });
    relayer = await Relayer.open({
      source: src.provider,
      dest: dst.provider,
      destSigner: devWallet(3, dst.provider),
      outbox: source.outbox.address,
      inbox: dest.inbox.address,
      prover,
      dbPath: db,
      attesters: [committee.connect(dst.provider)],
      log: o.log,
    });
    const step = await relayer.step();
    if (step.submitted === undefined) throw new Error("demo: the relayer submitted no update");
    say("[6/6] messages executed; reading the destination ...");
    const counter = new Contract(counterAddr, ["function count() view returns (uint256)"], dst.provider);
    const counterValue = (await counter.count()) as bigint;
    const proofRow = relayer.status().proofs.find((p) => p.blockNumber === step.submitted!.blockNumber)!;
    return {
      mode: prover.mode,
      source: { chainId: src.chainId, url: src.url, outbox: source.outbox.address },
      destination: {
        chainId: dst.chainId,
        url: dst.url,
        verifier: dest.verifier.address,
        oracle: dest.oracle.address,
        inbox: dest.inbox.address,
        counter: counterAddr,
      },
      programVKey,
      messages: step.submitted.messages,
      blockNumber: step.submitted.blockNumber,
      cycles: step.submitted.cycles,
      // Mock: the relayer's "proof" is the guest run; real: the preflight's run on the sample input.
      executeSeconds: real === undefined ? proofRow.proveMs / 1000 : real.preflight.executeSeconds,
      proveSeconds: o.mock ? null : step.submitted.proveSeconds,
      wrapSeconds: o.mock ? null : step.submitted.wrapSeconds,
      gasSend,
      gasSubmit: step.submitted.gasUsed,
      gasExecute: step.gasExecute,
      groth16:
        real === undefined
          ? undefined
          : {
              selector: real.key.selector,
              shapeId: real.key.shapeId!,
              verifier: dest.file.groth16![0].verifier,
              adapter: dest.file.groth16![0].adapter,
              constraints: real.preflight.constraints,
              // A key made by the relayer's wrap (shape differing from the preflight's) counts too.
              setupSeconds: real.setupSeconds + (step.submitted.setupSeconds ?? 0),
              keyReused: real.keyReused,
            },
      counterValue,
      deploymentFiles: files,
      totalSeconds: (performance.now() - t0) / 1000,
    };
  } finally {
    relayer?.close();
    for (const node of nodes) {
      node.provider.destroy();
      node.stop();
    }
  }
}

function incrementCall(by: bigint): string {
  return "0x7cf5dab0" + AbiCoder.defaultAbiCoder().encode(["uint256"], [by]).slice(2);
}

/** The report as printed by `zkmips demo`. */
export function formatDemoReport(r: DemoReport): string {
  const rel = (p: string): string => path.relative(process.cwd(), p) || p;
  const lines = [
    `zkmips demo (${r.mode === "mock" ? "MOCK MODE: the guest ran, nothing was proven" : "REAL MODE: MIPS STARK wrapped in Groth16, verified on chain"})`,
    `  source       chain ${r.source.chainId}  ${r.source.url}`,
    `    MessageOutbox           ${r.source.outbox}`,
    `  destination  chain ${r.destination.chainId}  ${r.destination.url}`,
    `    ${r.mode === "mock" ? "MipsMockVerifier       " : "MipsVerifierGateway    "} ${r.destination.verifier}`,
    `    CommitteeBlockHashOracle ${r.destination.oracle}`,
    `    StateInbox              ${r.destination.inbox}`,
    `    BridgedCounter          ${r.destination.counter}`,
    `  programVKey (storage-proof guest) ${r.programVKey}`,
    `  relayed ${r.messages} messages at source block ${r.blockNumber}`,
    `  guest: ${r.cycles.toLocaleString("en-US")} cycles, executed in ${r.executeSeconds.toFixed(2)} s`,
    `  proving: ${r.proveSeconds === null ? "skipped (mock)" : "STARK " + r.proveSeconds.toFixed(1) + " s"}, wrap: ${r.wrapSeconds === null ? "skipped (mock)" : r.wrapSeconds.toFixed(1) + " s (witness + Groth16 prove)"}`,
    ...(r.groth16 === undefined
      ? []
      : [
          `  Groth16 key: ${r.groth16.keyReused && r.groth16.setupSeconds === 0 ? "from the cache" : `dev setup ${r.groth16.setupSeconds.toFixed(1)} s`} (DEV KEY, NOT FOR PRODUCTION), circuit ${r.groth16.constraints.toLocaleString("en-US")} constraints`,
          `  selector ${r.groth16.selector}  shape ${r.groth16.shapeId}`,
          `    ${"Groth16 verifier".padEnd(24)}${r.groth16.verifier}`,
          `    ${"MipsVerifierGroth16".padEnd(24)}${r.groth16.adapter}`,
        ]),
    `  gas: sendMessage x${r.messages} ${r.gasSend}, submit ${r.gasSubmit}, executeMessage x${r.messages} ${r.gasExecute}`,
    `  BridgedCounter.count() on the destination = ${r.counterValue}`,
    `  deployments: ${r.deploymentFiles.map(rel).join(", ")}`,
    `  total ${r.totalSeconds.toFixed(1)} s; the chains were stopped`,
  ];
  return lines.join("\n") + "\n";
}
