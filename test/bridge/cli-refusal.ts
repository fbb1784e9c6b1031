/**
 * Shared by the preflight tests: what a real-mode refusal of the CLI looks like (exit status 1, a
 * single `zkmips: error: real mode: ...` line naming a number and a limit, nothing on stdout, no
 * chain started, no RPC used).
 */
import { expect } from "chai";

export interface CliResult {
  code: number;
  stderr: string;
  stdout: string;
}

/** The CLI failed with exit status 1, one error line (a preflight refusal), nothing on stdout, no chain. */
export function expectCliRefusal({ code, stderr, stdout }: CliResult): void {
  expect(code, stderr).to.equal(1);
  const errLines = stderr.split("\n").filter((l) => l.startsWith("zkmips: error"));
  expect(errLines, stderr).to.have.length(1);
  expect(errLines[0]).to.match(
    /^zkmips: error: real mode: .*\d.* (\(PV_MAX\)|\(MAX_CYCLES\)|the Groth16 cap is [\d,]+( \(2\^\d+\))?|cannot be proven by the MIPS AIR: .*) \(nothing was proven; use --mock .*\)$/,
  );
  expect(stderr).to.not.match(/starting two local Hardhat chains|cannot reach/);
  expect(stdout).to.equal("");
}
