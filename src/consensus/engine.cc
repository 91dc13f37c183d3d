#include "consensus/engine.h"

#include <algorithm>
#include <string>
#include <utility>

#include "consensus/messages.h"

namespace rightchain::consensus {
namespace {

// Messages further ahead than this many rounds are dropped (bounds memory and proposer lookups).
constexpr Round kMaxRoundsAhead = 1000;
// Messages for the next height are kept until we get there, up to this many.
constexpr std::size_t kMaxFutureMessages = 4096;
// An equivocating proposer can sign several proposals for one round; we keep this many, so that
// whichever of them gathers a polka or a commit can still be used (lines 36 and 49).
constexpr std::size_t kMaxProposalsPerRound = 4;
// Distinct votes kept per validator and (round, type); more are evidence only.
constexpr std::size_t kMaxVotesPerValidator = 3;

enum class Validity { kPending, kValid, kInvalid };

struct ValidationEntry {
  Validity validity = Validity::kPending;
  std::vector<ValidatorUpdate> updates;
};

struct RoundState {
  std::optional<Proposal> proposal;  // the first one received: lines 22 and 28 act on it
  bool proposal_timely = false;
  std::vector<Proposal> proposals;  // every distinct one received, the first included
  // Per validator, its distinct votes: normally one; an equivocator's conflicting votes each
  // count toward their own value (as Algorithm 1 counts messages), but once toward the totals.
  std::vector<std::vector<Vote>> prevotes;
  std::vector<std::vector<Vote>> precommits;
  std::map<std::optional<BlockHash>, std::int64_t> prevote_power;
  std::map<std::optional<BlockHash>, std::int64_t> precommit_power;
  std::int64_t prevote_total = 0;
  std::int64_t precommit_total = 0;
  std::vector<bool> participants;
  std::int64_t participant_power = 0;
  bool prevote_timer_scheduled = false;    // line 34 fired
  bool precommit_timer_scheduled = false;  // line 47 fired
  bool polka_handled = false;              // line 36 fired

  explicit RoundState(std::size_t validator_count)
      : prevotes(validator_count), precommits(validator_count), participants(validator_count, false) {}

  std::int64_t PrevotePower(const std::optional<BlockHash>& value) const {
    auto found = prevote_power.find(value);
    return found == prevote_power.end() ? 0 : found->second;
  }
  std::int64_t PrecommitPower(const std::optional<BlockHash>& value) const {
    auto found = precommit_power.find(value);
    return found == precommit_power.end() ? 0 : found->second;
  }
  bool HasProposal(const Proposal& candidate) const {
    return std::find(proposals.begin(), proposals.end(), candidate) != proposals.end();
  }
};

}  // namespace

class Engine::Impl {
 public:
  Impl(EngineConfig config, Signer* signer, const SignatureVerifier* verifier, EngineStart start)
      : config_(std::move(config)),
        signer_(signer),
        verifier_(verifier),
        height_(start.height),
        validators_(std::move(start.validators)),
        next_validators_(std::move(start.next_validators)),
        last_block_time_(start.last_block_time),
        last_commit_(std::move(start.last_commit)) {
    RC_ASSERT(verifier_ != nullptr);
    RC_ASSERT(height_ >= 1);
    RC_ASSERT_MSG(ValidateEngineConfig(config_).ok(), ValidateEngineConfig(config_).ToString());
    if (signer_ != nullptr) public_key_ = signer_->public_key();
    voters_.assign(validators_.size(), false);
    RefreshOwnIndex();
    if (start.durable) {
      signer_state_ = start.durable->signer;
      last_decision_ = start.durable->last_decision;
      if (start.durable->height == height_) restore_ = std::move(start.durable);
    }
  }

  // ---- inputs ----

  void Start(TimeMilliseconds now) {
    AddTimer(TimeoutKind::kRebroadcast, height_, 0, config_.rebroadcast_interval_ms);
    if (restore_) {
      RestoreRound(now);
    } else {
      AddTimer(TimeoutKind::kCommitWait, height_, 0, config_.target_block_interval_ms);
    }
    Finish(now);
  }

  Status HandleMessage(const Message& message, TimeMilliseconds now) {
    Status status = std::holds_alternative<Proposal>(message) ? OnProposal(std::get<Proposal>(message), now)
                                                              : OnVote(std::get<Vote>(message), now);
    if (!status.ok()) counters_.invalid_messages += 1;
    Finish(now);
    return status;
  }

  void HandleTimeout(const Timer& timer, TimeMilliseconds now) {
    OnTimeout(timer, now);
    Finish(now);
  }

