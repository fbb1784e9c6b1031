/**
 * Hardhat kit for application developers: fixtures that deploy the verifier stack or the mock
 * verifier, and `proveForTest`, which runs (mock) or proves and wraps (real) a guest with a
 * content-addressed proof cache under `.zkmips/proof-cache/`, so repeated test runs do not
 * re-prove. The key is sha256 over (kit prover version, mode, ELF, input, hints).
 *
 * @example
 *   const { ethers } = await network.create();
 *   const { address } = await deployMockVerifier(ethers);
 *   const app = await ethers.deployContract("ProvenFibonacci", [address, vkey]);
 *   const p = await proveForTest(elf, input, { mock: true });
 *   await app.submit(p.publicValues, p.proofBytes);
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getBytes, hexlify, type BaseContract, type Signer } from "ethers";
import { ZkmipsError } from "../errors.ts";
import { execute, loadElf } from "../mips/index.ts";

/** Bump when anything that changes proofs changes (it is part of every cache key). */
export const KIT_PROVER_VERSION = "zkmips-kit-3";

/** What the kit needs from Hardhat's `ethers` (network.create()).ethers. */
export interface KitEthers {
  deployContract(name: string, args?: unknown[]): Promise<BaseContract>;
}

export interface DeployedContract {
  contract: BaseContract;
  address: string;
}

async function deployed(ethers: KitEthers, name: string, args: unknown[] = []): Promise<DeployedContract> {
  const contract = await ethers.deployContract(name, args);
  await contract.waitForDeployment();
  return { contract, address: await contract.getAddress() };
}

/** MipsMockVerifier: accepts an empty proof for any statement (tests only; proves nothing). */
export function deployMockVerifier(ethers: KitEthers): Promise<DeployedContract> {
  return deployed(ethers, "MipsMockVerifier");
}

export interface VerifierStack {
  gateway: DeployedContract;
  groth16Verifier: DeployedContract | { address: string };
  adapter: DeployedContract;
  selector: string;
}

/**
 * MipsVerifierGateway (owned by the first signer) routed to MipsVerifierGroth16 over a
 * generated Groth16 verifier: the one at `groth16Verifier`, or a fresh deployment of the
 * generated contract `groth16Contract` (default: the committed statement verifier).
 */
export async function deployVerifierStack(
  ethers: KitEthers & { getSigners(): Promise<Signer[]> },
  opts: {
    selector: string;
    groth16Verifier?: string;
    groth16Contract?: string;
    /** A generated verifier file outside Hardhat's sources (e.g. `TestProof.groth16.verifierSol`). */
    verifierSol?: string;
    contractName?: string;
  },
): Promise<VerifierStack> {
  if (!/^0x[0-9a-fA-F]{8}$/.test(opts.selector)) {
    throw new ZkmipsError(`selector must be 4 bytes of hex, got ${opts.selector}`);
  }
  const [owner] = await ethers.getSigners();
  let g16: DeployedContract | { address: string };
  if (opts.groth16Verifier !== undefined) g16 = { address: opts.groth16Verifier };
  else if (opts.verifierSol !== undefined) {
    if (opts.contractName === undefined) throw new ZkmipsError("verifierSol needs contractName");
    // Compiled with the npm solc and the settings of hardhat.config.ts (Hardhat's build does not see the cache).
    const { compileSolidity, deploy } = await import("../bridge/artifacts.ts");
    const d = await deploy(
      owner,
      opts.contractName,
      [],
      compileSolidity(opts.verifierSol, opts.contractName),
    );
    g16 = { contract: d.contract, address: d.address };
  } else g16 = await deployed(ethers, opts.groth16Contract ?? "Groth16VerifierStatementStub");
  const adapter = await deployed(ethers, "MipsVerifierGroth16", [g16.address, opts.selector]);
  const gateway = await deployed(ethers, "MipsVerifierGateway", [await owner.getAddress()]);
  const gw = gateway.contract as unknown as { addRoute(a: string): Promise<{ wait(): Promise<unknown> }> };
  await (await gw.addRoute(adapter.address)).wait();
  return { gateway, groth16Verifier: g16, adapter, selector: opts.selector.toLowerCase() };
}

export interface TestProof {
  publicValues: Uint8Array;
  /** Empty in mock mode; selector || Groth16 proof (260 bytes) in real mode. */
  proofBytes: Uint8Array;
  exitCode: number;
  cycles: number;
  mode: "mock" | "groth16";
  /** True when the result came from the cache. */
  cached: boolean;
  key: string;
  /** Real mode: the Groth16 key's verifier to deploy (`deployVerifierStack({ ...groth16 })`). */
  groth16?: KitGroth16Verifier;
}

export interface KitGroth16Verifier {
  selector: string;
  verifierSol: string;
  contractName: string;
  shapeId: string;
  /** The programVKey the proof is for (on-chain profile, 0x + 64 hex): what the app contract stores. */
  programVKey: string;
}

