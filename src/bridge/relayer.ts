/**
 * The relayer: moves proven MessageOutbox states from a source chain to a StateInbox on a
 * destination chain and executes the relayed messages there.
 *
 * One `step()`:
 *  1. re-reads the inbox (last block, accumulator, count, updates) — the chain is the truth;
 *  2. settles updates recorded as proved/submitted: accepted if the inbox has reached them,
 *     dropped if stale or if their block is no longer canonical on the source (reorg);
 *  3. if the outbox at `head - confirmations` holds new messages and nothing is pending, builds
 *     the guest input (header + eth_getProof + MessageSent logs), proves it and records it;
 *  4. attests the block hash when it holds committee keys, submits, records the result;
 *  5. executes every message of every accepted update that the inbox has not executed yet,
 *     with its Merkle proof, checking `messageStatus` first.
 * Every transaction is recorded in SQLite before and after it is sent, and every proof (in real
 * mode also the STARK proof before its wrap) before it is used; `fault` lets tests crash the
 * relayer between those points. docs/bridge.md has the state machine.
 */
import { createHash } from "node:crypto";
import {
  Contract,
  getBytes,
  hexlify,
  type JsonRpcProvider,
  type Signer,
  type TransactionReceipt,
  type TransactionResponse,
  type BaseWallet,
} from "ethers";
import { ZkmipsError } from "../errors.ts";
import { loadArtifact } from "./artifacts.ts";
import { collectWitness, encodeGuestInput, fetchMessages } from "./guest-input.ts";
import { mockProver, type UpdateProver } from "./prover.ts";
import {
  COMMITTEE_ATTESTATION_TYPES,
  OUTBOX_COUNT_SLOT,
  committeeDomain,
  decodeStatePublicValues,
  messageHash,
  messagesProof,
  type BridgeMessage,
} from "./public-values.ts";
import { RelayerStore, type ProofRow } from "./store.ts";
import { withRetry } from "./rpc.ts";

/** Length of selector || Groth16 proof (MipsVerifierGroth16.PROOF_BYTES_LENGTH). */
const GROTH16_PROOF_BYTES = 260;

/** How long to wait for a transaction to be mined before giving up (the next round resumes). */
const TX_TIMEOUT_MS = 180_000;

export type FaultPoint =
  "after-stark" | "after-prove" | "after-submit-sent" | "after-submit-mined" | "after-message-sent";

export type RelayerEvent = { event: string } & Record<string, unknown>;

export interface RelayerOptions {
  source: JsonRpcProvider;
  dest: JsonRpcProvider;
  /** Pays for submit, attest and executeMessage on the destination. */
  destSigner: Signer;
  outbox: string;
  inbox: string;
  /** Source blocks younger than this are not relayed (reorg safety). Default 0. */
  confirmations?: number;
  prover?: UpdateProver;
  /** SQLite file (":memory:" for none). */
  dbPath: string;
  /** Committee members whose keys this relayer holds (devnets): it attests block hashes. */
  attesters?: BaseWallet[];
  /** Test hook: throw here to simulate a crash. */
  fault?: (point: FaultPoint) => void;
  log?: (e: RelayerEvent) => void;
  /** Upper bound of messages per update (guest limit 1024). */
  maxMessages?: number;
}

export interface StepReport {
  submitted?: {
    updateId: number;
    blockNumber: number;
    messages: number;
    cycles: number;
    proveSeconds: number;
    gasUsed: bigint;
    /** Real mode: wrap (witness + Groth16 prove), key setup, shape and selector. */
    wrapSeconds: number;
    setupSeconds?: number;
    shapeId?: string;
    selector?: string;
  };
  executed: number;
  failed: number;
  gasExecute: bigint;
}

interface InboxState {
  lastBlockNumber: bigint;
  lastBlockHash: string;
  accumulator: string;
  messageCount: bigint;
  updateCount: bigint;
}

function revertName(e: unknown): string | undefined {
  return (e as { revert?: { name?: string } }).revert?.name;
}

/** JSON line logger on stderr (the CLI default). */
export function jsonLogger(stream: NodeJS.WritableStream = process.stderr): (e: RelayerEvent) => void {
  return (e) =>
    stream.write(
      JSON.stringify({ time: new Date().toISOString(), ...e }, (_, v) =>
        typeof v === "bigint" ? v.toString() : v,
      ) + "\n",
    );
}

export class Relayer {
  readonly store: RelayerStore;
  private readonly inbox: Contract;
  private readonly outboxAddr: string;
  private readonly prover: UpdateProver;
  private readonly log: (e: RelayerEvent) => void;
  private sourceChainId = 0n;
  private destChainId = 0n;