  void HandleProposalValue(Height height, Round round, const BlockHash& block_hash, TimeMilliseconds now) {
    if (height == height_ && round == round_ && round_started_ && step_ == Step::kPropose &&
        awaiting_value_ && IsOwnProposer(round)) {
      awaiting_value_ = false;
      Proposal proposal;
      proposal.height = height_;
      proposal.round = round_;
      proposal.pol_round = kNoRound;
      proposal.block_hash = block_hash;
      proposal.block_time = requested_block_time_;
      proposal.proposer = *own_index_;
      SendProposal(std::move(proposal), now);
    }
    Finish(now);
  }

  void HandleValidation(Height height, const BlockHash& block_hash, TimeMilliseconds block_time, bool valid,
                        std::vector<ValidatorUpdate> updates, TimeMilliseconds now) {
    if (height == height_) {
      auto found = validations_.find({block_hash, block_time});
      if (found != validations_.end() && found->second.validity == Validity::kPending) {
        // Updates that would leave an invalid set make the block invalid.
        if (valid && !next_validators_.WithUpdates(updates).ok()) valid = false;
        found->second.validity = valid ? Validity::kValid : Validity::kInvalid;
        found->second.updates = std::move(updates);
      }
    }
    Finish(now);
  }

  void HandleTransactionsAvailable(TimeMilliseconds now) {
    transactions_available_ = true;
    if (waiting_for_transactions_) StartRound(round_, now);
    Finish(now);
  }

  bool HasReady() const { return !ready_.empty(); }
  Ready TakeReady() { return std::exchange(ready_, Ready{}); }

  Height height() const { return height_; }
  Round round() const { return round_; }
  Step step() const { return step_; }
  const ValidatorSet& validators() const { return validators_; }
  const ValidatorSet& next_validators() const { return next_validators_; }
  TimeMilliseconds last_block_time() const { return last_block_time_; }
  const EngineCounters& counters() const { return counters_; }
  const std::vector<Message>& own_messages() const { return own_messages_; }
  std::vector<Message> TakeEarlyMessages() { return std::exchange(future_, {}); }

  Result<Bytes> SignInLane(SigningLane lane, SignedPosition position, ByteView sign_bytes) {
    RC_ASSERT(lane != SigningLane::kConsensus);  // consensus messages are signed by the rules
    if (signer_ == nullptr) return Status::PermissionDenied("this node has no signing key");
    switch (signer_state_.Check(lane, position, sign_bytes)) {
      case SignDecision::kReuse: return signer_state_.lane(lane).signature;
      case SignDecision::kRefuse:
        counters_.refused_signatures += 1;
        return Status::PermissionDenied(
            "signer safety: a different object was signed at this position or later");
      case SignDecision::kSignNew: break;
    }
    RC_ASSIGN_OR_RETURN(Bytes signature, signer_->Sign(sign_bytes));
    signer_state_.Record(lane, position, Bytes(sign_bytes.begin(), sign_bytes.end()), signature);
    ready_.persist = Snapshot();
    return signature;
  }

 private:
  // ---- message intake ----

  bool RoundInWindow(Round round) const { return round >= 0 && round <= round_ + kMaxRoundsAhead; }

  void BufferFuture(const Message& message) {
    if (future_.size() < kMaxFutureMessages) future_.push_back(message);
  }

  Status OnProposal(const Proposal& proposal, TimeMilliseconds now) {
    if (proposal.height == height_ + 1) {
      BufferFuture(proposal);
      return Status::Ok();
    }
    if (proposal.height != height_) return Status::Ok();  // stale: the host helps lagging peers
    if (!RoundInWindow(proposal.round)) return Status::InvalidArgument("proposal round out of window");
    if (proposal.pol_round >= proposal.round || proposal.pol_round < kNoRound) {
      return Status::InvalidArgument("proposal pol_round not below its round");
    }
    if (proposal.proposer != Proposer(proposal.round))
      return Status::InvalidArgument("proposal from a non-proposer");
    RoundState& state = RoundAt(proposal.round);
    if (state.HasProposal(proposal)) {
      counters_.duplicate_messages_skipped += 1;
      return Status::Ok();
    }
    if (state.proposals.size() >= kMaxProposalsPerRound)
      return Status::LimitExceeded("too many proposals in one round");
    if (!VerifyProposal(proposal)) return Status::VerificationFailed("proposal signature does not verify");
    if (state.proposal) counters_.proposer_equivocations += 1;
    AcceptProposal(proposal, now);
    return Status::Ok();
  }

  Status OnVote(const Vote& vote, TimeMilliseconds now) {
    (void)now;
    if (vote.height == height_ + 1) {
      BufferFuture(vote);
      return Status::Ok();
    }
    if (vote.height + 1 == height_ && vote.type == VoteType::kPrecommit) return OnLatePrecommit(vote);
    if (vote.height != height_) return Status::Ok();
    if (!RoundInWindow(vote.round)) return Status::InvalidArgument("vote round out of window");
    if (vote.validator >= validators_.size())
      return Status::InvalidArgument("vote from an unknown validator");
    RoundState& state = RoundAt(vote.round);
    const auto& slot =
        vote.type == VoteType::kPrevote ? state.prevotes[vote.validator] : state.precommits[vote.validator];
    if (std::find(slot.begin(), slot.end(), vote) != slot.end()) {
      counters_.duplicate_messages_skipped += 1;  // verified once already
      return Status::Ok();
    }
    if (!VerifyVote(vote)) return Status::VerificationFailed("vote signature does not verify");
    AddVote(vote);
    return Status::Ok();
  }

