/**
 * Compiled contract artifacts (Hardhat's `artifacts/` output) for ethers v6 deployments outside
 * Hardhat's runtime (CLI commands, the relayer): locating the repository, building the
 * artifacts when they are missing, deploying a contract by name, and compiling a generated
 * Solidity file (a Groth16 verifier from the `.zkmips/` cache, which Hardhat's build does not see)
 * with the same local solc and settings as hardhat.config.ts.
 */
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ContractFactory, type BaseContract, type InterfaceAbi, type Signer } from "ethers";
import { ZkmipsError } from "../errors.ts";

/** Root of the zkmips-bridge checkout (two levels above this file). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const ARTIFACTS = path.join(REPO_ROOT, "artifacts", "contracts");

export interface Artifact {
  contractName: string;
  abi: InterfaceAbi;
  bytecode: string;
}

function find(dir: string, file: string): string | null {
  if (!existsSync(dir)) return null;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      const hit = find(p, file);
      if (hit !== null) return hit;
    } else if (e.name === file) {
      return p;
    }
  }
  return null;
}

/** Runs `npx hardhat build` when the bridge artifacts are missing (a fresh clone). */
export function ensureArtifacts(log: (line: string) => void = () => {}): void {
  if (find(ARTIFACTS, "StateInbox.json") !== null) return;
  log("compiling contracts (npx hardhat build) ...");
  try {
    execFileSync("npx", ["hardhat", "build"], { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "pipe"] });
  } catch (e) {
    const err = (e as { stderr?: Buffer }).stderr?.toString().trim().split("\n").pop() ?? String(e);
    throw new ZkmipsError(`npx hardhat build failed: ${err}`, "run it by hand in the repository root");
  }
}

/** The artifact of contract `name` (e.g. "StateInbox"). */
export function loadArtifact(name: string): Artifact {
  const file = find(ARTIFACTS, `${name}.json`);
  if (file === null) {
    throw new ZkmipsError(`no compiled artifact for contract ${name}`, "run `npx hardhat build`");
  }
  return JSON.parse(readFileSync(file, "utf8")) as Artifact;
}

export interface Deployed {
  name: string;
  address: string;
  contract: BaseContract;
  txHash: string;
  blockNumber: number;
  gasUsed: bigint;
}

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: InterfaceAbi; evm: { bytecode: { object: string } } }>>;
}

/** Compiles contract `contractName` of one Solidity file (solc 0.8.28 from npm, optimizer 200, cancun). */
export function compileSolidity(file: string, contractName: string): Artifact {
  const solc = createRequire(import.meta.url)("solc") as { compile(input: string): string };
  const input = {
    language: "Solidity",
    sources: { "Verifier.sol": { content: readFileSync(file, "utf8") } },
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "cancun",
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
    },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (out.errors ?? []).filter((e) => e.severity === "error");
  const c = out.contracts?.["Verifier.sol"]?.[contractName];
  if (errors.length > 0 || c === undefined) {
    throw new ZkmipsError(
      `solc could not compile ${contractName} in ${file}: ${errors[0]?.formattedMessage.split("\n")[0] ?? "contract not found"}`,
      "delete the key's cache directory and run the setup again",
    );
  }
  return { contractName, abi: c.abi, bytecode: "0x" + c.evm.bytecode.object };
}

/** Deploys `name` with constructor `args` from `signer` and waits for the receipt. */
export async function deploy(
  signer: Signer,
  name: string,
  args: unknown[] = [],
  artifact?: Artifact,
): Promise<Deployed> {
  const a = artifact ?? loadArtifact(name);
  const factory = new ContractFactory(a.abi, a.bytecode, signer);
  const contract = await factory.deploy(...args);
  const receipt = await contract.deploymentTransaction()!.wait();
  if (receipt === null) throw new ZkmipsError(`deployment of ${name} was not mined`);
  return {
    name,
    address: await contract.getAddress(),
    contract,
    txHash: receipt.hash,
    blockNumber: receipt.blockNumber,
    gasUsed: receipt.gasUsed,
  };
}
