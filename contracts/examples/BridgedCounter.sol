// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IStateInbox} from "../bridge/IStateInbox.sol";

/// @notice Example message target on the destination chain: a counter that only the
/// StateInbox may increment, and only for messages sent by one address on the source chain.
/// Source side: outbox.sendMessage(destChainId, counter, abi.encodeCall(BridgedCounter.increment, (by))).
contract BridgedCounter {
    address public immutable INBOX;
    address public immutable SOURCE_SENDER;
    uint256 public count;

    event Incremented(address indexed sourceSender, uint256 by, uint256 count);

    error NotInbox(address caller);
    error NotAllowedSender(address sourceSender);

    constructor(address inbox, address sourceSender) {
        INBOX = inbox;
        SOURCE_SENDER = sourceSender;
    }

    function increment(uint256 by) external {
        if (msg.sender != INBOX) revert NotInbox(msg.sender);
        address sender = IStateInbox(INBOX).xMessageSender();
        if (sender != SOURCE_SENDER) revert NotAllowedSender(sender);
        count += by;
        emit Incremented(sender, by, count);
    }
}
