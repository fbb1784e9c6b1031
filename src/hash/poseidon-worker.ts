/**
 * Worker-thread entry of the row-hashing pool (`poseidon-pool.ts`): hashes the rows it is sent
 * and transfers the hashes back.
 */
import { parentPort } from "node:worker_threads";
import { hashRows } from "./sponge.ts";

interface Request {
  readonly id: number;
  readonly matrix: Uint32Array;
  readonly width: number;
  readonly rows: number;
}

const port = parentPort;
if (!port) throw new Error("poseidon-worker must run in a worker thread");
port.on("message", (req: Request) => {
  try {
    const hashes = hashRows(req.matrix, req.width, req.rows);
    port.postMessage({ id: req.id, hashes }, [hashes.buffer]);
  } catch (err) {
    port.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) });
  }
});
