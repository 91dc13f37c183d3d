// The Tendermint consensus engine (Buchman, Kwon, Milosevic 2018, Algorithm 1) with
// proposer-based timestamps, as a pure state machine: no sockets, threads, clocks, randomness or
// disk. The host feeds inputs (a message, a fired timer, a proposal value, a validation result,
// "transactions are available"), each with the current local time, then drains a Ready batch.
//
// THE HOST MUST PROCESS A READY IN THIS ORDER (etcd raft's Ready is the model):
//   1. persist: write `ready.persist` (the write-ahead record with the signer safety state) and
//      fsync it. Nothing of step 2 may leave the node before this write is durable.
//   2. send `ready.messages` (broadcast when `to` is empty).
//   3. set `ready.timers`; when one fires call HandleTimeout with it.
//   4. apply `ready.commits` (decided blocks with its commit certificate) to the ledger, durably.
//   Answer `proposal_requests` with HandleProposalValue and `validation_requests` with
//   HandleValidation, whenever ready (asynchronously is fine). With create_empty_blocks off, call
//   HandleTransactionsAvailable when a transaction arrives and after each commit that leaves the
//   mempool non-empty (the engine forgets the flag at every new height).
//
// Restart: construct the engine from the ledger (next height, validator sets, last block time,
// last commit) and the last durable record. If that record holds a decision the ledger lacks, the
// host applies that decision first (it is in record.last_decision) and then starts the engine.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "consensus/commit_certificate.h"
#include "consensus/signer.h"
#include "consensus/signer_safety.h"
#include "consensus/types.h"
#include "consensus/validator_set.h"

