// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IMipsVerifier} from "../IMipsVerifier.sol";
import {Owned2Step} from "../utils/Owned2Step.sol";
import {IBlockHashOracle} from "./IBlockHashOracle.sol";
import {BridgeMessages} from "./BridgeMessages.sol";
import {StatePublicValues} from "./StatePublicValues.sol";
import {IStateInbox} from "./IStateInbox.sol";

/// @notice Destination-chain inbox: accepts proven updates of a source-chain MessageOutbox and
/// executes the messages they carry, each at most once.
///
/// An update is accepted when (1) the MIPS proof of the storage-proof guest (programVKey)
/// verifies, (2) it is for this source chain, this chain and the configured outbox, (3) it
/// extends exactly the last accepted state (block number, accumulator, count), (4) its
/// block is newer, and (5) the block-hash oracle vouches for its block hash.
///
/// A message whose target call reverts is recorded as Failed and can be retried by anyone;
/// once a call succeeds the message is Executed and can never run again.
contract StateInbox is Owned2Step, IStateInbox {
    using StatePublicValues for bytes;

    enum MessageStatus {
        None,
        Executed,
        Failed
    }

    /// @notice One accepted update: messages firstNonce .. firstNonce+count-1 under messagesRoot.
    struct Update {
        bytes32 messagesRoot;
        uint64 firstNonce;
        uint64 count;
        uint64 blockNumber;
    }

    struct Config {
        IMipsVerifier verifier; // gateway, a versioned verifier, or MipsMockVerifier (tests)
        bytes32 programVKey; // vkey of the storage-proof guest
        uint256 sourceChainId;
        address sourceOutbox; // MessageOutbox on the source chain
        IBlockHashOracle oracle;
        uint256 initialBlockNumber; // source block of the initial state
        bytes32 initialAccumulator; // outbox accumulator at that block (0 for a fresh outbox)
        uint256 initialCount; // outbox count at that block
        address owner;
        address guardian;
    }

    IMipsVerifier public immutable VERIFIER;
    uint256 public immutable SOURCE_CHAIN_ID;
    address public immutable SOURCE_OUTBOX;

    bytes32 public programVKey;
    IBlockHashOracle public oracle;
    address public guardian;
    bool public paused;

    /// @notice Last accepted source state.
    uint256 public lastBlockNumber;
    bytes32 public lastBlockHash;
    bytes32 public accumulator;
    uint256 public messageCount;

    Update[] internal _updates;
    mapping(bytes32 messageHash => MessageStatus) public messageStatus;

    /// @dev Sender of the message being executed (0 outside executeMessage).
    address private transient _xSender;

    event StateUpdated(
        uint256 indexed updateId,
        uint256 indexed blockNumber,
        bytes32 blockHash,
        bytes32 accumulator,
        uint256 firstNonce,
        uint256 messageCount,
        bytes32 messagesRoot
    );
    event MessageExecuted(bytes32 indexed messageHash, uint256 indexed nonce, address indexed target);
    event MessageFailed(bytes32 indexed messageHash, uint256 indexed nonce, address indexed target, bytes reason);
    event Paused(address indexed by);
    event Unpaused(address indexed by);
    event GuardianChanged(address indexed previousGuardian, address indexed newGuardian);
    event ProgramVKeyChanged(bytes32 previousVKey, bytes32 newVKey);
    event OracleChanged(address indexed previousOracle, address indexed newOracle);

    error IsPaused();
    error NotPaused();
    error NotGuardianOrOwner(address caller);
    error ZeroAddress();
    error WrongSourceChain(uint256 expected, uint256 actual);
    error WrongDestinationChain(uint256 expected, uint256 actual);
    error WrongSourceOutbox(address expected, address actual);
    /// @notice The update extends a state older than the last accepted one.
    error StaleUpdate(uint256 lastBlockNumber, uint256 prevBlockNumber);
    /// @notice The update extends a state newer than the last accepted one (one was skipped).
    error SkippedUpdate(uint256 lastBlockNumber, uint256 prevBlockNumber);
    /// @notice Same previous block, but a different accumulator or count.
    error PrevStateMismatch(bytes32 expectedAccumulator, uint256 expectedCount, bytes32 accumulator, uint256 count);
    error BlockNotNewer(uint256 prevBlockNumber, uint256 blockNumber);
    error InvalidMessageCount(uint256 prevCount, uint256 newCount);
    error InvalidMessagesRoot(bytes32 messagesRoot);
    error UntrustedBlockHash(uint256 chainId, uint256 blockNumber, bytes32 blockHash);
    error UnknownUpdate(uint256 updateId);
    error NonceNotInUpdate(uint256 nonce, uint256 updateId);
    error MerkleProofLengthMismatch(uint256 expected, uint256 actual);
    error InvalidMerkleProof(bytes32 messageHash, uint256 updateId);
    error MessageAlreadyExecuted(bytes32 messageHash);
    error ForbiddenTarget(address target);
    error NotExecutingMessage();

    modifier whenNotPaused() {
        if (paused) revert IsPaused();
        _;
    }

    constructor(Config memory c) Owned2Step(c.owner) {
        if (address(c.verifier) == address(0) || address(c.oracle) == address(0) || c.sourceOutbox == address(0)) {
            revert ZeroAddress();
        }
        if (c.initialCount > type(uint64).max) revert InvalidMessageCount(0, c.initialCount);
        VERIFIER = c.verifier;
        SOURCE_CHAIN_ID = c.sourceChainId;
        SOURCE_OUTBOX = c.sourceOutbox;
        programVKey = c.programVKey;
        oracle = c.oracle;
        guardian = c.guardian;
        lastBlockNumber = c.initialBlockNumber;
        accumulator = c.initialAccumulator;
        messageCount = c.initialCount;
        emit ProgramVKeyChanged(bytes32(0), c.programVKey);
        emit OracleChanged(address(0), address(c.oracle));
        emit GuardianChanged(address(0), c.guardian);
    }

    // ---------------------------------------------------------------- updates

    /// @notice Accepts a proven update of the source outbox (see the contract comment).
    /// @return updateId index of the update, used by executeMessage.
    function submit(bytes calldata publicValues, bytes calldata proofBytes)
        external
        whenNotPaused
        returns (uint256 updateId)
    {
        StatePublicValues.StateUpdate memory u = publicValues.decode();
        if (u.sourceChainId != SOURCE_CHAIN_ID) revert WrongSourceChain(SOURCE_CHAIN_ID, u.sourceChainId);
        if (u.destChainId != block.chainid) revert WrongDestinationChain(block.chainid, u.destChainId);
        if (u.sourceOutbox != SOURCE_OUTBOX) revert WrongSourceOutbox(SOURCE_OUTBOX, u.sourceOutbox);

        uint256 last = lastBlockNumber;
        if (u.prevBlockNumber < last) revert StaleUpdate(last, u.prevBlockNumber);
        if (u.prevBlockNumber > last) revert SkippedUpdate(last, u.prevBlockNumber);
        if (u.prevAccumulator != accumulator || u.prevCount != messageCount) {
            revert PrevStateMismatch(accumulator, messageCount, u.prevAccumulator, u.prevCount);
        }
        if (u.blockNumber <= u.prevBlockNumber) revert BlockNotNewer(u.prevBlockNumber, u.blockNumber);
        if (u.newCount < u.prevCount || u.newCount > type(uint64).max) {
            revert InvalidMessageCount(u.prevCount, u.newCount);
        }
        if ((u.newCount == u.prevCount) != (u.messagesRoot == bytes32(0))) revert InvalidMessagesRoot(u.messagesRoot);
        if (!oracle.isValidBlockHash(u.sourceChainId, u.blockNumber, u.blockHash)) {
            revert UntrustedBlockHash(u.sourceChainId, u.blockNumber, u.blockHash);
        }
        VERIFIER.verifyProof(programVKey, publicValues, proofBytes);

        lastBlockNumber = u.blockNumber;
        lastBlockHash = u.blockHash;
        accumulator = u.newAccumulator;
        messageCount = u.newCount;
        updateId = _updates.length;
        uint256 count = u.newCount - u.prevCount;
        _updates.push(Update(u.messagesRoot, uint64(u.prevCount), uint64(count), uint64(u.blockNumber)));
        emit StateUpdated(
            updateId, u.blockNumber, u.blockHash, u.newAccumulator, u.prevCount, count, u.messagesRoot
        );
    }

    /// @notice Number of accepted updates.
    function updateCount() external view returns (uint256) {
        return _updates.length;
    }

    function getUpdate(uint256 updateId) external view returns (Update memory) {
        if (updateId >= _updates.length) revert UnknownUpdate(updateId);
        return _updates[updateId];
    }

    // ---------------------------------------------------------------- messages

    /// @notice Executes message `m`, proven by update `updateId`, with a Merkle proof
    /// (siblings from the leaf up). Calls `m.target` with `m.payload`; during the call,
    /// `xMessageSender()` returns `m.sender`. A reverting call marks the message Failed
    /// (retryable) and does not revert this transaction.
    /// @return success whether the target call succeeded.
    function executeMessage(BridgeMessages.Message calldata m, uint256 updateId, bytes32[] calldata proof)
        external
        whenNotPaused
        returns (bool success)
    {
        if (m.sourceChainId != SOURCE_CHAIN_ID) revert WrongSourceChain(SOURCE_CHAIN_ID, m.sourceChainId);
        if (m.destChainId != block.chainid) revert WrongDestinationChain(block.chainid, m.destChainId);
        if (updateId >= _updates.length) revert UnknownUpdate(updateId);
        Update memory up = _updates[updateId];
        if (m.nonce < up.firstNonce || m.nonce - up.firstNonce >= up.count) revert NonceNotInUpdate(m.nonce, updateId);
        uint256 depth = BridgeMessages.treeDepth(up.count);
        if (proof.length != depth) revert MerkleProofLengthMismatch(depth, proof.length);
        bytes32 messageHash = BridgeMessages.hash(m.nonce, m.sourceChainId, m.destChainId, m.sender, m.target, m.payload);
        if (BridgeMessages.rootFrom(messageHash, m.nonce - up.firstNonce, proof) != up.messagesRoot) {
            revert InvalidMerkleProof(messageHash, updateId);
        }
        if (messageStatus[messageHash] == MessageStatus.Executed) revert MessageAlreadyExecuted(messageHash);
        if (m.target == address(this)) revert ForbiddenTarget(m.target);

        // Effects before the call: a re-entrant attempt to run the same message sees Executed.
        messageStatus[messageHash] = MessageStatus.Executed;
        address outerSender = _xSender;
        _xSender = m.sender;
        bytes memory reason;
        (success, reason) = m.target.call(m.payload);
        _xSender = outerSender;
        if (success) {
            emit MessageExecuted(messageHash, m.nonce, m.target);
        } else {
            messageStatus[messageHash] = MessageStatus.Failed;
            emit MessageFailed(messageHash, m.nonce, m.target, reason);
        }
    }

    /// @notice The source-chain sender of the message being executed; reverts outside a
    /// message call. Targets authenticate with msg.sender == inbox && xMessageSender() == expected.
    function xMessageSender() external view returns (address) {
        address s = _xSender;
        if (s == address(0)) revert NotExecutingMessage();
        return s;
    }

    // ---------------------------------------------------------------- administration

    /// @notice Stops submit and executeMessage. Callable by the guardian or the owner.
    function pause() external {
        if (msg.sender != guardian && msg.sender != owner) revert NotGuardianOrOwner(msg.sender);
        if (paused) revert IsPaused();
        paused = true;
        emit Paused(msg.sender);
    }

    /// @notice Resumes; owner only.
    function unpause() external onlyOwner {
        if (!paused) revert NotPaused();
        paused = false;
        emit Unpaused(msg.sender);
    }

    function setGuardian(address newGuardian) external onlyOwner {
        emit GuardianChanged(guardian, newGuardian);
        guardian = newGuardian;
    }

    /// @notice Switches to a new storage-proof guest (its public values must keep this layout).
    function setProgramVKey(bytes32 newVKey) external onlyOwner {
        emit ProgramVKeyChanged(programVKey, newVKey);
        programVKey = newVKey;
    }

    function setOracle(IBlockHashOracle newOracle) external onlyOwner {
        if (address(newOracle) == address(0)) revert ZeroAddress();
        emit OracleChanged(address(oracle), address(newOracle));
        oracle = newOracle;
    }
}
