// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IMipsVerifier} from "./IMipsVerifier.sol";
import {IMipsVerifierWithSelector} from "./IMipsVerifierWithSelector.sol";
import {IGroth16Verifier} from "./IGroth16Verifier.sol";

/// @notice Verifies a wrapped MIPS execution proof: adapts `IMipsVerifier.verifyProof` to one
/// snarkjs-generated Groth16 verifier (one per circuit shape).
///
/// proofBytes = selector (4 bytes) || a.x || a.y || b.x1 || b.x0 || b.y1 || b.y0 || c.x || c.y,
/// 32-byte big-endian words in snarkjs calldata order: 260 bytes.
/// The circuit has two public inputs, in this order: programVKey and
/// sha256(publicValues) & (2^253 - 1).
contract MipsVerifierGroth16 is IMipsVerifierWithSelector {
    /// @notice Length of a well-formed proofBytes: selector plus eight 32-byte words.
    uint256 public constant PROOF_BYTES_LENGTH = 4 + 8 * 32;
    /// @notice BN254 scalar field modulus r: both public inputs must be below it.
    uint256 internal constant SCALAR_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// @notice Mask keeping the low 253 bits of the public-values SHA-256 digest.
    uint256 internal constant DIGEST_MASK = (1 << 253) - 1;

    /// @notice The snarkjs-generated Groth16 verifier of this shape.
    IGroth16Verifier public immutable GROTH16_VERIFIER;
    /// @notice bytes4(keccak256(verifying key as the Solidity verifier encodes it)), computed
    /// off-chain when the verifier is generated.
    bytes4 public immutable VERIFIER_SELECTOR;

    /// @notice proofBytes is not exactly PROOF_BYTES_LENGTH bytes long.
    error InvalidProofLength(uint256 expected, uint256 actual);
    /// @notice proofBytes was made for another verifier (another shape or key).
    error WrongVerifierSelector(bytes4 expected, bytes4 actual);
    /// @notice programVKey is not a BN254 scalar field element.
    error ProgramVKeyOutOfField(bytes32 programVKey);
    /// @notice The pairing check failed (or the proof points are not on the curve).
    error InvalidProof();
    /// @notice The Groth16 verifier address has no code.
    error VerifierNotAContract(address verifier);

    constructor(IGroth16Verifier groth16Verifier, bytes4 verifierSelector) {
        if (address(groth16Verifier).code.length == 0) revert VerifierNotAContract(address(groth16Verifier));
        GROTH16_VERIFIER = groth16Verifier;
        VERIFIER_SELECTOR = verifierSelector;
    }

    /// @notice Same as VERIFIER_SELECTOR (SP1-style name).
    function selector() external view returns (bytes4) {
        return VERIFIER_SELECTOR;
    }

    /// @notice The second public input of the circuit for `publicValues`.
    function publicValuesDigest(bytes calldata publicValues) public pure returns (uint256) {
        return uint256(sha256(publicValues)) & DIGEST_MASK;
    }

    /// @inheritdoc IMipsVerifier
    function verifyProof(bytes32 programVKey, bytes calldata publicValues, bytes calldata proofBytes)
        external
        view
    {
        if (proofBytes.length < 4) revert InvalidProofLength(PROOF_BYTES_LENGTH, proofBytes.length);
        bytes4 actual = bytes4(proofBytes[:4]);
        if (actual != VERIFIER_SELECTOR) revert WrongVerifierSelector(VERIFIER_SELECTOR, actual);
        if (proofBytes.length != PROOF_BYTES_LENGTH) {
            revert InvalidProofLength(PROOF_BYTES_LENGTH, proofBytes.length);
        }
        if (uint256(programVKey) >= SCALAR_FIELD) revert ProgramVKeyOutOfField(programVKey);

        uint256 digest = publicValuesDigest(publicValues);
        address target = address(GROTH16_VERIFIER);
        bytes4 fn = IGroth16Verifier.verifyProof.selector;
        bool ok;
        // The ABI encoding of (uint256[2], uint256[2][2], uint256[2], uint256[2]) is ten words
        // in order, and the proof words are already in snarkjs calldata order: the call data is
        // fn || proofBytes[4:260] || programVKey || digest, built past the free-memory pointer.
        // Only one word `1` counts as success (a revert, short or other return does not).
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, fn)
            calldatacopy(add(p, 4), add(proofBytes.offset, 4), 256)
            mstore(add(p, 260), programVKey)
            mstore(add(p, 292), digest)
            ok := staticcall(gas(), target, p, 324, 0x00, 0x20)
            ok := and(ok, and(eq(returndatasize(), 32), eq(mload(0x00), 1)))
        }
        if (!ok) revert InvalidProof();
    }
}