  private constructor(private readonly o: RelayerOptions) {
    this.store = new RelayerStore(o.dbPath);
    this.inbox = new Contract(o.inbox, loadArtifact("StateInbox").abi, o.destSigner);
    this.outboxAddr = o.outbox;
    this.prover = o.prover ?? mockProver();
    this.log = o.log ?? (() => {});
  }

  static async open(o: RelayerOptions): Promise<Relayer> {
    const r = new Relayer(o);
    r.sourceChainId = (await r.retry(() => o.source.getNetwork(), "source getNetwork")).chainId;
    r.destChainId = (await r.retry(() => o.dest.getNetwork(), "dest getNetwork")).chainId;
    const onInbox = BigInt(await r.retry(() => r.inbox.SOURCE_CHAIN_ID(), "inbox SOURCE_CHAIN_ID"));
    if (onInbox !== r.sourceChainId) {
      r.store.close();
      throw new ZkmipsError(
        `inbox ${o.inbox} relays chain ${onInbox}, but the source RPC is chain ${r.sourceChainId}`,
        "check --source-rpc and --deployment",
      );
    }
    try {
      r.store.bind(`${r.sourceChainId}:${o.outbox}->${r.destChainId}:${o.inbox}`.toLowerCase());
    } catch (e) {
      r.store.close();
      throw new ZkmipsError(`relayer database ${o.dbPath}: ${(e as Error).message}`, "use another --db");
    }
    return r;
  }

  close(): void {
    this.store.close();
  }

  private retry<T>(fn: () => Promise<T>, what: string): Promise<T> {
    return withRetry(fn, {
      onRetry: (attempt, delayMs, e) =>
        this.log({ event: "rpc_retry", what, attempt, delayMs, error: (e as Error).message.split("\n")[0] }),
    });
  }

  private async inboxState(): Promise<InboxState> {
    const [lastBlockNumber, lastBlockHash, accumulator, messageCount, updateCount] = await this.retry(
      () =>
        Promise.all([
          this.inbox.lastBlockNumber(),
          this.inbox.lastBlockHash(),
          this.inbox.accumulator(),
          this.inbox.messageCount(),
          this.inbox.updateCount(),
        ]),
      "inbox state",
    );
    return { lastBlockNumber, lastBlockHash, accumulator, messageCount, updateCount };
  }

  private async canonicalHash(blockNumber: number): Promise<string | null> {
    const b = await this.retry(() => this.o.source.getBlock(blockNumber), "source getBlock");
    return b?.hash ?? null;
  }

  /** Step 2: decides what became of recorded updates. Returns the one still worth submitting. */
  private async settle(state: InboxState): Promise<ProofRow | undefined> {
    let usable: ProofRow | undefined;
    for (const row of this.store.pendingProofs()) {
      if (BigInt(row.blockNumber) <= state.lastBlockNumber) {
        const mine =
          BigInt(row.blockNumber) === state.lastBlockNumber && row.blockHash === state.lastBlockHash;
        const updateId = mine ? Number(state.updateCount) - 1 : undefined;
        this.store.setProofStatus(row.blockNumber, mine ? "accepted" : "dropped", { updateId });
        this.log({
          event: mine ? "update_accepted" : "update_superseded",
          blockNumber: row.blockNumber,
          updateId,
        });
      } else if (
        BigInt(row.prevBlock) !== state.lastBlockNumber ||
        BigInt(row.prevCount) !== state.messageCount
      ) {
        this.store.setProofStatus(row.blockNumber, "dropped");
        this.log({ event: "update_stale", blockNumber: row.blockNumber });
      } else if ((await this.canonicalHash(row.blockNumber)) !== row.blockHash) {
        this.store.setProofStatus(row.blockNumber, "dropped");
        this.log({ event: "update_reorged", blockNumber: row.blockNumber, blockHash: row.blockHash });
      } else if (usable === undefined) {
        usable = row;
      } else {
        this.store.setProofStatus(row.blockNumber, "dropped");
      }
    }
    return usable;
  }

