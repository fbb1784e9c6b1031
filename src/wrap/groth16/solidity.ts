/**
 * Solidity verifier generation from snarkjs 0.7.6's Groth16 template
 * (`templates/verifier_groth16.sol.ejs`: checks every public input against the scalar field,
 * one pairing precompile call). The contract is renamed per key so that several verifiers can
 * live in one Hardhat project; its ABI is `verifyProof(uint[2], uint[2][2], uint[2], uint[N])
 * returns (bool)` (contracts/IGroth16Verifier.sol for N = 2).
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { ZkmipsError } from "../../errors.ts";
import { loadSnarkjs } from "./snarkjs.ts";

const require = createRequire(import.meta.url);

export function groth16Template(): string {
  const main = require.resolve("snarkjs"); // <pkg>/build/main.cjs
  return fs.readFileSync(
    path.join(path.dirname(main), "..", "templates", "verifier_groth16.sol.ejs"),
    "utf8",
  );
}

/**
 * Renders the verifier for a `.zkey` and names the contract `contractName`.
 * @example const sol = await generateSolidityVerifier("k.zkey", "Groth16VerifierShape0")
 */
export async function generateSolidityVerifier(zkeyPath: string, contractName: string): Promise<string> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(contractName)) {
    throw new ZkmipsError(`invalid Solidity contract name ${JSON.stringify(contractName)}`);
  }
  const sj = await loadSnarkjs();
  const src = await sj.zKey.exportSolidityVerifier(zkeyPath, { groth16: groth16Template() });
  const renamed = src.replace(/\bcontract Groth16Verifier\b/, `contract ${contractName}`);
  if (renamed === src)
    throw new Error("snarkjs verifier template changed: contract Groth16Verifier not found");
  return renamed;
}
