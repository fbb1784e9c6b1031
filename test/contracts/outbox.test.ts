import { expect } from "chai";
import { network } from "hardhat";
import { decodeRlp, toBeHex, zeroPadValue } from "ethers";
import { verifyMptProof } from "./mpt.ts";
import {
  OUTBOX_ACCUMULATOR_SLOT,
  OUTBOX_COUNT_SLOT,
  ZERO_HASH,
  type BridgeMessage,
  chainAccumulator,
  encodeStatePublicValues,
  messageHash,
  messagesProof,
  messagesRoot,
} from "../../src/bridge/public-values.ts";
import { randomHex } from "./support.ts";

const { ethers, networkHelpers } = await network.create();
const { chainId } = await ethers.provider.getNetwork();
const DEST = 777n;

async function deployOutbox() {
  const [alice, bob] = await ethers.getSigners();
  const outbox = await ethers.deployContract("MessageOutbox");
  return { alice, bob, outbox, address: await outbox.getAddress() };
}

async function slot(address: string, s: bigint): Promise<string> {
  return ethers.provider.getStorage(address, s);
}

describe("MessageOutbox", () => {
  it("assigns consecutive nonces and emits each message with its hash and the new accumulator", async () => {
    const { outbox, alice, bob } = await networkHelpers.loadFixture(deployOutbox);
    let acc = ZERO_HASH;
    for (let i = 0; i < 3; i++) {
      const from = i === 1 ? bob : alice;
      const target = ethers.getAddress(randomHex(20));
      const payload = randomHex(10 * i);
      const m: BridgeMessage = {
        nonce: BigInt(i),
        sourceChainId: chainId,
        destChainId: DEST,
        sender: from.address,
        target,
        payload,
      };
      const h = messageHash(m);
      acc = chainAccumulator(acc, h);
      expect(
        await (outbox.connect(from) as typeof outbox).sendMessage.staticCall(DEST, target, payload),
      ).to.equal(BigInt(i));
      await expect((outbox.connect(from) as typeof outbox).sendMessage(DEST, target, payload))
        .to.emit(outbox, "MessageSent")
        .withArgs(i, DEST, from.address, target, payload, h, acc);
    }
    expect(await outbox.accumulator()).to.equal(acc);
    expect(await outbox.messageCount()).to.equal(3n);
  });

  it("keeps the accumulator in slot 0 and the count in slot 1, provable with eth_getProof", async () => {
    const { outbox, address } = await networkHelpers.loadFixture(deployOutbox);
    expect(await outbox.ACCUMULATOR_SLOT()).to.equal(OUTBOX_ACCUMULATOR_SLOT);
    expect(await outbox.COUNT_SLOT()).to.equal(OUTBOX_COUNT_SLOT);
    expect(await slot(address, 0n)).to.equal(ZERO_HASH);
    await outbox.sendMessage(DEST, address, "0xabcd");
    await outbox.sendMessage(DEST, address, "0x");
    expect(await slot(address, OUTBOX_ACCUMULATOR_SLOT)).to.equal(await outbox.accumulator());
    expect(BigInt(await slot(address, OUTBOX_COUNT_SLOT))).to.equal(2n);
    const keys = [zeroPadValue(toBeHex(0), 32), zeroPadValue(toBeHex(1), 32)];
    const proof = (await ethers.provider.send("eth_getProof", [address, keys, "latest"])) as {
      storageProof: { key: string; value: string; proof: string[] }[];
    };
    expect(BigInt(proof.storageProof[0].value)).to.equal(BigInt(await outbox.accumulator()));
    expect(BigInt(proof.storageProof[1].value)).to.equal(2n);
  });

  it("has both slots provable from the block's state root, as the storage-proof guest checks", async () => {
    const { outbox, address } = await networkHelpers.loadFixture(deployOutbox);
    await outbox.sendMessage(DEST, address, "0xabcd");
    await outbox.sendMessage(DEST, address, randomHex(100));
    const block = await ethers.provider.send("eth_getBlockByNumber", ["latest", false]);
    const keys = [
      zeroPadValue(toBeHex(OUTBOX_ACCUMULATOR_SLOT), 32),
      zeroPadValue(toBeHex(OUTBOX_COUNT_SLOT), 32),
    ];
    const p = (await ethers.provider.send("eth_getProof", [address, keys, block.number])) as {
      accountProof: string[];
      storageHash: string;
      storageProof: { key: string; value: string; proof: string[] }[];
    };
    const account = verifyMptProof(block.stateRoot, address, p.accountProof);
    if (account === null) throw new Error("outbox account absent from the state trie");
    const [, , storageRoot] = decodeRlp(account) as string[];
    expect(storageRoot).to.equal(p.storageHash);
    const acc = verifyMptProof(storageRoot, keys[0], p.storageProof[0].proof);
    const count = verifyMptProof(storageRoot, keys[1], p.storageProof[1].proof);
    expect(acc === null ? 0n : BigInt(decodeRlp(acc) as string)).to.equal(BigInt(await outbox.accumulator()));
    expect(count === null ? 0n : BigInt(decodeRlp(count) as string)).to.equal(2n);
    // A different slot is provably empty, and a tampered node breaks the proof.
    const other = zeroPadValue(toBeHex(2), 32);
    const p2 = (await ethers.provider.send("eth_getProof", [address, [other], block.number])) as typeof p;
    expect(verifyMptProof(storageRoot, other, p2.storageProof[0].proof)).to.equal(null);
    const bad = [...p.storageProof[0].proof];
    bad[bad.length - 1] =
      bad[bad.length - 1].slice(0, -2) + (bad[bad.length - 1].endsWith("00") ? "01" : "00");
    expect(() => verifyMptProof(storageRoot, keys[0], bad)).to.throw(/hash/);
  });

  it("rejects destination chain 0, target address(0) and oversized payloads", async () => {
    const { outbox, address } = await networkHelpers.loadFixture(deployOutbox);
    await expect(outbox.sendMessage(0, address, "0x"))
      .to.be.revertedWithCustomError(outbox, "InvalidDestinationChain")
      .withArgs(0);
    await expect(outbox.sendMessage(DEST, ethers.ZeroAddress, "0x")).to.be.revertedWithCustomError(
      outbox,
      "InvalidTarget",
    );
    const max = Number(await outbox.MAX_PAYLOAD_BYTES());
    await outbox.sendMessage(DEST, address, randomHex(max));
    await expect(outbox.sendMessage(DEST, address, randomHex(max + 1)))
      .to.be.revertedWithCustomError(outbox, "PayloadTooLarge")
      .withArgs(max + 1, max);
    expect(await outbox.messageCount()).to.equal(1n);
  });

  it("costs under 60k gas per message once its slots are warm", async () => {
    const { outbox, address } = await networkHelpers.loadFixture(deployOutbox);
    await outbox.sendMessage(DEST, address, "0x");
    const r = await (await outbox.sendMessage(DEST, address, randomHex(36))).wait();
    console.log(`      gas: MessageOutbox.sendMessage (36-byte payload, warm slots) = ${r?.gasUsed}`);
    expect(r?.gasUsed ?? 0n).to.be.lessThan(60_000n);
  });
});

