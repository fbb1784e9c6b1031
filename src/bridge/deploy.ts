/**
 * Deploys the bridge stacks with ethers v6 and records them in `deployments/<chainId>.json`:
 * - source: MessageOutbox;
 * - destination: verifier (MipsMockVerifier in mock mode; otherwise MipsVerifierGateway routed to
 *   MipsVerifierGroth16 over a generated Groth16 verifier: an address given, or the snarkjs
 *   verifier of a cached Groth16 key, compiled with the local solc and deployed here),
 *   CommitteeBlockHashOracle,
 *   StateInbox configured for the source outbox, and optionally the BridgedCounter example.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { Contract, getAddress, type Signer } from "ethers";
import { ZkmipsError } from "../errors.ts";
import { compileSolidity, deploy, REPO_ROOT, type Deployed } from "./artifacts.ts";
import { ZERO_HASH } from "./public-values.ts";

export const DEFAULT_DEPLOYMENTS_DIR = path.join(REPO_ROOT, "deployments");

export interface ContractRecord {
  address: string;
  txHash: string;
  blockNumber: number;
  gasUsed: string;
}

/** Contents of deployments/<chainId>.json. */
export interface DeploymentFile {
  chainId: string;
  role: "source" | "destination";
  mode?: "mock" | "groth16";
  deployer: string;
  contracts: Record<string, ContractRecord>;
  /** Destination only: what the inbox is configured with. */
  inbox?: {
    sourceChainId: string;
    sourceOutbox: string;
    programVKey: string;
    initialBlockNumber: string;
    committee: string[];
    threshold: number;
  };
  /** Destination, real mode: the Groth16 route(s) registered in the gateway. */
  groth16?: Groth16Route[];
  updatedAt: string;
}

/** One gateway route as recorded in the deployment file. */
export interface Groth16Route {
  selector: string;
  verifier: string;
  adapter: string;
  /** Wrap shape whose circuit the key is for (when known). */
  shapeId?: string;
  contractName?: string;
  /** Cache directory of the key (.zkmips/groth16/<circuit>/<setup>) and its setup kind. */
  keyDir?: string;
  setup?: string;
}

/** A cached Groth16 key whose generated verifier should be deployed (SetupResult fields). */
export interface Groth16KeyRef {
  verifierSol: string;
  contractName: string;
  selector: string;
  shapeId?: string;
  keyDir?: string;
  setup?: string;
}

function record(d: Deployed): ContractRecord {
  return { address: d.address, txHash: d.txHash, blockNumber: d.blockNumber, gasUsed: d.gasUsed.toString() };
}

export function deploymentPath(chainId: bigint, dir = DEFAULT_DEPLOYMENTS_DIR): string {
  return path.join(dir, `${chainId}.json`);
}

export function writeDeployment(file: DeploymentFile, dir = DEFAULT_DEPLOYMENTS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const p = deploymentPath(BigInt(file.chainId), dir);
  writeFileSync(p, JSON.stringify(file, null, 2) + "\n");
  return p;
}

/** Reads a deployment file (by path); ZkmipsError when missing or malformed. */
export function readDeployment(p: string): DeploymentFile {
  if (!existsSync(p))
    throw new ZkmipsError(`deployment file ${p} not found`, "run `zkmips deploy` or `zkmips demo` first");
  try {
    const f = JSON.parse(readFileSync(p, "utf8")) as DeploymentFile;
    if (typeof f.chainId !== "string" || typeof f.contracts !== "object") throw new Error("fields");
    return f;
  } catch {
    throw new ZkmipsError(`deployment file ${p} is malformed`, "regenerate it with `zkmips deploy`");
  }
}

/** Address of `name` in a deployment file, or a ZkmipsError. */
export function contractAddress(f: DeploymentFile, name: string): string {
  const c = f.contracts[name];
  if (c === undefined) throw new ZkmipsError(`deployment of chain ${f.chainId} has no ${name}`);
  return getAddress(c.address);
}

