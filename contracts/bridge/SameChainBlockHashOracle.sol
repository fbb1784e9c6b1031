// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IBlockHashOracle} from "./IBlockHashOracle.sol";

/// @notice Trustless block hashes of the chain it is deployed on: `blockhash` for the last
/// 256 blocks and, where the EIP-2935 history contract has code, its ring buffer of the
/// last 8191 blocks. Anything older (or the current block, or another chain) is not vouched for.
contract SameChainBlockHashOracle is IBlockHashOracle {
    /// @notice EIP-2935 history storage contract (deployed from Prague on).
    address public constant HISTORY_STORAGE = 0x0000F90827F1C53a10cb7A02335B175320002935;

    /// @inheritdoc IBlockHashOracle
    function isValidBlockHash(uint256 chainId, uint256 blockNumber, bytes32 blockHash) external view returns (bool) {
        if (chainId != block.chainid || blockHash == bytes32(0) || blockNumber >= block.number) return false;
        if (block.number - blockNumber <= 256) return blockhash(blockNumber) == blockHash;
        if (HISTORY_STORAGE.code.length == 0) return false;
        // The history contract takes the block number as one 32-byte word and reverts when
        // it is outside its window.
        (bool ok, bytes memory out) = HISTORY_STORAGE.staticcall(abi.encode(blockNumber));
        return ok && out.length == 32 && bytes32(out) == blockHash;
    }
}
