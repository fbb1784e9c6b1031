/**
 * The relayer's progress in SQLite (`node:sqlite`, Node 22): proved and submitted updates and
 * the execution status of each message, written before and after every transaction so that a
 * restart resumes where the last run stopped. In real mode the STARK proof of an update's input is
 * saved (`stark_proofs`, keyed by the input's sha256) before its Groth16 wrap starts, and the final
 * proof before it is submitted, so a crash never costs a proof twice. The chain stays the source of truth (the relayer
 * re-reads the inbox first); this store avoids re-proving and records what was done.
 */
import { createRequire } from "node:module";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { DatabaseSync as DatabaseSyncType } from "node:sqlite";
import { ZkmipsError } from "../errors.ts";

/** Loads node:sqlite without its one-time ExperimentalWarning (only that warning is dropped). */
function loadSqlite(): typeof import("node:sqlite") {
  const original = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === "string" ? warning : warning.message;
    const type = typeof rest[0] === "string" ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    const name = typeof warning === "string" ? type : warning.name;
    if (name === "ExperimentalWarning" && /SQLite/i.test(text)) return;
    return (original as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return createRequire(import.meta.url)("node:sqlite") as typeof import("node:sqlite");
  } finally {
    process.emitWarning = original;
  }
}

export type ProofStatus = "proved" | "submitted" | "accepted" | "dropped";
export type MessageStatus = "sent" | "executed" | "failed" | "foreign";

export interface ProofRow {
  blockNumber: number;
  blockHash: string;
  prevBlock: number;
  prevCount: number;
  newCount: number;
  publicValues: Uint8Array;
  proof: Uint8Array;
  cycles: number;
  proveMs: number;
  status: ProofStatus;
  submitTx: string | null;
  updateId: number | null;
  /** Real mode: timings and the verifier the proof is for. */
  details?: ProofDetails;
}

export interface ProofDetails {
  mode: "mock" | "groth16";
  /** STARK proving (0 in mock mode, and when a checkpointed STARK was reused). */
  proveSeconds: number;
  /** Groth16 witness + prove (0 in mock mode). */
  wrapSeconds: number;
  /** Groth16 key setup (0 when the key came from the cache, and in mock mode). */
  setupSeconds?: number;
  shapeId?: string;
  selector?: string;
  /** True when the STARK proof came from the checkpoint. */
  starkReused?: boolean;
}

/** A STARK proof saved before its wrap (see the module comment). */
export interface StarkRow {
  inputHash: string;
  blockNumber: number;
  file: Uint8Array;
  publicValues: Uint8Array;
  cycles: number;
  proveMs: number;
}

export interface MessageRow {
  nonce: number;
  hash: string;
  updateId: number;
  status: MessageStatus;
  tx: string | null;
}

export class RelayerStore {
  private db: DatabaseSyncType;

