// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IGroth16Verifier} from "../IGroth16Verifier.sol";

/// @notice TEST DOUBLE for a snarkjs Groth16 verifier: returns true only for one expected
/// proof (hash of its eight words) and one pair of expected public signals, and false for any
/// public signal outside the BN254 scalar field, as the generated verifier does. It checks the
/// wrapper's plumbing (word order, digest, programVKey), not any cryptography.
contract Groth16VerifierStub is IGroth16Verifier {
    uint256 internal constant SCALAR_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;

    bytes32 public expectedProofHash;
    uint256 public expectedVKey;
    uint256 public expectedDigest;

    function setExpected(bytes32 proofHash, uint256 vkey, uint256 digest) external {
        expectedProofHash = proofHash;
        expectedVKey = vkey;
        expectedDigest = digest;
    }

    function verifyProof(
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC,
        uint256[2] calldata pubSignals
    ) external view returns (bool) {
        if (pubSignals[0] >= SCALAR_FIELD || pubSignals[1] >= SCALAR_FIELD) return false;
        bytes32 proofHash = keccak256(abi.encodePacked(pA, pB[0], pB[1], pC));
        return proofHash == expectedProofHash && pubSignals[0] == expectedVKey && pubSignals[1] == expectedDigest;
    }
}
