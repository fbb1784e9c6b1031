// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The trust anchor for source-chain block hashes: the inbox accepts a proven state
/// only at a block whose hash this oracle vouches for.
interface IBlockHashOracle {
    /// @return true when `blockHash` is the hash of block `blockNumber` of chain `chainId`
    /// (by whatever the oracle trusts: a committee, `blockhash`, a light client...).
    function isValidBlockHash(uint256 chainId, uint256 blockNumber, bytes32 blockHash) external view returns (bool);
}
