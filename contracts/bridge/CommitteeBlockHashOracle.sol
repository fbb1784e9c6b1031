// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IBlockHashOracle} from "./IBlockHashOracle.sol";
import {Owned2Step} from "../utils/Owned2Step.sol";

/// @notice Block hashes attested by an M-of-N committee of ECDSA keys (for devnets, and as a
/// template for other trust anchors). Members sign the EIP-712 message
/// BlockHashAttestation(uint256 chainId,uint256 blockNumber,bytes32 blockHash) under the
/// domain {name: "zkmips CommitteeBlockHashOracle", version: "1", chainId, verifyingContract},
/// so a signature is valid for one oracle on one chain only. Anyone can submit M signatures;
/// the hash is then stored and vouched for. Trust: M members are honest (and the owner,
/// who sets the committee, does not install a dishonest one).
contract CommitteeBlockHashOracle is IBlockHashOracle, Owned2Step {
    bytes32 public constant ATTESTATION_TYPEHASH =
        keccak256("BlockHashAttestation(uint256 chainId,uint256 blockNumber,bytes32 blockHash)");
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant NAME_HASH = keccak256("zkmips CommitteeBlockHashOracle");
    bytes32 internal constant VERSION_HASH = keccak256("1");
    /// @dev secp256k1 order / 2: larger s values are the malleable twin of a signature.
    uint256 internal constant HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    /// @notice Committee generation; a member is current when memberEpoch[member] == epoch.
    uint256 public epoch;
    uint256 public threshold;
    mapping(address member => uint256) public memberEpoch;
    address[] internal _members;

    /// @notice chainId => blockNumber => attested block hash (0 when none).
    mapping(uint256 chainId => mapping(uint256 blockNumber => bytes32)) public attested;

    event CommitteeChanged(uint256 indexed epoch, address[] members, uint256 threshold);
    event BlockHashAttested(uint256 indexed chainId, uint256 indexed blockNumber, bytes32 blockHash);

    /// @notice threshold is 0 or larger than the committee.
    error InvalidThreshold(uint256 threshold, uint256 members);
    /// @notice Members must be non-zero and strictly ascending (no duplicates).
    error InvalidMemberList(uint256 index);
    error ZeroBlockHash();
    error NotEnoughSignatures(uint256 provided, uint256 threshold);
    /// @notice Signature `index` is not 65 bytes, has a high s, a bad v, or recovers nothing.
    error InvalidSignature(uint256 index);
    error SignerNotMember(uint256 index, address signer);
    /// @notice Signers must be strictly ascending, which also rules out duplicates.
    error SignersNotAscending(uint256 index);
    /// @notice A different hash is already attested for this block.
    error ConflictingAttestation(uint256 chainId, uint256 blockNumber, bytes32 existing);

    constructor(address initialOwner, address[] memory initialMembers, uint256 initialThreshold)
        Owned2Step(initialOwner)
    {
        _setCommittee(initialMembers, initialThreshold);
    }

    /// @notice Replaces the whole committee.
    function setCommittee(address[] calldata newMembers, uint256 newThreshold) external onlyOwner {
        _setCommittee(newMembers, newThreshold);
    }

    function members() external view returns (address[] memory) {
        return _members;
    }

    function domainSeparator() public view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }

    /// @notice The EIP-712 digest members sign.
    function attestationDigest(uint256 chainId, uint256 blockNumber, bytes32 blockHash) public view returns (bytes32) {
        bytes32 structHash = keccak256(abi.encode(ATTESTATION_TYPEHASH, chainId, blockNumber, blockHash));
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator(), structHash));
    }

    /// @notice Stores `blockHash` for (chainId, blockNumber) given at least `threshold`
    /// signatures of current members, ordered by ascending signer address.
    function attest(uint256 chainId, uint256 blockNumber, bytes32 blockHash, bytes[] calldata signatures) external {
        if (blockHash == bytes32(0)) revert ZeroBlockHash();
        if (signatures.length < threshold) revert NotEnoughSignatures(signatures.length, threshold);
        bytes32 digest = attestationDigest(chainId, blockNumber, blockHash);
        address previous = address(0);
        uint256 currentEpoch = epoch;
        for (uint256 i = 0; i < signatures.length; i++) {
            address signer = _recover(digest, signatures[i], i);
            if (signer <= previous) revert SignersNotAscending(i);
            if (memberEpoch[signer] != currentEpoch) revert SignerNotMember(i, signer);
            previous = signer;
        }
        bytes32 existing = attested[chainId][blockNumber];
        if (existing == blockHash) return;
        if (existing != bytes32(0)) revert ConflictingAttestation(chainId, blockNumber, existing);
        attested[chainId][blockNumber] = blockHash;
        emit BlockHashAttested(chainId, blockNumber, blockHash);
    }

    /// @inheritdoc IBlockHashOracle
    function isValidBlockHash(uint256 chainId, uint256 blockNumber, bytes32 blockHash) external view returns (bool) {
        return blockHash != bytes32(0) && attested[chainId][blockNumber] == blockHash;
    }

    function _setCommittee(address[] memory members_, uint256 newThreshold) internal {
        if (newThreshold == 0 || newThreshold > members_.length) revert InvalidThreshold(newThreshold, members_.length);
        uint256 newEpoch = epoch + 1;
        address previous = address(0);
        for (uint256 i = 0; i < members_.length; i++) {
            if (members_[i] <= previous) revert InvalidMemberList(i);
            previous = members_[i];
            memberEpoch[members_[i]] = newEpoch;
        }
        epoch = newEpoch;
        threshold = newThreshold;
        _members = members_;
        emit CommitteeChanged(newEpoch, members_, newThreshold);
    }

    function _recover(bytes32 digest, bytes calldata sig, uint256 index) internal pure returns (address signer) {
        if (sig.length != 65) revert InvalidSignature(index);
        bytes32 r = bytes32(sig[0:32]);
        bytes32 s = bytes32(sig[32:64]);
        uint8 v = uint8(sig[64]);
        if (uint256(s) > HALF_ORDER || (v != 27 && v != 28)) revert InvalidSignature(index);
        signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert InvalidSignature(index);
    }
}
