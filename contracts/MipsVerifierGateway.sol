// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IMipsVerifier} from "./IMipsVerifier.sol";
import {IMipsVerifierWithSelector} from "./IMipsVerifierWithSelector.sol";
import {Owned2Step} from "./utils/Owned2Step.sol";

/// @notice Routes `verifyProof` by the first four bytes of proofBytes to a versioned verifier.
/// Routes are append-only: a selector, once added, always points at the same verifier. The
/// owner can freeze a route (for instance after a bug in a circuit), which makes every proof
/// for it fail; a frozen route is never reopened.
contract MipsVerifierGateway is IMipsVerifier, Owned2Step {
    struct Route {
        address verifier;
        bool frozen;
    }

    /// @notice selector => route.
    mapping(bytes4 => Route) public routes;

    event RouteAdded(bytes4 indexed selector, address indexed verifier);
    event RouteFrozen(bytes4 indexed selector, address indexed verifier);

    /// @notice proofBytes is shorter than the 4-byte selector.
    error ProofTooShort(uint256 length);
    /// @notice No verifier is registered for this selector.
    error RouteNotFound(bytes4 selector);
    /// @notice The route for this selector has been frozen.
    error RouteIsFrozen(bytes4 selector);
    /// @notice A route for this selector exists already (routes are never replaced).
    error RouteExists(bytes4 selector, address verifier);
    /// @notice The verifier to add has no code.
    error VerifierNotAContract(address verifier);
    /// @notice The verifier to add does not answer VERIFIER_SELECTOR() with a bytes4.
    error NoVerifierSelector(address verifier);

    constructor(address initialOwner) Owned2Step(initialOwner) {}

    /// @notice Adds a route for the verifier's own VERIFIER_SELECTOR().
    function addRoute(address verifier) external onlyOwner {
        if (verifier.code.length == 0) revert VerifierNotAContract(verifier);
        bytes4 sel = _selectorOf(verifier);
        Route storage route = routes[sel];
        if (route.verifier != address(0)) revert RouteExists(sel, route.verifier);
        route.verifier = verifier;
        emit RouteAdded(sel, verifier);
    }

    /// @notice Permanently disables the route of `sel`.
    function freezeRoute(bytes4 sel) external onlyOwner {
        Route storage route = routes[sel];
        if (route.verifier == address(0)) revert RouteNotFound(sel);
        if (route.frozen) revert RouteIsFrozen(sel);
        route.frozen = true;
        emit RouteFrozen(sel, route.verifier);
    }

    /// @notice The verifier for `sel`; reverts when there is none or it is frozen.
    function getVerifier(bytes4 sel) public view returns (address) {
        Route storage route = routes[sel];
        if (route.verifier == address(0)) revert RouteNotFound(sel);
        if (route.frozen) revert RouteIsFrozen(sel);
        return route.verifier;
    }

    function _selectorOf(address verifier) private view returns (bytes4 sel) {
        (bool ok, bytes memory out) =
            verifier.staticcall(abi.encodeCall(IMipsVerifierWithSelector.VERIFIER_SELECTOR, ()));
        if (!ok || out.length != 32 || uint256(bytes32(out)) << 32 != 0) revert NoVerifierSelector(verifier);
        sel = bytes4(bytes32(out));
    }

    /// @inheritdoc IMipsVerifier
    function verifyProof(bytes32, bytes calldata, bytes calldata proofBytes) external view {
        if (proofBytes.length < 4) revert ProofTooShort(proofBytes.length);
        address verifier = getVerifier(bytes4(proofBytes[:4]));
        // Same function, same arguments: forward this call's data unchanged (the verifier
        // decodes it exactly as this function did) and bubble up any revert.
        assembly ("memory-safe") {
            let p := mload(0x40)
            calldatacopy(p, 0, calldatasize())
            if iszero(staticcall(gas(), verifier, p, calldatasize(), 0, 0)) {
                returndatacopy(p, 0, returndatasize())
                revert(p, returndatasize())
            }
        }
    }
}
