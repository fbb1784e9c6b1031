// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {StatePublicValues} from "../bridge/StatePublicValues.sol";
import {BridgeMessages} from "../bridge/BridgeMessages.sol";

/// @notice TEST HARNESS: exposes the bridge's Solidity codecs so tests can check the
/// TypeScript encoder (src/bridge/public-values.ts) against them.
contract BridgeCodecHarness {
    function decode(bytes calldata pv) external pure returns (StatePublicValues.StateUpdate memory) {
        return StatePublicValues.decode(pv);
    }

    function messageHash(BridgeMessages.Message calldata m) external pure returns (bytes32) {
        return BridgeMessages.hash(m.nonce, m.sourceChainId, m.destChainId, m.sender, m.target, m.payload);
    }

    function chain(bytes32 acc, bytes32 h) external pure returns (bytes32) {
        return BridgeMessages.chain(acc, h);
    }

    function treeDepth(uint256 count) external pure returns (uint256) {
        return BridgeMessages.treeDepth(count);
    }

    function rootFrom(bytes32 leaf, uint256 index, bytes32[] calldata siblings) external pure returns (bytes32) {
        return BridgeMessages.rootFrom(leaf, index, siblings);
    }
}
