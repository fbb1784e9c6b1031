// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

interface IInboxSender {
    function xMessageSender() external view returns (address);
}

/// @notice TEST DOUBLE: a message target that records the source sender of each call, can be
/// told to revert, and can re-enter the inbox with a prepared call (e.g. executing the very
/// message that is calling it).
contract MessageTargetMock {
    uint256 public calls;
    uint256 public lastValue;
    address public lastXSender;
    bool public shouldRevert;
    bytes public armedCall;
    bool public reentered;
    bool public reenterSucceeded;
    bytes public reenterResult;

    error TargetRefused(uint256 value);

    function setShouldRevert(bool v) external {
        shouldRevert = v;
    }

    function arm(bytes calldata inboxCall) external {
        armedCall = inboxCall;
    }

    function store(uint256 value) external {
        if (shouldRevert) revert TargetRefused(value);
        calls++;
        lastValue = value;
        lastXSender = IInboxSender(msg.sender).xMessageSender();
    }

    /// @notice Sends the armed call back to the inbox (msg.sender) and records the outcome.
    function reenter() external {
        calls++;
        reentered = true;
        (reenterSucceeded, reenterResult) = msg.sender.call(armedCall);
    }
}