describe("outbox to inbox on one chain (mock verifier, same-chain block-hash oracle)", () => {
  it("relays messages from real outbox events and storage to executed messages", async () => {
    const [owner, alice] = await ethers.getSigners();
    const outbox = await ethers.deployContract("MessageOutbox");
    const outboxAddr = await outbox.getAddress();
    const target = await ethers.deployContract("MessageTargetMock");
    const targetAddr = await target.getAddress();
    const startBlock = BigInt(await ethers.provider.getBlockNumber());
    const inbox = await ethers.deployContract("StateInbox", [
      {
        verifier: await (await ethers.deployContract("MipsMockVerifier")).getAddress(),
        programVKey: ZERO_HASH,
        sourceChainId: chainId,
        sourceOutbox: outboxAddr,
        oracle: await (await ethers.deployContract("SameChainBlockHashOracle")).getAddress(),
        initialBlockNumber: startBlock,
        initialAccumulator: ZERO_HASH,
        initialCount: 0n,
        owner: owner.address,
        guardian: owner.address,
      },
    ]);
    for (let v = 1; v <= 3; v++) {
      const payload = target.interface.encodeFunctionData("store", [v]);
      await (outbox.connect(alice) as typeof outbox).sendMessage(chainId, targetAddr, payload);
    }
    // What the relayer and the guest do: read the messages from events, the slots at a block.
    const block = await ethers.provider.getBlock("latest");
    if (block === null || block.hash === null) throw new Error("no latest block");
    const events = await outbox.queryFilter(outbox.filters.MessageSent(), 0, block.number);
    const messages: BridgeMessage[] = events.map((e) => {
      const [nonce, destChainId, sender, tgt, payload] = (
        e as unknown as { args: [bigint, bigint, string, string, string] }
      ).args;
      return { nonce, sourceChainId: chainId, destChainId, sender, target: tgt, payload };
    });
    const hashes = messages.map(messageHash);
    const pv = encodeStatePublicValues({
      sourceChainId: chainId,
      destChainId: chainId,
      sourceOutbox: outboxAddr,
      prevBlockNumber: startBlock,
      prevAccumulator: ZERO_HASH,
      prevCount: 0n,
      blockNumber: BigInt(block.number),
      blockHash: block.hash,
      newAccumulator: await ethers.provider.getStorage(outboxAddr, OUTBOX_ACCUMULATOR_SLOT, block.number),
      newCount: BigInt(await ethers.provider.getStorage(outboxAddr, OUTBOX_COUNT_SLOT, block.number)),
      messagesRoot: messagesRoot(hashes),
    });
    await expect(inbox.submit(pv, "0x")).to.emit(inbox, "StateUpdated");
    for (let i = 0; i < messages.length; i++) {
      await expect(inbox.executeMessage(messages[i], 0, messagesProof(hashes, i))).to.emit(
        inbox,
        "MessageExecuted",
      );
      expect(await target.lastXSender()).to.equal(alice.address);
    }
    expect(await target.lastValue()).to.equal(3n);
    expect(await target.calls()).to.equal(3n);
    expect(await inbox.accumulator()).to.equal(await outbox.accumulator());
  });
});

