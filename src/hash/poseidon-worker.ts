/**
 * Worker-thread entry of the hashing pool (`poseidon-pool.ts`): hashes the rows or Poseidon
 * inputs it is sent and transfers the hashes back.
 */
import { parentPort } from "node:worker_threads";
import type { HashRequest } from "./poseidon-pool.ts";
import { poseidonBatch } from "./poseidon.ts";
import { hashRows } from "./sponge.ts";

interface Request {
  readonly id: number;
  readonly request: HashRequest;
}

const port = parentPort;
if (!port) throw new Error("poseidon-worker must run in a worker thread");
port.on("message", (req: Request) => {
  try {
    const r = req.request;
    const hashes =
      r.kind === "rows" ? hashRows(r.matrix, r.width, r.rows) : poseidonBatch(r.n, r.inputs, r.count);
    port.postMessage({ id: req.id, hashes }, [hashes.buffer]);
  } catch (err) {
    port.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) });
  }
});
