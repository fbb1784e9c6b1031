import { expect } from "chai";
import { network } from "hardhat";
import fc from "fast-check";
import { concat, getAddress, keccak256, type Signer } from "ethers";
import {
  COMMITTEE_ATTESTATION_TYPES,
  committeeDomain,
  type BridgeMessage,
  type StateUpdate,
  ZERO_HASH,
  chainAccumulator,
  encodeStatePublicValues,
  messageHash,
  messagesProof,
  messagesRoot,
} from "../../src/bridge/public-values.ts";
import { gasOf, proofBytes, publicValuesDigest, randomHex, randomVKey, revertData } from "./support.ts";

const { ethers, networkHelpers } = await network.create();
const { chainId: DEST } = await ethers.provider.getNetwork();
const SOURCE = 1001n;
const OUTBOX = getAddress("0x00000000000000000000000000000000000b0b0b");
const START_BLOCK = 100n;

/** The source outbox, simulated in TypeScript: what the guest would prove about it. */
class SourceModel {
  messages: BridgeMessage[] = [];
  acc = ZERO_HASH;
  provenCount = 0;
  provenAcc = ZERO_HASH;
  provenBlock = START_BLOCK;

  send(sender: string, target: string, payload: string, destChainId = DEST): BridgeMessage {
    const m = {
      nonce: BigInt(this.messages.length),
      sourceChainId: SOURCE,
      destChainId,
      sender,
      target,
      payload,
    };
    this.messages.push(m);
    this.acc = chainAccumulator(this.acc, messageHash(m));
    return m;
  }

  /** Public values proving every message sent so far at `blockNumber`. */
  update(blockNumber: bigint, blockHash: string): StateUpdate {
    const fresh = this.messages.slice(this.provenCount);
    return {
      sourceChainId: SOURCE,
      destChainId: DEST,
      sourceOutbox: OUTBOX,
      prevBlockNumber: this.provenBlock,
      prevAccumulator: this.provenAcc,
      prevCount: BigInt(this.provenCount),
      blockNumber,
      blockHash,
      newAccumulator: this.acc,
      newCount: BigInt(this.messages.length),
      messagesRoot: messagesRoot(fresh.map(messageHash)),
    };
  }

  snapshot(): () => void {
    const saved = {
      messages: [...this.messages],
      acc: this.acc,
      c: this.provenCount,
      a: this.provenAcc,
      b: this.provenBlock,
    };
    return () => {
      this.messages = [...saved.messages];
      this.acc = saved.acc;
      this.provenCount = saved.c;
      this.provenAcc = saved.a;
      this.provenBlock = saved.b;
    };
  }

  accept(u: StateUpdate): void {
    this.provenBlock = u.blockNumber;
    this.provenAcc = u.newAccumulator;
    this.provenCount = Number(u.newCount);
  }

  /** Merkle proof of message `nonce` within the update that started at `firstNonce`. */
  proof(firstNonce: number, lastNonce: number, nonce: number): string[] {
    const hashes = this.messages.slice(firstNonce, lastNonce).map(messageHash);
    return messagesProof(hashes, nonce - firstNonce);
  }
}

async function deployInbox() {
  const [owner, guardian, member, relayer, other] = await ethers.getSigners();
  const verifier = await ethers.deployContract("MipsMockVerifier");
  const oracle = await ethers.deployContract("CommitteeBlockHashOracle", [
    owner.address,
    [member.address],
    1,
  ]);
  const target = await ethers.deployContract("MessageTargetMock");
  const vkey = randomVKey();
  const config = {
    verifier: await verifier.getAddress(),
    programVKey: vkey,
    sourceChainId: SOURCE,
    sourceOutbox: OUTBOX,
    oracle: await oracle.getAddress(),
    initialBlockNumber: START_BLOCK,
    initialAccumulator: ZERO_HASH,
    initialCount: 0n,
    owner: owner.address,
    guardian: guardian.address,
  };
  const inbox = await ethers.deployContract("StateInbox", [config]);
  const source = new SourceModel();
  const t = await target.getAddress();

  /** Has the committee attest `blockHash` for source block `blockNumber`. */
  async function attest(blockNumber: bigint, blockHash: string): Promise<void> {
    const domain = committeeDomain(DEST, config.oracle);
    const types = COMMITTEE_ATTESTATION_TYPES;
    const sig = await member.signTypedData(domain, types, { chainId: SOURCE, blockNumber, blockHash });
    await oracle.attest(SOURCE, blockNumber, blockHash, [sig]);
  }

  /** Builds, attests and submits the next update; returns it. */
  async function relay(blockNumber: bigint, from: Signer = relayer): Promise<StateUpdate> {
    const u = source.update(blockNumber, randomHex(32));
    await attest(u.blockNumber, u.blockHash);
    await (inbox.connect(from) as typeof inbox).submit(encodeStatePublicValues(u), "0x");
    source.accept(u);
    return u;
  }

  const store = (v: number) => target.interface.encodeFunctionData("store", [v]);
  return {
    owner,
    guardian,
    member,
    relayer,
    other,
    verifier,
    oracle,
    target,
    t,
    inbox,
    source,
    vkey,
    config,
    attest,
    relay,
    store,
    restore: source.snapshot(),
  };
}