describe("BridgedCounter (example message target)", () => {
  it("counts only messages from its source sender, delivered by the inbox", async () => {
    const [owner, alice, bob] = await ethers.getSigners();
    const outbox = await ethers.deployContract("MessageOutbox");
    const outboxAddr = await outbox.getAddress();
    const startBlock = BigInt(await ethers.provider.getBlockNumber());
    const inbox = await ethers.deployContract("StateInbox", [
      {
        verifier: await (await ethers.deployContract("MipsMockVerifier")).getAddress(),
        programVKey: ZERO_HASH,
        sourceChainId: chainId,
        sourceOutbox: outboxAddr,
        oracle: await (await ethers.deployContract("SameChainBlockHashOracle")).getAddress(),
        initialBlockNumber: startBlock,
        initialAccumulator: ZERO_HASH,
        initialCount: 0n,
        owner: owner.address,
        guardian: owner.address,
      },
    ]);
    const counter = await ethers.deployContract("BridgedCounter", [await inbox.getAddress(), alice.address]);
    const counterAddr = await counter.getAddress();
    const call = (by: number) => counter.interface.encodeFunctionData("increment", [by]);
    const messages: BridgeMessage[] = [];
    for (const [who, by] of [
      [alice, 5],
      [bob, 7],
      [alice, 2],
    ] as const) {
      await (outbox.connect(who) as typeof outbox).sendMessage(chainId, counterAddr, call(by));
      messages.push({
        nonce: BigInt(messages.length),
        sourceChainId: chainId,
        destChainId: chainId,
        sender: who.address,
        target: counterAddr,
        payload: call(by),
      });
    }
    const block = await ethers.provider.getBlock("latest");
    if (block === null || block.hash === null) throw new Error("no latest block");
    const hashes = messages.map(messageHash);
    await inbox.submit(
      encodeStatePublicValues({
        sourceChainId: chainId,
        destChainId: chainId,
        sourceOutbox: outboxAddr,
        prevBlockNumber: startBlock,
        prevAccumulator: ZERO_HASH,
        prevCount: 0n,
        blockNumber: BigInt(block.number),
        blockHash: block.hash,
        newAccumulator: await outbox.accumulator(),
        newCount: 3n,
        messagesRoot: messagesRoot(hashes),
      }),
      "0x",
    );
    await expect(inbox.executeMessage(messages[0], 0, messagesProof(hashes, 0)))
      .to.emit(counter, "Incremented")
      .withArgs(alice.address, 5, 5);
    await expect(inbox.executeMessage(messages[1], 0, messagesProof(hashes, 1)))
      .to.emit(inbox, "MessageFailed")
      .withArgs(
        hashes[1],
        1,
        counterAddr,
        counter.interface.encodeErrorResult("NotAllowedSender", [bob.address]),
      );
    await inbox.executeMessage(messages[2], 0, messagesProof(hashes, 2));
    expect(await counter.count()).to.equal(7n);
    await expect(counter.increment(1))
      .to.be.revertedWithCustomError(counter, "NotInbox")
      .withArgs(owner.address);
  });
});
