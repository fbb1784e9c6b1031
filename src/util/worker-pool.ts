/**
 * A fixed set of worker threads that each take tasks addressed to them (the caller splits the
 * work, usually one slice per worker). Workers start on first use (ZKMIPS_FIELD_THREADS
 * overrides their count), are unref'd while idle so an idle pool never keeps the process alive,
 * and a worker error rejects its pending tasks and makes the next call start fresh workers.
 * A worker replies `{ id, error? }` once per task.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

interface PoolWorker {
  readonly worker: Worker;
  readonly pending: Map<number, { resolve: () => void; reject: (e: Error) => void }>;
}

export function fieldThreads(): number {
  const env = Number(process.env.ZKMIPS_FIELD_THREADS);
  return Number.isInteger(env) && env > 0 ? env : Math.max(1, availableParallelism());
}

export class WorkerPool<Task> {
  private workers: PoolWorker[] | undefined;
  private nextId = 0;

  /** `script`: the worker module; `label` names it in errors. */
  constructor(
    private readonly script: URL,
    private readonly label: string,
  ) {}

  /** Number of workers (starts them). */
  get size(): number {
    return this.start().length;
  }

  /** Starts the workers now (they load while the caller does other work). */
  start(): PoolWorker[] {
    if (this.workers) return this.workers;
    const workers = Array.from({ length: fieldThreads() }, () => {
      const worker = new Worker(this.script, { execArgv: ["--import", "tsx"] });
      const pw: PoolWorker = { worker, pending: new Map() };
      worker.on("message", (m: { id: number; error?: string }) => {
        const p = pw.pending.get(m.id);
        pw.pending.delete(m.id);
        if (pw.pending.size === 0) worker.unref();
        if (!p) return;
        if (m.error) p.reject(new Error(`${this.label}: ${m.error}`));
        else p.resolve();
      });
      worker.on("error", (e) => {
        for (const p of pw.pending.values()) p.reject(e);
        pw.pending.clear();
        this.workers = undefined;
      });
      worker.unref();
      return pw;
    });
    this.workers = workers;
    return workers;
  }

  /** Runs `task` on worker `index` (0 ≤ index < size). */
  run(index: number, task: Task): Promise<void> {
    const w = this.start()[index];
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      w.pending.set(id, { resolve, reject });
      w.worker.ref();
      w.worker.postMessage({ id, task });
    });
  }

  /** Terminates the workers (a later call starts new ones). */
  async close(): Promise<void> {
    const w = this.workers;
    this.workers = undefined;
    if (w) await Promise.all(w.map((x) => x.worker.terminate()));
  }
}
