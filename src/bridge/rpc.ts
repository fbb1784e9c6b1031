/**
 * JSON-RPC connections for the CLI and the relayer: a reachability check that fails with one
 * clear line (instead of ethers' endless "failed to detect network" retries), providers set up
 * for sequential transactions (no response cache, no batching, fast polling), and a bounded
 * retry with exponential backoff for transient RPC errors.
 */
import { JsonRpcProvider, Network } from "ethers";
import { ZkmipsError } from "../errors.ts";

/** Checks that `url` answers eth_chainId and returns the chain id; ZkmipsError otherwise. */
export async function probeRpc(url: string, what: string, timeoutMs = 5000): Promise<bigint> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const c = (e as { cause?: { code?: string; message?: string } }).cause;
    const cause =
      (e as Error).name === "TimeoutError" ? "no answer" : (c?.code ?? c?.message ?? (e as Error).message);
    throw new ZkmipsError(
      `cannot reach ${what} at ${url} (${cause})`,
      `check ${what} and that the node is running`,
    );
  }
  let body: { result?: string };
  try {
    body = (await res.json()) as { result?: string };
  } catch {
    throw new ZkmipsError(
      `${what} at ${url} is not a JSON-RPC endpoint (HTTP ${res.status})`,
      `check ${what}`,
    );
  }
  if (typeof body.result !== "string") {
    throw new ZkmipsError(`${what} at ${url} did not answer eth_chainId`, `check ${what}`);
  }
  return BigInt(body.result);
}

/** A provider for a node known to be reachable, with chain id `chainId`. */
export function makeProvider(url: string, chainId: bigint, pollingMs = 100): JsonRpcProvider {
  const p = new JsonRpcProvider(url, undefined, {
    staticNetwork: Network.from(chainId),
    cacheTimeout: -1,
    batchMaxCount: 1,
    polling: true,
  });
  p.pollingInterval = pollingMs;
  return p;
}

/** probeRpc + makeProvider. */
export async function connectRpc(url: string, what: string): Promise<JsonRpcProvider> {
  return makeProvider(url, await probeRpc(url, what));
}

const TRANSIENT = new Set([
  "NETWORK_ERROR",
  "SERVER_ERROR",
  "TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "UNKNOWN_ERROR",
]);

/** True for errors worth retrying (connection and server trouble, not reverts). */
export function isTransient(e: unknown): boolean {
  const err = e as { code?: string; cause?: { code?: string } };
  return TRANSIENT.has(err.code ?? "") || TRANSIENT.has(err.cause?.code ?? "");
}

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
}

/** Runs `fn`, retrying transient failures up to `attempts` times with doubling delays. */
export async function withRetry<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 5;
  let delay = opts.baseMs ?? 200;
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= attempts || !isTransient(e)) throw e;
      opts.onRetry?.(i, delay, e);
      await new Promise((r) => setTimeout(r, delay));
      delay *= 2;
    }
  }
}
