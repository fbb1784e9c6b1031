// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IMipsVerifier} from "../IMipsVerifier.sol";

/// @notice Example application: stores Fibonacci numbers computed by a MIPS guest and proven
/// with a zkmips proof. The guest writes 8 bytes to fd 3: n (uint32, little-endian, as a
/// MIPS32 LE guest stores it) followed by fib(n) mod 2^32 (uint32, little-endian).
/// Point `verifier` at the gateway in production and at MipsMockVerifier in app tests.
contract ProvenFibonacci {
    IMipsVerifier public immutable VERIFIER;
    bytes32 public immutable PROGRAM_VKEY;

    /// @notice n => fib(n) mod 2^32, for every proven n.
    mapping(uint32 n => uint32) public fibonacci;
    mapping(uint32 n => bool) public isProven;

    event FibonacciProven(uint32 indexed n, uint32 value, address indexed prover);

    error InvalidPublicValuesLength(uint256 length);

    constructor(IMipsVerifier verifier, bytes32 programVKey) {
        VERIFIER = verifier;
        PROGRAM_VKEY = programVKey;
    }

    /// @notice Verifies the proof (reverting with the verifier's error when it fails) and
    /// records the result.
    function submit(bytes calldata publicValues, bytes calldata proofBytes) external returns (uint32 n, uint32 value) {
        if (publicValues.length != 8) revert InvalidPublicValuesLength(publicValues.length);
        VERIFIER.verifyProof(PROGRAM_VKEY, publicValues, proofBytes);
        n = _u32le(publicValues[0:4]);
        value = _u32le(publicValues[4:8]);
        fibonacci[n] = value;
        isProven[n] = true;
        emit FibonacciProven(n, value, msg.sender);
    }

    function _u32le(bytes calldata b) private pure returns (uint32) {
        return uint32(uint8(b[0])) | (uint32(uint8(b[1])) << 8) | (uint32(uint8(b[2])) << 16)
            | (uint32(uint8(b[3])) << 24);
    }
}
