// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IMipsVerifier} from "../IMipsVerifier.sol";

/// @notice Example application: stores Fibonacci numbers computed by a MIPS guest and proven
/// with a zkmips proof. The guest (guests/fibonacci) writes 12 bytes to fd 3: n (uint32,
/// little-endian, as a MIPS32 LE guest stores it) followed by fib(n) mod 2^64 (uint64, LE).
/// Point `verifier` at the gateway in production and at MipsMockVerifier in app tests.
contract ProvenFibonacci {
    IMipsVerifier public immutable VERIFIER;
    bytes32 public immutable PROGRAM_VKEY;

    /// @notice n => fib(n) mod 2^64, for every proven n.
    mapping(uint32 n => uint64) public fibonacci;
    mapping(uint32 n => bool) public isProven;

    event FibonacciProven(uint32 indexed n, uint64 value, address indexed prover);

    error InvalidPublicValuesLength(uint256 length);

    constructor(IMipsVerifier verifier, bytes32 programVKey) {
        VERIFIER = verifier;
        PROGRAM_VKEY = programVKey;
    }

    /// @notice Verifies the proof (reverting with the verifier's error when it fails) and
    /// records the result.
    function submit(bytes calldata publicValues, bytes calldata proofBytes) external returns (uint32 n, uint64 value) {
        if (publicValues.length != 12) revert InvalidPublicValuesLength(publicValues.length);
        VERIFIER.verifyProof(PROGRAM_VKEY, publicValues, proofBytes);
        n = uint32(_le(publicValues[0:4]));
        value = uint64(_le(publicValues[4:12]));
        fibonacci[n] = value;
        isProven[n] = true;
        emit FibonacciProven(n, value, msg.sender);
    }

    /// @dev Little-endian unsigned integer of up to 32 bytes.
    function _le(bytes calldata b) private pure returns (uint256 v) {
        for (uint256 i = 0; i < b.length; i++) {
            v |= uint256(uint8(b[i])) << (8 * i);
        }
    }
}