  // A precommit for the height this engine decided last: too late for its certificate, but it
  // shows that its validator takes part. Verified (once per validator) before it is reported.
  Status OnLatePrecommit(const Vote& vote) {
    if (!previous_validators_) return Status::Ok();  // restarted since: no set to check it against
    if (vote.validator >= previous_validators_->size())
      return Status::InvalidArgument("vote from an unknown validator");
    if (previous_voters_[vote.validator]) {
      counters_.duplicate_messages_skipped += 1;
      return Status::Ok();
    }
    counters_.signatures_verified += 1;
    if (!verifier_->Verify(previous_validators_->at(vote.validator).public_key,
                           VoteSignBytes(config_.chain_id, vote), vote.signature)) {
      return Status::VerificationFailed("vote signature does not verify");
    }
    previous_voters_[vote.validator] = true;
    ready_.participation.push_back({vote.height, vote.validator});
    return Status::Ok();
  }

  void NoteParticipation(ValidatorIndex validator) {
    if (voters_[validator]) return;
    voters_[validator] = true;
    ready_.participation.push_back({height_, validator});
  }

  bool VerifyVote(const Vote& vote) {
    counters_.signatures_verified += 1;
    return verifier_->Verify(validators_.at(vote.validator).public_key, VoteSignBytes(config_.chain_id, vote),
                             vote.signature);
  }

  bool VerifyProposal(const Proposal& proposal) {
    counters_.signatures_verified += 1;
    return verifier_->Verify(validators_.at(proposal.proposer).public_key,
                             ProposalSignBytes(config_.chain_id, proposal), proposal.signature);
  }

  void AddParticipant(RoundState& state, ValidatorIndex validator) {
    if (state.participants[validator]) return;
    state.participants[validator] = true;
    state.participant_power += validators_.at(validator).voting_power;
  }

  // Adds a verified vote that is not stored yet; a second value from one validator is evidence.
  void AddVote(const Vote& vote) {
    NoteParticipation(vote.validator);
    RoundState& state = RoundAt(vote.round);
    const std::int64_t power = validators_.at(vote.validator).voting_power;
    const bool prevote = vote.type == VoteType::kPrevote;
    auto& slot = prevote ? state.prevotes[vote.validator] : state.precommits[vote.validator];
    auto& tally = prevote ? state.prevote_power : state.precommit_power;
    std::int64_t& total = prevote ? state.prevote_total : state.precommit_total;
    bool new_value = true;
    for (const Vote& existing : slot) {
      if (existing.block_hash == vote.block_hash) new_value = false;
    }
    if (!slot.empty() && new_value) ready_.evidence.push_back(DuplicateVoteEvidence{slot.front(), vote});
    if (!new_value || slot.size() >= kMaxVotesPerValidator) return;
    if (slot.empty()) total += power;
    tally[vote.block_hash] += power;
    slot.push_back(vote);
    AddParticipant(state, vote.validator);
  }

  bool HasVote(const Vote& vote) {
    RoundState& state = RoundAt(vote.round);
    const auto& slot =
        vote.type == VoteType::kPrevote ? state.prevotes[vote.validator] : state.precommits[vote.validator];
    return std::find(slot.begin(), slot.end(), vote) != slot.end();
  }

  bool IsTimely(TimeMilliseconds block_time, TimeMilliseconds receive_time) const {
#ifdef RIGHTCHAIN_MUTATION_IGNORE_TIMESTAMPS
    (void)block_time;
    (void)receive_time;
    return true;  // Deliberately broken (mutation test): every proposal counts as timely.
#else
    return receive_time - config_.precision_ms <= block_time &&
           block_time <= receive_time + config_.message_delay_ms + config_.precision_ms;
#endif
  }

  void AcceptProposal(const Proposal& proposal, TimeMilliseconds now) {
    RoundState& state = RoundAt(proposal.round);
    state.proposals.push_back(proposal);
    if (!state.proposal) {
      state.proposal = proposal;
      state.proposal_timely = IsTimely(proposal.block_time, now);
      if (!state.proposal_timely && proposal.pol_round == kNoRound) counters_.untimely_proposals += 1;
    }
    AddParticipant(state, proposal.proposer);
    const auto key = std::make_pair(proposal.block_hash, proposal.block_time);
    if (validations_.count(key) == 0) {
      ValidationEntry entry;
      if (proposal.block_time <= last_block_time_) {
        entry.validity = Validity::kInvalid;  // block times strictly increase
      } else {
        ready_.validation_requests.push_back(
            ValidationRequest{height_, proposal.block_hash, proposal.block_time});
      }
      validations_.emplace(key, std::move(entry));
    }
  }

