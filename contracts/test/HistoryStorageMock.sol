// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice TEST DOUBLE of the EIP-2935 history contract, installed at its address with
/// hardhat_setCode: answers a 32-byte block number with the hash stored for it, and reverts
/// (as the real one does outside its window) when none is stored or the input is malformed.
contract HistoryStorageMock {
    mapping(uint256 => bytes32) public hashes;

    function set(uint256 blockNumber, bytes32 blockHash) external {
        hashes[blockNumber] = blockHash;
    }

    fallback(bytes calldata input) external returns (bytes memory) {
        require(input.length == 32);
        bytes32 h = hashes[abi.decode(input, (uint256))];
        require(h != bytes32(0));
        return abi.encode(h);
    }
}
