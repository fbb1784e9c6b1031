import { expect } from "chai";
import { network } from "hardhat";
import fc from "fast-check";
import { concat, hexlify, keccak256 } from "ethers";
import {
  SCALAR_FIELD,
  flipByte,
  proofBytes,
  publicValuesDigest,
  randomHex,
  randomVKey,
  revertData,
} from "./support.ts";

const { ethers, networkHelpers } = await network.create();

const SELECTOR = "0x1a2b3c4d";

async function deployStack() {
  const [owner, other] = await ethers.getSigners();
  const stub = await ethers.deployContract("Groth16VerifierStub");
  const wrapper = await ethers.deployContract("MipsVerifierGroth16", [await stub.getAddress(), SELECTOR]);
  const gateway = await ethers.deployContract("MipsVerifierGateway", [owner.address]);
  const words = Array.from({ length: 8 }, () => randomHex(32));
  const vkey = randomVKey();
  const publicValues = randomHex(77);
  await stub.setExpected(keccak256(concat(words)), vkey, publicValuesDigest(publicValues));
  const proof = proofBytes(SELECTOR, words);
  return { owner, other, stub, wrapper, gateway, words, vkey, publicValues, proof };
}

describe("MipsVerifierGroth16 (with a Groth16 verifier test double)", () => {
  it("accepts the proof the Groth16 verifier accepts and exposes its selector", async () => {
    const { wrapper, vkey, publicValues, proof } = await networkHelpers.loadFixture(deployStack);
    await wrapper.verifyProof(vkey, publicValues, proof);
    expect(await wrapper.VERIFIER_SELECTOR()).to.equal(SELECTOR);
    expect(await wrapper.selector()).to.equal(SELECTOR);
    expect(proof.length).to.equal(2 + 2 * 260);
  });

  it("computes the public-values digest as sha256 masked to 253 bits", async () => {
    const { wrapper } = await networkHelpers.loadFixture(deployStack);
    for (const pv of ["0x", randomHex(1), randomHex(64), randomHex(300)]) {
      const d = await wrapper.publicValuesDigest(pv);
      expect(d).to.equal(publicValuesDigest(pv));
      expect(d < 1n << 253n).to.equal(true);
    }
  });

  it("rejects a Groth16 verifier address without code", async () => {
    const [, other] = await ethers.getSigners();
    const factory = await ethers.getContractFactory("MipsVerifierGroth16");
    await expect(factory.deploy(other.address, SELECTOR))
      .to.be.revertedWithCustomError(factory, "VerifierNotAContract")
      .withArgs(other.address);
  });

  it("rejects proof bytes shorter than the selector with InvalidProofLength", async () => {
    const { wrapper, vkey, publicValues } = await networkHelpers.loadFixture(deployStack);
    for (const p of ["0x", "0x1a", "0x1a2b3c"]) {
      await expect(wrapper.verifyProof(vkey, publicValues, p))
        .to.be.revertedWithCustomError(wrapper, "InvalidProofLength")
        .withArgs(260, (p.length - 2) / 2);
    }
  });

  it("rejects a proof for another selector with WrongVerifierSelector", async () => {
    const { wrapper, vkey, publicValues, proof } = await networkHelpers.loadFixture(deployStack);
    const wrong = "0xdeadbeef" + proof.slice(10);
    await expect(wrapper.verifyProof(vkey, publicValues, wrong))
      .to.be.revertedWithCustomError(wrapper, "WrongVerifierSelector")
      .withArgs(SELECTOR, "0xdeadbeef");
  });

  it("rejects truncated, extended and selector-only proof bytes with InvalidProofLength", async () => {
    const { wrapper, vkey, publicValues, proof } = await networkHelpers.loadFixture(deployStack);
    for (const [p, len] of [
      [proof.slice(0, -2), 259],
      [proof + "00", 261],
      [SELECTOR, 4],
      [proof.slice(0, 2 + 2 * 100), 100],
    ] as const) {
      await expect(wrapper.verifyProof(vkey, publicValues, p))
        .to.be.revertedWithCustomError(wrapper, "InvalidProofLength")
        .withArgs(260, len);
    }
  });

  it("rejects a programVKey that is not below the BN254 scalar field", async () => {
    const { wrapper, publicValues, proof } = await networkHelpers.loadFixture(deployStack);
    for (const v of [SCALAR_FIELD, (1n << 256n) - 1n]) {
      const vk = "0x" + v.toString(16).padStart(64, "0");
      await expect(wrapper.verifyProof(vk, publicValues, proof))
        .to.be.revertedWithCustomError(wrapper, "ProgramVKeyOutOfField")
        .withArgs(vk);
    }
  });

  it("rejects changed public values with InvalidProof", async () => {
    const { wrapper, vkey, publicValues, proof } = await networkHelpers.loadFixture(deployStack);
    await expect(wrapper.verifyProof(vkey, flipByte(publicValues, 5), proof)).to.be.revertedWithCustomError(
      wrapper,
      "InvalidProof",
    );
    await expect(wrapper.verifyProof(vkey, publicValues + "00", proof)).to.be.revertedWithCustomError(
      wrapper,
      "InvalidProof",
    );
  });

  it("rejects another programVKey with InvalidProof", async () => {
    const { wrapper, publicValues, proof } = await networkHelpers.loadFixture(deployStack);
    await expect(wrapper.verifyProof(randomVKey(), publicValues, proof)).to.be.revertedWithCustomError(
      wrapper,
      "InvalidProof",
    );
  });

  it("rejects a proof with one flipped byte in any of its eight words", async () => {
    const { wrapper, vkey, publicValues, proof } = await networkHelpers.loadFixture(deployStack);
    for (let w = 0; w < 8; w++) {
      await expect(
        wrapper.verifyProof(vkey, publicValues, flipByte(proof, 4 + 32 * w + 31)),
      ).to.be.revertedWithCustomError(wrapper, "InvalidProof");
    }
  });

  it("passes the proof words in snarkjs order (swapping b.x1 and b.x0 fails)", async () => {
    const { wrapper, vkey, publicValues, words } = await networkHelpers.loadFixture(deployStack);
    const swapped = [words[0], words[1], words[3], words[2], words[4], words[5], words[6], words[7]];
    await expect(
      wrapper.verifyProof(vkey, publicValues, proofBytes(SELECTOR, swapped)),
    ).to.be.revertedWithCustomError(wrapper, "InvalidProof");
  });

  it("turns a reverting Groth16 verifier into InvalidProof", async () => {
    const { vkey, publicValues, proof } = await networkHelpers.loadFixture(deployStack);
    const notAVerifier = await ethers.deployContract("MipsMockVerifier");
    const wrapper = await ethers.deployContract("MipsVerifierGroth16", [
      await notAVerifier.getAddress(),
      SELECTOR,
    ]);
    await expect(wrapper.verifyProof(vkey, publicValues, proof)).to.be.revertedWithCustomError(
      wrapper,
      "InvalidProof",
    );
  });

  it("never panics on garbage proof bytes of any length", async () => {
    const { wrapper, vkey, publicValues } = await networkHelpers.loadFixture(deployStack);
    for (const len of [0, 1, 4, 5, 36, 259, 260, 261, 520]) {
      const p = len >= 4 ? SELECTOR + randomHex(len - 4).slice(2) : randomHex(len);
      const expected = len === 260 ? "InvalidProof" : "InvalidProofLength";
      await expect(wrapper.verifyProof(vkey, publicValues, p)).to.be.revertedWithCustomError(
        wrapper,
        expected,
      );
    }
  });
});

