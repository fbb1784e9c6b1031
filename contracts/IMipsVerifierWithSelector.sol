// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IMipsVerifier} from "./IMipsVerifier.sol";

/// @notice A versioned verifier that the gateway can route to: `proofBytes` for it start with
/// `VERIFIER_SELECTOR()`.
interface IMipsVerifierWithSelector is IMipsVerifier {
    /// @return The 4-byte prefix of every proof this verifier accepts.
    function VERIFIER_SELECTOR() external view returns (bytes4);
}