namespace rightchain::consensus {

struct EngineConfig {
  std::string chain_id = "rightchain";
  // Wait after a commit before round 0 of the next height (CometBFT's timeout_commit): the
  // target block interval, 100 ms ... 10 s.
  TimeMilliseconds target_block_interval_ms = 1000;
  // Round timeouts grow linearly with the round: base + round * delta.
  TimeMilliseconds propose_timeout_ms = 1000;
  TimeMilliseconds propose_timeout_delta_ms = 500;
  TimeMilliseconds prevote_timeout_ms = 1000;
  TimeMilliseconds prevote_timeout_delta_ms = 500;
  TimeMilliseconds precommit_timeout_ms = 1000;
  TimeMilliseconds precommit_timeout_delta_ms = 500;
  // Proposer-based timestamps: bound on the difference between two correct clocks, and on the
  // delay of a proposal message. A fresh proposal is timely at local receive time t when
  //   t - precision_ms <= block_time <= t + message_delay_ms + precision_ms.
  TimeMilliseconds precision_ms = 500;
  TimeMilliseconds message_delay_ms = 2000;
  // When false, a height starts only once transactions are available (or the heartbeat is due).
  bool create_empty_blocks = true;
  TimeMilliseconds heartbeat_interval_ms = 0;  // 0: no heartbeat blocks
  // Block limits, passed to the host with each proposal request (the host packs and validates).
  std::size_t max_block_bytes = 4 << 20;
  std::size_t max_block_transactions = 10000;
  // Own messages of the current height are sent again this often (gossip over a lossy network).
  TimeMilliseconds rebroadcast_interval_ms = 1000;
};

// Bounds a configuration must respect (ValidateEngineConfig).
inline constexpr TimeMilliseconds kMinTargetBlockIntervalMs = 100;
inline constexpr TimeMilliseconds kMaxTargetBlockIntervalMs = 10000;
inline constexpr TimeMilliseconds kMaxTimeoutMs = 600000;

// OK if every field is in range: the target interval in [100 ms, 10 s], timeouts and bounds
// positive and at most 10 minutes, deltas non-negative, limits positive, chain id 1..64 bytes.
// The node checks its configuration file with this; the engine asserts it.
Status ValidateEngineConfig(const EngineConfig& config);

enum class TimeoutKind : std::uint8_t {
  kPropose = 1,
  kPrevote = 2,
  kPrecommit = 3,
  kCommitWait = 4,    // target block interval elapsed: start round 0
  kProposerWait = 5,  // the proposer's clock has not passed the last block time yet
  kHeartbeat = 6,     // an empty block is due even without transactions
  kRebroadcast = 7,
};

struct Timer {
  TimeoutKind kind = TimeoutKind::kPropose;
  Height height = 0;
  Round round = 0;
  TimeMilliseconds delay_ms = 0;
  friend bool operator==(const Timer&, const Timer&) = default;
};

struct OutboundMessage {
  std::optional<ValidatorIndex> to;  // empty: every validator
  Message message;
};

struct ProposalRequest {
  Height height = 0;
  Round round = 0;
  TimeMilliseconds block_time = 0;               // the block header must carry exactly this time
  std::optional<CommitCertificate> last_commit;  // goes into the block (canonical certificate of height-1)
  std::size_t max_block_bytes = 0;
  std::size_t max_block_transactions = 0;
};

struct ValidationRequest {
  Height height = 0;
  BlockHash block_hash{};
  TimeMilliseconds block_time = 0;  // the header's time must equal it
};

struct Decision {
  Proposal proposal;  // the signed proposal of the deciding round (lets lagging peers catch up)
  Height height = 0;
  Round round = 0;
  BlockHash block_hash{};
  TimeMilliseconds block_time = 0;
  CommitCertificate certificate;
  friend bool operator==(const Decision&, const Decision&) = default;
};

// The write-ahead record: everything a restarted validator needs to stay safe.
// The engine keeps at most this many of its own messages of one height, to send again (each
// rebroadcast and after a restart). A height that takes many rounds (a long partition) drops
// its oldest rounds' messages first, never those of its locked and valid rounds: a re-proposal
// of the valid value is accepted only by nodes that see that round's prevotes again.
inline constexpr std::size_t kMaxOwnMessagesPerHeight = 64;

struct DurableState {
  Height height = 0;
  Round round = 0;
  Step step = Step::kPropose;
  std::optional<Proposal> locked;  // lockedValue (as its proposal) ...
  Round locked_round = kNoRound;   // ... and lockedRound
  std::optional<Proposal> valid;
  Round valid_round = kNoRound;
  SignerSafetyState signer;
  std::vector<Message> own_messages;  // signed at this height, sent again after a restart
  std::optional<Decision> last_decision;
  friend bool operator==(const DurableState&, const DurableState&) = default;
};

// A validator took part in a height: this engine verified a vote it signed for that height.
// Reported once per validator and height. A precommit that arrives after this engine decided the
// height (too late for its certificate, as a slower honest validator's often is) still counts
// while the next height runs. The host tracks activity with it (passive exit, docs/governance.md).
struct Participation {
  Height height = 0;
  ValidatorIndex validator = 0;
  friend bool operator==(const Participation&, const Participation&) = default;
};

struct Ready {
  std::optional<DurableState> persist;
  std::vector<OutboundMessage> messages;
  std::vector<Timer> timers;
  std::vector<Decision> commits;  // in height order
  std::vector<ProposalRequest> proposal_requests;
  std::vector<ValidationRequest> validation_requests;
  std::vector<DuplicateVoteEvidence> evidence;
  std::vector<Participation> participation;
  bool empty() const {
    return !persist && messages.empty() && timers.empty() && commits.empty() && proposal_requests.empty() &&
           validation_requests.empty() && evidence.empty() && participation.empty();
  }
};

struct EngineStart {
  Height height = 1;                             // the next height to decide
  ValidatorSet validators;                       // of `height`
  ValidatorSet next_validators;                  // of `height + 1`
  TimeMilliseconds last_block_time = 0;          // time of block height-1 (genesis time for height 1)
  std::optional<CommitCertificate> last_commit;  // of height-1
  std::optional<DurableState> durable;           // the last durable write-ahead record, if any
};

struct EngineCounters {
  std::uint64_t signatures_verified = 0;
  std::uint64_t duplicate_messages_skipped = 0;
  std::uint64_t invalid_messages = 0;
  std::uint64_t untimely_proposals = 0;
  std::uint64_t refused_signatures = 0;
  std::uint64_t proposer_equivocations = 0;
};

class Engine {
 public:
  // `signer` may be null (an observer); both pointers must outlive the engine.
  Engine(EngineConfig config, Signer* signer, const SignatureVerifier* verifier, EngineStart start);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Call once after construction.
  void Start(TimeMilliseconds now);
  // A decoded message from the network; verification happens here. Returns a non-OK Status for
  // messages that fail checks (they are dropped; nothing else happens).
  Status HandleMessage(const Message& message, TimeMilliseconds now);
  void HandleTimeout(const Timer& timer, TimeMilliseconds now);
  void HandleProposalValue(Height height, Round round, const BlockHash& block_hash, TimeMilliseconds now);
  // `updates` are the validator-set changes the block decides (effective at height + 2).
  void HandleValidation(Height height, const BlockHash& block_hash, TimeMilliseconds block_time, bool valid,
                        std::vector<ValidatorUpdate> updates, TimeMilliseconds now);
  void HandleTransactionsAvailable(TimeMilliseconds now);

  bool HasReady() const;
  Ready TakeReady();

  Height height() const;
  Round round() const;
  Step step() const;
  const ValidatorSet& validators() const;
  const ValidatorSet& next_validators() const;
  TimeMilliseconds last_block_time() const;
  const EngineCounters& counters() const;
  // The signed messages of this node at the current height (for gossip to lagging peers).
  const std::vector<Message>& own_messages() const;
  // Messages of the next height that arrived early, still unverified, handed over once: a host
  // that replaces this engine because it committed the height by other means (a block synced
  // from a peer) gives them to the new engine, which would otherwise never see them again (peers
  // send their messages of a height while it runs, and a node that syncs each height after the
  // others decided it would stay a height behind).
  std::vector<Message> TakeEarlyMessages();

  // Signs something other than a consensus message (a log checkpoint, say) under the same signer
  // safety state, in its own lane: refused (kPermissionDenied) if a different thing was signed at
  // this position or a later one; the same bytes again give the stored signature. The updated
  // state is in the next Ready's `persist`, which the host must make durable before it releases
  // the signature.
  Result<Bytes> SignInLane(SigningLane lane, SignedPosition position, ByteView sign_bytes);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

const char* TimeoutKindName(TimeoutKind kind);

}  // namespace rightchain::consensus