export interface SourceStack {
  outbox: Deployed;
  file: DeploymentFile;
}

export async function deploySource(signer: Signer): Promise<SourceStack> {
  const chainId = (await signer.provider!.getNetwork()).chainId;
  const outbox = await deploy(signer, "MessageOutbox");
  return {
    outbox,
    file: {
      chainId: chainId.toString(),
      role: "source",
      deployer: await signer.getAddress(),
      contracts: { MessageOutbox: record(outbox) },
      updatedAt: new Date().toISOString(),
    },
  };
}

export interface DestinationOptions {
  sourceChainId: bigint;
  sourceOutbox: string;
  /** A source block at or after the outbox deployment, before its first message. */
  initialBlockNumber: bigint;
  programVKey: string;
  mock: boolean;
  /** Committee members (ascending order is enforced here) and threshold. */
  committee: string[];
  threshold: number;
  /** Groth16 route (real mode): a deployed generated verifier and its selector, or a key to deploy. */
  groth16?: { verifier: string; selector: string } | Groth16KeyRef;
  /** Deploy the BridgedCounter example for this source sender. */
  counterSourceSender?: string;
}

export interface DestinationStack {
  verifier: Deployed;
  oracle: Deployed;
  inbox: Deployed;
  counter?: Deployed;
  all: Deployed[];
  file: DeploymentFile;
}

export async function deployDestination(signer: Signer, o: DestinationOptions): Promise<DestinationStack> {
  const me = await signer.getAddress();
  const chainId = (await signer.provider!.getNetwork()).chainId;
  const all: Deployed[] = [];
  const routes: Groth16Route[] = [];
  let verifier: Deployed;
  if (o.mock) {
    verifier = await deploy(signer, "MipsMockVerifier");
    all.push(verifier);
  } else {
    if (o.groth16 === undefined) {
      throw new ZkmipsError(
        "no Groth16 verifier for the storage-proof guest is available",
        "real proving of this guest is not wired up yet; use --mock (which proves nothing)",
      );
    }
    verifier = await deploy(signer, "MipsVerifierGateway", [me]);
    all.push(verifier);
    const r = await deployGroth16Route(signer, verifier.address, o.groth16);
    all.push(...r.deployed);
    routes.push(r.route);
  }
  const members = [...o.committee].map((a) => getAddress(a)).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  const oracle = await deploy(signer, "CommitteeBlockHashOracle", [me, members, o.threshold]);
  all.push(oracle);
  const inbox = await deploy(signer, "StateInbox", [
    [
      verifier.address,
      o.programVKey,
      o.sourceChainId,
      getAddress(o.sourceOutbox),
      oracle.address,
      o.initialBlockNumber,
      ZERO_HASH,
      0n,
      me,
      me,
    ],
  ]);
  all.push(inbox);
  let counter: Deployed | undefined;
  if (o.counterSourceSender !== undefined) {
    counter = await deploy(signer, "BridgedCounter", [inbox.address, getAddress(o.counterSourceSender)]);
    all.push(counter);
  }
  const contracts: Record<string, ContractRecord> = {};
  for (const d of all) contracts[d.name] = record(d);
  return {
    verifier,
    oracle,
    inbox,
    counter,
    all,
    file: {
      chainId: chainId.toString(),
      role: "destination",
      mode: o.mock ? "mock" : "groth16",
      deployer: me,
      contracts,
      inbox: {
        sourceChainId: o.sourceChainId.toString(),
        sourceOutbox: getAddress(o.sourceOutbox),
        programVKey: o.programVKey,
        initialBlockNumber: o.initialBlockNumber.toString(),
        committee: members,
        threshold: o.threshold,
      },
      groth16: o.mock ? undefined : routes,
      updatedAt: new Date().toISOString(),
    },
  };
}

