/**
 * Proof profiles in the CLI (src/stark/options.ts PROFILES, src/wrap/profile.ts): `zkmips vkey`
 * per profile, `zkmips prove --profile`, `zkmips verify` accepting only allow-listed options
 * (check `options` otherwise), `zkmips wrap` requiring the shape's profile.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { expect } from "chai";
import { decodeProofFile } from "../../src/mips/air/prove.ts";
import { tmpFile } from "./r1cs-helpers.ts";

const FIB = "guests/fibonacci/fibonacci.elf";

function zkmips(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("npx", ["zkmips", ...args], { encoding: "utf8" });
  const stderr = r.stderr
    .split("\n")
    .filter((l) => l && !l.startsWith("npm warn"))
    .join("\n");
  return { status: r.status, stdout: r.stdout, stderr };
}

describe("proof profiles in the CLI", function () {
  this.timeout(600_000);
  const input = tmpFile("n3.bin");
  const onchain = tmpFile("fib-onchain-natural.proof");
  before(() => fs.writeFileSync(input, Uint8Array.of(3, 0, 0, 0)));

  it("zkmips vkey gives one vkey per profile and says which; an unknown profile is a one-line error", () => {
    const d = zkmips("vkey", FIB, "--json");
    const o = zkmips("vkey", FIB, "--profile", "onchain");
    expect(d.status, d.stderr).to.equal(0);
    expect(o.status, o.stderr).to.equal(0);
    expect(o.stderr).to.match(/^programVKey for the onchain proof profile/);
    const dj = JSON.parse(d.stdout) as { profile: string; programVKey: string };
    expect(dj.profile).to.equal("default");
    expect(o.stdout.trim()).to.match(/^0x[0-9a-f]{64}$/);
    expect(o.stdout.trim()).to.not.equal(dj.programVKey);
    const bad = zkmips("vkey", FIB, "--profile", "fast");
    expect(bad.status).to.equal(1);
    expect(bad.stderr).to.match(/^zkmips: error: unknown proof profile "fast"/);
  });

  it("verify accepts an onchain proof at its profile only; altered options are no profile (check options)", () => {
    const p = zkmips(
      "prove",
      FIB,
      "--input",
      input,
      "--profile",
      "onchain",
      "--shape",
      "natural",
      "-o",
      onchain,
      "--json",
    );
    expect(p.status, p.stderr).to.equal(0);
    expect((JSON.parse(p.stdout) as { profile: string }).profile).to.equal("onchain");
    const v = zkmips("verify", onchain, "--elf", FIB, "--json");
    expect(v.status, v.stderr).to.equal(0);
    expect((JSON.parse(v.stdout) as { profile: string }).profile).to.equal("onchain");
    const dv = zkmips("verify", onchain, "--elf", FIB, "--profile", "default");
    expect(dv.status).to.equal(1);
    expect(dv.stderr).to.match(/^zkmips: error: STARK proof rejected \(options\)/);
    // numQueries (STARK header byte 7) 14 -> 13: the verifier must not pick the options up.
    const file = new Uint8Array(fs.readFileSync(onchain));
    const at = file.length - decodeProofFile(file).stark.length + 7;
    expect(file[at]).to.equal(14);
    file[at] = 13;
    const tampered = tmpFile("fib-q13.proof");
    fs.writeFileSync(tampered, file);
    const tv = zkmips("verify", tampered, "--elf", FIB);
    expect(tv.status).to.equal(1);
    expect(tv.stderr).to.match(
      /^zkmips: error: STARK proof rejected \(options\).*none of the accepted profiles/,
    );
  });

  it("prove --profile onchain refuses a shape with tables over 2^18 rows (mips-s19)", () => {
    const r = zkmips(
      "prove",
      FIB,
      "--input",
      input,
      "--profile",
      "onchain",
      "--shape",
      "mips-s19",
      "-o",
      tmpFile("x.proof"),
    );
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/^zkmips: error: shape mips-s19 has tables taller than 2\^18 rows/);
  });

  it("wrap refuses a default-profile proof of an onchain shape, naming the profile to prove with", () => {
    const dflt = tmpFile("fib-default-s12.proof");
    const p = zkmips("prove", FIB, "--input", input, "-o", dflt);
    expect(p.status, p.stderr).to.equal(0);
    const r = zkmips("wrap", dflt, "--elf", FIB, "-o", tmpFile("x.json"), "--cache", tmpFile("cache"));
    expect(r.status).to.equal(1);
    expect(r.stderr.split("\n").pop()).to.match(
      /^zkmips: error: shape mips-s12 is wrapped at the onchain proof profile, this proof is at default options/,
    );
  });
});