  // ---- timers ----

  TimeMilliseconds ProposeTimeout(Round round) const {
    return config_.propose_timeout_ms + round * config_.propose_timeout_delta_ms;
  }
  TimeMilliseconds PrevoteTimeout(Round round) const {
    return config_.prevote_timeout_ms + round * config_.prevote_timeout_delta_ms;
  }
  TimeMilliseconds PrecommitTimeout(Round round) const {
    return config_.precommit_timeout_ms + round * config_.precommit_timeout_delta_ms;
  }

  void AddTimer(TimeoutKind kind, Height height, Round round, TimeMilliseconds delay_ms) {
    ready_.timers.push_back(Timer{kind, height, round, std::max<TimeMilliseconds>(delay_ms, 0)});
  }

  void OnTimeout(const Timer& timer, TimeMilliseconds now) {
    if (timer.kind == TimeoutKind::kRebroadcast) {
      Rebroadcast();
      AddTimer(TimeoutKind::kRebroadcast, height_, 0, config_.rebroadcast_interval_ms);
      return;
    }
    if (timer.height != height_) return;
    switch (timer.kind) {
      case TimeoutKind::kCommitWait:
        if (!round_started_ && !waiting_for_transactions_) BeginHeight(now);
        break;
      case TimeoutKind::kHeartbeat:
        if (waiting_for_transactions_) StartRound(round_, now);
        break;
      case TimeoutKind::kProposerWait:
        if (timer.round == round_ && round_started_ && step_ == Step::kPropose && awaiting_value_) {
          RequestValue(now);
        }
        break;
      case TimeoutKind::kPropose:  // line 57
        if (timer.round == round_ && round_started_ && step_ == Step::kPropose) {
          SignVote(VoteType::kPrevote, std::nullopt);
          step_ = Step::kPrevote;
        }
        break;
      case TimeoutKind::kPrevote:  // line 61
        if (timer.round == round_ && step_ == Step::kPrevote) {
          SignVote(VoteType::kPrecommit, std::nullopt);
          step_ = Step::kPrecommit;
        }
        break;
      case TimeoutKind::kPrecommit:  // line 65
        if (timer.round == round_ && round_started_) StartRound(round_ + 1, now);
        break;
      case TimeoutKind::kRebroadcast: break;
    }
  }

  void Rebroadcast() {
    for (const Message& message : own_messages_)
      ready_.messages.push_back(OutboundMessage{std::nullopt, message});
    // Relay the current round's proposal too: gossip, so that a proposer's loss is not final.
    auto found = rounds_.find(round_);
    if (found != rounds_.end() && found->second.proposal && !IsOwnProposer(round_)) {
      ready_.messages.push_back(OutboundMessage{std::nullopt, *found->second.proposal});
    }
  }

  // ---- Algorithm 1 ----

  void BeginHeight(TimeMilliseconds now) {
    const bool heartbeat_due =
        config_.heartbeat_interval_ms > 0 && now >= last_block_time_ + config_.heartbeat_interval_ms;
    if (config_.create_empty_blocks || transactions_available_ || heartbeat_due) {
      StartRound(0, now);
      return;
    }
    waiting_for_transactions_ = true;
    if (config_.heartbeat_interval_ms > 0) {
      AddTimer(TimeoutKind::kHeartbeat, height_, 0, last_block_time_ + config_.heartbeat_interval_ms - now);
    }
  }

  void StartRound(Round round, TimeMilliseconds now) {  // line 11
    round_ = round;
    step_ = Step::kPropose;
    round_started_ = true;
    waiting_for_transactions_ = false;
    awaiting_value_ = false;
    if (IsOwnProposer(round_)) {
      if (valid_) {
        Proposal proposal = *valid_;
        proposal.round = round_;
        proposal.pol_round = valid_round_;
        proposal.proposer = *own_index_;
        proposal.signature.clear();
        SendProposal(std::move(proposal), now);
      } else {
        awaiting_value_ = true;
        RequestValue(now);
      }
    }
    AddTimer(TimeoutKind::kPropose, height_, round_, ProposeTimeout(round_));
  }

  void RequestValue(TimeMilliseconds now) {
    // Proposer-based timestamps: the block time is the proposer's clock, and must exceed the
    // previous block's time; if our clock is not past it yet, wait until it is.
    if (now <= last_block_time_) {
      AddTimer(TimeoutKind::kProposerWait, height_, round_, last_block_time_ - now + 1);
      return;
    }
    requested_block_time_ = now;
    ready_.proposal_requests.push_back(ProposalRequest{
        height_, round_, now, last_commit_, config_.max_block_bytes, config_.max_block_transactions});
  }

