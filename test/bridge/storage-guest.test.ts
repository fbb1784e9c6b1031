/**
 * The storage-proof guest (guests/storage-proof) on real eth_getProof output of Hardhat's EDR
 * network: its fd-3 bytes equal the public values computed in TypeScript and StateInbox accepts
 * them (mock verifier, same-chain oracle); one corrupted input item makes it exit non-zero.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { getBytes, hexlify, type Provider } from "ethers";
import { execute, loadElf } from "../../src/mips/index.ts";
import {
  collectWitness,
  encodeGuestInput,
  expectedUpdate,
  type PrevState,
  type RpcSender,
  type StorageProofWitness,
} from "../../src/bridge/guest-input.ts";
import { STORAGE_PROOF_ELF, storageProofElf } from "../../src/bridge/guest.ts";
import { ZERO_HASH, encodeStatePublicValues } from "../../src/bridge/public-values.ts";

const { ethers } = await network.create();
const provider = ethers.provider as unknown as Provider & RpcSender;
const { chainId } = await ethers.provider.getNetwork();
const program = loadElf(storageProofElf());
const OTHER_CHAIN = 777n;

function run(input: Uint8Array): {
  exitCode: number;
  publicValues: Uint8Array;
  cycles: number;
  stderr: string;
} {
  const r = execute(program, { input, maxCycles: 50_000_000 });
  return { ...r, stderr: new TextDecoder().decode(r.stderr) };
}

async function setup(messages: number) {
  const [owner, alice] = await ethers.getSigners();
  const outbox = await ethers.deployContract("MessageOutbox");
  const deployBlock = BigInt((await outbox.deploymentTransaction()!.wait())!.blockNumber);
  const target = await ethers.deployContract("MessageTargetMock");
  const targetAddr = await target.getAddress();
  for (let i = 0; i < messages; i++) {
    const dest = i === 1 ? OTHER_CHAIN : chainId; // one message for another chain: still chained
    await (outbox.connect(alice) as typeof outbox).sendMessage(dest, targetAddr, "0x" + "5a".repeat(17 * i));
  }
  return { owner, outbox, address: await outbox.getAddress(), deployBlock };
}

async function witnessAt(address: string, prev: PrevState): Promise<StorageProofWitness> {
  return collectWitness(provider, {
    outbox: address,
    destChainId: chainId,
    prev,
    blockNumber: BigInt(await ethers.provider.getBlockNumber()),
  });
}

function fresh(deployBlock: bigint): PrevState {
  return { blockNumber: deployBlock, accumulator: ZERO_HASH, count: 0n };
}

describe("storage-proof guest", function () {
  it("commits exactly the TypeScript public values for a real outbox, and StateInbox accepts them", async () => {
    const { owner, address, deployBlock } = await setup(4);
    const w = await witnessAt(address, fresh(deployBlock));
    expect(w.messages).to.have.length(4);
    const r = run(encodeGuestInput(w));
    expect(r.stderr).to.equal("");
    expect(r.exitCode).to.equal(0);
    const expected = encodeStatePublicValues(expectedUpdate(w));
    expect(r.publicValues.length).to.equal(384);
    expect(hexlify(r.publicValues)).to.equal(hexlify(expected));
    expect(BigInt(hexlify(r.publicValues.subarray(288, 320)))).to.equal(BigInt(w.slotValues[0]));
    console.log(
      `      storage-proof guest: ${r.cycles.toLocaleString("en-US")} cycles (4 messages, ${STORAGE_PROOF_ELF.split("/").pop()})`,
    );

    const mock = await ethers.deployContract("MipsMockVerifier");
    const oracle = await ethers.deployContract("SameChainBlockHashOracle");
    const inbox = await ethers.deployContract("StateInbox", [
      [
        await mock.getAddress(),
        ethers.ZeroHash.slice(0, -1) + "1",
        chainId,
        address,
        await oracle.getAddress(),
        deployBlock,
        ZERO_HASH,
        0n,
        owner.address,
        owner.address,
      ],
    ]);
    await expect(inbox.submit(r.publicValues, "0x")).to.emit(inbox, "StateUpdated");
    expect(await inbox.messageCount()).to.equal(4n);
    expect(await inbox.accumulator()).to.equal(w.slotValues[0]);
  });

  it("chains a second update from the first one's state", async () => {
    const { outbox, address, deployBlock } = await setup(2);
    const first = expectedUpdate(await witnessAt(address, fresh(deployBlock)));
    await outbox.sendMessage(chainId, address, "0x01");
    const w = await witnessAt(address, {
      blockNumber: first.blockNumber,
      accumulator: first.newAccumulator,
      count: first.newCount,
    });
    expect(w.messages.map((m) => m.nonce)).to.deep.equal([2n]);
    const r = run(encodeGuestInput(w));
    expect(r.exitCode, r.stderr).to.equal(0);
    expect(hexlify(r.publicValues)).to.equal(hexlify(encodeStatePublicValues(expectedUpdate(w))));
  });

  it("proves an outbox without messages (both slots absent from the storage trie)", async () => {
    const { address, deployBlock } = await setup(0);
    await ethers.provider.send("evm_mine", []);
    const w = await witnessAt(address, fresh(deployBlock));
    expect(w.slotValues).to.deep.equal([ZERO_HASH, 0n]);
    const r = run(encodeGuestInput(w));
    expect(r.exitCode, r.stderr).to.equal(0);
    expect(hexlify(r.publicValues)).to.equal(hexlify(encodeStatePublicValues(expectedUpdate(w))));
  });

  describe("rejects a corrupted input (non-zero exit, nothing on fd 3)", () => {
    let base: StorageProofWitness;
    before(async () => {
      const { address, deployBlock } = await setup(3);
      base = await witnessAt(address, fresh(deployBlock));
      expect(run(encodeGuestInput(base)).exitCode).to.equal(0);
    });

    function expectReject(w: StorageProofWitness, message: RegExp): void {
      const r = run(encodeGuestInput(w));
      expect(r.exitCode).to.not.equal(0);
      expect(r.publicValues.length).to.equal(0);
      expect(r.stderr).to.match(message);
    }

    function flip(hex: string, index: number): string {
      const b = getBytes(hex).slice();
      b[index] ^= 1;
      return hexlify(b);
    }

    it("a header byte flipped: keccak256(header) != blockHash", () => {
      const header = base.header.slice();
      header[100] ^= 1;
      expectReject({ ...base, header }, /keccak256\(header\) != blockHash/);
    });

    it("a claimed block hash that is not the header's", () => {
      expectReject({ ...base, blockHash: flip(base.blockHash, 0) }, /keccak256\(header\) != blockHash/);
    });

    it("an account proof node flipped", () => {
      const accountProof = [...base.accountProof];
      accountProof[1] = flip(accountProof[1], 40);
      expectReject({ ...base, accountProof }, /MPT: a proof node does not hash/);
    });

    it("a storage proof node flipped (slot 0)", () => {
      const p0 = [...base.slotProofs[0]];
      p0[p0.length - 1] = flip(p0[p0.length - 1], p0[p0.length - 1].length / 2 - 3);
      expectReject({ ...base, slotProofs: [p0, base.slotProofs[1]] }, /MPT: a proof node does not hash/);
    });

    it("slot 1's proof given for slot 0 (proof of another key)", () => {
      expectReject({ ...base, slotProofs: [base.slotProofs[1], base.slotProofs[1]] }, /MPT|accumulator/);
    });

    it("a message payload changed: accumulator mismatch", () => {
      const messages = base.messages.map((m, i) =>
        i === 1 ? { ...m, payload: flip(hexlify(m.payload), 0) } : m,
      );
      expectReject({ ...base, messages }, /chained accumulator != outbox accumulator/);
    });

    it("a message's destination chain changed: accumulator mismatch", () => {
      const messages = base.messages.map((m, i) => (i === 1 ? { ...m, destChainId: chainId } : m));
      expectReject({ ...base, messages }, /chained accumulator != outbox accumulator/);
    });

    it("a message left out: count mismatch", () => {
      expectReject({ ...base, messages: base.messages.slice(0, 2) }, /outbox count \(slot 1\)/);
    });

    it("a wrong previous count", () => {
      expectReject({ ...base, prev: { ...base.prev, count: 1n } }, /outbox count \(slot 1\)/);
    });

    it("a wrong previous accumulator", () => {
      expectReject(
        { ...base, prev: { ...base.prev, accumulator: flip(ZERO_HASH, 31) } },
        /chained accumulator != outbox accumulator/,
      );
    });

    it("another outbox address (account proof does not lead to it)", () => {
      expectReject({ ...base, outbox: base.messages[0].target }, /MPT|absent/);
    });

    it("trailing bytes after the messages", () => {
      const input = encodeGuestInput(base);
      const longer = new Uint8Array(input.length + 1);
      longer.set(input);
      const r = run(longer);
      expect(r.exitCode).to.equal(2);
      expect(r.stderr).to.match(/trailing bytes/);
    });

    it("a truncated input", () => {
      const input = encodeGuestInput(base);
      const r = run(input.subarray(0, input.length - 5));
      expect(r.exitCode).to.equal(2);
      expect(r.stderr).to.match(/input ends early/);
    });
  });
});

describe("storage-proof guest on a hand-built trie", () => {
  it("follows an extension node and a leaf embedded in its parent (< 32 bytes)", async () => {
    const { syntheticState, syntheticHeader } = await import("./synthetic-trie.ts");
    const { verifyMptProof } = await import("../contracts/mpt.ts");
    const { chainAccumulator, messageHash } = await import("../../src/bridge/public-values.ts");
    const { keccak256, zeroPadValue, decodeRlp } = await import("ethers");
    const outbox = "0x00000000000000000000000000000000000b0c05";
    const m = {
      nonce: 0n,
      sourceChainId: 5n,
      destChainId: 6n,
      sender: "0x0000000000000000000000000000000000000001",
      target: "0x0000000000000000000000000000000000000002",
      payload: "0xbeef",
    };
    const acc = chainAccumulator(ZERO_HASH, messageHash(m));
    const st = syntheticState(outbox, acc, 1n);
    expect(st.embeddedLeafLength).to.be.lessThan(32);
    // The independent TypeScript walker agrees the tries hold these values.
    const account = verifyMptProof(st.stateRoot, outbox, st.accountProof)!;
    const storageRoot = (decodeRlp(account) as string[])[2];
    expect(decodeRlp(verifyMptProof(storageRoot, zeroPadValue("0x01", 32), st.slotProofs[1])!)).to.equal(
      "0x01",
    );
    const header = syntheticHeader(st.stateRoot, 9n);
    const w: StorageProofWitness = {
      sourceChainId: 5n,
      destChainId: 6n,
      outbox,
      prev: { blockNumber: 1n, accumulator: ZERO_HASH, count: 0n },
      blockNumber: 9n,
      blockHash: keccak256(header),
      header,
      accountProof: st.accountProof,
      slotProofs: st.slotProofs,
      slotValues: [acc, 1n],
      messages: [m],
    };
    const r = run(encodeGuestInput(w));
    expect(r.exitCode, r.stderr).to.equal(0);
    expect(hexlify(r.publicValues)).to.equal(hexlify(encodeStatePublicValues(expectedUpdate(w))));
    // Changing the embedded leaf (its path) breaks its parent's hash.
    const { hp, nibblesOf } = await import("./synthetic-trie.ts");
    const leafPath = hp(nibblesOf(keccak256(zeroPadValue("0x01", 32))).slice(10), true).slice(2);
    const bad = [...st.slotProofs[1]];
    expect(bad[2]).to.include(leafPath);
    bad[2] = bad[2].replace(leafPath, leafPath.slice(0, -1) + (leafPath.endsWith("0") ? "1" : "0"));
    const r2 = run(encodeGuestInput({ ...w, slotProofs: [st.slotProofs[0], bad] }));
    expect(r2.exitCode).to.equal(1);
    expect(r2.stderr).to.match(/MPT: a proof node does not hash/);
  });
});
