// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice What a message target needs from StateInbox: who sent the message being executed.
interface IStateInbox {
    /// @return The source-chain sender of the message being executed; reverts outside one.
    function xMessageSender() external view returns (address);

    /// @return The source chain this inbox accepts messages from.
    function SOURCE_CHAIN_ID() external view returns (uint256);
}