describe("MipsVerifierGateway", () => {
  async function withRoute() {
    const s = await deployStack();
    await s.gateway.addRoute(await s.wrapper.getAddress());
    return s;
  }

  it("adds a route under the verifier's selector and emits RouteAdded", async () => {
    const { gateway, wrapper } = await networkHelpers.loadFixture(deployStack);
    const addr = await wrapper.getAddress();
    await expect(gateway.addRoute(addr)).to.emit(gateway, "RouteAdded").withArgs(SELECTOR, addr);
    const route = await gateway.routes(SELECTOR);
    expect(route.verifier).to.equal(addr);
    expect(route.frozen).to.equal(false);
    expect(await gateway.getVerifier(SELECTOR)).to.equal(addr);
  });

  it("routes a valid proof to its verifier", async () => {
    const { gateway, vkey, publicValues, proof } = await networkHelpers.loadFixture(withRoute);
    await gateway.verifyProof(vkey, publicValues, proof);
    const gas = await gateway.verifyProof.estimateGas(vkey, publicValues, proof);
    console.log(`      gas: gateway.verifyProof (Groth16 stub, 77-byte public values) = ${gas}`);
  });

  it("bubbles up the verifier's rejection", async () => {
    const { gateway, wrapper, vkey, publicValues, proof } = await networkHelpers.loadFixture(withRoute);
    await expect(gateway.verifyProof(vkey, flipByte(publicValues, 0), proof)).to.be.revertedWithCustomError(
      wrapper,
      "InvalidProof",
    );
    await expect(gateway.verifyProof(vkey, publicValues, proof.slice(0, -2)))
      .to.be.revertedWithCustomError(wrapper, "InvalidProofLength")
      .withArgs(260, 259);
  });

  it("rejects proof bytes shorter than a selector with ProofTooShort", async () => {
    const { gateway, vkey, publicValues } = await networkHelpers.loadFixture(withRoute);
    for (const p of ["0x", "0x1a", "0x1a2b3c"]) {
      await expect(gateway.verifyProof(vkey, publicValues, p))
        .to.be.revertedWithCustomError(gateway, "ProofTooShort")
        .withArgs((p.length - 2) / 2);
    }
  });

  it("rejects an unknown selector with RouteNotFound", async () => {
    const { gateway, vkey, publicValues, proof } = await networkHelpers.loadFixture(withRoute);
    await expect(gateway.verifyProof(vkey, publicValues, "0x00000000" + proof.slice(10)))
      .to.be.revertedWithCustomError(gateway, "RouteNotFound")
      .withArgs("0x00000000");
    await expect(gateway.getVerifier("0x12345678"))
      .to.be.revertedWithCustomError(gateway, "RouteNotFound")
      .withArgs("0x12345678");
  });

  it("is append-only: a selector cannot be re-added, even to another verifier", async () => {
    const { gateway, stub, wrapper } = await networkHelpers.loadFixture(withRoute);
    const twin = await ethers.deployContract("MipsVerifierGroth16", [await stub.getAddress(), SELECTOR]);
    await expect(gateway.addRoute(await twin.getAddress()))
      .to.be.revertedWithCustomError(gateway, "RouteExists")
      .withArgs(SELECTOR, await wrapper.getAddress());
    await expect(gateway.addRoute(await wrapper.getAddress())).to.be.revertedWithCustomError(
      gateway,
      "RouteExists",
    );
  });

  it("keeps routes of different selectors side by side", async () => {
    const { gateway, stub, vkey, publicValues, words } = await networkHelpers.loadFixture(withRoute);
    const other = await ethers.deployContract("MipsVerifierGroth16", [await stub.getAddress(), "0xcafef00d"]);
    await gateway.addRoute(await other.getAddress());
    await gateway.verifyProof(vkey, publicValues, proofBytes("0xcafef00d", words));
    await gateway.verifyProof(vkey, publicValues, proofBytes(SELECTOR, words));
  });

  it("rejects a route to an address without code", async () => {
    const { gateway, other } = await networkHelpers.loadFixture(deployStack);
    await expect(gateway.addRoute(other.address))
      .to.be.revertedWithCustomError(gateway, "VerifierNotAContract")
      .withArgs(other.address);
  });

  it("answers random proof bytes only with its own or the verifier's custom errors", async () => {
    const { gateway, wrapper, vkey, publicValues } = await networkHelpers.loadFixture(withRoute);
    const allowed = new Set(["ProofTooShort", "RouteNotFound", "InvalidProofLength", "InvalidProof"]);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 260, maxLength: 260 })),
        fc.boolean(),
        async (bytes, withSelector) => {
          const p =
            withSelector && bytes.length >= 4
              ? SELECTOR + hexlify(bytes.subarray(4)).slice(2)
              : hexlify(bytes);
          const data = await revertData(gateway.verifyProof(vkey, publicValues, p));
          const parsed = gateway.interface.parseError(data) ?? wrapper.interface.parseError(data);
          expect(parsed, `revert data ${data}`).to.not.equal(null);
          expect(allowed.has(parsed?.name ?? "")).to.equal(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("rejects a route to a contract without VERIFIER_SELECTOR()", async () => {
    const { gateway } = await networkHelpers.loadFixture(deployStack);
    const mock = await ethers.deployContract("MipsMockVerifier");
    await expect(gateway.addRoute(await mock.getAddress()))
      .to.be.revertedWithCustomError(gateway, "NoVerifierSelector")
      .withArgs(await mock.getAddress());
  });

  it("freezes a route for good: proofs fail with RouteIsFrozen, it cannot be re-added", async () => {
    const { gateway, wrapper, vkey, publicValues, proof } = await networkHelpers.loadFixture(withRoute);
    const addr = await wrapper.getAddress();
    await expect(gateway.freezeRoute(SELECTOR)).to.emit(gateway, "RouteFrozen").withArgs(SELECTOR, addr);
    await expect(gateway.verifyProof(vkey, publicValues, proof))
      .to.be.revertedWithCustomError(gateway, "RouteIsFrozen")
      .withArgs(SELECTOR);
    await expect(gateway.freezeRoute(SELECTOR))
      .to.be.revertedWithCustomError(gateway, "RouteIsFrozen")
      .withArgs(SELECTOR);
    await expect(gateway.addRoute(addr)).to.be.revertedWithCustomError(gateway, "RouteExists");
    expect((await gateway.routes(SELECTOR)).frozen).to.equal(true);
  });

  it("rejects freezing an unknown selector with RouteNotFound", async () => {
    const { gateway } = await networkHelpers.loadFixture(withRoute);
    await expect(gateway.freezeRoute("0x99999999"))
      .to.be.revertedWithCustomError(gateway, "RouteNotFound")
      .withArgs("0x99999999");
  });

  it("lets only the owner add and freeze routes", async () => {
    const { gateway, wrapper, other } = await networkHelpers.loadFixture(deployStack);
    await expect((gateway.connect(other) as typeof gateway).addRoute(await wrapper.getAddress()))
      .to.be.revertedWithCustomError(gateway, "NotOwner")
      .withArgs(other.address);
    await gateway.addRoute(await wrapper.getAddress());
    await expect((gateway.connect(other) as typeof gateway).freezeRoute(SELECTOR))
      .to.be.revertedWithCustomError(gateway, "NotOwner")
      .withArgs(other.address);
  });

  it("transfers ownership in two steps", async () => {
    const { gateway, owner, other, wrapper } = await networkHelpers.loadFixture(deployStack);
    const [, , third] = await ethers.getSigners();
    await expect(gateway.transferOwnership(other.address))
      .to.emit(gateway, "OwnershipTransferStarted")
      .withArgs(owner.address, other.address);
    expect(await gateway.owner()).to.equal(owner.address);
    expect(await gateway.pendingOwner()).to.equal(other.address);
    await expect((gateway.connect(third) as typeof gateway).acceptOwnership())
      .to.be.revertedWithCustomError(gateway, "NotPendingOwner")
      .withArgs(third.address);
    await expect((gateway.connect(other) as typeof gateway).acceptOwnership())
      .to.emit(gateway, "OwnershipTransferred")
      .withArgs(owner.address, other.address);
    expect(await gateway.owner()).to.equal(other.address);
    expect(await gateway.pendingOwner()).to.equal(ethers.ZeroAddress);
    await expect(gateway.addRoute(await wrapper.getAddress()))
      .to.be.revertedWithCustomError(gateway, "NotOwner")
      .withArgs(owner.address);
    await expect((gateway.connect(other) as typeof gateway).acceptOwnership()).to.be.revertedWithCustomError(
      gateway,
      "NotPendingOwner",
    );
  });

  it("cancels a pending transfer by nominating address(0); non-owners cannot nominate", async () => {
    const { gateway, other } = await networkHelpers.loadFixture(deployStack);
    await expect((gateway.connect(other) as typeof gateway).transferOwnership(other.address))
      .to.be.revertedWithCustomError(gateway, "NotOwner")
      .withArgs(other.address);
    await gateway.transferOwnership(other.address);
    await gateway.transferOwnership(ethers.ZeroAddress);
    await expect((gateway.connect(other) as typeof gateway).acceptOwnership()).to.be.revertedWithCustomError(
      gateway,
      "NotPendingOwner",
    );
  });

  it("refuses address(0) as initial owner", async () => {
    const factory = await ethers.getContractFactory("MipsVerifierGateway");
    await expect(factory.deploy(ethers.ZeroAddress)).to.be.revertedWithCustomError(factory, "ZeroOwner");
  });
});

describe("MipsMockVerifier", () => {
  it("accepts any statement with an empty proof", async () => {
    const mock = await ethers.deployContract("MipsMockVerifier");
    await mock.verifyProof(randomHex(32), randomHex(100), "0x");
    await mock.verifyProof(ethers.ZeroHash, "0x", "0x");
  });

  it("rejects any non-empty proof with MockProofNotEmpty", async () => {
    const mock = await ethers.deployContract("MipsMockVerifier");
    for (const len of [1, 4, 260]) {
      await expect(mock.verifyProof(randomHex(32), "0x", randomHex(len)))
        .to.be.revertedWithCustomError(mock, "MockProofNotEmpty")
        .withArgs(len);
    }
  });
});

describe("ProvenFibonacci (example application)", () => {
  const le32 = (v: number) => Buffer.from(Uint32Array.of(v).buffer).toString("hex");
  const le64 = (v: bigint) => Buffer.from(BigUint64Array.of(v).buffer).toString("hex");
  /** What guests/fibonacci writes to fd 3: n (u32 LE) || fib(n) mod 2^64 (u64 LE). */
  const pv = (n: number, f: bigint) => "0x" + le32(n) + le64(f);

  it("records a result proven through the mock verifier (mock mode)", async () => {
    const mock = await ethers.deployContract("MipsMockVerifier");
    const vkey = randomVKey();
    const app = await ethers.deployContract("ProvenFibonacci", [await mock.getAddress(), vkey]);
    const [signer] = await ethers.getSigners();
    // fib(93) = 12200160415121876738 is the largest Fibonacci number below 2^64.
    await expect(app.submit(pv(93, 12200160415121876738n), "0x"))
      .to.emit(app, "FibonacciProven")
      .withArgs(93, 12200160415121876738n, signer.address);
    expect(await app.fibonacci(93)).to.equal(12200160415121876738n);
    expect(await app.isProven(93)).to.equal(true);
    expect(await app.isProven(94)).to.equal(false);
    await app.submit(pv(0x01020304, 0x0a0b0c0d0e0f1011n), "0x");
    expect(await app.fibonacci(0x01020304)).to.equal(0x0a0b0c0d0e0f1011n);
  });

  it("rejects public values of the wrong length and proofs the verifier rejects", async () => {
    const mock = await ethers.deployContract("MipsMockVerifier");
    const app = await ethers.deployContract("ProvenFibonacci", [await mock.getAddress(), randomVKey()]);
    for (const bad of ["0x" + le32(5), pv(5, 5n) + "00", "0x" + le32(5) + le32(5)]) {
      await expect(app.submit(bad, "0x"))
        .to.be.revertedWithCustomError(app, "InvalidPublicValuesLength")
        .withArgs((bad.length - 2) / 2);
    }
    await expect(app.submit(pv(5, 5n), "0x01"))
      .to.be.revertedWithCustomError(mock, "MockProofNotEmpty")
      .withArgs(1);
  });

  it("accepts a proof through the gateway and the Groth16 wrapper", async () => {
    const [owner] = await ethers.getSigners();
    const stub = await ethers.deployContract("Groth16VerifierStub");
    const wrapper = await ethers.deployContract("MipsVerifierGroth16", [await stub.getAddress(), SELECTOR]);
    const gateway = await ethers.deployContract("MipsVerifierGateway", [owner.address]);
    await gateway.addRoute(await wrapper.getAddress());
    const vkey = randomVKey();
    const words = Array.from({ length: 8 }, () => randomHex(32));
    const values = pv(10, 55n);
    await stub.setExpected(keccak256(concat(words)), vkey, publicValuesDigest(values));
    const app = await ethers.deployContract("ProvenFibonacci", [await gateway.getAddress(), vkey]);
    await app.submit(values, proofBytes(SELECTOR, words));
    expect(await app.fibonacci(10)).to.equal(55n);
    await expect(app.submit(pv(10, 56n), proofBytes(SELECTOR, words))).to.be.revertedWithCustomError(
      wrapper,
      "InvalidProof",
    );
  });
});
