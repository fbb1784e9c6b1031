/**
 * Regenerates the committed Groth16 test fixture (run: `npx tsx test/wrap/groth16-fixture.ts`):
 * - circuits/test-groth16/fixture/: statement_stub.zkey (DEV key), statement_stub.wasm,
 *   vkey.json, sample-proof.json (a real proof for a fixed programVKey / publicValues);
 * - contracts/generated/Groth16VerifierStatementStub.sol (contract Groth16VerifierStatementStub).
 * The circuit has the wrap statement's two public inputs [programVKey, publicValuesDigest] and
 * accepts any values for them, so contract tests can prove arbitrary statements with this key.
 */
import fs from "node:fs";
import { devSetup } from "../../src/wrap/groth16/dev-setup.ts";
import {
  encodeProofBytes,
  publicValuesDigest,
  bytesToHex,
  verifierSelector,
} from "../../src/wrap/groth16/proof-bytes.ts";
import { proveGroth16, verifyGroth16 } from "../../src/wrap/groth16/prove.ts";
import { loadSnarkjs, releaseSnarkjsCurves } from "../../src/wrap/groth16/snarkjs.ts";
import { generateSolidityVerifier } from "../../src/wrap/groth16/solidity.ts";
import { compileCircuit, witness } from "./groth16-support.ts";

export const FIXTURE_DIR = "circuits/test-groth16/fixture";
export const FIXTURE_VERIFIER = "contracts/generated/Groth16VerifierStatementStub.sol";
export const FIXTURE_CONTRACT = "Groth16VerifierStatementStub";

async function main(): Promise<void> {
  const c = compileCircuit("statement_stub");
  fs.mkdirSync(FIXTURE_DIR, { recursive: true });
  const zkey = `${FIXTURE_DIR}/statement_stub.zkey`;
  await devSetup(c.r1cs, zkey, { threads: 1 });
  fs.copyFileSync(c.wasm, `${FIXTURE_DIR}/statement_stub.wasm`);
  const sj = await loadSnarkjs();
  const vkey = await sj.zKey.exportVerificationKey(zkey);
  fs.writeFileSync(`${FIXTURE_DIR}/vkey.json`, JSON.stringify(vkey, null, 1) + "\n");
  fs.mkdirSync("contracts/generated", { recursive: true });
  fs.writeFileSync(FIXTURE_VERIFIER, await generateSolidityVerifier(zkey, FIXTURE_CONTRACT));

  const programVKey = 0x1234n;
  const publicValues = new TextEncoder().encode("zkmips groth16 fixture");
  const digest = publicValuesDigest(publicValues);
  const w = await witness(c, { programVKey, publicValuesDigest: digest, k: 7n });
  const { proof, publicSignals } = await proveGroth16(zkey, w);
  if (!(await verifyGroth16(vkey, publicSignals, proof))) throw new Error("fixture proof does not verify");
  const selector = verifierSelector(vkey);
  const sample = {
    selector,
    programVKey: `0x${programVKey.toString(16).padStart(64, "0")}`,
    publicValues: bytesToHex(publicValues),
    publicSignals: publicSignals.map((s) => s.toString()),
    proofBytes: bytesToHex(encodeProofBytes(selector, proof)),
  };
  fs.writeFileSync(`${FIXTURE_DIR}/sample-proof.json`, JSON.stringify(sample, null, 2) + "\n");
  await releaseSnarkjsCurves();
  console.log(`fixture written: ${FIXTURE_DIR}, ${FIXTURE_VERIFIER} (selector ${selector})`);
}

if (process.argv[1]?.endsWith("groth16-fixture.ts")) await main();