export interface ProveForTestOptions {
  mock: boolean;
  hints?: Uint8Array;
  /** Default: <cwd>/.zkmips/proof-cache */
  cacheDir?: string;
  /** Real mode: log lines of the prover and the wrap. */
  log?: (line: string) => void;
}

/** The cache key of a proof request. */
export function proofCacheKey(
  elf: Uint8Array,
  input: Uint8Array,
  mode: string,
  hints: Uint8Array = new Uint8Array(0),
): string {
  const h = createHash("sha256");
  for (const part of [
    new TextEncoder().encode(KIT_PROVER_VERSION),
    new TextEncoder().encode(mode),
    elf,
    input,
    hints,
  ]) {
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(part.length));
    h.update(len).update(part);
  }
  return h.digest("hex");
}

interface CacheEntry {
  version: string;
  mode: "mock" | "groth16";
  publicValues: string;
  proofBytes: string;
  exitCode: number;
  cycles: number;
  groth16?: KitGroth16Verifier;
}

async function realProof(
  elf: Uint8Array,
  input: Uint8Array,
  o: ProveForTestOptions,
): Promise<Omit<TestProof, "cached" | "key">> {
  const { proveElf, vkeyOfElf } = await import("../mips/air/pipeline.ts");
  const { mipsWrapInput } = await import("../wrap/mips.ts");
  const { setupWrap, proveWrap } = await import("../wrap/wrap.ts");
  const { closeHashPool } = await import("../hash/sponge.ts");
  const { releaseSnarkjsCurves } = await import("../wrap/groth16/snarkjs.ts");
  try {
    // The on-chain profile, padded to the smallest default shape that can be wrapped at it, so
    // tests of one program share one wrap key (the same proofs `zkmips prove --profile onchain` makes).
    const { shapeChooser } = await import("../wrap/shapes.ts");
    const { ONCHAIN_OPTIONS } = await import("../stark/options.ts");
    const padTo = shapeChooser("auto", ONCHAIN_OPTIONS).padTo;
    const proof = await proveElf(elf, { input, hints: o.hints, padTo, options: ONCHAIN_OPTIONS });
    if (proof.exitCode !== 0) {
      throw new ZkmipsError(`guest exited with ${proof.exitCode}; only exit code 0 can be wrapped`);
    }
    const vkey = await vkeyOfElf(elf, ONCHAIN_OPTIONS);
    const w = await mipsWrapInput(proof.file, vkey, ONCHAIN_OPTIONS, { requireShape: true });
    const { key } = await setupWrap(w.shape, { mode: "dev", log: o.log });
    const r = await proveWrap(w.shape, key, w.witness, o.log);
    return {
      publicValues: proof.publicValues,
      proofBytes: getBytes(r.file.proofBytes),
      exitCode: proof.exitCode,
      cycles: proof.stats.cycles,
      mode: "groth16",
      groth16: {
        selector: key.meta.selector,
        verifierSol: key.paths.verifier,
        contractName: key.meta.contractName,
        shapeId: r.file.shapeId,
        programVKey: r.file.programVKey,
      },
    };
  } finally {
    await closeHashPool();
    await releaseSnarkjsCurves();
  }
}

/**
 * Runs (mock) or proves and wraps (real, dev Groth16 key: NOT for production) `elf` on `input`,
 * reusing a cached result for the same ELF, input, hints, mode and kit version.
 */
export async function proveForTest(
  elf: Uint8Array,
  input: Uint8Array,
  o: ProveForTestOptions,
): Promise<TestProof> {
  const mode = o.mock ? "mock" : "groth16";
  const key = proofCacheKey(elf, input, mode, o.hints);
  const dir = o.cacheDir ?? path.join(process.cwd(), ".zkmips", "proof-cache");
  const file = path.join(dir, `${key}.json`);
  if (existsSync(file)) {
    try {
      const e = JSON.parse(readFileSync(file, "utf8")) as CacheEntry;
      if (e.version === KIT_PROVER_VERSION && e.mode === mode) {
        return {
          publicValues: getBytes(e.publicValues),
          proofBytes: getBytes(e.proofBytes),
          exitCode: e.exitCode,
          cycles: e.cycles,
          mode,
          cached: true,
          key,
          groth16: e.groth16,
        };
      }
    } catch {
      // A corrupt entry is recomputed and overwritten.
    }
  }
  let r: Omit<TestProof, "cached" | "key">;
  if (o.mock) {
    const run = execute(loadElf(elf), { input, hints: o.hints, stdout: () => {}, stderr: () => {} });
    r = {
      publicValues: run.publicValues,
      proofBytes: new Uint8Array(0),
      exitCode: run.exitCode,
      cycles: run.cycles,
      mode,
    };
  } else {
    r = await realProof(elf, input, o);
  }
  const entry: CacheEntry = {
    version: KIT_PROVER_VERSION,
    mode,
    publicValues: hexlify(r.publicValues),
    proofBytes: hexlify(r.proofBytes),
    exitCode: r.exitCode,
    cycles: r.cycles,
    groth16: r.groth16,
  };
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(entry) + "\n");
  renameSync(tmp, file);
  return { ...r, cached: false, key };
}
