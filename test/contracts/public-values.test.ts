import { expect } from "chai";
import { network } from "hardhat";
import fc from "fast-check";
import { getAddress, hexlify } from "ethers";
import {
  PUBLIC_VALUES_LENGTH,
  type BridgeMessage,
  type StateUpdate,
  chainAccumulator,
  decodeStatePublicValues,
  encodeStatePublicValues,
  messageHash,
  messagesProof,
  messagesRoot,
  treeDepth,
} from "../../src/bridge/public-values.ts";
import { ZkmipsError } from "../../src/errors.ts";
import { randomHex } from "./support.ts";

const { ethers } = await network.create();
const harness = await ethers.deployContract("BridgeCodecHarness");

const u256 = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n });
const small = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => hexlify(b));
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(hexlify(b)));
const update: fc.Arbitrary<StateUpdate> = fc.record({
  sourceChainId: u256,
  destChainId: u256,
  sourceOutbox: address,
  prevBlockNumber: small,
  prevAccumulator: bytes32,
  prevCount: small,
  blockNumber: u256,
  blockHash: bytes32,
  newAccumulator: bytes32,
  newCount: u256,
  messagesRoot: bytes32,
});
const message: fc.Arbitrary<BridgeMessage> = fc.record({
  nonce: u256,
  sourceChainId: u256,
  destChainId: u256,
  sender: address,
  target: address,
  payload: fc.uint8Array({ maxLength: 200 }),
});

function sample(): StateUpdate {
  return fc.sample(update, 1)[0];
}

describe("bridge public values: TypeScript codec against the Solidity decoder", () => {
  it("encodes 384 bytes that StateInbox's decoder reads back field by field", async () => {
    await fc.assert(
      fc.asyncProperty(update, async (u) => {
        const pv = encodeStatePublicValues(u);
        expect(pv.length).to.equal(PUBLIC_VALUES_LENGTH);
        const d = await harness.decode(pv);
        expect(d.version).to.equal(1n);
        expect(d.sourceChainId).to.equal(u.sourceChainId);
        expect(d.destChainId).to.equal(u.destChainId);
        expect(d.sourceOutbox).to.equal(u.sourceOutbox);
        expect(d.prevBlockNumber).to.equal(u.prevBlockNumber);
        expect(d.prevAccumulator).to.equal(u.prevAccumulator);
        expect(d.prevCount).to.equal(u.prevCount);
        expect(d.blockNumber).to.equal(u.blockNumber);
        expect(d.blockHash).to.equal(u.blockHash);
        expect(d.newAccumulator).to.equal(u.newAccumulator);
        expect(d.newCount).to.equal(u.newCount);
        expect(d.messagesRoot).to.equal(u.messagesRoot);
        expect(decodeStatePublicValues(pv)).to.deep.equal(u);
      }),
      { numRuns: 40 },
    );
  });

  it("places each field at its documented word", () => {
    const u = sample();
    const pv = encodeStatePublicValues(u);
    const word = (i: number) => BigInt(hexlify(pv.subarray(32 * i, 32 * i + 32)));
    expect(word(0)).to.equal(1n);
    expect(word(1)).to.equal(u.sourceChainId);
    expect(word(2)).to.equal(u.destChainId);
    expect(word(3)).to.equal(BigInt(u.sourceOutbox));
    expect(word(7)).to.equal(u.blockNumber);
    expect(word(10)).to.equal(u.newCount);
    expect(word(11)).to.equal(BigInt(u.messagesRoot));
  });

  it("is rejected by both decoders when its length is wrong", async () => {
    const pv = encodeStatePublicValues(sample());
    for (const bad of [pv.subarray(0, 383), new Uint8Array([...pv, 0]), new Uint8Array(0)]) {
      await expect(harness.decode(bad))
        .to.be.revertedWithCustomError(harness, "InvalidPublicValuesLength")
        .withArgs(384, bad.length);
      expect(() => decodeStatePublicValues(bad)).to.throw(ZkmipsError, /384 bytes/);
    }
  });

  it("is rejected by both decoders when its version is not 1", async () => {
    const pv = encodeStatePublicValues(sample());
    pv[31] = 2;
    await expect(harness.decode(pv))
      .to.be.revertedWithCustomError(harness, "UnsupportedPublicValuesVersion")
      .withArgs(2);
    expect(() => decodeStatePublicValues(pv)).to.throw(ZkmipsError, /version/);
  });

  it("is rejected by both decoders when the outbox word has dirty upper bytes", async () => {
    const pv = encodeStatePublicValues(sample());
    pv[3 * 32] = 1;
    await expect(harness.decode(pv))
      .to.be.revertedWithCustomError(harness, "MalformedPublicValues")
      .withArgs(3);
    expect(() => decodeStatePublicValues(pv)).to.throw(ZkmipsError, /address/);
  });

  it("refuses to encode out-of-range or malformed fields", () => {
    const u = sample();
    expect(() => encodeStatePublicValues({ ...u, newCount: -1n })).to.throw(ZkmipsError, /newCount/);
    expect(() => encodeStatePublicValues({ ...u, blockNumber: 1n << 256n })).to.throw(
      ZkmipsError,
      /blockNumber/,
    );
    expect(() => encodeStatePublicValues({ ...u, blockHash: "0x1234" })).to.throw(ZkmipsError, /blockHash/);
    expect(() => encodeStatePublicValues({ ...u, sourceOutbox: "0xnope" })).to.throw(
      ZkmipsError,
      /sourceOutbox/,
    );
  });
});

describe("bridge messages: TypeScript hashing and Merkle tree against Solidity", () => {
  it("hashes a message exactly as the contracts do", async () => {
    await fc.assert(
      fc.asyncProperty(message, async (m) => {
        expect(await harness.messageHash(m)).to.equal(messageHash(m));
      }),
      { numRuns: 30 },
    );
  });

  it("chains the accumulator exactly as the outbox does", async () => {
    const acc = randomHex(32);
    const h = randomHex(32);
    expect(await harness.chain(acc, h)).to.equal(chainAccumulator(acc, h));
  });

  it("builds roots and proofs that the Solidity verifier accepts for 1 to 9 leaves", async () => {
    for (let n = 1; n <= 9; n++) {
      const leaves = Array.from({ length: n }, () => randomHex(32));
      const root = messagesRoot(leaves);
      expect(await harness.treeDepth(n)).to.equal(BigInt(treeDepth(n)));
      for (let i = 0; i < n; i++) {
        const proof = messagesProof(leaves, i);
        expect(proof.length).to.equal(treeDepth(n));
        expect(await harness.rootFrom(leaves[i], i, proof)).to.equal(root);
      }
    }
  });

  it("uses the leaf itself as the root of a one-message update and zero for none", () => {
    const leaf = randomHex(32);
    expect(messagesRoot([leaf])).to.equal(leaf);
    expect(messagesProof([leaf], 0)).to.deep.equal([]);
    expect(messagesRoot([])).to.equal("0x" + "00".repeat(32));
  });

  it("refuses a proof index outside the update", () => {
    expect(() => messagesProof([randomHex(32)], 1)).to.throw(ZkmipsError, /outside/);
    expect(() => messagesProof([randomHex(32)], -1)).to.throw(ZkmipsError, /outside/);
  });
});
