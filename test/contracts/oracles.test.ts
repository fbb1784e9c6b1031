import { expect } from "chai";
import { network } from "hardhat";
import { Signature, type Signer } from "ethers";
import { COMMITTEE_ATTESTATION_TYPES, committeeDomain } from "../../src/bridge/public-values.ts";
import { randomHex } from "./support.ts";

const { ethers, networkHelpers } = await network.create();
const { chainId: HERE } = await ethers.provider.getNetwork();
const SOURCE = 5n;
const HISTORY = "0x0000F90827F1C53a10cb7A02335B175320002935";
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

describe("CommitteeBlockHashOracle", () => {
  async function deployCommittee() {
    const signers = await ethers.getSigners();
    const owner = signers[0];
    const members = signers.slice(1, 4).sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
    const outsider = signers[5];
    const oracle = await ethers.deployContract("CommitteeBlockHashOracle", [
      owner.address,
      members.map((m) => m.address),
      2,
    ]);
    const address = await oracle.getAddress();
    const sign = (who: Signer, blockNumber: bigint, blockHash: string, verifyingContract = address) =>
      who.signTypedData(committeeDomain(HERE, verifyingContract), COMMITTEE_ATTESTATION_TYPES, {
        chainId: SOURCE,
        blockNumber,
        blockHash,
      });
    return { owner, members, outsider, oracle, sign };
  }

  it("stores a hash signed by a threshold of members and vouches for exactly it", async () => {
    const { oracle, members, sign } = await networkHelpers.loadFixture(deployCommittee);
    const h = randomHex(32);
    const sigs = [await sign(members[0], 10n, h), await sign(members[2], 10n, h)];
    await expect(oracle.attest(SOURCE, 10n, h, sigs))
      .to.emit(oracle, "BlockHashAttested")
      .withArgs(SOURCE, 10, h);
    expect(await oracle.isValidBlockHash(SOURCE, 10n, h)).to.equal(true);
    expect(await oracle.isValidBlockHash(SOURCE, 10n, randomHex(32))).to.equal(false);
    expect(await oracle.isValidBlockHash(SOURCE, 11n, h)).to.equal(false);
    expect(await oracle.isValidBlockHash(SOURCE + 1n, 10n, h)).to.equal(false);
    expect(await oracle.isValidBlockHash(SOURCE, 12n, ethers.ZeroHash)).to.equal(false);
    expect(await oracle.threshold()).to.equal(2n);
    expect(await oracle.members()).to.deep.equal(members.map((m) => m.address));
  });

  it("uses the EIP-712 digest members sign with a standard wallet", async () => {
    const { oracle, members, sign } = await networkHelpers.loadFixture(deployCommittee);
    const h = randomHex(32);
    const digest = await oracle.attestationDigest(SOURCE, 3n, h);
    expect(ethers.recoverAddress(digest, await sign(members[1], 3n, h))).to.equal(members[1].address);
  });

  it("rejects fewer signatures than the threshold", async () => {
    const { oracle, members, sign } = await networkHelpers.loadFixture(deployCommittee);
    const h = randomHex(32);
    await expect(oracle.attest(SOURCE, 10n, h, [await sign(members[0], 10n, h)]))
      .to.be.revertedWithCustomError(oracle, "NotEnoughSignatures")
      .withArgs(1, 2);
  });

  it("rejects a repeated or out-of-order signer", async () => {
    const { oracle, members, sign } = await networkHelpers.loadFixture(deployCommittee);
    const h = randomHex(32);
    const s0 = await sign(members[0], 10n, h);
    const s1 = await sign(members[1], 10n, h);
    await expect(oracle.attest(SOURCE, 10n, h, [s0, s0]))
      .to.be.revertedWithCustomError(oracle, "SignersNotAscending")
      .withArgs(1);
    await expect(oracle.attest(SOURCE, 10n, h, [s1, s0]))
      .to.be.revertedWithCustomError(oracle, "SignersNotAscending")
      .withArgs(1);
  });

  it("rejects a signature from a non-member", async () => {
    const { oracle, members, outsider, sign } = await networkHelpers.loadFixture(deployCommittee);
    const h = randomHex(32);
    const sigs = [await sign(members[0], 10n, h), await sign(outsider, 10n, h)];
    const ordered = BigInt(members[0].address) < BigInt(outsider.address) ? sigs : [sigs[1], sigs[0]];
    const idx = ordered[0] === sigs[1] ? 0 : 1;
    await expect(oracle.attest(SOURCE, 10n, h, ordered))
      .to.be.revertedWithCustomError(oracle, "SignerNotMember")
      .withArgs(idx, outsider.address);
  });

  it("rejects signatures made for another oracle or another block", async () => {
    const { oracle, members, sign } = await networkHelpers.loadFixture(deployCommittee);
    const h = randomHex(32);
    const elsewhere = ethers.getAddress(randomHex(20));
    const foreign = [await sign(members[0], 10n, h, elsewhere), await sign(members[1], 10n, h, elsewhere)];
    await expect(oracle.attest(SOURCE, 10n, h, foreign)).to.be.revertedWithCustomError(
      oracle,
      "SignerNotMember",
    );
    const other = [await sign(members[0], 11n, h), await sign(members[1], 11n, h)];
    await expect(oracle.attest(SOURCE, 10n, h, other)).to.be.revertedWithCustomError(
      oracle,
      "SignerNotMember",
    );
  });

  it("rejects malformed signatures: wrong length, high s, bad v", async () => {
    const { oracle, members, sign } = await networkHelpers.loadFixture(deployCommittee);
    const h = randomHex(32);
    const good = await sign(members[0], 10n, h);
    const second = await sign(members[1], 10n, h);
    const sig = Signature.from(good);
    const highS = ethers.concat([
      sig.r,
      ethers.toBeHex(SECP256K1_N - BigInt(sig.s), 32),
      sig.v === 27 ? "0x1c" : "0x1b",
    ]);
    const badV = ethers.concat([sig.r, sig.s, "0x1d"]);
    const zeroR = ethers.concat([ethers.ZeroHash, sig.s, "0x1b"]);
    for (const bad of [good.slice(0, -2), good + "00", highS, badV, zeroR]) {
      await expect(oracle.attest(SOURCE, 10n, h, [bad, second]))
        .to.be.revertedWithCustomError(oracle, "InvalidSignature")
        .withArgs(0);
    }
  });

  it("rejects the zero hash and a hash conflicting with an attested one; repeats are no-ops", async () => {
    const { oracle, members, sign } = await networkHelpers.loadFixture(deployCommittee);
    const sig2 = async (h: string) => [await sign(members[0], 10n, h), await sign(members[1], 10n, h)];
    await expect(
      oracle.attest(SOURCE, 10n, ethers.ZeroHash, await sig2(ethers.ZeroHash)),
    ).to.be.revertedWithCustomError(oracle, "ZeroBlockHash");
    const h = randomHex(32);
    await oracle.attest(SOURCE, 10n, h, await sig2(h));
    await expect(oracle.attest(SOURCE, 10n, h, await sig2(h))).not.to.emit(oracle, "BlockHashAttested");
    const h2 = randomHex(32);
    await expect(oracle.attest(SOURCE, 10n, h2, await sig2(h2)))
      .to.be.revertedWithCustomError(oracle, "ConflictingAttestation")
      .withArgs(SOURCE, 10, h);
  });

  it("replaces the committee: former members' signatures stop counting", async () => {
    const { oracle, members, outsider, sign } = await networkHelpers.loadFixture(deployCommittee);
    await expect(oracle.setCommittee([outsider.address], 1))
      .to.emit(oracle, "CommitteeChanged")
      .withArgs(2, [outsider.address], 1);
    expect(await oracle.epoch()).to.equal(2n);
    const h = randomHex(32);
    await expect(oracle.attest(SOURCE, 10n, h, [await sign(members[0], 10n, h)]))
      .to.be.revertedWithCustomError(oracle, "SignerNotMember")
      .withArgs(0, members[0].address);
    await oracle.attest(SOURCE, 10n, h, [await sign(outsider, 10n, h)]);
    expect(await oracle.isValidBlockHash(SOURCE, 10n, h)).to.equal(true);
  });

  it("validates the committee: threshold in 1..N, members non-zero and strictly ascending", async () => {
    const { oracle, members } = await networkHelpers.loadFixture(deployCommittee);
    const addrs = members.map((m) => m.address);
    await expect(oracle.setCommittee(addrs, 0))
      .to.be.revertedWithCustomError(oracle, "InvalidThreshold")
      .withArgs(0, 3);
    await expect(oracle.setCommittee(addrs, 4))
      .to.be.revertedWithCustomError(oracle, "InvalidThreshold")
      .withArgs(4, 3);
    await expect(oracle.setCommittee([], 0))
      .to.be.revertedWithCustomError(oracle, "InvalidThreshold")
      .withArgs(0, 0);
    await expect(oracle.setCommittee([addrs[1], addrs[0]], 1))
      .to.be.revertedWithCustomError(oracle, "InvalidMemberList")
      .withArgs(1);
    await expect(oracle.setCommittee([addrs[0], addrs[0]], 1))
      .to.be.revertedWithCustomError(oracle, "InvalidMemberList")
      .withArgs(1);
    await expect(oracle.setCommittee([ethers.ZeroAddress], 1))
      .to.be.revertedWithCustomError(oracle, "InvalidMemberList")
      .withArgs(0);
    const factory = await ethers.getContractFactory("CommitteeBlockHashOracle");
    await expect(factory.deploy(addrs[0], addrs, 0)).to.be.revertedWithCustomError(
      factory,
      "InvalidThreshold",
    );
  });

  it("lets only the owner change the committee, and hands over ownership in two steps", async () => {
    const { oracle, members, owner } = await networkHelpers.loadFixture(deployCommittee);
    const m = members[0];
    await expect((oracle.connect(m) as typeof oracle).setCommittee([m.address], 1))
      .to.be.revertedWithCustomError(oracle, "NotOwner")
      .withArgs(m.address);
    await oracle.transferOwnership(m.address);
    await expect((oracle.connect(m) as typeof oracle).acceptOwnership())
      .to.emit(oracle, "OwnershipTransferred")
      .withArgs(owner.address, m.address);
    await (oracle.connect(m) as typeof oracle).setCommittee([m.address], 1);
  });
});

