// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The message format shared by MessageOutbox (source) and StateInbox (destination),
/// and the Merkle tree over the message hashes of one proven update.
library BridgeMessages {
    /// @notice A cross-chain message, exactly as the outbox recorded it.
    struct Message {
        uint256 nonce;
        uint256 sourceChainId;
        uint256 destChainId;
        address sender;
        address target;
        bytes payload;
    }

    /// @notice keccak256(abi.encode(nonce, sourceChainId, destChainId, sender, target, payload)).
    function hash(
        uint256 nonce,
        uint256 sourceChainId,
        uint256 destChainId,
        address sender,
        address target,
        bytes calldata payload
    ) internal pure returns (bytes32) {
        return keccak256(abi.encode(nonce, sourceChainId, destChainId, sender, target, payload));
    }

    /// @notice The outbox hash chain: keccak256(abi.encode(accumulator, messageHash)).
    function chain(bytes32 accumulator, bytes32 messageHash) internal pure returns (bytes32) {
        return keccak256(abi.encode(accumulator, messageHash));
    }

    /// @notice Depth of the messages tree of `count` leaves: ceil(log2(count)), 0 for one leaf.
    function treeDepth(uint256 count) internal pure returns (uint256 depth) {
        while ((uint256(1) << depth) < count) depth++;
    }

    /// @notice Root from a leaf, its index and its siblings from the leaf up. A node is
    /// keccak256(left || right); missing leaves (past the last message) are bytes32(0).
    function rootFrom(bytes32 leaf, uint256 index, bytes32[] calldata siblings) internal pure returns (bytes32) {
        bytes32 node = leaf;
        for (uint256 i = 0; i < siblings.length; i++) {
            node = (index & 1) == 0
                ? keccak256(abi.encodePacked(node, siblings[i]))
                : keccak256(abi.encodePacked(siblings[i], node));
            index >>= 1;
        }
        return node;
    }
}
