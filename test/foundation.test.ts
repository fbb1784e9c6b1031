import { expect } from "chai";
import { network } from "hardhat";

describe("project foundation", () => {
  it("runs Hardhat on Node 22 or newer", () => {
    const major = Number(process.versions.node.split(".")[0]);
    expect(major).to.be.at.least(22);
  });

  it("connects to the simulated EDR network", async () => {
    const { ethers } = await network.create();
    const [signer] = await ethers.getSigners();
    expect(await ethers.provider.getBalance(signer.address)).to.be.greaterThan(0n);
  });
});