  constructor(file: string, opts: { mustExist?: boolean } = {}) {
    if (opts.mustExist && !existsSync(file)) {
      throw new ZkmipsError(
        `relayer database ${file} does not exist`,
        "run `zkmips relay` first or pass --db",
      );
    }
    if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
    const { DatabaseSync } = loadSqlite();
    this.db = new DatabaseSync(file);
    this.db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = FULL;
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS proofs (
        block_number INTEGER PRIMARY KEY, block_hash TEXT NOT NULL, prev_block INTEGER NOT NULL,
        prev_count INTEGER NOT NULL, new_count INTEGER NOT NULL, public_values BLOB NOT NULL,
        proof BLOB NOT NULL, cycles INTEGER NOT NULL, prove_ms INTEGER NOT NULL,
        status TEXT NOT NULL, submit_tx TEXT, update_id INTEGER);
      CREATE TABLE IF NOT EXISTS messages (
        nonce INTEGER PRIMARY KEY, hash TEXT NOT NULL, update_id INTEGER NOT NULL,
        status TEXT NOT NULL, tx TEXT);
      CREATE TABLE IF NOT EXISTS stark_proofs (
        input_hash TEXT PRIMARY KEY, block_number INTEGER NOT NULL, file BLOB NOT NULL,
        public_values BLOB NOT NULL, cycles INTEGER NOT NULL, prove_ms INTEGER NOT NULL);
    `);
    // Databases written before real mode lack the details column.
    const cols = this.db.prepare("PRAGMA table_info(proofs)").all() as { name: string }[];
    if (!cols.some((c) => c.name === "details")) this.db.exec("ALTER TABLE proofs ADD COLUMN details TEXT");
  }

  saveStark(r: StarkRow): void {
    this.db
      .prepare("INSERT OR REPLACE INTO stark_proofs VALUES (?, ?, ?, ?, ?, ?)")
      .run(r.inputHash, r.blockNumber, r.file, r.publicValues, r.cycles, r.proveMs);
  }

  stark(inputHash: string): StarkRow | undefined {
    const r = this.db.prepare("SELECT * FROM stark_proofs WHERE input_hash = ?").get(inputHash) as
      Record<string, unknown> | undefined;
    if (r === undefined) return undefined;
    return {
      inputHash: String(r.input_hash),
      blockNumber: Number(r.block_number),
      file: new Uint8Array(r.file as Uint8Array),
      publicValues: new Uint8Array(r.public_values as Uint8Array),
      cycles: Number(r.cycles),
      proveMs: Number(r.prove_ms),
    };
  }

  /** Number of STARK proofs kept (status and tests). */
  starkCount(): number {
    return Number((this.db.prepare("SELECT COUNT(*) AS n FROM stark_proofs").get() as { n: number }).n);
  }

  /** Binds the store to one (source, outbox, destination, inbox); refuses a different one. */
  bind(identity: string): void {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'identity'").get() as
      { value: string } | undefined;
    if (row === undefined) this.db.prepare("INSERT INTO meta VALUES ('identity', ?)").run(identity);
    else if (row.value !== identity) throw new Error(`store belongs to ${row.value}, not ${identity}`);
  }

  getMeta(key: string): string | undefined {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as
      { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare("INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .run(key, value);
  }

  saveProof(r: ProofRow): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO proofs (block_number, block_hash, prev_block, prev_count, new_count,
           public_values, proof, cycles, prove_ms, status, submit_tx, update_id, details)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        r.blockNumber,
        r.blockHash,
        r.prevBlock,
        r.prevCount,
        r.newCount,
        r.publicValues,
        r.proof,
        r.cycles,
        r.proveMs,
        r.status,
        r.submitTx,
        r.updateId,
        r.details === undefined ? null : JSON.stringify(r.details),
      );
  }

  setProofStatus(
    blockNumber: number,
    status: ProofStatus,
    fields: { submitTx?: string; updateId?: number } = {},
  ): void {
    this.db
      .prepare(
        "UPDATE proofs SET status = ?, submit_tx = COALESCE(?, submit_tx), update_id = COALESCE(?, update_id) WHERE block_number = ?",
      )
      .run(status, fields.submitTx ?? null, fields.updateId ?? null, blockNumber);
  }

  private static proofRow(r: Record<string, unknown>): ProofRow {
    return {
      blockNumber: Number(r.block_number),
      blockHash: String(r.block_hash),
      prevBlock: Number(r.prev_block),
      prevCount: Number(r.prev_count),
      newCount: Number(r.new_count),
      publicValues: new Uint8Array(r.public_values as Uint8Array),
      proof: new Uint8Array(r.proof as Uint8Array),
      cycles: Number(r.cycles),
      proveMs: Number(r.prove_ms),
      status: r.status as ProofStatus,
      submitTx: (r.submit_tx as string | null) ?? null,
      updateId: r.update_id === null ? null : Number(r.update_id),
      details: typeof r.details === "string" ? (JSON.parse(r.details) as ProofDetails) : undefined,
    };
  }

  /** Updates proved or submitted but not yet known to be accepted, oldest first. */
  pendingProofs(): ProofRow[] {
    return (
      this.db
        .prepare("SELECT * FROM proofs WHERE status IN ('proved', 'submitted') ORDER BY block_number")
        .all() as Record<string, unknown>[]
    ).map(RelayerStore.proofRow);
  }

  proofs(): ProofRow[] {
    return (
      this.db.prepare("SELECT * FROM proofs ORDER BY block_number").all() as Record<string, unknown>[]
    ).map(RelayerStore.proofRow);
  }

  message(nonce: number): MessageRow | undefined {
    const r = this.db.prepare("SELECT * FROM messages WHERE nonce = ?").get(nonce) as
      Record<string, unknown> | undefined;
    if (r === undefined) return undefined;
    return {
      nonce: Number(r.nonce),
      hash: String(r.hash),
      updateId: Number(r.update_id),
      status: r.status as MessageStatus,
      tx: (r.tx as string | null) ?? null,
    };
  }

  setMessage(m: MessageRow): void {
    this.db
      .prepare("INSERT OR REPLACE INTO messages VALUES (?, ?, ?, ?, ?)")
      .run(m.nonce, m.hash, m.updateId, m.status, m.tx);
  }

  messageCounts(): Record<MessageStatus, number> {
    const out: Record<MessageStatus, number> = { sent: 0, executed: 0, failed: 0, foreign: 0 };
    for (const r of this.db.prepare("SELECT status, COUNT(*) AS n FROM messages GROUP BY status").all() as {
      status: MessageStatus;
      n: number;
    }[])
      out[r.status] = Number(r.n);
    return out;
  }

  close(): void {
    this.db.close();
  }
}
