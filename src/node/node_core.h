// NodeCore: one node's logic, wiring the consensus engine to the chain store, the executor and
// the mempool. It does no networking and keeps no clock: the host (rightchaind, or a test that runs
// a whole cluster in one process) feeds it peer messages, timer expiries, submitted transactions
// and the time, and carries out what it returns in its outbox. Not thread-safe: one caller.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "consensus/engine.h"
#include "consensus/suite_signer.h"
#include "crypto/private_key.h"
#include "exec/executor.h"
#include "exec/genesis.h"
#include "ledger/block_execution.h"
#include "ledger/chain_store.h"
#include "mempool/mempool.h"
#include "node/checkpoint_collector.h"
#include "node/member_table.h"
#include "node/validator_schedule.h"
#include "proofs/signed_note.h"

namespace rightchain::node {

struct OutgoingFrame {
  std::optional<MemberIndex> to;  // empty: every connected member
  Bytes frame;
};

struct CommittedBlock {
  std::uint64_t height = 0;
  crypto::Digest block_hash{};
  std::vector<exec::Receipt> receipts;
};

// Something a member sent that an honest member never sends (docs/node.md, "Peers in
// rightchaind"): the host charges it to that member's connection. A refusal an honest member can
// cause (a stale vote, an expired or duplicate transaction) is not reported.
struct Misbehaviour {
  enum class Kind {
    kForgedTransaction,     // a gossiped transaction whose signature does not verify
    kInvalidBlockResponse,  // a block response whose certificate or block does not verify
  };
  MemberIndex member = 0;
  Kind kind = Kind::kForgedTransaction;
  std::uint32_t count = 1;  // how many such items the frame held
  std::string reason;
};

struct NodeOutbox {
  std::vector<OutgoingFrame> frames;
  std::vector<consensus::Timer> timers;  // consensus timers to arm (replacing none)
  std::vector<CommittedBlock> committed;
  std::vector<crypto::Digest> expired;  // transactions dropped from the mempool as expired
  std::vector<consensus::DuplicateVoteEvidence> evidence;
  std::vector<Misbehaviour> misbehaviour;
  // The member table changed (governance): the host refreshes whom it lets connect.
  bool members_changed = false;
};

struct NodeCoreOptions {
  mempool::MempoolLimits mempool;
  exec::ExecutionLimits execution;
  // A validator that neither proposed a committed block nor signed a vote this node verified for
  // this many heights is reported passive (docs/governance.md, "Passive exit and equivocation").
  std::uint64_t passive_exit_heights = 100;
};

// What this node saw of a validator since it started (docs/governance.md).
struct ValidatorActivity {
  // Latest height it signed a vote for that this node verified: a vote seen by the engine (a
  // precommit arriving after the commit included) or a precommit in a commit certificate.
  std::uint64_t last_signed_height = 0;
  std::uint64_t last_proposed_height = 0;  // latest committed block it proposed
  std::uint64_t missed_heights = 0;        // committed heights since the later of the two
  bool passive = false;                    // missed_heights ≥ passive_exit_heights
};

// Two conflicting signed votes of one validator, as the consensus engine found them.
struct EquivocationReport {
  MemberIndex member = 0;
  std::uint64_t height = 0;
  consensus::Round round = 0;
  Bytes evidence;  // EncodeEquivocationEvidence: the two votes, each a consensus message encoding
};
// u32 length ‖ first vote's message encoding ‖ u32 length ‖ second's: what a governance proposal
// to remove the validator carries (exec::RemoveMember::evidence).
Bytes EncodeEquivocationEvidence(const consensus::DuplicateVoteEvidence& evidence);

class NodeCore {
 public:
  // `key` is the member's consensus key (absent: the node only follows, as an observer would). A
  // key that no member holds yet is a node waiting to be admitted by governance: it follows until
  // a committed block makes it a member, and votes once the set it is in takes effect.
  static Result<std::unique_ptr<NodeCore>> Create(exec::Genesis genesis,
                                                  std::optional<crypto::PrivateKey> key,
                                                  ledger::ChainStore& store, NodeCoreOptions options = {});
  ~NodeCore();

  Status Start(std::int64_t now_milliseconds);
  // A frame from a member; a malformed or invalid frame changes nothing and returns why.
  Status HandlePeerFrame(MemberIndex from, ByteView frame, std::int64_t now_milliseconds);
  void HandleTimer(const consensus::Timer& timer, std::int64_t now_milliseconds);
  // Periodic housekeeping (status broadcast, mempool expiry, sync requests); call about twice a second.
  void Tick(std::int64_t now_milliseconds);
  // A transaction submitted to this node: admitted (and gossiped) or refused with a reason.
  std::variant<crypto::Digest, mempool::Rejection> SubmitTransaction(ByteView encoded,
                                                                     std::int64_t now_milliseconds);
  // Transactions that the host decoded and whose signatures it verified (off the core thread);
  // admitted and gossiped as SubmitTransaction would, one result each.
  struct VerifiedSubmission {
    codec::SignedTransaction transaction;
    Bytes encoded;
  };
  std::vector<std::variant<crypto::Digest, mempool::Rejection>> SubmitVerifiedTransactions(
      std::vector<VerifiedSubmission> submissions, std::int64_t now_milliseconds);