  void SendProposal(Proposal proposal, TimeMilliseconds now) {
    const Bytes sign_bytes = ProposalSignBytes(config_.chain_id, proposal);
    auto signature =
        SignOrRefuse({height_, proposal.round, static_cast<std::uint8_t>(Step::kPropose)}, sign_bytes);
    if (!signature) return;
    proposal.signature = std::move(*signature);
    Publish(proposal);
    RoundState& state = RoundAt(proposal.round);
    if (!state.HasProposal(proposal) && state.proposals.size() < kMaxProposalsPerRound)
      AcceptProposal(proposal, now);
  }

  void SignVote(VoteType type, std::optional<BlockHash> value) {
    if (!own_index_) return;
    Vote vote;
    vote.type = type;
    vote.height = height_;
    vote.round = round_;
    vote.block_hash = value;
    vote.validator = *own_index_;
    const Bytes sign_bytes = VoteSignBytes(config_.chain_id, vote);
    auto signature = SignOrRefuse({height_, round_, static_cast<std::uint8_t>(StepOf(type))}, sign_bytes);
    if (!signature) return;
    vote.signature = std::move(*signature);
    Publish(vote);
    if (!HasVote(vote)) AddVote(vote);
  }

  // The signer safety rule: never sign two different things at one position, nor go backwards.
  std::optional<Bytes> SignOrRefuse(SignedPosition position, const Bytes& sign_bytes) {
    if (signer_ == nullptr) return std::nullopt;
    switch (signer_state_.Check(SigningLane::kConsensus, position, sign_bytes)) {
      case SignDecision::kReuse: return signer_state_.lane(SigningLane::kConsensus).signature;
      case SignDecision::kRefuse: counters_.refused_signatures += 1; return std::nullopt;
      case SignDecision::kSignNew: break;
    }
    Result<Bytes> signature = signer_->Sign(sign_bytes);
    if (!signature.ok()) return std::nullopt;
    signer_state_.Record(SigningLane::kConsensus, position, sign_bytes, *signature);
    dirty_ = true;
    return std::move(signature).value();
  }

  void Publish(const Message& message) {
    Remember(message);
    ready_.messages.push_back(OutboundMessage{std::nullopt, message});
  }

  // Keeps the message to send again, within kMaxOwnMessagesPerHeight (see engine.h).
  void Remember(const Message& message) {
    if (std::find(own_messages_.begin(), own_messages_.end(), message) != own_messages_.end()) return;
    own_messages_.push_back(message);
    if (own_messages_.size() <= kMaxOwnMessagesPerHeight) return;
    const auto oldest_unneeded =
        std::find_if(own_messages_.begin(), own_messages_.end(), [&](const Message& kept) {
          const Round round =
              std::visit([](const auto& signed_message) { return signed_message.round; }, kept);
          return round != locked_round_ && round != valid_round_;
        });
    own_messages_.erase(oldest_unneeded != own_messages_.end() ? oldest_unneeded : own_messages_.begin());
    RC_ASSERT(own_messages_.size() == kMaxOwnMessagesPerHeight);
  }

  std::optional<bool> IsValid(const Proposal& proposal) const {
    auto found = validations_.find({proposal.block_hash, proposal.block_time});
    if (found == validations_.end() || found->second.validity == Validity::kPending) return std::nullopt;
    return found->second.validity == Validity::kValid;
  }

  bool LockAllows(const Proposal& proposal, Round pol_round) const {
#ifdef RIGHTCHAIN_MUTATION_IGNORE_LOCK
    (void)proposal;
    (void)pol_round;
    return true;  // Deliberately broken (mutation test): locks are ignored.
#else
    return locked_round_ <= pol_round || (locked_ && locked_->block_hash == proposal.block_hash);
#endif
  }