describe("SameChainBlockHashOracle", () => {
  async function deploySameChain() {
    const oracle = await ethers.deployContract("SameChainBlockHashOracle");
    await networkHelpers.mine(5);
    return { oracle };
  }

  it("vouches for a recent block's hash on its own chain only", async () => {
    const { oracle } = await networkHelpers.loadFixture(deploySameChain);
    const n = (await ethers.provider.getBlockNumber()) - 2;
    const block = await ethers.provider.getBlock(n);
    const h = block?.hash ?? "";
    expect(await oracle.isValidBlockHash(HERE, n, h)).to.equal(true);
    expect(await oracle.isValidBlockHash(HERE, n, randomHex(32))).to.equal(false);
    expect(await oracle.isValidBlockHash(HERE + 1n, n, h)).to.equal(false);
    expect(await oracle.isValidBlockHash(HERE, n + 1, h)).to.equal(false);
  });

  it("does not vouch for the current or a future block, nor for the zero hash", async () => {
    const { oracle } = await networkHelpers.loadFixture(deploySameChain);
    const latest = await ethers.provider.getBlockNumber();
    // eth_call runs in a pending block latest+1, so `latest` is the newest block with a hash.
    expect(await oracle.isValidBlockHash(HERE, latest + 1, randomHex(32))).to.equal(false);
    expect(await oracle.isValidBlockHash(HERE, latest + 100, randomHex(32))).to.equal(false);
    expect(await oracle.isValidBlockHash(HERE, latest, ethers.ZeroHash)).to.equal(false);
  });

  it("does not vouch for blocks older than 256 when the EIP-2935 contract is absent or reverts", async () => {
    const { oracle } = await networkHelpers.loadFixture(deploySameChain);
    const n = await ethers.provider.getBlockNumber();
    const h = (await ethers.provider.getBlock(n))?.hash ?? "";
    await networkHelpers.mine(300);
    // Hardhat's EDR places a contract there that always reverts (EIP-2935 not supported yet).
    expect(await oracle.isValidBlockHash(HERE, n, h)).to.equal(false);
    await networkHelpers.setCode(HISTORY, "0x");
    expect(await oracle.isValidBlockHash(HERE, n, h)).to.equal(false);
  });

  it("consults the EIP-2935 history contract for older blocks when it has code", async () => {
    const { oracle } = await networkHelpers.loadFixture(deploySameChain);
    const n = await ethers.provider.getBlockNumber();
    const h = (await ethers.provider.getBlock(n))?.hash ?? "";
    await networkHelpers.mine(300);
    const mock = await ethers.deployContract("HistoryStorageMock");
    await networkHelpers.setCode(HISTORY, (await ethers.provider.getCode(await mock.getAddress())) as string);
    const history = await ethers.getContractAt("HistoryStorageMock", HISTORY);
    expect(await oracle.isValidBlockHash(HERE, n, h)).to.equal(false); // not in the window: it reverts
    await history.set(n, h);
    expect(await oracle.isValidBlockHash(HERE, n, h)).to.equal(true);
    expect(await oracle.isValidBlockHash(HERE, n, randomHex(32))).to.equal(false);
  });
});