  /** Step 3: proves the outbox state at the confirmed head, if it holds new messages. */
  private async proveNext(state: InboxState): Promise<ProofRow | undefined> {
    const head = await this.retry(() => this.o.source.getBlockNumber(), "source getBlockNumber");
    const target = head - (this.o.confirmations ?? 0);
    if (BigInt(target) <= state.lastBlockNumber) return undefined;
    const countWord = await this.retry(
      () => this.o.source.getStorage(this.outboxAddr, OUTBOX_COUNT_SLOT, target),
      "source getStorage",
    );
    const count = BigInt(countWord);
    if (count === state.messageCount) return undefined;
    const max = BigInt(this.o.maxMessages ?? 256);
    let block = BigInt(target);
    if (count - state.messageCount > max) {
      // Too many for one update: relay up to the block where the max-th new message landed.
      const msgs = await fetchMessages(
        this.o.source,
        this.outboxAddr,
        this.sourceChainId,
        state.lastBlockNumber + 1n,
        BigInt(target),
        state.messageCount,
        state.messageCount + max,
      );
      block = BigInt(
        (await this.findBlockOfNonce(msgs[msgs.length - 1].nonce, state.lastBlockNumber + 1n, block)) ??
          target,
      );
    }
    const witness = await this.retry(
      () =>
        collectWitness(this.o.source, {
          outbox: this.outboxAddr,
          destChainId: this.destChainId,
          prev: {
            blockNumber: state.lastBlockNumber,
            accumulator: state.accumulator,
            count: state.messageCount,
          },
          blockNumber: block,
        }),
      "collect witness",
    );
    this.log({
      event: "proving",
      blockNumber: Number(block),
      messages: witness.messages.length,
      mode: this.prover.mode,
    });
    const t0 = performance.now();
    const input = encodeGuestInput(witness);
    const inputHash = createHash("sha256").update(input).digest("hex");
    const proved = await this.prover.prove(input, {
      log: this.log,
      checkpoint: {
        load: () => this.store.stark(inputHash),
        save: (st) => {
          this.store.saveStark({ ...st, inputHash, blockNumber: Number(block) });
          this.o.fault?.("after-stark");
        },
      },
    });
    const proveMs = Math.round(performance.now() - t0);
    const row: ProofRow = {
      blockNumber: Number(block),
      blockHash: witness.blockHash,
      prevBlock: Number(state.lastBlockNumber),
      prevCount: Number(state.messageCount),
      newCount: Number(decodeStatePublicValues(proved.publicValues).newCount),
      publicValues: proved.publicValues,
      proof: proved.proofBytes,
      cycles: proved.cycles,
      proveMs,
      status: "proved",
      submitTx: null,
      updateId: null,
      details: {
        mode: this.prover.mode,
        proveSeconds: proved.proveSeconds,
        wrapSeconds: proved.wrapSeconds,
        setupSeconds: proved.setupSeconds,
        shapeId: proved.shapeId,
        selector: proved.selector,
        starkReused: proved.starkReused,
      },
    };
    this.store.saveProof(row);
    this.log({
      event: "proved",
      blockNumber: row.blockNumber,
      cycles: row.cycles,
      ms: proveMs,
      mode: this.prover.mode,
    });
    this.o.fault?.("after-prove");
    return row;
  }

  private async findBlockOfNonce(nonce: bigint, from: bigint, to: bigint): Promise<number | null> {
    const a = loadArtifact("MessageOutbox");
    const outbox = new Contract(this.outboxAddr, a.abi, this.o.source);
    const logs = await outbox.queryFilter(outbox.filters.MessageSent(nonce), Number(from), Number(to));
    return logs.length ? logs[0].blockNumber : null;
  }

  /** Committee attestation of the update's block hash when this relayer holds member keys. */
  private async attest(row: ProofRow): Promise<void> {
    const oracleAddr = (await this.retry(() => this.inbox.oracle(), "inbox oracle")) as string;
    const oracle = new Contract(oracleAddr, loadArtifact("CommitteeBlockHashOracle").abi, this.o.destSigner);
    const ok = await this.retry(
      () => oracle.isValidBlockHash(this.sourceChainId, row.blockNumber, row.blockHash),
      "oracle isValidBlockHash",
    );
    if (ok || !this.o.attesters?.length) return;
    const domain = committeeDomain(this.destChainId, oracleAddr);
    const signers = [...this.o.attesters].sort((x, y) => (BigInt(x.address) < BigInt(y.address) ? -1 : 1));
    const sigs: string[] = [];
    for (const s of signers)
      sigs.push(
        await s.signTypedData(domain, COMMITTEE_ATTESTATION_TYPES, {
          chainId: this.sourceChainId,
          blockNumber: row.blockNumber,
          blockHash: row.blockHash,
        }),
      );
    const tx = (await oracle.attest(
      this.sourceChainId,
      row.blockNumber,
      row.blockHash,
      sigs,
    )) as TransactionResponse;
    await tx.wait(1, TX_TIMEOUT_MS);
    this.log({ event: "attested", blockNumber: row.blockNumber, blockHash: row.blockHash, tx: tx.hash });
  }