  // Applies the first Algorithm 1 rule whose condition holds; false when none does.
  bool ApplyOneRule(TimeMilliseconds now) {
    // Line 49: a decision, in any round of this height.
    for (auto& [round, state] : rounds_) {
      for (const Proposal& candidate : state.proposals) {
        if (validators_.IsQuorum(state.PrecommitPower(candidate.block_hash)) && IsValid(candidate) == true) {
          Decide(round, candidate);
          return true;
        }
      }
    }
    // Line 55: f+1 participants of a later round: skip ahead to it.
    for (auto it = rounds_.upper_bound(round_); it != rounds_.end(); ++it) {
      if (validators_.IsOneThirdPlus(it->second.participant_power)) {
        StartRound(it->first, now);
        return true;
      }
    }
    if (!round_started_) {
      // Waiting for the commit interval or for transactions: others starting the height is a reason to start.
      auto found = rounds_.find(round_);
      if (waiting_for_transactions_ && found != rounds_.end() &&
          (found->second.proposal || validators_.IsOneThirdPlus(found->second.participant_power))) {
        StartRound(round_, now);
        return true;
      }
      return false;
    }
    RoundState& state = RoundAt(round_);
    const Proposal* proposal = state.proposal ? &*state.proposal : nullptr;
    if (step_ == Step::kPropose && proposal != nullptr) {
      if (proposal->pol_round == kNoRound) {  // line 22
        const std::optional<bool> valid = IsValid(*proposal);
        if (valid.has_value()) {
          const bool accept = *valid && state.proposal_timely && LockAllows(*proposal, kNoRound);
          SignVote(VoteType::kPrevote,
                   accept ? std::optional<BlockHash>(proposal->block_hash) : std::nullopt);
          step_ = Step::kPrevote;
          return true;
        }
      } else {  // line 28
        auto pol = rounds_.find(proposal->pol_round);
        if (pol != rounds_.end() && validators_.IsQuorum(pol->second.PrevotePower(proposal->block_hash))) {
          const std::optional<bool> valid = IsValid(*proposal);
          if (valid.has_value()) {
            const bool accept = *valid && LockAllows(*proposal, proposal->pol_round);
            SignVote(VoteType::kPrevote,
                     accept ? std::optional<BlockHash>(proposal->block_hash) : std::nullopt);
            step_ = Step::kPrevote;
            return true;
          }
        }
      }
    }
    if (step_ == Step::kPrevote && !state.prevote_timer_scheduled &&
        validators_.IsQuorum(state.prevote_total)) {
      state.prevote_timer_scheduled = true;  // line 34
      AddTimer(TimeoutKind::kPrevote, height_, round_, PrevoteTimeout(round_));
      return true;
    }
    if (step_ >= Step::kPrevote && !state.polka_handled) {
      for (const Proposal& candidate : state.proposals) {
        if (!validators_.IsQuorum(state.PrevotePower(candidate.block_hash)) || IsValid(candidate) != true)
          continue;
        const Proposal polka = candidate;
        state.polka_handled = true;  // line 36
        if (step_ == Step::kPrevote) {
          locked_ = polka;
          locked_round_ = round_;
          SignVote(VoteType::kPrecommit, polka.block_hash);
          step_ = Step::kPrecommit;
        }
        valid_ = polka;
        valid_round_ = round_;
        dirty_ = true;
        return true;
      }
    }
    if (step_ == Step::kPrevote && validators_.IsQuorum(state.PrevotePower(std::nullopt))) {  // line 44
      SignVote(VoteType::kPrecommit, std::nullopt);
      step_ = Step::kPrecommit;
      return true;
    }
    if (!state.precommit_timer_scheduled && validators_.IsQuorum(state.precommit_total)) {  // line 47
      state.precommit_timer_scheduled = true;
      AddTimer(TimeoutKind::kPrecommit, height_, round_, PrecommitTimeout(round_));
      return true;
    }
    return false;
  }

  void Decide(Round round, Proposal proposal) {
    const RoundState& state = rounds_.at(round);
    Decision decision;
    decision.proposal = proposal;
    decision.height = height_;
    decision.round = round;
    decision.block_hash = proposal.block_hash;
    decision.block_time = proposal.block_time;
    decision.certificate.height = height_;
    decision.certificate.round = round;
    decision.certificate.block_hash = proposal.block_hash;
    for (const auto& votes : state.precommits) {
      for (const Vote& vote : votes) {
        if (vote.block_hash == proposal.block_hash) decision.certificate.precommits.push_back(vote);
      }
    }
    const auto& updates = validations_.at({proposal.block_hash, proposal.block_time}).updates;
    Result<ValidatorSet> after_updates = next_validators_.WithUpdates(updates);
    RC_ASSERT(after_updates.ok());  // checked when the validation arrived

    ready_.commits.push_back(decision);
    last_decision_ = decision;
    last_commit_ = decision.certificate;
    last_block_time_ = decision.block_time;
    previous_validators_ = std::move(validators_);
    previous_voters_ = std::move(voters_);
    // Changes decided in h take effect at h+2: the set of h+1 was fixed when h-1 was decided.
    validators_ = std::move(next_validators_);
    next_validators_ = after_updates->NextHeight();
    height_ += 1;
    ResetHeightState();
    dirty_ = true;
    replay_future_ = true;
    AddTimer(TimeoutKind::kCommitWait, height_, 0, config_.target_block_interval_ms);
  }

  void ResetHeightState() {
    rounds_.clear();
    validations_.clear();
    proposer_cache_.clear();
    own_messages_.clear();
    round_ = 0;
    step_ = Step::kPropose;
    round_started_ = false;
    waiting_for_transactions_ = false;
    awaiting_value_ = false;
    transactions_available_ = false;
    locked_.reset();
    locked_round_ = kNoRound;
    valid_.reset();
    valid_round_ = kNoRound;
    voters_.assign(validators_.size(), false);
    RefreshOwnIndex();
  }