/** loadFixture restores the chain; this also restores the TypeScript model of the source. */
async function load<T extends { source: SourceModel; restore: () => void }>(
  fixture: () => Promise<T>,
): Promise<T> {
  const f = await networkHelpers.loadFixture(fixture);
  f.restore();
  return f;
}

describe("StateInbox", () => {
  describe("accepting updates", () => {
    it("accepts an update chained to the initial state and records it", async () => {
      const { inbox, source, attest, relayer, t, store } = await load(deployInbox);
      source.send(relayer.address, t, store(1));
      source.send(relayer.address, t, store(2));
      const u = source.update(150n, randomHex(32));
      await attest(150n, u.blockHash);
      const tx = (inbox.connect(relayer) as typeof inbox).submit(encodeStatePublicValues(u), "0x");
      await expect(tx)
        .to.emit(inbox, "StateUpdated")
        .withArgs(0, 150, u.blockHash, u.newAccumulator, 0, 2, u.messagesRoot);
      expect(await inbox.lastBlockNumber()).to.equal(150n);
      expect(await inbox.lastBlockHash()).to.equal(u.blockHash);
      expect(await inbox.accumulator()).to.equal(u.newAccumulator);
      expect(await inbox.messageCount()).to.equal(2n);
      expect(await inbox.updateCount()).to.equal(1n);
      const rec = await inbox.getUpdate(0);
      expect(rec.messagesRoot).to.equal(u.messagesRoot);
      expect(rec.firstNonce).to.equal(0n);
      expect(rec.count).to.equal(2n);
      expect(rec.blockNumber).to.equal(150n);
      console.log(
        `      gas: StateInbox.submit (2 messages, mock verifier, committee oracle) = ${await gasOf(await tx)}`,
      );
    });

    it("accepts an update without messages (zero root) that only advances the block", async () => {
      const { inbox, relay } = await load(deployInbox);
      const u = await relay(101n);
      expect(u.messagesRoot).to.equal(ZERO_HASH);
      expect(await inbox.lastBlockNumber()).to.equal(101n);
      expect((await inbox.getUpdate(0)).count).to.equal(0n);
    });

    it("accepts a sequence of updates, each chained to the previous one", async () => {
      const { inbox, source, relay, relayer, t, store } = await load(deployInbox);
      source.send(relayer.address, t, store(1));
      await relay(110n);
      source.send(relayer.address, t, store(2));
      source.send(relayer.address, t, store(3));
      await relay(120n);
      await relay(130n);
      expect(await inbox.updateCount()).to.equal(3n);
      expect(await inbox.messageCount()).to.equal(3n);
      expect((await inbox.getUpdate(1)).firstNonce).to.equal(1n);
    });

    it("rejects a replayed update as stale", async () => {
      const { inbox, source, attest, relayer, t, store } = await load(deployInbox);
      source.send(relayer.address, t, store(1));
      const u = source.update(150n, randomHex(32));
      await attest(150n, u.blockHash);
      const pv = encodeStatePublicValues(u);
      await inbox.submit(pv, "0x");
      await expect(inbox.submit(pv, "0x"))
        .to.be.revertedWithCustomError(inbox, "StaleUpdate")
        .withArgs(150, 100);
    });

    it("rejects an update that skips the last accepted state", async () => {
      const { inbox, source, attest } = await load(deployInbox);
      const u = { ...source.update(200n, randomHex(32)), prevBlockNumber: 150n };
      await attest(200n, u.blockHash);
      await expect(inbox.submit(encodeStatePublicValues(u), "0x"))
        .to.be.revertedWithCustomError(inbox, "SkippedUpdate")
        .withArgs(100, 150);
    });

    it("rejects an update whose previous accumulator or count differs from the stored state", async () => {
      const { inbox, source, attest, relayer, t, store } = await load(deployInbox);
      source.send(relayer.address, t, store(1));
      const u = source.update(150n, randomHex(32));
      await attest(150n, u.blockHash);
      const badAcc = randomHex(32);
      await expect(inbox.submit(encodeStatePublicValues({ ...u, prevAccumulator: badAcc }), "0x"))
        .to.be.revertedWithCustomError(inbox, "PrevStateMismatch")
        .withArgs(ZERO_HASH, 0, badAcc, 0);
      await expect(inbox.submit(encodeStatePublicValues({ ...u, prevCount: 1n }), "0x"))
        .to.be.revertedWithCustomError(inbox, "PrevStateMismatch")
        .withArgs(ZERO_HASH, 0, ZERO_HASH, 1);
    });

    it("rejects an update whose block is not newer than the previous one", async () => {
      const { inbox, source, attest } = await load(deployInbox);
      for (const n of [START_BLOCK, START_BLOCK - 1n]) {
        const u = source.update(n, randomHex(32));
        await attest(n, u.blockHash);
        await expect(inbox.submit(encodeStatePublicValues(u), "0x"))
          .to.be.revertedWithCustomError(inbox, "BlockNotNewer")
          .withArgs(START_BLOCK, n);
      }
    });

    it("rejects an update for another source chain, destination chain or outbox", async () => {
      const { inbox, source, attest } = await load(deployInbox);
      const u = source.update(150n, randomHex(32));
      await attest(150n, u.blockHash);
      await expect(inbox.submit(encodeStatePublicValues({ ...u, sourceChainId: 1002n }), "0x"))
        .to.be.revertedWithCustomError(inbox, "WrongSourceChain")
        .withArgs(SOURCE, 1002);
      await expect(inbox.submit(encodeStatePublicValues({ ...u, destChainId: DEST + 1n }), "0x"))
        .to.be.revertedWithCustomError(inbox, "WrongDestinationChain")
        .withArgs(DEST, DEST + 1n);
      const fake = getAddress(randomHex(20));
      await expect(inbox.submit(encodeStatePublicValues({ ...u, sourceOutbox: fake }), "0x"))
        .to.be.revertedWithCustomError(inbox, "WrongSourceOutbox")
        .withArgs(OUTBOX, fake);
    });

    it("rejects a block hash the oracle does not vouch for", async () => {
      const { inbox, source, attest, relayer, t, store } = await load(deployInbox);
      source.send(relayer.address, t, store(1));
      const u = source.update(150n, randomHex(32));
      await expect(inbox.submit(encodeStatePublicValues(u), "0x"))
        .to.be.revertedWithCustomError(inbox, "UntrustedBlockHash")
        .withArgs(SOURCE, 150, u.blockHash);
      await attest(150n, randomHex(32));
      await expect(inbox.submit(encodeStatePublicValues(u), "0x"))
        .to.be.revertedWithCustomError(inbox, "UntrustedBlockHash")
        .withArgs(SOURCE, 150, u.blockHash);
    });

    it("rejects inconsistent message counts and roots", async () => {
      const { inbox, source, attest, relayer, t, store } = await load(deployInbox);
      const empty = source.update(150n, randomHex(32));
      await attest(150n, empty.blockHash);
      const root = randomHex(32);
      await expect(inbox.submit(encodeStatePublicValues({ ...empty, messagesRoot: root }), "0x"))
        .to.be.revertedWithCustomError(inbox, "InvalidMessagesRoot")
        .withArgs(root);
      source.send(relayer.address, t, store(1));
      const one = source.update(150n, empty.blockHash);
      await expect(inbox.submit(encodeStatePublicValues({ ...one, messagesRoot: ZERO_HASH }), "0x"))
        .to.be.revertedWithCustomError(inbox, "InvalidMessagesRoot")
        .withArgs(ZERO_HASH);
      await inbox.submit(encodeStatePublicValues(one), "0x");
      source.accept(one);
      const back = { ...source.update(160n, randomHex(32)), newCount: 0n };
      await attest(160n, back.blockHash);
      await expect(inbox.submit(encodeStatePublicValues(back), "0x"))
        .to.be.revertedWithCustomError(inbox, "InvalidMessageCount")
        .withArgs(1, 0);
      const huge = { ...source.update(160n, back.blockHash), newCount: 1n << 64n };
      await expect(inbox.submit(encodeStatePublicValues(huge), "0x"))
        .to.be.revertedWithCustomError(inbox, "InvalidMessageCount")
        .withArgs(1, 1n << 64n);
    });

    it("rejects malformed public values with the decoder's custom errors", async () => {
      const { inbox, source } = await load(deployInbox);
      const pv = encodeStatePublicValues(source.update(150n, randomHex(32)));
      await expect(inbox.submit(pv.subarray(0, 100), "0x"))
        .to.be.revertedWithCustomError(inbox, "InvalidPublicValuesLength")
        .withArgs(384, 100);
      await expect(inbox.submit("0x", "0x")).to.be.revertedWithCustomError(
        inbox,
        "InvalidPublicValuesLength",
      );
      const v2 = Uint8Array.from(pv);
      v2[31] = 2;
      await expect(inbox.submit(v2, "0x"))
        .to.be.revertedWithCustomError(inbox, "UnsupportedPublicValuesVersion")
        .withArgs(2);
      const dirty = Uint8Array.from(pv);
      dirty[3 * 32 + 5] = 0xff;
      await expect(inbox.submit(dirty, "0x"))
        .to.be.revertedWithCustomError(inbox, "MalformedPublicValues")
        .withArgs(3);
    });

    it("answers random public values only with custom errors (never a panic)", async () => {
      const { inbox, source } = await load(deployInbox);
      const valid = encodeStatePublicValues(source.update(150n, randomHex(32)));
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.uint8Array({ maxLength: 500 }),
            // Valid layout with one random word: reaches the later checks.
            fc
              .tuple(fc.integer({ min: 0, max: 11 }), fc.uint8Array({ minLength: 32, maxLength: 32 }))
              .map(([w, b]) => {
                const pv = Uint8Array.from(valid);
                pv.set(b, 32 * w);
                return pv;
              }),
          ),
          async (pv) => {
            const data = await revertData(inbox.submit(pv, "0x"));
            expect(inbox.interface.parseError(data), `revert data ${data}`).to.not.equal(null);
          },
        ),
        { numRuns: 80 },
      );
    });

    it("rejects an update whose proof the verifier rejects", async () => {
      const { inbox, verifier, source, attest } = await load(deployInbox);
      const u = source.update(150n, randomHex(32));
      await attest(150n, u.blockHash);
      await expect(inbox.submit(encodeStatePublicValues(u), "0x00"))
        .to.be.revertedWithCustomError(verifier, "MockProofNotEmpty")
        .withArgs(1);
    });

    it("hands its programVKey and the exact public values to a real verifier stack", async () => {
      const { owner, member, source, oracle } = await load(deployInbox);
      const stub = await ethers.deployContract("Groth16VerifierStub");
      const wrapper = await ethers.deployContract("MipsVerifierGroth16", [
        await stub.getAddress(),
        "0x01020304",
      ]);
      const gateway = await ethers.deployContract("MipsVerifierGateway", [owner.address]);
      await gateway.addRoute(await wrapper.getAddress());
      const vkey = randomVKey();
      const inbox = await ethers.deployContract("StateInbox", [
        {
          verifier: await gateway.getAddress(),
          programVKey: vkey,
          sourceChainId: SOURCE,
          sourceOutbox: OUTBOX,
          oracle: await oracle.getAddress(),
          initialBlockNumber: START_BLOCK,
          initialAccumulator: ZERO_HASH,
          initialCount: 0n,
          owner: owner.address,
          guardian: owner.address,
        },
      ]);
      const u = source.update(150n, randomHex(32));
      const domain = committeeDomain(DEST, await oracle.getAddress());
      const types = COMMITTEE_ATTESTATION_TYPES;
      await oracle.attest(SOURCE, 150n, u.blockHash, [
        await member.signTypedData(domain, types, {
          chainId: SOURCE,
          blockNumber: 150n,
          blockHash: u.blockHash,
        }),
      ]);
      const pv = encodeStatePublicValues(u);
      const words = Array.from({ length: 8 }, () => randomHex(32));
      await stub.setExpected(keccak256(concat(words)), vkey, publicValuesDigest(pv));
      await expect(inbox.setProgramVKey(randomVKey())).to.emit(inbox, "ProgramVKeyChanged");
      await expect(inbox.submit(pv, proofBytes("0x01020304", words))).to.be.revertedWithCustomError(
        wrapper,
        "InvalidProof",
      );
      await inbox.setProgramVKey(vkey);
      await expect(inbox.submit(pv, proofBytes("0x01020304", words))).to.emit(inbox, "StateUpdated");
    });
  });

  describe("executing messages", () => {
    async function withMessages() {
      const f = await deployInbox();
      const { source, relayer, other, t, store } = f;
      for (let i = 0; i < 5; i++)
        source.send(i % 2 === 0 ? relayer.address : other.address, t, store(10 + i));
      await f.relay(150n);
      return { ...f, restore: source.snapshot() };
    }

    it("executes every message of an update once, exposing its source sender", async () => {
      const { inbox, source, target, t, relayer, other } = await load(withMessages);
      for (let i = 0; i < 5; i++) {
        const m = source.messages[i];
        const h = messageHash(m);
        const tx = inbox.executeMessage(m, 0, source.proof(0, 5, i));
        await expect(tx).to.emit(inbox, "MessageExecuted").withArgs(h, i, t);
        expect(await inbox.messageStatus(h)).to.equal(1n);
        expect(await target.lastValue()).to.equal(BigInt(10 + i));
        expect(await target.lastXSender()).to.equal(i % 2 === 0 ? relayer.address : other.address);
        if (i === 0)
          console.log(
            `      gas: StateInbox.executeMessage (depth-3 proof, 36-byte payload) = ${await gasOf(await tx)}`,
          );
      }
      expect(await target.calls()).to.equal(5n);
    });

    it("refuses to execute a message twice", async () => {
      const { inbox, source } = await load(withMessages);
      const m = source.messages[2];
      await inbox.executeMessage(m, 0, source.proof(0, 5, 2));
      await expect(inbox.executeMessage(m, 0, source.proof(0, 5, 2)))
        .to.be.revertedWithCustomError(inbox, "MessageAlreadyExecuted")
        .withArgs(messageHash(m));
    });

    it("blocks a target that re-enters to execute its own message again", async () => {
      const { inbox, source, target, relay, relayer, t } = await load(withMessages);
      const m = source.send(relayer.address, t, target.interface.encodeFunctionData("reenter"));
      await relay(160n);
      const proof = source.proof(5, 6, 5);
      await target.arm(inbox.interface.encodeFunctionData("executeMessage", [m, 1, proof]));
      await expect(inbox.executeMessage(m, 1, proof)).to.emit(inbox, "MessageExecuted");
      expect(await target.reentered()).to.equal(true);
      expect(await target.reenterSucceeded()).to.equal(false);
      expect(await target.reenterResult()).to.equal(
        inbox.interface.encodeErrorResult("MessageAlreadyExecuted", [messageHash(m)]),
      );
      expect(await target.calls()).to.equal(1n);
    });

    it("records a reverting target call as failed and lets anyone retry it", async () => {
      const { inbox, source, target, t, other } = await load(withMessages);
      await target.setShouldRevert(true);
      const m = source.messages[1];
      const h = messageHash(m);
      const reason = target.interface.encodeErrorResult("TargetRefused", [11]);
      await expect(inbox.executeMessage(m, 0, source.proof(0, 5, 1)))
        .to.emit(inbox, "MessageFailed")
        .withArgs(h, 1, t, reason);
      expect(await inbox.messageStatus(h)).to.equal(2n);
      await target.setShouldRevert(false);
      await expect((inbox.connect(other) as typeof inbox).executeMessage(m, 0, source.proof(0, 5, 1)))
        .to.emit(inbox, "MessageExecuted")
        .withArgs(h, 1, t);
      expect(await inbox.messageStatus(h)).to.equal(1n);
      await expect(inbox.executeMessage(m, 0, source.proof(0, 5, 1))).to.be.revertedWithCustomError(
        inbox,
        "MessageAlreadyExecuted",
      );
    });

    it("rejects a message whose fields were altered (payload, sender, nonce)", async () => {
      const { inbox, source, store, other } = await load(withMessages);
      const m = source.messages[0];
      const proof = source.proof(0, 5, 0);
      for (const bad of [
        { ...m, payload: store(999) },
        { ...m, sender: other.address },
      ]) {
        await expect(inbox.executeMessage(bad, 0, proof))
          .to.be.revertedWithCustomError(inbox, "InvalidMerkleProof")
          .withArgs(messageHash(bad), 0);
      }
      const moved = { ...m, nonce: 1n };
      await expect(inbox.executeMessage(moved, 0, proof)).to.be.revertedWithCustomError(
        inbox,
        "InvalidMerkleProof",
      );
    });

    it("rejects a Merkle proof with a changed sibling or the wrong length", async () => {
      const { inbox, source } = await load(withMessages);
      const m = source.messages[3];
      const proof = source.proof(0, 5, 3);
      const bad = [...proof];
      bad[1] = randomHex(32);
      await expect(inbox.executeMessage(m, 0, bad)).to.be.revertedWithCustomError(
        inbox,
        "InvalidMerkleProof",
      );
      await expect(inbox.executeMessage(m, 0, proof.slice(0, 2)))
        .to.be.revertedWithCustomError(inbox, "MerkleProofLengthMismatch")
        .withArgs(3, 2);
      await expect(inbox.executeMessage(m, 0, [...proof, ZERO_HASH]))
        .to.be.revertedWithCustomError(inbox, "MerkleProofLengthMismatch")
        .withArgs(3, 4);
    });

    it("rejects an unknown update id and a nonce outside the update", async () => {
      const { inbox, source, relay, relayer, t, store } = await load(withMessages);
      const m = source.messages[0];
      await expect(inbox.executeMessage(m, 1, []))
        .to.be.revertedWithCustomError(inbox, "UnknownUpdate")
        .withArgs(1);
      await expect(inbox.getUpdate(7)).to.be.revertedWithCustomError(inbox, "UnknownUpdate").withArgs(7);
      const later = source.send(relayer.address, t, store(77));
      await relay(160n);
      await expect(inbox.executeMessage(later, 0, source.proof(5, 6, 5)))
        .to.be.revertedWithCustomError(inbox, "NonceNotInUpdate")
        .withArgs(5, 0);
      await expect(inbox.executeMessage(m, 1, []))
        .to.be.revertedWithCustomError(inbox, "NonceNotInUpdate")
        .withArgs(0, 1);
      await inbox.executeMessage(later, 1, []);
    });

    it("rejects a message for another source or destination chain", async () => {
      const { inbox, source } = await load(withMessages);
      const m = source.messages[0];
      await expect(inbox.executeMessage({ ...m, sourceChainId: 5n }, 0, source.proof(0, 5, 0)))
        .to.be.revertedWithCustomError(inbox, "WrongSourceChain")
        .withArgs(SOURCE, 5);
      await expect(inbox.executeMessage({ ...m, destChainId: 5n }, 0, source.proof(0, 5, 0)))
        .to.be.revertedWithCustomError(inbox, "WrongDestinationChain")
        .withArgs(DEST, 5);
    });

    it("never lets a message be proven for a destination it was not sent to", async () => {
      const { inbox, source, relay, relayer, t, store } = await load(withMessages);
      const elsewhere = source.send(relayer.address, t, store(1), DEST + 1n);
      await relay(160n);
      await expect(inbox.executeMessage(elsewhere, 1, [])).to.be.revertedWithCustomError(
        inbox,
        "WrongDestinationChain",
      );
      await expect(
        inbox.executeMessage({ ...elsewhere, destChainId: DEST }, 1, []),
      ).to.be.revertedWithCustomError(inbox, "InvalidMerkleProof");
    });

    it("refuses messages that target the inbox itself", async () => {
      const { inbox, source, relay, relayer } = await load(withMessages);
      const self = await inbox.getAddress();
      const m = source.send(relayer.address, self, inbox.interface.encodeFunctionData("unpause"));
      await relay(160n);
      await expect(inbox.executeMessage(m, 1, []))
        .to.be.revertedWithCustomError(inbox, "ForbiddenTarget")
        .withArgs(self);
    });

    it("counts a call to an account without code as executed", async () => {
      const { inbox, source, relay, relayer } = await load(withMessages);
      const eoa = getAddress(randomHex(20));
      const m = source.send(relayer.address, eoa, "0x1234");
      await relay(160n);
      const tx = inbox.executeMessage(m, 1, []);
      await expect(tx).to.emit(inbox, "MessageExecuted").withArgs(messageHash(m), 5, eoa);
      console.log(
        `      gas: StateInbox.executeMessage (one-message update, target without code) = ${await gasOf(await tx)}`,
      );
    });

    it("answers xMessageSender only during a message call", async () => {
      const { inbox } = await load(withMessages);
      await expect(inbox.xMessageSender()).to.be.revertedWithCustomError(inbox, "NotExecutingMessage");
    });
  });

  describe("pausing and administration", () => {
    it("lets the guardian pause, which stops submit and executeMessage, and the owner unpause", async () => {
      const { inbox, guardian, owner, source, attest, relayer, t, store } = await load(deployInbox);
      source.send(relayer.address, t, store(1));
      const u = source.update(150n, randomHex(32));
      await attest(150n, u.blockHash);
      await expect((inbox.connect(guardian) as typeof inbox).pause())
        .to.emit(inbox, "Paused")
        .withArgs(guardian.address);
      expect(await inbox.paused()).to.equal(true);
      await expect(inbox.submit(encodeStatePublicValues(u), "0x")).to.be.revertedWithCustomError(
        inbox,
        "IsPaused",
      );
      await expect((inbox.connect(guardian) as typeof inbox).pause()).to.be.revertedWithCustomError(
        inbox,
        "IsPaused",
      );
      await expect((inbox.connect(guardian) as typeof inbox).unpause())
        .to.be.revertedWithCustomError(inbox, "NotOwner")
        .withArgs(guardian.address);
      await expect(inbox.unpause()).to.emit(inbox, "Unpaused").withArgs(owner.address);
      await inbox.submit(encodeStatePublicValues(u), "0x");
      source.accept(u);
      await inbox.pause();
      await expect(inbox.executeMessage(source.messages[0], 0, [])).to.be.revertedWithCustomError(
        inbox,
        "IsPaused",
      );
      await inbox.unpause();
      await inbox.executeMessage(source.messages[0], 0, []);
      await expect(inbox.unpause()).to.be.revertedWithCustomError(inbox, "NotPaused");
    });

    it("refuses pause from anyone but the guardian or owner", async () => {
      const { inbox, other } = await load(deployInbox);
      await expect((inbox.connect(other) as typeof inbox).pause())
        .to.be.revertedWithCustomError(inbox, "NotGuardianOrOwner")
        .withArgs(other.address);
    });

    it("lets only the owner change guardian, programVKey and oracle, with events", async () => {
      const { inbox, other, guardian, oracle, vkey } = await load(deployInbox);
      const oldOracle = await oracle.getAddress();
      const newVKey = randomVKey();
      for (const call of [
        (inbox.connect(other) as typeof inbox).setGuardian(other.address),
        (inbox.connect(other) as typeof inbox).setProgramVKey(newVKey),
        (inbox.connect(other) as typeof inbox).setOracle(other.address),
      ]) {
        await expect(call).to.be.revertedWithCustomError(inbox, "NotOwner").withArgs(other.address);
      }
      await expect(inbox.setGuardian(other.address))
        .to.emit(inbox, "GuardianChanged")
        .withArgs(guardian.address, other.address);
      await expect((inbox.connect(other) as typeof inbox).pause()).to.emit(inbox, "Paused");
      await expect(inbox.setProgramVKey(newVKey))
        .to.emit(inbox, "ProgramVKeyChanged")
        .withArgs(vkey, newVKey);
      expect(await inbox.programVKey()).to.equal(newVKey);
      const newOracle = await ethers.deployContract("SameChainBlockHashOracle");
      await expect(inbox.setOracle(await newOracle.getAddress()))
        .to.emit(inbox, "OracleChanged")
        .withArgs(oldOracle, await newOracle.getAddress());
      await expect(inbox.setOracle(ethers.ZeroAddress)).to.be.revertedWithCustomError(inbox, "ZeroAddress");
    });

    it("transfers ownership in two steps", async () => {
      const { inbox, owner, other, relayer } = await load(deployInbox);
      await expect(inbox.transferOwnership(other.address))
        .to.emit(inbox, "OwnershipTransferStarted")
        .withArgs(owner.address, other.address);
      await expect((inbox.connect(relayer) as typeof inbox).acceptOwnership()).to.be.revertedWithCustomError(
        inbox,
        "NotPendingOwner",
      );
      await expect((inbox.connect(other) as typeof inbox).acceptOwnership())
        .to.emit(inbox, "OwnershipTransferred")
        .withArgs(owner.address, other.address);
      await expect(inbox.unpause()).to.be.revertedWithCustomError(inbox, "NotOwner").withArgs(owner.address);
    });

    it("refuses a zero verifier, oracle, outbox or owner at deployment", async () => {
      const { config } = await load(deployInbox);
      const factory = await ethers.getContractFactory("StateInbox");
      for (const k of ["verifier", "oracle", "sourceOutbox"] as const) {
        await expect(factory.deploy({ ...config, [k]: ethers.ZeroAddress })).to.be.revertedWithCustomError(
          factory,
          "ZeroAddress",
        );
      }
      await expect(factory.deploy({ ...config, owner: ethers.ZeroAddress })).to.be.revertedWithCustomError(
        factory,
        "ZeroOwner",
      );
    });

    it("announces its initial programVKey, oracle and guardian, and refuses an initial count >= 2^64", async () => {
      const { config } = await load(deployInbox);
      const factory = await ethers.getContractFactory("StateInbox");
      const inbox = await factory.deploy(config);
      const tx = inbox.deploymentTransaction();
      if (tx === null) throw new Error("no deployment transaction");
      await expect(tx).to.emit(inbox, "ProgramVKeyChanged").withArgs(ZERO_HASH, config.programVKey);
      await expect(tx).to.emit(inbox, "OracleChanged").withArgs(ethers.ZeroAddress, config.oracle);
      await expect(tx).to.emit(inbox, "GuardianChanged").withArgs(ethers.ZeroAddress, config.guardian);
      await expect(factory.deploy({ ...config, initialCount: 1n << 64n }))
        .to.be.revertedWithCustomError(factory, "InvalidMessageCount")
        .withArgs(0, 1n << 64n);
    });

    it("starts from a configured non-empty initial state", async () => {
      const { config } = await load(deployInbox);
      const acc = randomHex(32);
      const inbox = await ethers.deployContract("StateInbox", [
        { ...config, initialAccumulator: acc, initialCount: 7n },
      ]);
      expect(await inbox.accumulator()).to.equal(acc);
      expect(await inbox.messageCount()).to.equal(7n);
      expect(await inbox.lastBlockNumber()).to.equal(START_BLOCK);
      expect(await inbox.SOURCE_CHAIN_ID()).to.equal(SOURCE);
      expect(await inbox.SOURCE_OUTBOX()).to.equal(OUTBOX);
    });
  });
});