  NodeOutbox TakeOutbox();

  const exec::Genesis& genesis() const { return genesis_; }
  // Every member this node has known (genesis, then governance), by member index.
  const MemberTable& members() const { return members_; }
  // Validators of the height being decided, and the chain parameters in force.
  const consensus::ValidatorSet& validators() const { return schedule_.validators(); }
  const consensus::EngineConfig& engine_config() const { return engine_config_; }
  const ledger::ChainStore& store() const { return store_; }
  const mempool::Mempool& mempool() const { return mempool_; }
  std::optional<MemberIndex> member_index() const { return member_index_; }
  std::optional<consensus::ValidatorIndex> validator_index() const;
  const consensus::EngineCounters& consensus_counters() const;
  // Final co-signed checkpoints (docs/proofs.md), as stored by this node: a C2SP signed note with
  // signatures of more than 2/3 of the voting power.
  Result<std::optional<std::string>> CheckpointAt(std::uint64_t height) const;
  Result<std::optional<std::uint64_t>> LatestCheckpointHeight() const;
  // The same, read through a view of the chain (any thread: the API's readers).
  static Result<std::optional<std::string>> CheckpointAt(const ledger::ChainView& chain,
                                                         std::uint64_t height);
  static Result<std::optional<std::uint64_t>> LatestCheckpointHeight(const ledger::ChainView& chain);
  // Per validator (member index), since this node started; everyone starts at the head height.
  std::map<MemberIndex, ValidatorActivity> ValidatorActivities() const;
  // The latest equivocations seen (at most kMaxEquivocationReports, oldest dropped).
  const std::deque<EquivocationReport>& equivocations() const { return equivocations_; }
  static constexpr std::size_t kMaxEquivocationReports = 256;
  // Received blocks held until consensus asks to validate them, and how many a member's surplus
  // pushed out (at most kMaxHeldBlocksPerPeerAndHeight of one member per height are held).
  std::size_t held_block_count() const { return received_blocks_.size(); }
  std::uint64_t held_blocks_dropped() const { return held_blocks_dropped_; }
  static constexpr std::size_t kMaxHeldBlocksPerPeerAndHeight = 4;
  // The latest committed height each member announced in its status messages (a claim, unchecked;
  // forgotten when the member fails to serve a block it claimed, until it announces again).
  const std::map<MemberIndex, std::uint64_t>& peer_heights() const { return peer_heights_; }

 private:
  NodeCore(exec::Genesis genesis, std::optional<crypto::PrivateKey> key, ledger::ChainStore& store,
           NodeCoreOptions options);
  Status CreateEngine(std::int64_t now_milliseconds);
  void Drain(std::int64_t now_milliseconds);
  void Propose(const consensus::ProposalRequest& request, std::int64_t now_milliseconds);
  void TryValidate(std::int64_t now_milliseconds);
  Status CommitDecision(const consensus::Decision& decision);
  // The validators of the head's height, which the next block's last commit must verify against.
  ledger::PreviousValidators LastCommitValidators() const;
  // `sign_checkpoint`: a block this node decided in consensus (not one it fetched while behind).
  void AfterCommit(const ledger::ExecutedBlock& executed, const consensus::CommitCertificate& certificate,
                   bool sign_checkpoint);
  void RecordActivity(const ledger::BlockHeader& header, const consensus::CommitCertificate& certificate);
  void NoteVote(const consensus::Participation& participation);
  void SignCheckpoint(std::uint64_t height, const std::string& body);
  Status HandleCheckpointSignature(MemberIndex from, ByteView payload);
  // Checkpoints this node never saw become final (it was down, or caught up by fetching blocks)
  // are asked of peers and accepted when their signatures hold more than 2/3 of the power.
  void RequestMissingCheckpoints(std::int64_t now_milliseconds);
  void ResendOwnProposal(std::uint64_t next_height, std::int64_t now_milliseconds);
  Status HandleCheckpointRequest(MemberIndex from, ByteView payload);
  Status HandleCheckpointResponse(ByteView payload);
  void StoreCheckpoint(std::uint64_t height, const std::string& note);
  void FlushGossip();
  // What admission reads: committed state and, before the first block, the genesis state that
  // block writes (accounts and members), so that they can act from the start.
  exec::OverlayState AdmissionState() const;
  Status HandleGossipedTransactions(MemberIndex from, const std::vector<ByteView>& encoded,
                                    std::int64_t now_milliseconds);
  Status HandleBlock(MemberIndex from, ByteView payload, std::int64_t now_milliseconds);
  void ForgetHeldBlocksUpTo(std::uint64_t height);
  Status HandleBlockRequest(MemberIndex from, ByteView payload);
  Status HandleBlockResponse(MemberIndex from, ByteView payload, std::int64_t now_milliseconds);
  // Checks a block response for the next height: its certificate and its validators.
  Status VerifySyncedBlock(const ledger::Block& block, const consensus::CommitCertificate& certificate);
  // Sync (docs/node.md, "Sync"): asks one of the peers that claim to be ahead for the next block.
  void RequestNextBlock(std::int64_t now_milliseconds);
  // `peer` did not serve the block it was asked for (no answer in time, or one that does not
  // verify): its claim is forgotten and its announcements are ignored for a while.
  void NoteSyncFailure(MemberIndex peer, std::int64_t now_milliseconds);
  void SendToValidator(std::optional<consensus::ValidatorIndex> to, Bytes frame);
  // The member holding validator `index` of `validators`, if this node knows it.
  std::optional<MemberIndex> MemberOfValidator(const consensus::ValidatorSet& validators,
                                               consensus::ValidatorIndex index) const;
  // After a commit that may have changed governance state: members, parameters, activity.
  Status RefreshGovernance();
  Status LoadMembership();
  // The validators of `height` as checkpoint signers (cached for the latest set asked).
  std::shared_ptr<const CheckpointCollector::SignerSet> CheckpointSignersAt(std::uint64_t height);