  void RestoreRound(TimeMilliseconds now) {
    const DurableState& durable = *restore_;
    round_ = durable.round;
    step_ = durable.step;
    locked_ = durable.locked;
    locked_round_ = durable.locked_round;
    valid_ = durable.valid;
    valid_round_ = durable.valid_round;
    round_started_ = true;
    for (const Message& message : durable.own_messages) {
      Remember(message);
      if (const auto* proposal = std::get_if<Proposal>(&message)) {
        if (!RoundAt(proposal->round).HasProposal(*proposal)) AcceptProposal(*proposal, now);
      } else {
        const Vote& vote = std::get<Vote>(message);
        if (vote.validator < validators_.size() && !HasVote(vote)) AddVote(vote);
      }
    }
    restore_.reset();
    if (step_ == Step::kPropose) {
      if (IsOwnProposer(round_) && !RoundAt(round_).proposal)
        StartRound(round_, now);
      else
        AddTimer(TimeoutKind::kPropose, height_, round_, ProposeTimeout(round_));
    }
    Rebroadcast();
  }

  // ---- helpers ----

  RoundState& RoundAt(Round round) {
    auto found = rounds_.find(round);
    if (found == rounds_.end()) found = rounds_.emplace(round, RoundState(validators_.size())).first;
    return found->second;
  }

  ValidatorIndex Proposer(Round round) {
    auto found = proposer_cache_.find(round);
    if (found != proposer_cache_.end()) return found->second;
    const ValidatorIndex proposer = validators_.ProposerForRound(round);
    proposer_cache_.emplace(round, proposer);
    return proposer;
  }

  bool IsOwnProposer(Round round) {
    return own_index_ && Proposer(round) == *own_index_;
  }

  void RefreshOwnIndex() {
    own_index_.reset();
    if (signer_ != nullptr) own_index_ = validators_.IndexOf(public_key_);
  }

  DurableState Snapshot() const {
    DurableState durable;
    durable.height = height_;
    durable.round = round_;
    durable.step = step_;
    durable.locked = locked_;
    durable.locked_round = locked_round_;
    durable.valid = valid_;
    durable.valid_round = valid_round_;
    durable.signer = signer_state_;
    durable.own_messages = own_messages_;
    durable.last_decision = last_decision_;
    return durable;
  }

  // Runs the rules to a fixed point, replays buffered next-height messages, and emits the
  // write-ahead record if anything durable changed.
  void Finish(TimeMilliseconds now) {
    for (;;) {
      int applied = 0;
      while (ApplyOneRule(now)) {
        applied += 1;
        RC_ASSERT(applied < 100000);
      }
      if (!replay_future_) break;
      replay_future_ = false;
      std::vector<Message> buffered = std::exchange(future_, {});
      for (const Message& message : buffered) {
        Status status = std::holds_alternative<Proposal>(message)
                            ? OnProposal(std::get<Proposal>(message), now)
                            : OnVote(std::get<Vote>(message), now);
        if (!status.ok()) counters_.invalid_messages += 1;
      }
    }
    if (!dirty_) return;
    dirty_ = false;
#ifdef RIGHTCHAIN_MUTATION_SEND_BEFORE_PERSIST
    // Deliberately broken (mutation test): the record reaches the host only with the next one,
    // so this Ready's signed messages go out before their write-ahead record is durable.
    if (deferred_persist_) ready_.persist = std::move(deferred_persist_);
    deferred_persist_ = Snapshot();
#else
    ready_.persist = Snapshot();
#endif
  }

  EngineConfig config_;
  Signer* signer_;
  const SignatureVerifier* verifier_;
  Bytes public_key_;
  std::optional<ValidatorIndex> own_index_;

  Height height_;
  ValidatorSet validators_;
  ValidatorSet next_validators_;
  TimeMilliseconds last_block_time_;
  std::optional<CommitCertificate> last_commit_;
  std::optional<Decision> last_decision_;
  SignerSafetyState signer_state_;
  std::optional<DurableState> restore_;
  std::optional<DurableState> deferred_persist_;

  Round round_ = 0;
  Step step_ = Step::kPropose;
  bool round_started_ = false;
  bool waiting_for_transactions_ = false;
  bool transactions_available_ = false;
  bool awaiting_value_ = false;
  TimeMilliseconds requested_block_time_ = 0;
  std::optional<Proposal> locked_;
  Round locked_round_ = kNoRound;
  std::optional<Proposal> valid_;
  Round valid_round_ = kNoRound;