/**
 * Registers a Groth16 verifier in `gateway` (owner = `signer`): compiles and deploys the generated
 * verifier of a cached key (or takes a deployed one), deploys MipsVerifierGroth16 over it with the
 * key's selector, and calls `addRoute`.
 */
export async function deployGroth16Route(
  signer: Signer,
  gateway: string,
  g: { verifier: string; selector: string } | Groth16KeyRef,
): Promise<{ route: Groth16Route; deployed: Deployed[] }> {
  if (!/^0x[0-9a-fA-F]{8}$/.test(g.selector))
    throw new ZkmipsError(`selector must be 4 bytes of hex (0x + 8 digits), got ${g.selector}`);
  const deployed: Deployed[] = [];
  let target: string;
  if ("verifierSol" in g) {
    const v = await deploy(signer, g.contractName, [], compileSolidity(g.verifierSol, g.contractName));
    deployed.push(v);
    target = v.address;
  } else {
    target = getAddress(g.verifier);
  }
  const adapter = await deploy(signer, "MipsVerifierGroth16", [target, g.selector]);
  deployed.push(adapter);
  const gw = new Contract(gateway, ["function addRoute(address)"], signer);
  await ((await gw.addRoute(adapter.address)) as { wait(): Promise<unknown> }).wait();
  const key = "verifierSol" in g ? g : undefined;
  return {
    route: {
      selector: g.selector.toLowerCase(),
      verifier: target,
      adapter: adapter.address,
      shapeId: key?.shapeId,
      contractName: key?.contractName,
      keyDir: key?.keyDir,
      setup: key?.setup,
    },
    deployed,
  };
}

/**
 * A cached Groth16 key directory (`.zkmips/groth16/<circuit>/<setup>/`, see src/wrap/groth16/cache.ts)
 * as a route to deploy: its `meta.json` (selector, contract name, setup) and `Verifier.sol`.
 */
export async function keyRefFromDir(dir: string, shapeId?: string): Promise<Groth16KeyRef> {
  const { KeyMetaSchema } = await import("../wrap/groth16/cache.ts");
  const metaPath = path.join(dir, "meta.json");
  const verifierSol = path.join(dir, "Verifier.sol");
  if (!existsSync(metaPath) || !existsSync(verifierSol))
    throw new ZkmipsError(
      `${dir} is not a Groth16 key directory (needs meta.json and Verifier.sol)`,
      "pass a directory .zkmips/groth16/<circuit>/<setup>/ made by zkmips setup, wrap or demo",
    );
  const parsed = KeyMetaSchema.safeParse(JSON.parse(readFileSync(metaPath, "utf8")));
  if (!parsed.success)
    throw new ZkmipsError(`${metaPath} is malformed`, `delete ${dir} and run the setup again`);
  const m = parsed.data;
  return {
    verifierSol,
    contractName: m.contractName,
    selector: m.selector,
    shapeId,
    keyDir: dir,
    setup: m.setupId,
  };
}

/** Adds a key's route to the gateway of a real-mode destination deployment and records it. */
export async function addRouteToDeployment(
  signer: Signer,
  file: DeploymentFile,
  key: Groth16KeyRef,
): Promise<{ route: Groth16Route; deployed: Deployed[]; file: DeploymentFile }> {
  if (file.role !== "destination" || file.mode !== "groth16")
    throw new ZkmipsError(
      `deployment of chain ${file.chainId} is not a real-mode destination (no verifier gateway)`,
      "deploy the destination without --mock first",
    );
  const gateway = contractAddress(file, "MipsVerifierGateway");
  const r = await deployGroth16Route(signer, gateway, key);
  const contracts = { ...file.contracts };
  for (const d of r.deployed)
    contracts[d.name === "MipsVerifierGroth16" ? `MipsVerifierGroth16_${key.selector.slice(2)}` : d.name] =
      record(d);
  return {
    ...r,
    file: {
      ...file,
      contracts,
      groth16: [...(file.groth16 ?? []), r.route],
      updatedAt: new Date().toISOString(),
    },
  };
}
