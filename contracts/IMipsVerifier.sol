// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice Verifies that a MIPS program, identified by its verifying key, ran to a
/// successful exit and wrote exactly `publicValues` to its public-values stream (fd 3).
/// Same shape as SP1's ISP1Verifier and Ziren's IZKMVerifier.
interface IMipsVerifier {
    /// @param programVKey commitment to the program ROM and initial memory image.
    /// @param publicValues every byte the guest wrote to fd 3.
    /// @param proofBytes 4-byte verifier selector followed by the proof.
    /// @dev Reverts when the proof does not verify.
    function verifyProof(bytes32 programVKey, bytes calldata publicValues, bytes calldata proofBytes) external view;
}
