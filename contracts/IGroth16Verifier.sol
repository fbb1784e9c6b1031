// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The ABI of a snarkjs-generated Groth16 verifier with two public signals
/// (`snarkjs zkey export solidityverifier`, template of snarkjs 0.7.6).
interface IGroth16Verifier {
    /// @return true when the proof verifies; false for invalid proofs, points off the curve and
    /// public signals that are not below the BN254 scalar field modulus.
    function verifyProof(
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC,
        uint256[2] calldata pubSignals
    ) external view returns (bool);
}
