// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice Two-step ownership: the owner nominates a successor, who must accept before the
/// transfer takes effect, so a typo cannot hand the contract to an address nobody controls.
/// Nominating address(0) cancels a pending transfer. There is deliberately no renounce.
abstract contract Owned2Step {
    address public owner;
    address public pendingOwner;

    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    /// @notice The caller is not the owner.
    error NotOwner(address caller);
    /// @notice The caller is not the nominated pending owner.
    error NotPendingOwner(address caller);
    /// @notice address(0) cannot own the contract.
    error ZeroOwner();

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    constructor(address initialOwner) {
        if (initialOwner == address(0)) revert ZeroOwner();
        owner = initialOwner;
        emit OwnershipTransferred(address(0), initialOwner);
    }

    /// @notice Nominates `newOwner`; it becomes owner when it calls `acceptOwnership`.
    function transferOwnership(address newOwner) external onlyOwner {
        pendingOwner = newOwner;
        emit OwnershipTransferStarted(owner, newOwner);
    }

    /// @notice Completes a transfer started by `transferOwnership`.
    function acceptOwnership() external {
        if (msg.sender != pendingOwner || msg.sender == address(0)) revert NotPendingOwner(msg.sender);
        address previous = owner;
        owner = msg.sender;
        pendingOwner = address(0);
        emit OwnershipTransferred(previous, msg.sender);
    }
}
