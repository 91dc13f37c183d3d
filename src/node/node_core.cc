#include "node/node_core.h"

#include <algorithm>

#include "consensus/messages.h"
#include "ledger/roots.h"
#include "node/consensus_wal.h"
#include "node/wire.h"
#include "proofs/checkpoint.h"
#include "proofs/trust.h"

namespace rightchain::node {
namespace {

constexpr std::string_view kWalKey = "consensus-wal";
// A peer this many heights ahead makes the node fetch blocks at once; one height ahead, only
// after this long (consensus would normally catch up by itself).
constexpr std::uint64_t kSyncGapHeights = 2;
constexpr std::int64_t kSyncRequestIntervalMilliseconds = 500;
constexpr std::int64_t kBehindPatienceMilliseconds = 3000;
// A block request unanswered this long was not served (a maximal block crosses a slow link well
// within it). The peer's claims are then ignored for kSyncIgnoreMilliseconds, doubled at each
// further failure up to kMaxSyncIgnoreMilliseconds, until it serves a block again.
constexpr std::int64_t kSyncResponseTimeoutMilliseconds = 5000;
constexpr std::int64_t kSyncIgnoreMilliseconds = 5000;
constexpr std::int64_t kMaxSyncIgnoreMilliseconds = 60'000;
// Missed checkpoints are asked of peers at most this often, this many heights at a time, and at
// most this many heights are remembered (the oldest are given up first).
constexpr std::int64_t kCheckpointRequestIntervalMilliseconds = 1000;
constexpr std::size_t kCheckpointsRequestedPerInterval = 32;
constexpr std::size_t kMaxMissingCheckpoints = 100'000;
// What a block holds besides its transactions and last commit (tag, version, header, counts) is
// well under this: a proposer keeps it free within max_block_bytes.
constexpr std::size_t kBlockFramingReserveBytes = 4096;
// A proposer sends its undecided block's body again at most this often.
constexpr std::int64_t kOwnProposalResendIntervalMilliseconds = 1000;

// A proposed block's body within the chain's max_block_bytes, its last commit aside (older proposers
// counted only their transactions against it). Peer frames carry blocks up to the governance
// ceiling whatever the parameter is, so the parameter is enforced here, before a hostile
// proposer's oversized body is held or executed.
Status CheckBlockSize(const ledger::Block& block, std::size_t encoded_bytes, std::size_t max_block_bytes) {
  const std::size_t last_commit_bytes =
      block.last_commit.has_value() ? ledger::EncodeCommitCertificate(*block.last_commit).size() : 0;
  if (encoded_bytes - std::min(encoded_bytes, last_commit_bytes) > max_block_bytes) {
    return Status::LimitExceeded("block body of " + std::to_string(encoded_bytes) +
                                 " bytes exceeds the chain's max_block_bytes of " +
                                 std::to_string(max_block_bytes));
  }
  return Status::Ok();
}

// The parameters a governance proposal set (docs/governance.md), over the genesis configuration.
consensus::EngineConfig EngineConfigWith(consensus::EngineConfig config,
                                         const exec::ChangeParameters& changed) {
  config.target_block_interval_ms = changed.target_block_interval_milliseconds;
  config.propose_timeout_ms = changed.propose_timeout_milliseconds;
  config.prevote_timeout_ms = changed.prevote_timeout_milliseconds;
  config.precommit_timeout_ms = changed.precommit_timeout_milliseconds;
  config.max_block_bytes = changed.max_block_bytes;
  config.max_block_transactions = changed.max_block_transactions;
  return config;
}

// The engine configuration of genesis: the governable parameters go through EngineConfigWith,
// so that genesis and a later change set them the same way.
consensus::EngineConfig EngineConfigFrom(const exec::Genesis& genesis) {
  const exec::ChainParameters& parameters = genesis.parameters;
  consensus::EngineConfig config;
  config.chain_id = genesis.chain_id;
  config.propose_timeout_delta_ms = parameters.timeout_delta_milliseconds;
  config.prevote_timeout_delta_ms = parameters.timeout_delta_milliseconds;
  config.precommit_timeout_delta_ms = parameters.timeout_delta_milliseconds;
  config.precision_ms = parameters.precision_milliseconds;
  config.message_delay_ms = parameters.message_delay_milliseconds;
  config.create_empty_blocks = parameters.create_empty_blocks;
  config.heartbeat_interval_ms = parameters.heartbeat_interval_milliseconds;
  const exec::ChangeParameters governable{
      .target_block_interval_milliseconds = parameters.target_block_interval_milliseconds,
      .propose_timeout_milliseconds = parameters.propose_timeout_milliseconds,
      .prevote_timeout_milliseconds = parameters.prevote_timeout_milliseconds,
      .precommit_timeout_milliseconds = parameters.precommit_timeout_milliseconds,
      .max_block_bytes = parameters.max_block_bytes,
      .max_block_transactions = parameters.max_block_transactions,
  };
  return EngineConfigWith(std::move(config), governable);
}

bool SameEngineConfig(const consensus::EngineConfig& left, const consensus::EngineConfig& right) {
  return left.target_block_interval_ms == right.target_block_interval_ms &&
         left.propose_timeout_ms == right.propose_timeout_ms &&
         left.prevote_timeout_ms == right.prevote_timeout_ms &&
         left.precommit_timeout_ms == right.precommit_timeout_ms &&
         left.max_block_bytes == right.max_block_bytes &&
         left.max_block_transactions == right.max_block_transactions;
}

constexpr std::string_view kCheckpointKeyPrefix = "checkpoint/";
constexpr std::string_view kLatestCheckpointKey = "checkpoint-latest";

Bytes CheckpointKey(std::uint64_t height) {
  Bytes key(kCheckpointKeyPrefix.begin(), kCheckpointKeyPrefix.end());
  const Bytes encoded = EncodeU64(height);
  key.insert(key.end(), encoded.begin(), encoded.end());
  return key;
}

}  // namespace

NodeCore::NodeCore(exec::Genesis genesis, std::optional<crypto::PrivateKey> key, ledger::ChainStore& store,
                   NodeCoreOptions options)
    : genesis_(std::move(genesis)),
      chain_{genesis_.chain_id, genesis_.suite},
      hash_(crypto::GetSuite(genesis_.suite).hash),
      store_(store),
      executor_(exec::MakeStandardExecutor(genesis_, options.execution)),
      mempool_(genesis_.chain_id, genesis_.suite, options.mempool),
      members_(genesis_),
      verifier_(crypto::GetSuite(genesis_.suite).signature),
      engine_config_(EngineConfigFrom(genesis_)),
      options_(options) {
  if (key.has_value()) {
    const ByteView raw = key->public_key().raw();
    own_public_key_.assign(raw.begin(), raw.end());
    own_key_id_ = key->public_key().key_id();
    signer_ = std::make_unique<consensus::SuiteSigner>(std::move(*key));
  }
}

NodeCore::~NodeCore() = default;

Result<std::unique_ptr<NodeCore>> NodeCore::Create(exec::Genesis genesis,
                                                   std::optional<crypto::PrivateKey> key,
                                                   ledger::ChainStore& store, NodeCoreOptions options) {
  RC_RETURN_IF_ERROR(exec::ValidateGenesis(genesis));
  if (key.has_value() && key->scheme() != crypto::GetSuite(genesis.suite).signature) {
    return Status::InvalidArgument("the consensus key is not of the chain's signature scheme");
  }
  std::unique_ptr<NodeCore> core(new NodeCore(std::move(genesis), std::move(key), store, options));
  RC_ASSIGN_OR_RETURN(core->schedule_, ValidatorSchedule::Replay(core->genesis_, core->store_.state(),
                                                                 core->store_.head().height + 1));
  RC_RETURN_IF_ERROR(core->LoadMembership());
  return core;
}

Status NodeCore::LoadMembership() {
  // Genesis members reach state with the first block; before it, genesis is the whole story.
  if (store_.head().height > 0) {
    RC_ASSIGN_OR_RETURN(std::vector<exec::Member> current, exec::LoadMembers(store_.state()));
    // Validators that governance removed keep voting until the new set takes effect (two heights
    // later): until then they stay members to this node, so that their votes still arrive.
    for (const consensus::ValidatorSet* set : {&schedule_.validators(), &schedule_.next_validators()}) {
      for (const consensus::Validator& validator : set->validators()) {
        const bool listed = std::any_of(current.begin(), current.end(), [&](const exec::Member& member) {
          return member.public_key == validator.public_key;
        });
        const std::optional<MemberIndex> known = members_.FindByKey(validator.public_key);
        if (listed || !known.has_value()) continue;
        const TableMember& departing = members_.at(*known);
        current.push_back({departing.name, departing.role, departing.consensus_public_key,
                           static_cast<std::uint64_t>(validator.voting_power)});
      }
    }
    if (members_.Update(current)) outbox_.members_changed = true;
    RC_ASSIGN_OR_RETURN(const std::optional<std::uint64_t> sequence,
                        exec::LatestValidatorSetSequence(store_.state()));
    validator_set_sequence_ = sequence.value_or(0);
    RC_ASSIGN_OR_RETURN(const std::optional<exec::ChangeParameters> parameters,
                        exec::LoadChangedParameters(store_.state()));
    if (parameters.has_value()) {
      const consensus::EngineConfig changed = EngineConfigWith(engine_config_, *parameters);
      if (!SameEngineConfig(changed, engine_config_)) {
        engine_config_ = changed;
        engine_restart_needed_ = engine_ != nullptr;
      }
    }
  }
  member_index_ = own_public_key_.empty() ? std::nullopt : members_.FindByKey(own_public_key_);
  member_by_key_id_.clear();
  for (MemberIndex i = 0; i < members_.size(); ++i) {
    const Result<crypto::KeyId> key_id =
        crypto::ComputeKeyId(crypto::GetSuite(genesis_.suite).signature, members_.at(i).consensus_public_key);
    if (key_id.ok() && members_.at(i).current) member_by_key_id_[*key_id] = i;
  }
  // Validators this node has not watched yet start with a clean slate at the head.
  for (const consensus::Validator& validator : schedule_.validators().validators()) {
    const std::optional<MemberIndex> member = members_.FindByKey(validator.public_key);
    if (member.has_value() && !activity_.contains(*member))
      activity_[*member] = {store_.head().height, store_.head().height, 0, false};
  }
  std::erase_if(activity_, [&](const auto& entry) {
    return !schedule_.validators().IndexOf(members_.at(entry.first).consensus_public_key).has_value();
  });
  cached_signers_.reset();
  return Status::Ok();
}

Status NodeCore::RefreshGovernance() {
  RC_ASSIGN_OR_RETURN(const std::optional<std::uint64_t> sequence,
                      exec::LatestValidatorSetSequence(store_.state()));
  if (sequence.value_or(0) != validator_set_sequence_) {
    membership_refresh_heights_ = 3;  // the change, and the two heights until it takes effect
  }
  if (membership_refresh_heights_ == 0) return Status::Ok();
  if (membership_refresh_heights_ > 0) --membership_refresh_heights_;
  return LoadMembership();
}

std::optional<consensus::ValidatorIndex> NodeCore::validator_index() const {
  if (own_public_key_.empty() || engine_ == nullptr) return std::nullopt;
  return engine_->validators().IndexOf(own_public_key_);
}

std::optional<MemberIndex> NodeCore::MemberOfValidator(const consensus::ValidatorSet& validators,
                                                       consensus::ValidatorIndex index) const {
  if (index >= validators.size()) return std::nullopt;
  return members_.FindByKey(validators.at(index).public_key);
}

std::shared_ptr<const CheckpointCollector::SignerSet> NodeCore::CheckpointSignersAt(std::uint64_t height) {
  const consensus::ValidatorSet& validators = schedule_.ValidatorsAt(height);
  if (cached_signers_ != nullptr && cached_signers_validators_ == validators.validators())
    return cached_signers_;
  auto signers = std::make_shared<CheckpointCollector::SignerSet>();
  const crypto::SignatureScheme scheme = crypto::GetSuite(genesis_.suite).signature;
  for (const consensus::Validator& validator : validators.validators()) {
    const std::optional<MemberIndex> member = members_.FindByKey(validator.public_key);
    Result<crypto::PublicKey> key = crypto::PublicKey::FromRaw(scheme, validator.public_key);
    if (!member.has_value() || !key.ok()) continue;
    const auto power = static_cast<std::uint64_t>(validator.voting_power);
    signers->by_member.emplace(
        *member,
        CheckpointCollector::Signer{proofs::CheckpointKeyName(genesis_.chain_id, members_.at(*member).name),
                                    std::move(key).value(), power});
  }
  // The total counts every validator, known here or not: a quorum is of the whole set's power.
  signers->total_power = static_cast<std::uint64_t>(validators.total_power());
  cached_signers_ = std::move(signers);
  cached_signers_validators_ = validators.validators();
  return cached_signers_;
}

const consensus::EngineCounters& NodeCore::consensus_counters() const {
  return engine_->counters();
}

Status NodeCore::Start(std::int64_t now_milliseconds) {
  // Activity is what this node saw since it started: every validator starts with a clean slate.
  activity_.clear();
  for (const consensus::Validator& validator : schedule_.validators().validators()) {
    const std::optional<MemberIndex> member = members_.FindByKey(validator.public_key);
    if (member.has_value()) activity_[*member] = {store_.head().height, store_.head().height, 0, false};
  }
  RC_RETURN_IF_ERROR(CreateEngine(now_milliseconds));
  Tick(now_milliseconds);
  return Status::Ok();
}

Status NodeCore::CreateEngine(std::int64_t now_milliseconds) {
  const ledger::ChainHead& head = store_.head();
  consensus::EngineStart start;
  start.height = head.height + 1;
  RC_ASSERT(schedule_.height() == start.height);
  start.validators = schedule_.validators();
  start.next_validators = schedule_.next_validators();
  start.last_block_time = head.height == 0 ? genesis_.genesis_time_milliseconds : head.time_milliseconds;
  if (head.height > 0) {
    RC_ASSIGN_OR_RETURN(start.last_commit, store_.CertificateAt(head.height));
  }
  RC_ASSIGN_OR_RETURN(const std::optional<Bytes> wal, store_.GetLocal(AsBytes(kWalKey)));
  if (wal.has_value()) {
    Result<consensus::DurableState> durable = DecodeDurableState(*wal);
    if (!durable.ok())
      return Status::Corruption("consensus write-ahead record: " + durable.status().message());
    // A record of an earlier height is stale: this node never signs at those heights again.
    if (durable->height >= start.height) start.durable = std::move(durable).value();
  }
  // What the engine being replaced received early for the new engine's height (it is replaced
  // after a synced commit or a parameter change, when those messages are no longer sent again).
  std::vector<consensus::Message> early_messages;
  if (engine_ != nullptr) early_messages = engine_->TakeEarlyMessages();
  // The engine signs only at heights whose validators include this node's key.
  engine_restart_needed_ = false;
  engine_ = std::make_unique<consensus::Engine>(engine_config_, signer_.get(), &verifier_, std::move(start));
  executed_blocks_.clear();
  pending_validations_.clear();
  invalid_blocks_.clear();
  ForgetHeldBlocksUpTo(head.height);
  engine_->Start(now_milliseconds);
  // Verified, and sorted by height (this one, the next, or stale), by the engine as any message.
  for (const consensus::Message& message : early_messages)
    (void)engine_->HandleMessage(message, now_milliseconds);
  if (mempool_.size() > 0) engine_->HandleTransactionsAvailable(now_milliseconds);
  Drain(now_milliseconds);
  return Status::Ok();
}

void NodeCore::SendToValidator(std::optional<consensus::ValidatorIndex> to, Bytes frame) {
  if (!to.has_value()) {
    outbox_.frames.push_back({std::nullopt, std::move(frame)});
    return;
  }
  const std::optional<MemberIndex> member = MemberOfValidator(engine_->validators(), *to);
  if (member.has_value()) outbox_.frames.push_back({*member, std::move(frame)});
}

void NodeCore::Drain(std::int64_t now_milliseconds) {
  while (engine_->HasReady()) {
    consensus::Ready ready = engine_->TakeReady();
    // Commits first: the block is durable before the write-ahead record moves past its height,
    // so after a crash the record is never ahead of the ledger by a decision it cannot replay.
    for (const consensus::Decision& decision : ready.commits) {
      if (const Status committed = CommitDecision(decision); !committed.ok()) {
        // Without the block body this node cannot apply the decision: fetch it from peers.
        outbox_.frames.push_back(
            {std::nullopt, EncodeWire(WireType::kBlockRequest, EncodeU64(decision.height))});
      }
    }
    if (ready.persist.has_value()) {
      const Status written = store_.PutLocal(AsBytes(kWalKey), EncodeDurableState(*ready.persist));
      // Sending a signature whose record is not durable could make this node equivocate after a
      // crash: stop instead.
      RC_ASSERT_MSG(written.ok(), written.ToString());
    }
    for (consensus::OutboundMessage& message : ready.messages) {
      SendToValidator(message.to,
                      EncodeWire(WireType::kConsensus, consensus::EncodeMessage(message.message)));
    }
    for (const consensus::Timer& timer : ready.timers) outbox_.timers.push_back(timer);
    for (const consensus::ProposalRequest& request : ready.proposal_requests)
      Propose(request, now_milliseconds);
    for (const consensus::ValidationRequest& request : ready.validation_requests) {
      pending_validations_[request.block_hash] = request;
    }
    for (auto& evidence : ready.evidence) {
      const std::optional<MemberIndex> member =
          evidence.first.height >= 1 && evidence.first.height <= schedule_.height() + 1
              ? MemberOfValidator(schedule_.ValidatorsAt(evidence.first.height), evidence.first.validator)
              : std::nullopt;
      if (member.has_value()) {
        equivocations_.push_back(
            {*member, evidence.first.height, evidence.first.round, EncodeEquivocationEvidence(evidence)});
        if (equivocations_.size() > kMaxEquivocationReports) equivocations_.pop_front();
      }
      outbox_.evidence.push_back(std::move(evidence));
    }
    for (const consensus::Participation& participation : ready.participation) NoteVote(participation);
    TryValidate(now_milliseconds);
  }
  if (engine_restart_needed_) {
    // Chain parameters changed at the height just committed: the engine starts the next height
    // with them, from the ledger and its write-ahead record, as after a restart.
    const Status restarted = CreateEngine(now_milliseconds);
    RC_ASSERT_MSG(restarted.ok(), restarted.ToString());
  }
}

void NodeCore::Propose(const consensus::ProposalRequest& request, std::int64_t now_milliseconds) {
  if (request.height != store_.head().height + 1) return;
  ledger::NewBlock input;
  input.time_milliseconds = request.block_time;
  // The block stays within max_block_bytes: its transactions leave room for the header and counts
  // (under 4 KiB) and for the last commit, which grows with the validator set.
  const std::size_t reserved_bytes =
      kBlockFramingReserveBytes +
      (request.last_commit.has_value() ? ledger::EncodeCommitCertificate(*request.last_commit).size() : 0);
  for (const mempool::PendingTransaction* pending :
       mempool_.Reap(request.max_block_bytes > reserved_bytes ? request.max_block_bytes - reserved_bytes : 0,
                     request.max_block_transactions, request.height)) {
    input.transactions.push_back(pending->transaction);
  }
  input.signatures_verified.assign(input.transactions.size(), true);  // checked on entry to the mempool
  input.last_commit = request.last_commit;
  input.validator_set_hash = ledger::ValidatorSetHash(hash_, engine_->validators());
  input.next_validator_set_hash = ledger::ValidatorSetHash(hash_, engine_->next_validators());
  input.proposer_key_id = own_key_id_;
  Result<ledger::ExecutedBlock> executed =
      ledger::ExecuteNewBlock(chain_, store_, executor_, std::move(input), LastCommitValidators());
  if (!executed.ok()) return;  // the round times out and another proposer tries
  const crypto::Digest hash = executed->block_hash;
  outbox_.frames.push_back(
      {std::nullopt, EncodeWire(WireType::kBlock, ledger::EncodeBlock(executed->block))});
  own_proposal_sent_milliseconds_ = now_milliseconds;
  executed_blocks_.emplace(hash, std::move(executed).value());
  engine_->HandleProposalValue(request.height, request.round, hash, now_milliseconds);
}

void NodeCore::TryValidate(std::int64_t now_milliseconds) {
  std::vector<consensus::ValidationRequest> answerable;
  for (const auto& [hash, request] : pending_validations_) {
    if (executed_blocks_.count(hash) != 0 || received_blocks_.count(hash) != 0 ||
        invalid_blocks_.count(hash) != 0) {
      answerable.push_back(request);
    }
  }
  for (const consensus::ValidationRequest& request : answerable) {
    pending_validations_.erase(request.block_hash);
    bool valid = false;
    if (const auto ours = executed_blocks_.find(request.block_hash); ours != executed_blocks_.end()) {
      valid = ours->second.block.header.time_milliseconds == request.block_time;
    } else if (const auto received = received_blocks_.find(request.block_hash);
               received != received_blocks_.end()) {
      const ledger::Block& block = received->second;
      std::vector<bool> verified;
      verified.reserve(block.transactions.size());
      for (const auto& transaction : block.transactions) {
        // Verified only if we hold these very signature bytes: the id does not cover them.
        const mempool::PendingTransaction* pending =
            mempool_.Find(codec::TransactionId(hash_, transaction.transaction));
        verified.push_back(pending != nullptr && pending->transaction.signature == transaction.signature);
      }
      Result<ledger::ExecutedBlock> executed =
          ledger::ExecuteReceivedBlock(chain_, store_, executor_, block, LastCommitValidators(), verified);
      valid = executed.ok() && block.header.height == request.height &&
              block.header.time_milliseconds == request.block_time;
      if (executed.ok()) executed_blocks_.emplace(request.block_hash, std::move(executed).value());
      received_blocks_.erase(received);
    }
    std::vector<consensus::ValidatorUpdate> updates;
    if (const auto executed = executed_blocks_.find(request.block_hash);
        valid && executed != executed_blocks_.end()) {
      const ledger::BlockHeader& header = executed->second.block.header;
      // The header names the validators of its height and the next: they are the engine's.
      valid = header.validator_set_hash == ledger::ValidatorSetHash(hash_, engine_->validators()) &&
              header.next_validator_set_hash == ledger::ValidatorSetHash(hash_, engine_->next_validators());
      updates = CanonicalValidatorUpdates(engine_->next_validators(), executed->second.validator_changes);
    }
    if (!valid) invalid_blocks_.insert(request.block_hash);
    engine_->HandleValidation(request.height, request.block_hash, request.block_time, valid,
                              std::move(updates), now_milliseconds);
  }
}

ledger::PreviousValidators NodeCore::LastCommitValidators() const {
  const std::uint64_t head = store_.head().height;
  // On top of genesis a block has no last commit and the set is not consulted.
  return {head == 0 ? &schedule_.validators() : &schedule_.ValidatorsAt(head), &verifier_};
}

Status NodeCore::CommitDecision(const consensus::Decision& decision) {
  if (decision.height != store_.head().height + 1) return Status::Ok();  // already committed (sync)
  const auto executed = executed_blocks_.find(decision.block_hash);
  if (executed == executed_blocks_.end()) return Status::NotFound("decided block is not here");
  RC_RETURN_IF_ERROR(ledger::CommitExecutedBlock(store_, executed->second, decision.certificate));
  AfterCommit(executed->second, decision.certificate, /*sign_checkpoint=*/true);
  executed_blocks_.clear();
  invalid_blocks_.clear();
  return Status::Ok();
}

void NodeCore::RecordActivity(const ledger::BlockHeader& header,
                              const consensus::CommitCertificate& certificate) {
  for (const consensus::Vote& precommit : certificate.precommits)
    NoteVote({header.height, precommit.validator});
  const auto proposer = member_by_key_id_.find(header.proposer_key_id);
  if (proposer != member_by_key_id_.end() && activity_.count(proposer->second) != 0) {
    activity_[proposer->second].last_proposed_height = header.height;
  }
}

void NodeCore::NoteVote(const consensus::Participation& participation) {
  if (participation.height < 1 || participation.height > schedule_.height() + 1) return;
  const std::optional<MemberIndex> member =
      MemberOfValidator(schedule_.ValidatorsAt(participation.height), participation.validator);
  if (!member.has_value() || !activity_.contains(*member)) return;
  std::uint64_t& last_signed = activity_[*member].last_signed_height;
  last_signed = std::max(last_signed, participation.height);
}

std::map<MemberIndex, ValidatorActivity> NodeCore::ValidatorActivities() const {
  std::map<MemberIndex, ValidatorActivity> activities = activity_;
  const std::uint64_t head = store_.head().height;
  for (auto& [member, activity] : activities) {
    const std::uint64_t last = std::max(activity.last_signed_height, activity.last_proposed_height);
    activity.missed_heights = head > last ? head - last : 0;
    activity.passive = activity.missed_heights >= options_.passive_exit_heights;
  }
  return activities;
}

Bytes EncodeEquivocationEvidence(const consensus::DuplicateVoteEvidence& evidence) {
  Bytes encoded;
  for (const consensus::Vote* vote : {&evidence.first, &evidence.second}) {
    const Bytes message = consensus::EncodeMessage(*vote);
    const auto length = static_cast<std::uint32_t>(message.size());
    for (int shift = 24; shift >= 0; shift -= 8)
      encoded.push_back(static_cast<std::uint8_t>(length >> shift));
    encoded.insert(encoded.end(), message.begin(), message.end());
  }
  return encoded;
}

void NodeCore::AfterCommit(const ledger::ExecutedBlock& executed,
                           const consensus::CommitCertificate& certificate, bool sign_checkpoint) {
  RC_ASSERT(executed.block.header.height == schedule_.height());
  RecordActivity(executed.block.header, certificate);
  // The validator changes the block decided shape the set of height + 2, as in the engine.
  const Status advanced =
      schedule_.Advance(CanonicalValidatorUpdates(schedule_.next_validators(), executed.validator_changes));
  RC_ASSERT_MSG(advanced.ok(), advanced.ToString());  // a committed block's changes were validated
  if (const Status refreshed = RefreshGovernance(); !refreshed.ok()) {
    // State could not be read: the node keeps the member table it had and tries again next block.
    membership_refresh_heights_ = std::max<std::uint64_t>(membership_refresh_heights_, 1);
  }
  std::vector<crypto::Digest> ids;
  std::vector<mempool::Mempool::SenderNonce> nonces;
  for (std::size_t i = 0; i < executed.block.transactions.size(); ++i) {
    ids.push_back(executed.receipts[i].transaction_id);
    const codec::Transaction& transaction = executed.block.transactions[i].transaction;
    const Result<crypto::KeyId> sender =
        crypto::ComputeKeyId(transaction.sender_scheme, transaction.sender_public_key);
    if (sender.ok()) nonces.push_back({*sender, transaction.nonce});
  }
  mempool_.RemoveCommitted(ids, nonces);
  outbox_.committed.push_back({executed.block.header.height, executed.block_hash, executed.receipts});
  const std::uint64_t committed_height = executed.block.header.height;
  ForgetHeldBlocksUpTo(committed_height);

  const ledger::BlockHeader& header = executed.block.header;
  const std::string body = proofs::CheckpointBody(
      {genesis_.chain_id, header.log_size, header.log_root, header.height, executed.block_hash});
  if (const std::optional<std::string> note =
          checkpoints_.AddCommitted(header.height, body, CheckpointSignersAt(header.height))) {
    StoreCheckpoint(header.height, *note);
  }
  if (sign_checkpoint) {
    SignCheckpoint(header.height, body);
  } else if (const Result<std::optional<std::string>> stored = CheckpointAt(header.height);
             !stored.ok() || !stored->has_value()) {
    // Fetched while behind: the validators' signatures went round while this node was away.
    missing_checkpoints_.insert(header.height);
    while (missing_checkpoints_.size() > kMaxMissingCheckpoints)
      missing_checkpoints_.erase(missing_checkpoints_.begin());
  }
}

void NodeCore::SignCheckpoint(std::uint64_t height, const std::string& body) {
  if (!member_index_.has_value() || !schedule_.ValidatorsAt(height).IndexOf(own_public_key_).has_value())
    return;
  // The checkpoint lane of the signer-safety state refuses a second, different checkpoint for a
  // height (after a crash the same body is signed again, identically).
  const Result<Bytes> signature = engine_->SignInLane(consensus::SigningLane::kCheckpoint,
                                                      consensus::SignedPosition{height, 0, 0}, AsBytes(body));
  if (!signature.ok()) return;  // refused by signer safety: never sign a conflicting checkpoint
  Bytes payload = EncodeU64(height);
  payload.insert(payload.end(), signature->begin(), signature->end());
  outbox_.frames.push_back({std::nullopt, EncodeWire(WireType::kCheckpointSignature, payload)});
  const Result<std::optional<std::string>> note =
      checkpoints_.AddSignature(*member_index_, height, *signature);
  if (note.ok() && note->has_value()) StoreCheckpoint(height, **note);
}

Status NodeCore::HandleCheckpointSignature(MemberIndex from, ByteView payload) {
  if (payload.size() != 8 + codec::kTransactionSignatureSize) {
    return Status::InvalidArgument("a checkpoint signature is a height and 64 bytes");
  }
  RC_ASSIGN_OR_RETURN(const std::uint64_t height, DecodeU64(payload.first(8)));
  RC_ASSIGN_OR_RETURN(const std::optional<std::string> note,
                      checkpoints_.AddSignature(from, height, Bytes(payload.begin() + 8, payload.end())));
  if (note.has_value()) StoreCheckpoint(height, *note);
  return Status::Ok();
}

void NodeCore::StoreCheckpoint(std::uint64_t height, const std::string& note) {
  const Status stored = store_.PutLocal(CheckpointKey(height), AsBytes(note));
  if (!stored.ok()) return;  // a checkpoint is a convenience copy: consensus does not depend on it
  missing_checkpoints_.erase(height);
  const Result<std::optional<std::uint64_t>> latest = LatestCheckpointHeight();
  if (latest.ok() && latest->has_value() && **latest >= height) return;
  (void)store_.PutLocal(AsBytes(kLatestCheckpointKey), EncodeU64(height));
}

void NodeCore::RequestMissingCheckpoints(std::int64_t now_milliseconds) {
  if (missing_checkpoints_.empty() ||
      now_milliseconds - last_checkpoint_request_milliseconds_ < kCheckpointRequestIntervalMilliseconds) {
    return;
  }
  last_checkpoint_request_milliseconds_ = now_milliseconds;
  std::size_t sent = 0;
  for (const std::uint64_t height : missing_checkpoints_) {
    if (sent == kCheckpointsRequestedPerInterval) break;
    // Ask the peers that have committed the height, a different one each time.
    std::vector<MemberIndex> holders;
    for (const auto& [member, peer_height] : peer_heights_) {
      if (peer_height >= height) holders.push_back(member);
    }
    if (holders.empty()) continue;
    const MemberIndex peer = holders[checkpoint_requests_sent_++ % holders.size()];
    outbox_.frames.push_back({peer, EncodeWire(WireType::kCheckpointRequest, EncodeU64(height))});
    ++sent;
  }
}

Status NodeCore::HandleCheckpointRequest(MemberIndex from, ByteView payload) {
  RC_ASSIGN_OR_RETURN(const std::uint64_t height, DecodeU64(payload));
  RC_ASSIGN_OR_RETURN(const std::optional<std::string> note, CheckpointAt(height));
  if (!note.has_value()) return Status::Ok();  // not final here either: the asker tries another peer
  Bytes response = EncodeU64(height);
  response.insert(response.end(), note->begin(), note->end());
  outbox_.frames.push_back({from, EncodeWire(WireType::kCheckpointResponse, response)});
  return Status::Ok();
}

Status NodeCore::HandleCheckpointResponse(ByteView payload) {
  if (payload.size() < 8 || payload.size() > 8 + proofs::kMaxNoteSize) {
    return Status::InvalidArgument("a checkpoint response is a height and a signed note");
  }
  RC_ASSIGN_OR_RETURN(const std::uint64_t height, DecodeU64(payload.first(8)));
  if (missing_checkpoints_.count(height) == 0) return Status::Ok();  // answered already, or not asked
  RC_ASSIGN_OR_RETURN(const std::optional<ledger::Block> block, store_.BlockAt(height));
  if (!block.has_value()) return Status::Corruption("a committed block is missing");
  const ledger::BlockHeader& header = block->header;
  const std::string body = proofs::CheckpointBody(
      {genesis_.chain_id, header.log_size, header.log_root, header.height, ledger::BlockHash(hash_, header)});
  const std::string_view text(reinterpret_cast<const char*>(payload.data() + 8), payload.size() - 8);
  RC_ASSIGN_OR_RETURN(const proofs::SignedNote note, proofs::ParseSignedNote(text));
  if (note.text != body) return Status::VerificationFailed("the checkpoint is not of this node's block");
  // Signed by the validators of that height (docs/proofs.md), as this node's schedule has them.
  const std::shared_ptr<const CheckpointCollector::SignerSet> validators = CheckpointSignersAt(height);
  std::vector<proofs::NoteKey> keys;
  std::vector<std::uint64_t> powers;
  for (const auto& [member, signer] : validators->by_member) {
    keys.push_back({signer.key_name, signer.key});
    powers.push_back(signer.voting_power);
  }
  RC_ASSIGN_OR_RETURN(const std::vector<std::size_t> signers, proofs::VerifyNote(note, keys));
  std::uint64_t power = 0;
  for (const std::size_t signer : signers) power += powers[signer];
  if (3 * power <= 2 * validators->total_power) {
    return Status::VerificationFailed("the checkpoint's signatures hold no more than 2/3 of the power");
  }
  StoreCheckpoint(height, std::string(text));
  return Status::Ok();
}

namespace {

// From the store or a view of it (both have GetLocal).
template <typename Chain>
Result<std::optional<std::string>> StoredCheckpoint(const Chain& chain, std::uint64_t height) {
  RC_ASSIGN_OR_RETURN(const std::optional<Bytes> stored, chain.GetLocal(CheckpointKey(height)));
  if (!stored.has_value()) return std::optional<std::string>();
  return std::optional<std::string>(std::string(stored->begin(), stored->end()));
}

template <typename Chain>
Result<std::optional<std::uint64_t>> StoredLatestCheckpointHeight(const Chain& chain) {
  RC_ASSIGN_OR_RETURN(const std::optional<Bytes> stored, chain.GetLocal(AsBytes(kLatestCheckpointKey)));
  if (!stored.has_value()) return std::optional<std::uint64_t>();
  RC_ASSIGN_OR_RETURN(const std::uint64_t height, DecodeU64(*stored));
  return std::optional<std::uint64_t>(height);
}

}  // namespace

Result<std::optional<std::string>> NodeCore::CheckpointAt(std::uint64_t height) const {
  return StoredCheckpoint(store_, height);
}
Result<std::optional<std::uint64_t>> NodeCore::LatestCheckpointHeight() const {
  return StoredLatestCheckpointHeight(store_);
}
Result<std::optional<std::string>> NodeCore::CheckpointAt(const ledger::ChainView& chain,
                                                          std::uint64_t height) {
  return StoredCheckpoint(chain, height);
}
Result<std::optional<std::uint64_t>> NodeCore::LatestCheckpointHeight(const ledger::ChainView& chain) {
  return StoredLatestCheckpointHeight(chain);
}

Status NodeCore::HandlePeerFrame(MemberIndex from, ByteView frame, std::int64_t now_milliseconds) {
  if (from >= members_.size() || !members_.at(from).current)
    return Status::InvalidArgument("frame from an unknown member");
  RC_ASSIGN_OR_RETURN(const WireMessage message, DecodeWire(frame));
  Status status;
  switch (message.type) {
    case WireType::kConsensus: {
      RC_ASSIGN_OR_RETURN(const consensus::Message decoded, consensus::DecodeMessage(message.payload));
      status = engine_->HandleMessage(decoded, now_milliseconds);
      break;
    }
    case WireType::kTransaction:
      status = HandleGossipedTransactions(from, {message.payload}, now_milliseconds);
      break;
    case WireType::kTransactionBatch: {
      RC_ASSIGN_OR_RETURN(const std::vector<ByteView> transactions, DecodeTransactionBatch(message.payload));
      status = HandleGossipedTransactions(from, transactions, now_milliseconds);
      break;
    }
    case WireType::kBlock: status = HandleBlock(from, message.payload, now_milliseconds); break;
    case WireType::kStatus: {
      RC_ASSIGN_OR_RETURN(const std::uint64_t height, DecodeU64(message.payload));
      peer_heights_[from] = height;
      break;
    }
    case WireType::kBlockRequest: status = HandleBlockRequest(from, message.payload); break;
    case WireType::kBlockResponse:
      status = HandleBlockResponse(from, message.payload, now_milliseconds);
      break;
    case WireType::kPeerAddresses: status = Status::InvalidArgument("peer addresses are for the host"); break;
    case WireType::kCheckpointSignature: status = HandleCheckpointSignature(from, message.payload); break;
    case WireType::kCheckpointRequest: status = HandleCheckpointRequest(from, message.payload); break;
    case WireType::kCheckpointResponse: status = HandleCheckpointResponse(message.payload); break;
  }
  Drain(now_milliseconds);
  return status;
}

// Each transaction is decoded and checked on its own: one a peer should not have sent (malformed,
// a bad signature) is refused without costing the others. The first decoding error is returned.
// A member checks the signatures of what it gossips, so a forged one is never honest: each costs
// a verification here and is reported against the sender. Other refusals (expired, duplicate, a
// reused nonce, a full mempool) can come from an honest member and are not.
Status NodeCore::HandleGossipedTransactions(MemberIndex from, const std::vector<ByteView>& encoded,
                                            std::int64_t now_milliseconds) {
  Status first_error;
  bool admitted = false;
  Misbehaviour forged{from, Misbehaviour::Kind::kForgedTransaction, 0, {}};
  for (const ByteView bytes : encoded) {
    Result<codec::SignedTransaction> transaction = codec::DecodeSignedTransaction(bytes);
    if (!transaction.ok()) {
      if (first_error.ok()) first_error = transaction.status();
      continue;
    }
    const auto added = mempool_.Add(std::move(transaction).value(), bytes.size(), store_.head().height + 1,
                                    now_milliseconds, AdmissionState());
    admitted = admitted || std::holds_alternative<crypto::Digest>(added);
    const auto* rejection = std::get_if<mempool::Rejection>(&added);
    if (rejection != nullptr && rejection->code == mempool::RejectionCode::kBadSignature) {
      if (forged.count++ == 0) forged.reason = "gossiped a forged transaction: " + rejection->message;
    }
  }
  if (forged.count > 0) outbox_.misbehaviour.push_back(std::move(forged));
  if (admitted) engine_->HandleTransactionsAvailable(now_milliseconds);
  return first_error;
}

Status NodeCore::HandleBlock(MemberIndex from, ByteView payload, std::int64_t now_milliseconds) {
  RC_ASSIGN_OR_RETURN(ledger::Block block, ledger::DecodeBlock(payload));
  const std::uint64_t next = store_.head().height + 1;
  // Only the next height's blocks matter (one ahead is kept: it may arrive before our commit).
  const std::uint64_t height = block.header.height;
  if (height < next || height > next + 1) return Status::Ok();
  RC_RETURN_IF_ERROR(CheckBlockSize(block, payload.size(), engine_config_.max_block_bytes));
  const crypto::Digest hash = ledger::BlockHash(hash_, block.header);
  if (executed_blocks_.count(hash) == 0 && received_blocks_.emplace(hash, std::move(block)).second) {
    // A proposer sends one block per round it leads; distinct blocks past a few per height are a
    // member's flood: its oldest goes (a proposer resends its proposal while the height lasts).
    std::deque<crypto::Digest>& sent = held_by_sender_[{from, height}];
    sent.push_back(hash);
    if (sent.size() > kMaxHeldBlocksPerPeerAndHeight) {
      held_blocks_dropped_ += received_blocks_.erase(sent.front());
      sent.pop_front();
    }
  }
  TryValidate(now_milliseconds);
  return Status::Ok();
}

void NodeCore::ForgetHeldBlocksUpTo(std::uint64_t height) {
  std::erase_if(received_blocks_, [&](const auto& entry) { return entry.second.header.height <= height; });
  std::erase_if(held_by_sender_, [&](const auto& entry) { return entry.first.second <= height; });
}

Status NodeCore::HandleBlockRequest(MemberIndex from, ByteView payload) {
  RC_ASSIGN_OR_RETURN(const std::uint64_t height, DecodeU64(payload));
  if (height == 0 || height > store_.head().height) return Status::Ok();
  RC_ASSIGN_OR_RETURN(const std::optional<Bytes> block, store_.EncodedBlockAt(height));
  RC_ASSIGN_OR_RETURN(const std::optional<consensus::CommitCertificate> certificate,
                      store_.CertificateAt(height));
  if (!block.has_value() || !certificate.has_value())
    return Status::Corruption("block or certificate missing");
  Bytes response = EncodeU64(block->size());
  response.insert(response.end(), block->begin(), block->end());
  const Bytes encoded_certificate = ledger::EncodeCommitCertificate(*certificate);
  response.insert(response.end(), encoded_certificate.begin(), encoded_certificate.end());
  outbox_.frames.push_back({from, EncodeWire(WireType::kBlockResponse, response)});
  return Status::Ok();
}

Status NodeCore::VerifySyncedBlock(const ledger::Block& block,
                                   const consensus::CommitCertificate& certificate) {
  const crypto::Digest hash = ledger::BlockHash(hash_, block.header);
  if (certificate.height != block.header.height || certificate.block_hash != hash) {
    return Status::VerificationFailed("certificate is not for this block");
  }
  RC_RETURN_IF_ERROR(
      consensus::VerifyCommitCertificate(chain_.chain_id, certificate, schedule_.validators(), verifier_));
  if (block.header.validator_set_hash != ledger::ValidatorSetHash(hash_, schedule_.validators()) ||
      block.header.next_validator_set_hash != ledger::ValidatorSetHash(hash_, schedule_.next_validators())) {
    return Status::VerificationFailed("the block names other validators than this node's schedule");
  }
  return Status::Ok();
}

// A response that does not decode, or whose block or certificate does not verify, is never what
// an honest member sends: it is reported, and the sender is not asked again for a while.
Status NodeCore::HandleBlockResponse(MemberIndex from, ByteView payload, std::int64_t now_milliseconds) {
  const auto refuse = [&](Status status) {
    outbox_.misbehaviour.push_back(
        {from, Misbehaviour::Kind::kInvalidBlockResponse, 1, "sent a block response: " + status.message()});
    NoteSyncFailure(from, now_milliseconds);
    return status;
  };
  if (payload.size() < 8) return refuse(Status::InvalidArgument("block response is truncated"));
  const Result<std::uint64_t> block_size = DecodeU64(payload.first(8));
  if (!block_size.ok()) return refuse(block_size.status());
  if (*block_size > payload.size() - 8) return refuse(Status::InvalidArgument("block response is truncated"));
  Result<ledger::Block> decoded_block = ledger::DecodeBlock(payload.subspan(8, *block_size));
  if (!decoded_block.ok()) return refuse(decoded_block.status());
  const Result<consensus::CommitCertificate> certificate =
      ledger::DecodeCommitCertificate(payload.subspan(8 + *block_size));
  if (!certificate.ok()) return refuse(certificate.status());
  const ledger::Block block = std::move(decoded_block).value();
  const std::uint64_t next = store_.head().height + 1;
  if (const auto asked = sync_peers_.find(from);
      asked != sync_peers_.end() && asked->second.asked_height == block.header.height) {
    asked->second.asked_milliseconds.reset();  // answered (judged below if still needed)
  }
  if (block.header.height != next) return Status::Ok();  // not the one we need now
  if (const Status verified = VerifySyncedBlock(block, *certificate); !verified.ok()) return refuse(verified);
  // A block whose commit certificate verifies was checked by a quorum: its transactions'
  // signatures are not verified again (docs/node.md, "Sync").
  const std::vector<bool> verified(block.transactions.size(), true);
  RC_ASSIGN_OR_RETURN(
      const ledger::ExecutedBlock executed,
      ledger::ExecuteReceivedBlock(chain_, store_, executor_, block, LastCommitValidators(), verified));
  RC_RETURN_IF_ERROR(ledger::CommitExecutedBlock(store_, executed, *certificate));
  sync_peers_.erase(from);  // it served: its claims count again, its failures are forgiven
  AfterCommit(executed, *certificate, /*sign_checkpoint=*/false);
  // The engine was deciding a height that is now committed: start it again from the ledger.
  RC_RETURN_IF_ERROR(CreateEngine(now_milliseconds));
  last_sync_request_milliseconds_ = -1'000'000;  // ask for the next one at once if still behind
  behind_since_milliseconds_.reset();
  Tick(now_milliseconds);
  return Status::Ok();
}

void NodeCore::HandleTimer(const consensus::Timer& timer, std::int64_t now_milliseconds) {
  engine_->HandleTimeout(timer, now_milliseconds);
  Drain(now_milliseconds);
}

void NodeCore::Tick(std::int64_t now_milliseconds) {
  const std::uint64_t height = store_.head().height;
  outbox_.frames.push_back({std::nullopt, EncodeWire(WireType::kStatus, EncodeU64(height))});
  for (const crypto::Digest& id : mempool_.RemoveExpired(height + 1)) outbox_.expired.push_back(id);
  RequestNextBlock(now_milliseconds);
  RequestMissingCheckpoints(now_milliseconds);
  ResendOwnProposal(height + 1, now_milliseconds);
}

// A claimed height is a hint, not a fact: a member can announce any height. The next block is asked
// of the peers that claim to be ahead in turn, one request outstanding per peer; a peer that does
// not serve it is ignored for a while, so a false claim costs at most one unanswered request per
// period and never captures sync (docs/node.md, "Sync").
void NodeCore::RequestNextBlock(std::int64_t now_milliseconds) {
  const std::uint64_t height = store_.head().height;
  for (auto& [member, peer] : sync_peers_) {
    if (peer.asked_milliseconds.has_value() &&
        now_milliseconds - *peer.asked_milliseconds >= kSyncResponseTimeoutMilliseconds) {
      NoteSyncFailure(member, now_milliseconds);
    }
  }
  std::vector<MemberIndex> ahead;  // peers whose claim is credible for now
  std::vector<MemberIndex> idle;   // those of them without a request outstanding
  std::uint64_t highest = height;
  for (const auto& [member, peer_height] : peer_heights_) {
    if (peer_height <= height) continue;
    const auto peer = sync_peers_.find(member);
    if (peer != sync_peers_.end() && peer->second.ignored_until_milliseconds > now_milliseconds) continue;
    ahead.push_back(member);
    if (peer == sync_peers_.end() || !peer->second.asked_milliseconds.has_value()) idle.push_back(member);
    highest = std::max(highest, peer_height);
  }
  if (ahead.empty()) {
    behind_since_milliseconds_.reset();
    return;
  }
  if (!behind_since_milliseconds_.has_value()) behind_since_milliseconds_ = now_milliseconds;
  const bool far_behind = highest >= height + kSyncGapHeights;
  const bool behind_for_long = now_milliseconds - *behind_since_milliseconds_ >= kBehindPatienceMilliseconds;
  if (!(far_behind || behind_for_long) || idle.empty() ||
      now_milliseconds - last_sync_request_milliseconds_ < kSyncRequestIntervalMilliseconds) {
    return;
  }
  last_sync_request_milliseconds_ = now_milliseconds;
  const MemberIndex asked = idle[sync_requests_sent_++ % idle.size()];
  SyncPeer& peer = sync_peers_[asked];
  peer.asked_milliseconds = now_milliseconds;
  peer.asked_height = height + 1;
  outbox_.frames.push_back({asked, EncodeWire(WireType::kBlockRequest, EncodeU64(height + 1))});
}

void NodeCore::NoteSyncFailure(MemberIndex member, std::int64_t now_milliseconds) {
  SyncPeer& peer = sync_peers_[member];
  peer.asked_milliseconds.reset();
  peer.failures = std::min<std::uint32_t>(peer.failures + 1, 16);
  const std::int64_t ignored =
      std::min(kMaxSyncIgnoreMilliseconds, kSyncIgnoreMilliseconds << (peer.failures - 1));
  peer.ignored_until_milliseconds = now_milliseconds + ignored;
  peer_heights_.erase(member);  // forgotten until it announces again
}

// Our own proposal's body again, in case a peer missed it, once it has waited a while: most
// heights are decided before, and sending megabytes of block to every peer at every tick was a
// large share of a loaded node's work.
void NodeCore::ResendOwnProposal(std::uint64_t next_height, std::int64_t now_milliseconds) {
  if (now_milliseconds - own_proposal_sent_milliseconds_ < kOwnProposalResendIntervalMilliseconds) return;
  own_proposal_sent_milliseconds_ = now_milliseconds;
  for (const auto& [hash, executed] : executed_blocks_) {
    if (executed.block.header.height == next_height && signer_ &&
        executed.block.header.proposer_key_id == own_key_id_) {
      outbox_.frames.push_back(
          {std::nullopt, EncodeWire(WireType::kBlock, ledger::EncodeBlock(executed.block))});
    }
  }
}

std::variant<crypto::Digest, mempool::Rejection> NodeCore::SubmitTransaction(ByteView encoded,
                                                                             std::int64_t now_milliseconds) {
  Result<codec::SignedTransaction> transaction = codec::DecodeSignedTransaction(encoded);
  if (!transaction.ok())
    return mempool::Rejection{mempool::RejectionCode::kMalformed, transaction.status().message()};
  auto added = mempool_.Add(std::move(transaction).value(), encoded.size(), store_.head().height + 1,
                            now_milliseconds, AdmissionState());
  if (std::holds_alternative<crypto::Digest>(added)) {
    gossip_pending_.emplace_back(encoded.begin(), encoded.end());
    engine_->HandleTransactionsAvailable(now_milliseconds);
    Drain(now_milliseconds);
  }
  return added;
}

std::vector<std::variant<crypto::Digest, mempool::Rejection>> NodeCore::SubmitVerifiedTransactions(
    std::vector<VerifiedSubmission> submissions, std::int64_t now_milliseconds) {
  std::vector<std::variant<crypto::Digest, mempool::Rejection>> results;
  results.reserve(submissions.size());
  bool admitted = false;
  for (VerifiedSubmission& submission : submissions) {
    const std::size_t size = submission.encoded.size();
    auto added = mempool_.Add(std::move(submission.transaction), size, store_.head().height + 1,
                              now_milliseconds, AdmissionState(), /*signature_verified=*/true);
    if (std::holds_alternative<crypto::Digest>(added)) {
      gossip_pending_.push_back(std::move(submission.encoded));
      admitted = true;
    }
    results.push_back(std::move(added));
  }
  if (!admitted) return results;
  engine_->HandleTransactionsAvailable(now_milliseconds);
  Drain(now_milliseconds);
  return results;
}

// Client submissions admitted since the last call leave together: frames of at most
// kMaxTransactionBatch transactions and kMaxTransactionBatchBytes (a lone transaction as peer
// message 2). The host takes the outbox after each run of work, so submissions that arrive
// together are batched without waiting for anything.
void NodeCore::FlushGossip() {
  std::size_t end = 0;
  for (std::size_t first = 0; first < gossip_pending_.size(); first = end) {
    std::size_t bytes = gossip_pending_[first].size();
    end = first + 1;
    while (end < gossip_pending_.size() && end - first < kMaxTransactionBatch &&
           bytes + gossip_pending_[end].size() <= kMaxTransactionBatchBytes) {
      bytes += gossip_pending_[end].size();
      ++end;
    }
    if (end - first == 1) {
      outbox_.frames.push_back({std::nullopt, EncodeWire(WireType::kTransaction, gossip_pending_[first])});
      continue;
    }
    const std::vector<ByteView> part(gossip_pending_.begin() + static_cast<std::ptrdiff_t>(first),
                                     gossip_pending_.begin() + static_cast<std::ptrdiff_t>(end));
    outbox_.frames.push_back(
        {std::nullopt, EncodeWire(WireType::kTransactionBatch, EncodeTransactionBatch(part))});
  }
  gossip_pending_.clear();
}

exec::OverlayState NodeCore::AdmissionState() const {
  static const exec::StateChanges kNothing;
  return exec::OverlayState(store_.state(), store_.head().height == 0 ? executor_.initial_state() : kNothing);
}

NodeOutbox NodeCore::TakeOutbox() {
  FlushGossip();
  return std::exchange(outbox_, NodeOutbox{});
}

}  // namespace rightchain::node