  exec::Genesis genesis_;
  ledger::ChainIdentity chain_;
  crypto::HashAlgorithm hash_;
  ledger::ChainStore& store_;
  exec::Executor executor_;
  mempool::Mempool mempool_;
  MemberTable members_;
  std::optional<MemberIndex> member_index_;
  std::unique_ptr<consensus::SuiteSigner> signer_;
  Bytes own_public_key_;  // empty without a key
  crypto::KeyId own_key_id_{};
  consensus::SuiteVerifier verifier_;
  ValidatorSchedule schedule_;  // moves with the committed head
  std::unique_ptr<consensus::Engine> engine_;
  consensus::EngineConfig engine_config_;
  std::uint64_t validator_set_sequence_ = 0;  // of the latest validator-set record applied
  // Heights left during which departed validators may still vote (so stay connectable).
  std::uint64_t membership_refresh_heights_ = 0;
  bool engine_restart_needed_ = false;  // chain parameters changed: restart at the next boundary
  std::shared_ptr<const CheckpointCollector::SignerSet> cached_signers_;
  std::vector<consensus::Validator> cached_signers_validators_;  // whose signers are cached

  // Blocks of the current height, by hash: executed (ours or received and checked) ...
  std::map<crypto::Digest, ledger::ExecutedBlock> executed_blocks_;
  std::int64_t own_proposal_sent_milliseconds_ = 0;  // when our proposal's body last went out
  // ... or received but not yet checked (validation waits for their request).
  std::map<crypto::Digest, ledger::Block> received_blocks_;
  // Which member sent which of them, per height, oldest first (may name blocks since validated).
  std::map<std::pair<MemberIndex, std::uint64_t>, std::deque<crypto::Digest>> held_by_sender_;
  std::uint64_t held_blocks_dropped_ = 0;
  std::map<crypto::Digest, consensus::ValidationRequest> pending_validations_;
  std::set<crypto::Digest> invalid_blocks_;

  NodeCoreOptions options_;
  std::map<MemberIndex, ValidatorActivity> activity_;  // validators only
  std::map<crypto::KeyId, MemberIndex> member_by_key_id_;
  std::deque<EquivocationReport> equivocations_;
  CheckpointCollector checkpoints_;
  std::set<std::uint64_t> missing_checkpoints_;  // committed heights without a final checkpoint here
  std::int64_t last_checkpoint_request_milliseconds_ = -1'000'000;
  std::uint64_t checkpoint_requests_sent_ = 0;  // rotates the peers asked
  std::map<MemberIndex, std::uint64_t> peer_heights_;
  // What sync knows of a peer beyond its claim: a claimed height is only a hint until served.
  struct SyncPeer {
    std::optional<std::int64_t> asked_milliseconds;  // when its unanswered block request went out
    std::uint64_t asked_height = 0;
    std::uint32_t failures = 0;                   // requests it did not serve since it last served one
    std::int64_t ignored_until_milliseconds = 0;  // its claims are no reason to sync before this
  };
  std::map<MemberIndex, SyncPeer> sync_peers_;
  std::uint64_t sync_requests_sent_ = 0;  // rotates the peers asked
  std::int64_t last_sync_request_milliseconds_ = -1'000'000;
  std::optional<std::int64_t> behind_since_milliseconds_;  // since when a peer has been ahead
  NodeOutbox outbox_;
  // Client submissions admitted since the outbox was last taken, gossiped then (FlushGossip).
  std::vector<Bytes> gossip_pending_;
};

}  // namespace rightchain::node
