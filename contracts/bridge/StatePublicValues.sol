// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice Decoder of the public values the storage-proof guest writes to fd 3 (version 1):
/// twelve 32-byte big-endian words, i.e. the ABI encoding of the static tuple below
/// (docs/contracts.md, "Public values"; TS twin: src/bridge/public-values.ts).
library StatePublicValues {
    uint256 internal constant VERSION = 1;
    uint256 internal constant WORDS = 12;
    uint256 internal constant LENGTH = WORDS * 32;

    struct StateUpdate {
        uint256 version; // word 0: always VERSION
        uint256 sourceChainId; // word 1
        uint256 destChainId; // word 2
        address sourceOutbox; // word 3: MessageOutbox address on the source chain
        uint256 prevBlockNumber; // word 4: source block of the state this update extends
        bytes32 prevAccumulator; // word 5: outbox accumulator at that state
        uint256 prevCount; // word 6: outbox message count at that state
        uint256 blockNumber; // word 7: source block proven by this update
        bytes32 blockHash; // word 8: its hash (checked against the block-hash oracle)
        bytes32 newAccumulator; // word 9: outbox slot 0 at blockNumber
        uint256 newCount; // word 10: outbox slot 1 at blockNumber
        bytes32 messagesRoot; // word 11: Merkle root of messages prevCount..newCount-1 (0 if none)
    }

    /// @notice publicValues is not exactly LENGTH bytes long.
    error InvalidPublicValuesLength(uint256 expected, uint256 actual);
    /// @notice The public values are of a version this contract does not understand.
    error UnsupportedPublicValuesVersion(uint256 version);
    /// @notice An address word has non-zero upper bytes.
    error MalformedPublicValues(uint256 wordIndex);

    function decode(bytes calldata pv) internal pure returns (StateUpdate memory u) {
        if (pv.length != LENGTH) revert InvalidPublicValuesLength(LENGTH, pv.length);
        u.version = _word(pv, 0);
        if (u.version != VERSION) revert UnsupportedPublicValuesVersion(u.version);
        u.sourceChainId = _word(pv, 1);
        u.destChainId = _word(pv, 2);
        uint256 outbox = _word(pv, 3);
        if (outbox >> 160 != 0) revert MalformedPublicValues(3);
        u.sourceOutbox = address(uint160(outbox));
        u.prevBlockNumber = _word(pv, 4);
        u.prevAccumulator = bytes32(_word(pv, 5));
        u.prevCount = _word(pv, 6);
        u.blockNumber = _word(pv, 7);
        u.blockHash = bytes32(_word(pv, 8));
        u.newAccumulator = bytes32(_word(pv, 9));
        u.newCount = _word(pv, 10);
        u.messagesRoot = bytes32(_word(pv, 11));
    }

    function _word(bytes calldata pv, uint256 i) private pure returns (uint256) {
        return uint256(bytes32(pv[i * 32:i * 32 + 32]));
    }
}
