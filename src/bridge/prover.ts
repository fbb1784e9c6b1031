/**
 * How the relayer turns a guest input into `(publicValues, proofBytes)` for StateInbox.submit.
 * - mock: runs the storage-proof guest in the executor and submits its real fd-3 bytes with an
 *   empty proof (only MipsMockVerifier accepts it; nothing is proven).
 * - groth16: MIPS STARK proof wrapped in Groth16. Not available for this guest yet; asking for
 *   it fails with the reason instead of producing anything that looks like a proof.
 */
import { ZkmipsError } from "../errors.ts";
import { runStorageGuest } from "./guest.ts";
import { PUBLIC_VALUES_LENGTH } from "./public-values.ts";

export interface ProvedUpdate {
  publicValues: Uint8Array;
  proofBytes: Uint8Array;
  cycles: number;
  executeSeconds: number;
  proveSeconds: number;
  wrapSeconds: number;
}

export interface UpdateProver {
  readonly mode: "mock" | "groth16";
  prove(input: Uint8Array): Promise<ProvedUpdate>;
}

export function mockProver(): UpdateProver {
  return {
    mode: "mock",
    async prove(input) {
      const run = runStorageGuest(input);
      return {
        publicValues: run.publicValues,
        proofBytes: new Uint8Array(0),
        cycles: run.cycles,
        executeSeconds: run.seconds,
        proveSeconds: 0,
        wrapSeconds: 0,
      };
    },
  };
}

/**
 * Why real proofs of the storage-proof guest cannot be made in this build. The MIPS prover and
 * the Groth16 wrap exist (`zkmips prove`, `zkmips wrap`), but the AIR bounds the public values
 * and the relayer does not drive that pipeline yet.
 */
export async function realProvingUnavailable(): Promise<string> {
  // Loaded lazily: mock mode must not depend on the prover's modules.
  const { PV_MAX } = await import("../mips/air/tables.ts");
  if (PUBLIC_VALUES_LENGTH > PV_MAX) {
    return (
      `the MIPS AIR commits at most ${PV_MAX} public-value bytes but the storage-proof guest writes ` +
      `${PUBLIC_VALUES_LENGTH}`
    );
  }
  return "the relayer does not drive the MIPS prover and Groth16 wrap yet";
}

/** The real prover, or a ZkmipsError saying why it is unavailable. */
export async function groth16Prover(): Promise<UpdateProver> {
  const why = await realProvingUnavailable();
  throw new ZkmipsError(
    `real proving of state updates is not available: ${why}`,
    "rerun with --mock: it runs the guest and submits an empty proof to MipsMockVerifier, which proves nothing",
  );
}