describe("StateInbox under random operation sequences (model-based)", () => {
  type Op =
    | { kind: "send"; n: number }
    | { kind: "relay" }
    | { kind: "replay"; i: number }
    | { kind: "exec"; i: number }
    | { kind: "unproven"; i: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant("send" as const), n: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ kind: fc.constant("relay" as const) }),
    fc.record({ kind: fc.constant("replay" as const), i: fc.nat() }),
    fc.record({ kind: fc.constant("exec" as const), i: fc.nat() }),
    fc.record({ kind: fc.constant("unproven" as const), i: fc.nat() }),
  );

  it("executes each proven message at most once, never an unproven one, and rejects every replayed update", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 25 }), async (ops) => {
        const { inbox, source, target, relay, relayer, t, store } = await load(deployInbox);
        const updates: { first: number; end: number; pv: Uint8Array }[] = [];
        const executed = new Set<number>();
        let block = START_BLOCK;
        const updateOf = (nonce: number) => updates.findIndex((u) => nonce >= u.first && nonce < u.end);
        for (const o of ops) {
          if (o.kind === "send") {
            for (let k = 0; k < o.n; k++) source.send(relayer.address, t, store(source.messages.length));
          } else if (o.kind === "relay") {
            const first = source.provenCount;
            block += 7n;
            const u = await relay(block);
            updates.push({ first, end: Number(u.newCount), pv: encodeStatePublicValues(u) });
          } else if (o.kind === "replay" && updates.length > 0) {
            const u = updates[o.i % updates.length];
            await expect(inbox.submit(u.pv, "0x")).to.be.revertedWithCustomError(inbox, "StaleUpdate");
          } else if (o.kind === "exec" && source.provenCount > 0) {
            const nonce = o.i % source.provenCount;
            const id = updateOf(nonce);
            const proof = source.proof(updates[id].first, updates[id].end, nonce);
            const call = inbox.executeMessage(source.messages[nonce], id, proof);
            if (executed.has(nonce)) {
              await expect(call).to.be.revertedWithCustomError(inbox, "MessageAlreadyExecuted");
            } else {
              await expect(call).to.emit(inbox, "MessageExecuted");
              executed.add(nonce);
            }
          } else if (o.kind === "unproven" && source.messages.length > source.provenCount) {
            const nonce = source.provenCount + (o.i % (source.messages.length - source.provenCount));
            const id = Math.max(updates.length - 1, 0);
            const data = await revertData(inbox.executeMessage(source.messages[nonce], id, []));
            const name = inbox.interface.parseError(data)?.name;
            expect(["UnknownUpdate", "NonceNotInUpdate"]).to.include(name);
          }
        }
        expect(await target.calls()).to.equal(BigInt(executed.size));
        expect(await inbox.messageCount()).to.equal(BigInt(source.provenCount));
        expect(await inbox.updateCount()).to.equal(BigInt(updates.length));
        for (let n = 0; n < source.messages.length; n++) {
          const status = await inbox.messageStatus(messageHash(source.messages[n]));
          expect(status).to.equal(executed.has(n) ? 1n : 0n);
        }
      }),
      { numRuns: 25 },
    );
  });
});
