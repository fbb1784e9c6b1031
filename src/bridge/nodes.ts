/**
 * Local Hardhat nodes for the demo and the two-chain tests: `hardhat node --chain-id N --port P`
 * on loopback, on a free port, run with this process's Node binary and stopped on exit,
 * Ctrl-C or error. Also the well-known development accounts of those nodes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { HDNodeWallet, Mnemonic, type Provider } from "ethers";
import { ZkmipsError } from "../errors.ts";
import { REPO_ROOT } from "./artifacts.ts";
import { makeProvider, probeRpc } from "./rpc.ts";
import type { JsonRpcProvider } from "ethers";

/** Hardhat's public development mnemonic: its keys are known to everyone. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** Development account `index` (m/44'/60'/0'/0/index), connected to `provider`. */
export function devWallet(index: number, provider?: Provider): HDNodeWallet {
  const w = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), `m/44'/60'/0'/0/${index}`);
  return provider ? w.connect(provider) : w;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

export interface LocalNode {
  chainId: bigint;
  url: string;
  provider: JsonRpcProvider;
  stop(): void;
}

const running = new Set<ChildProcess>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  const killAll = (): void => {
    for (const c of running) c.kill("SIGTERM");
    running.clear();
  };
  process.once("exit", killAll);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(sig, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** Starts `hardhat node` with `chainId` on a free loopback port and waits until it answers. */
export async function startHardhatNode(chainId: bigint, timeoutMs = 90_000): Promise<LocalNode> {
  hookExit();
  const port = await freePort();
  const cli = path.join(REPO_ROOT, "node_modules", "hardhat", "dist", "src", "cli.js");
  const child = spawn(
    process.execPath,
    [cli, "node", "--chain-id", String(chainId), "--port", String(port), "--hostname", "127.0.0.1"],
    { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "pipe"] },
  );
  running.add(child);
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const stop = (): void => {
    running.delete(child);
    child.kill("SIGTERM");
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      running.delete(child);
      throw new ZkmipsError(
        `hardhat node (chain ${chainId}) exited with status ${child.exitCode}: ${stderr.trim().split("\n").pop() ?? ""}`,
        "run `npx hardhat node` by hand to see why",
      );
    }
    try {
      const id = await probeRpc(url, "local node", 1000);
      if (id !== chainId) throw new ZkmipsError(`node on ${url} reports chain ${id}, expected ${chainId}`);
      break;
    } catch (e) {
      if (e instanceof ZkmipsError && /reports chain/.test(e.message)) {
        stop();
        throw e;
      }
      if (Date.now() > deadline) {
        stop();
        throw new ZkmipsError(`hardhat node (chain ${chainId}) did not start within ${timeoutMs / 1000} s`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return { chainId, url, provider: makeProvider(url, chainId, 50), stop };
}
