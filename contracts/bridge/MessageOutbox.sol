// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {BridgeMessages} from "./BridgeMessages.sol";

/// @notice Source-chain outbox. Every message extends a hash chain kept in storage slot 0,
/// with the message count in slot 1, so one `eth_getProof` of those two slots at a block
/// commits to every message sent up to that block. The layout is part of the protocol:
/// the storage-proof guest reads exactly these slots. This contract must stay free of
/// inheritance and of any other state variable.
contract MessageOutbox {
    /// @notice Storage slot of `accumulator`.
    uint256 public constant ACCUMULATOR_SLOT = 0;
    /// @notice Storage slot of `messageCount`.
    uint256 public constant COUNT_SLOT = 1;
    /// @notice Largest payload accepted (bounds the guest's input per message).
    uint256 public constant MAX_PAYLOAD_BYTES = 4096;

    /// @notice slot 0: keccak256(abi.encode(previous accumulator, messageHash)) over all messages; 0 initially.
    bytes32 public accumulator;
    /// @notice slot 1: number of messages sent; the next message's nonce.
    uint256 public messageCount;

    event MessageSent(
        uint256 indexed nonce,
        uint256 indexed destChainId,
        address indexed sender,
        address target,
        bytes payload,
        bytes32 messageHash,
        bytes32 accumulator
    );

    /// @notice destChainId is 0.
    error InvalidDestinationChain(uint256 destChainId);
    /// @notice target is address(0).
    error InvalidTarget();
    /// @notice payload is longer than MAX_PAYLOAD_BYTES.
    error PayloadTooLarge(uint256 length, uint256 maxLength);

    /// @notice Records a message for `target` on chain `destChainId`.
    /// @return nonce the message's index in this outbox.
    function sendMessage(uint256 destChainId, address target, bytes calldata payload) external returns (uint256 nonce) {
        if (destChainId == 0) revert InvalidDestinationChain(destChainId);
        if (target == address(0)) revert InvalidTarget();
        if (payload.length > MAX_PAYLOAD_BYTES) revert PayloadTooLarge(payload.length, MAX_PAYLOAD_BYTES);
        nonce = messageCount;
        bytes32 messageHash = BridgeMessages.hash(nonce, block.chainid, destChainId, msg.sender, target, payload);
        bytes32 acc = BridgeMessages.chain(accumulator, messageHash);
        accumulator = acc;
        messageCount = nonce + 1;
        emit MessageSent(nonce, destChainId, msg.sender, target, payload, messageHash, acc);
    }
}