  std::map<Round, RoundState> rounds_;
  std::map<std::pair<BlockHash, TimeMilliseconds>, ValidationEntry> validations_;
  std::map<Round, ValidatorIndex> proposer_cache_;
  std::vector<Message> own_messages_;
  std::vector<Message> future_;
  bool replay_future_ = false;
  // Who has a verified vote at this height, and at the height decided last (with its set, which
  // a restarted engine does not have): each is reported in Ready::participation once.
  std::vector<bool> voters_;
  std::optional<ValidatorSet> previous_validators_;
  std::vector<bool> previous_voters_;
  bool dirty_ = false;

  EngineCounters counters_;
  Ready ready_;
};

Status ValidateEngineConfig(const EngineConfig& config) {
  if (config.chain_id.empty() || config.chain_id.size() > kMaxChainIdSize) {
    return Status::InvalidArgument("chain_id must be 1.." + std::to_string(kMaxChainIdSize) + " bytes");
  }
  if (config.target_block_interval_ms < kMinTargetBlockIntervalMs ||
      config.target_block_interval_ms > kMaxTargetBlockIntervalMs) {
    return Status::InvalidArgument("target_block_interval_ms must be within [100, 10000]");
  }
  for (const TimeMilliseconds value :
       {config.propose_timeout_ms, config.prevote_timeout_ms, config.precommit_timeout_ms,
        config.precision_ms, config.message_delay_ms, config.rebroadcast_interval_ms}) {
    if (value <= 0 || value > kMaxTimeoutMs)
      return Status::InvalidArgument("timeouts and bounds must be in (0, 10 min]");
  }
  for (const TimeMilliseconds value : {config.propose_timeout_delta_ms, config.prevote_timeout_delta_ms,
                                       config.precommit_timeout_delta_ms}) {
    if (value < 0 || value > kMaxTimeoutMs)
      return Status::InvalidArgument("timeout deltas must be in [0, 10 min]");
  }
  if (config.heartbeat_interval_ms < 0)
    return Status::InvalidArgument("heartbeat_interval_ms must not be negative");
  if (config.max_block_bytes == 0 || config.max_block_transactions == 0) {
    return Status::InvalidArgument("block limits must be positive");
  }
  return Status::Ok();
}

Engine::Engine(EngineConfig config, Signer* signer, const SignatureVerifier* verifier, EngineStart start)
    : impl_(std::make_unique<Impl>(std::move(config), signer, verifier, std::move(start))) {}
Engine::~Engine() = default;

void Engine::Start(TimeMilliseconds now) {
  impl_->Start(now);
}
std::vector<Message> Engine::TakeEarlyMessages() {
  return impl_->TakeEarlyMessages();
}

Status Engine::HandleMessage(const Message& message, TimeMilliseconds now) {
  return impl_->HandleMessage(message, now);
}
void Engine::HandleTimeout(const Timer& timer, TimeMilliseconds now) {
  impl_->HandleTimeout(timer, now);
}
void Engine::HandleProposalValue(Height height, Round round, const BlockHash& block_hash,
                                 TimeMilliseconds now) {
  impl_->HandleProposalValue(height, round, block_hash, now);
}
void Engine::HandleValidation(Height height, const BlockHash& block_hash, TimeMilliseconds block_time,
                              bool valid, std::vector<ValidatorUpdate> updates, TimeMilliseconds now) {
  impl_->HandleValidation(height, block_hash, block_time, valid, std::move(updates), now);
}
void Engine::HandleTransactionsAvailable(TimeMilliseconds now) {
  impl_->HandleTransactionsAvailable(now);
}
bool Engine::HasReady() const {
  return impl_->HasReady();
}
Ready Engine::TakeReady() {
  return impl_->TakeReady();
}
Height Engine::height() const {
  return impl_->height();
}
Round Engine::round() const {
  return impl_->round();
}
Step Engine::step() const {
  return impl_->step();
}
const ValidatorSet& Engine::validators() const {
  return impl_->validators();
}
const ValidatorSet& Engine::next_validators() const {
  return impl_->next_validators();
}
TimeMilliseconds Engine::last_block_time() const {
  return impl_->last_block_time();
}
const EngineCounters& Engine::counters() const {
  return impl_->counters();
}
const std::vector<Message>& Engine::own_messages() const {
  return impl_->own_messages();
}
Result<Bytes> Engine::SignInLane(SigningLane lane, SignedPosition position, ByteView sign_bytes) {
  return impl_->SignInLane(lane, position, sign_bytes);
}

const char* TimeoutKindName(TimeoutKind kind) {
  switch (kind) {
    case TimeoutKind::kPropose: return "propose";
    case TimeoutKind::kPrevote: return "prevote";
    case TimeoutKind::kPrecommit: return "precommit";
    case TimeoutKind::kCommitWait: return "commit-wait";
    case TimeoutKind::kProposerWait: return "proposer-wait";
    case TimeoutKind::kHeartbeat: return "heartbeat";
    case TimeoutKind::kRebroadcast: return "rebroadcast";
  }
  return "unknown";
}

}  // namespace rightchain::consensus