  /**
   * A Groth16 proof needs a route for its selector in the inbox's verifier gateway; without one
   * the submission would revert with RouteNotFound, so say which verifier is missing instead.
   */
  private async checkRoute(row: ProofRow): Promise<void> {
    const selector = hexlify(row.proof.subarray(0, 4));
    const verifier = (await this.retry(() => this.inbox.VERIFIER(), "inbox VERIFIER")) as string;
    const gw = new Contract(verifier, loadArtifact("MipsVerifierGateway").abi, this.o.dest);
    let route: { verifier: string; frozen: boolean };
    try {
      route = (await gw.routes(selector)) as { verifier: string; frozen: boolean };
    } catch {
      return; // not a gateway: the verifier itself decides
    }
    if (BigInt(route.verifier) === 0n || route.frozen) {
      throw new ZkmipsError(
        `the verifier gateway ${verifier} has ${route.frozen ? "a frozen route" : "no route"} for selector ${selector}` +
          (row.details?.shapeId ? ` (wrap shape ${row.details.shapeId})` : ""),
        "add that key's verifier: zkmips deploy --role route --deployment <file> --groth16-key .zkmips/groth16/<circuit>/dev (the proof stays recorded)",
      );
    }
  }

  /** Step 4: submits a proved update; returns the receipt, or null when it turned out stale. */
  private async submit(row: ProofRow): Promise<{ updateId: number; receipt: TransactionReceipt } | null> {
    if (row.proof.length === GROTH16_PROOF_BYTES) await this.checkRoute(row);
    await this.attest(row);
    let tx: TransactionResponse;
    try {
      tx = (await this.inbox.submit(row.publicValues, row.proof)) as TransactionResponse;
    } catch (e) {
      const name = revertName(e);
      if (name === "StaleUpdate" || name === "SkippedUpdate" || name === "PrevStateMismatch") {
        this.store.setProofStatus(row.blockNumber, "dropped");
        this.log({ event: "update_stale", blockNumber: row.blockNumber, reason: name });
        return null;
      }
      throw new ZkmipsError(
        `StateInbox.submit for source block ${row.blockNumber} reverted: ${name ?? (e as Error).message.split("\n")[0]}`,
      );
    }
    this.log({ event: "submit_sent", blockNumber: row.blockNumber, tx: tx.hash });
    this.o.fault?.("after-submit-sent");
    this.store.setProofStatus(row.blockNumber, "submitted", { submitTx: tx.hash });
    const receipt = await tx.wait(1, TX_TIMEOUT_MS);
    if (receipt === null || receipt.status !== 1) {
      throw new ZkmipsError(`StateInbox.submit transaction ${tx.hash} failed`);
    }
    this.o.fault?.("after-submit-mined");
    let updateId = -1;
    for (const log of receipt.logs) {
      const parsed = this.inbox.interface.parseLog(log);
      if (parsed?.name === "StateUpdated") updateId = Number(parsed.args[0]);
    }
    this.store.setProofStatus(row.blockNumber, "accepted", { updateId });
    this.log({
      event: "update_accepted",
      blockNumber: row.blockNumber,
      updateId,
      tx: tx.hash,
      gasUsed: receipt.gasUsed,
    });
    return { updateId, receipt };
  }

  /** Step 5: executes every not-yet-executed message of every accepted update. */
  private async executeAll(state: InboxState, report: StepReport): Promise<void> {
    let cursor = Number(this.store.getMeta("exec_cursor") ?? "0");
    let prevBlock: bigint | undefined;
    for (let id = cursor; id < Number(state.updateCount); id++) {
      const u = (await this.retry(() => this.inbox.getUpdate(id), "inbox getUpdate")) as {
        firstNonce: bigint;
        count: bigint;
        blockNumber: bigint;
      };
      if (prevBlock === undefined && id > 0) {
        prevBlock = (
          (await this.retry(() => this.inbox.getUpdate(id - 1), "inbox getUpdate")) as { blockNumber: bigint }
        ).blockNumber;
      }
      const msgs: BridgeMessage[] =
        u.count === 0n
          ? []
          : await this.retry(
              () =>
                fetchMessages(
                  this.o.source,
                  this.outboxAddr,
                  this.sourceChainId,
                  (prevBlock ?? -1n) + 1n,
                  u.blockNumber,
                  u.firstNonce,
                  u.firstNonce + u.count,
                ),
              "source messages",
            );
      const hashes = msgs.map(messageHash);
      for (let i = 0; i < msgs.length; i++) await this.executeOne(msgs[i], hashes, i, id, report);
      cursor = id + 1;
      this.store.setMeta("exec_cursor", String(cursor));
      prevBlock = u.blockNumber;
    }
  }

