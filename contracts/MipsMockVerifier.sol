// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IMipsVerifier} from "./IMipsVerifier.sol";

/// @notice FOR TESTS ONLY: accepts any (programVKey, publicValues) with an empty proof, so
/// applications can be tested with the real public values of a guest run (mock mode) and no
/// proving. It checks nothing else. Never deploy it where real value is at stake.
contract MipsMockVerifier is IMipsVerifier {
    /// @notice Mock proofs are empty; this one is not (a real proof was sent to the mock).
    error MockProofNotEmpty(uint256 length);

    /// @inheritdoc IMipsVerifier
    function verifyProof(bytes32, bytes calldata, bytes calldata proofBytes) external pure {
        if (proofBytes.length != 0) revert MockProofNotEmpty(proofBytes.length);
    }
}