  private async executeOne(
    m: BridgeMessage,
    hashes: string[],
    index: number,
    updateId: number,
    report: StepReport,
  ): Promise<void> {
    const nonce = Number(m.nonce);
    const known = this.store.message(nonce);
    if (known && (known.status === "executed" || known.status === "failed" || known.status === "foreign"))
      return;
    const hash = hashes[index];
    if (m.destChainId !== this.destChainId) {
      this.store.setMessage({ nonce, hash, updateId, status: "foreign", tx: null });
      return;
    }
    const onChain = Number(await this.retry(() => this.inbox.messageStatus(hash), "inbox messageStatus"));
    if (onChain !== 0) {
      this.store.setMessage({
        nonce,
        hash,
        updateId,
        status: onChain === 1 ? "executed" : "failed",
        tx: known?.tx ?? null,
      });
      this.log({ event: "message_already_done", nonce, status: onChain === 1 ? "executed" : "failed" });
      return;
    }
    const tuple = [m.nonce, m.sourceChainId, m.destChainId, m.sender, m.target, hexlify(getBytes(m.payload))];
    let tx: TransactionResponse;
    try {
      tx = (await this.inbox.executeMessage(
        tuple,
        updateId,
        messagesProof(hashes, index),
      )) as TransactionResponse;
    } catch (e) {
      if (revertName(e) === "MessageAlreadyExecuted") {
        this.store.setMessage({ nonce, hash, updateId, status: "executed", tx: null });
        return;
      }
      throw e;
    }
    this.o.fault?.("after-message-sent");
    this.store.setMessage({ nonce, hash, updateId, status: "sent", tx: tx.hash });
    const receipt = await tx.wait(1, TX_TIMEOUT_MS);
    if (receipt === null || receipt.status !== 1)
      throw new ZkmipsError(`executeMessage transaction ${tx.hash} failed`);
    let status: "executed" | "failed" = "executed";
    for (const log of receipt.logs) {
      if (this.inbox.interface.parseLog(log)?.name === "MessageFailed") status = "failed";
    }
    this.store.setMessage({ nonce, hash, updateId, status, tx: tx.hash });
    report.gasExecute += receipt.gasUsed;
    if (status === "executed") report.executed++;
    else report.failed++;
    this.log({
      event: status === "executed" ? "message_executed" : "message_failed",
      nonce,
      updateId,
      tx: tx.hash,
      gasUsed: receipt.gasUsed,
    });
  }

  /** One round of the state machine (see the module comment). */
  async step(): Promise<StepReport> {
    const report: StepReport = { executed: 0, failed: 0, gasExecute: 0n };
    let state = await this.inboxState();
    let row = await this.settle(state);
    row ??= await this.proveNext(state);
    if (row !== undefined) {
      const done = await this.submit(row);
      if (done !== null) {
        const pv = decodeStatePublicValues(row.publicValues);
        report.submitted = {
          updateId: done.updateId,
          blockNumber: row.blockNumber,
          messages: Number(pv.newCount - pv.prevCount),
          cycles: row.cycles,
          proveSeconds: row.details?.proveSeconds ?? row.proveMs / 1000,
          gasUsed: done.receipt.gasUsed,
          wrapSeconds: row.details?.wrapSeconds ?? 0,
          setupSeconds: row.details?.setupSeconds,
          shapeId: row.details?.shapeId,
          selector: row.details?.selector,
        };
      }
      state = await this.inboxState();
    }
    await this.executeAll(state, report);
    return report;
  }

  /** Steps until `signal` aborts (or once). */
  async run(opts: { once?: boolean; intervalMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    for (;;) {
      const r = await this.step();
      this.log({
        event: "step",
        submitted: r.submitted?.blockNumber ?? null,
        executed: r.executed,
        failed: r.failed,
      });
      if (opts.once || opts.signal?.aborted) return;
      await new Promise((res) => setTimeout(res, opts.intervalMs ?? 2000));
      if (opts.signal?.aborted) return;
    }
  }

  /** What the database records (for `zkmips relay status`). */
  status(): { proofs: ProofRow[]; messages: ReturnType<RelayerStore["messageCounts"]>; execCursor: number } {
    return {
      proofs: this.store.proofs(),
      messages: this.store.messageCounts(),
      execCursor: Number(this.store.getMeta("exec_cursor") ?? "0"),
    };
  }
}
