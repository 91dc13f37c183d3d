#include "sim/simulator.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <sstream>
#include <tuple>

#include "consensus/commit_certificate.h"
#include "consensus/engine.h"
#include "consensus/messages.h"
#include "consensus/signer.h"
#include "consensus/suite_signer.h"
#include "consensus/validator_set.h"
#include "crypto/hash.h"
#include "sim/random.h"

namespace rightchain::sim {
namespace {

using consensus::BlockHash;
using consensus::Decision;
using consensus::DurableState;
using consensus::Engine;
using consensus::EngineConfig;
using consensus::EngineStart;
using consensus::Height;
using consensus::Message;
using consensus::Proposal;
using consensus::Ready;
using consensus::Round;
using consensus::TimeMilliseconds;
using consensus::ValidatorIndex;
using consensus::ValidatorSet;
using consensus::ValidatorUpdate;
using consensus::Vote;

constexpr std::string_view kChainId = "rightchain-sim";
// Proposer-based timestamp bounds of the simulated chain; correct clocks stay within
// ±kPrecision/2 of real time, so any two differ by at most kPrecision.
constexpr TimeMilliseconds kPrecision = 500;
constexpr TimeMilliseconds kMessageDelay = 2000;
constexpr TimeMilliseconds kLivenessWindow = 30000;
constexpr std::uint8_t kFrameConsensus = 0;
constexpr std::uint8_t kFrameStatus = 1;
constexpr std::uint8_t kFrameTransaction = 2;
constexpr std::size_t kMaxTransactionsPerBlock = 1000;

constexpr std::string_view kFaultNames[] = {
    "delay",
    "loss",
    "duplicate",
    "reorder",
    "partition",
    "asymmetric-partition",
    "crash",
    "unsynced-loss",
    "skew",
    "skew-beyond",
    "twins",
    "silent",
    "equivocating-proposer",
    "bad-signature",
    "unknown-block-vote",
    "garbage",
    "untimely-proposal",
    "validator-change",
    "third-power",
};
static_assert(std::size(kFaultNames) == static_cast<std::size_t>(Fault::kCount));

struct BlockInfo {
  Height height = 0;
  TimeMilliseconds time = 0;
  bool valid = true;
  std::vector<ValidatorUpdate> updates;
  std::vector<std::uint64_t> transactions;                  // ids of the registrations it carries
  std::optional<consensus::CommitCertificate> last_commit;  // the canonical certificate of height - 1
};

struct Node {
  int id = 0;
  int validator = 0;  // genesis index; twins share one
  Bytes key;
  std::optional<Fault> behaviour;  // a Byzantine fault, or empty for an honest node
  TimeMilliseconds skew = 0;
  std::unique_ptr<consensus::Signer> signer;
  std::unique_ptr<Engine> engine;  // null while crashed
  std::optional<DurableState> wal;
  std::vector<Decision> ledger;           // durable
  std::vector<Decision> ledger_unsynced;  // written, not yet synced
  std::map<std::pair<int, Height>, TimeMilliseconds> catch_up_sent;
  std::set<std::uint64_t> mempool;

  bool honest() const { return !behaviour.has_value(); }
  bool up() const { return engine != nullptr; }
  std::uint64_t ledger_height() const { return ledger.size() + ledger_unsynced.size(); }
  const Decision* DecisionAt(Height height) const {
    if (height == 0) return nullptr;
    if (height <= ledger.size()) return &ledger[height - 1];
    if (height <= ledger_height()) return &ledger_unsynced[height - 1 - ledger.size()];
    return nullptr;
  }
};

struct Event {
  TimeMilliseconds time;
  std::uint64_t sequence;
  std::function<void()> action;
  bool operator<(const Event& other) const {
    return std::tie(time, sequence) > std::tie(other.time, other.sequence);
  }
};

class Violation {
 public:
  std::string text;
};

class Simulation {
 public:
  explicit Simulation(const SimOptions& options)
      : options_(options),
        random_(options.seed),
        network_random_(random_.Fork()),
        fault_random_(random_.Fork()) {
    for (Fault fault : options.faults) enabled_[static_cast<std::size_t>(fault)] = true;
    if (options.suite == "sm") suite_ = crypto::SignatureScheme::kSm2;
    if (options.suite == "std") suite_ = crypto::SignatureScheme::kEd25519;
    if (suite_) {
      verifier_ = std::make_unique<consensus::SuiteVerifier>(*suite_);
    } else {
      verifier_ = std::make_unique<consensus::FakeVerifier>();
    }
    Setup();
  }

  SimResult Run() {
    SimResult result;
    for (auto& node : nodes_) StartNode(*node);
    ScheduleFaults();
    if (transactions_mode_) ScheduleTransaction();
    const TimeMilliseconds fault_cap = static_cast<TimeMilliseconds>(options_.heights) * 3000 + 10000;
    while (!queue_.empty() && violation_.empty()) {
      Event event = queue_.top();
      queue_.pop();
      now_ = event.time;
      events_ += 1;
      event.action();
      if (!violation_.empty()) break;
      const Height leader = MaxHonestHeight();
      if (!healed_ && (leader * 4 >= options_.heights * 3 || now_ >= fault_cap)) Heal();
      if (healed_) {
        const Height lowest = MinHonestHeight();
        if (options_.liveness && lowest <= height_at_heal_ && now_ > heal_time_ + liveness_window_) {
          Fail("liveness: an honest node did not commit height " + std::to_string(height_at_heal_ + 1) +
               " within " + std::to_string(liveness_window_ / 1000) + " s of the final heal");
          break;
        }
        if (lowest >= options_.heights) break;
        if (now_ > heal_time_ + liveness_window_ + static_cast<TimeMilliseconds>(options_.heights) * 5000) {
          if (options_.liveness)
            Fail("liveness: honest nodes stopped before height " + std::to_string(options_.heights));
          break;
        }
      }
    }
    result.ok = violation_.empty();
    result.violation = violation_;
    result.heights_committed = MinHonestHeight();
    result.simulated_milliseconds = now_;
    result.events = events_;
    result.trace_hash = trace_hash_;
    for (std::size_t i = 0; i < static_cast<std::size_t>(Fault::kCount); ++i) {
      if (enabled_[i]) result.fault_counts[std::string(kFaultNames[i])] = fault_counts_[i];
    }
    result.fault_counts["evidence-detected"] = evidence_detected_;
    result.fault_counts["registrations-checked"] = registrations_checked_;
    result.fault_counts["last-commits-checked"] = certificates_checked_;
    if (options_.verbose) {
      for (const auto& node : nodes_) {
        std::ostringstream line;
        line << "end: node " << node->id << " validator " << node->validator
             << (node->honest() ? " honest" : " byzantine:" + std::string(FaultName(*node->behaviour)))
             << " ledger=" << node->ledger_height() << " skew=" << node->skew;
        if (node->up()) {
          line << " engine h=" << node->engine->height() << " r=" << node->engine->round()
               << " step=" << static_cast<int>(node->engine->step())
               << " verified=" << node->engine->counters().signatures_verified
               << " invalid=" << node->engine->counters().invalid_messages
               << " refused=" << node->engine->counters().refused_signatures
               << " own_messages=" << node->engine->own_messages().size();
        } else {
          line << " down";
        }
        log_.push_back(line.str());
      }
      result.log = std::move(log_);
    }
    return result;
  }

 private:
  bool Enabled(Fault fault) const { return enabled_[static_cast<std::size_t>(fault)]; }
  void Count(Fault fault, std::uint64_t times = 1) {
    fault_counts_[static_cast<std::size_t>(fault)] += times;
  }

  void Log(const std::string& text) {
    if (options_.verbose) log_.push_back("t=" + std::to_string(now_) + " " + text);
  }

  void Fail(std::string text) {
    if (violation_.empty()) violation_ = "t=" + std::to_string(now_) + "ms: " + std::move(text);
  }

  void Mix(std::uint64_t value) {
    trace_hash_ ^= value;
    trace_hash_ *= 0x100000001b3ULL;
  }

  // ---- setup ----

  void Setup() {
    const int n = options_.validators;
    const int f = (n - 1) / 3;
    // Byzantine behaviours: up to f validators, each one enabled Byzantine fault, rotating.
    std::vector<Fault> byzantine;
    for (Fault fault : options_.faults) {
      if (IsByzantineFault(fault)) byzantine.push_back(fault);
    }
    // The boundary case: the f Byzantine validators are Twins holding exactly 1/3 of the power.
    // A quorum of "more than 2/3" keeps this safe; "at least 2/3" does not.
    if (Enabled(Fault::kThirdPower) && f > 0 && fault_random_.Chance(300000)) {
      third_power_run_ = true;
      byzantine = {Fault::kTwins};
      Count(Fault::kThirdPower);
    }
    std::vector<int> order(n);
    for (int i = 0; i < n; ++i) order[i] = i;
    for (int i = n - 1; i > 0; --i) std::swap(order[i], order[fault_random_.Below(i + 1)]);
    std::map<int, Fault> behaviour;
    if (!byzantine.empty()) {
      const std::size_t offset = fault_random_.Below(byzantine.size());
      for (int k = 0; k < f; ++k) behaviour[order[k]] = byzantine[(offset + k) % byzantine.size()];
    }
    std::vector<std::int64_t> powers(n, 1);
    if (third_power_run_) {
      constexpr std::int64_t kByzantinePower = 3;
      std::int64_t honest_remaining = 2 * kByzantinePower * f - (n - f);
      for (int k = 0; k < f; ++k) powers[order[k]] = kByzantinePower;
      while (honest_remaining > 0) {
        powers[order[f + static_cast<int>(fault_random_.Below(n - f))]] += 1;
        honest_remaining -= 1;
      }
    }
    for (int i = 0; i < n; ++i) signers_.push_back(MakeSigner(i));
    std::vector<consensus::Validator> genesis;
    for (int i = 0; i < n; ++i) genesis.push_back({signers_[i]->public_key(), powers[i], 0});
    genesis_ = ValidatorSet::Create(genesis).value();
    sets_[1] = genesis_;
    sets_[2] = genesis_.NextHeight();
    for (int i = 0; i < n; ++i) {
      auto found = behaviour.find(i);
      AddNode(i, found == behaviour.end() ? std::nullopt : std::optional<Fault>(found->second));
      if (found != behaviour.end() && found->second == Fault::kTwins) AddNode(i, Fault::kTwins);
    }
    for (auto& node : nodes_) {
      if (node->behaviour == Fault::kSkewBeyond) {
        node->skew =
            (fault_random_.Below(2) == 0 ? -1 : 1) * fault_random_.Range(kPrecision * 2, kPrecision * 6);
        Count(Fault::kSkewBeyond);
      } else if (Enabled(Fault::kSkew)) {
        node->skew = fault_random_.Range(-kPrecision / 2, kPrecision / 2);
        if (node->skew != 0) Count(Fault::kSkew);
      }
    }
    // Per-run network parameters.
    loss_per_million_ =
        Enabled(Fault::kLoss) ? static_cast<std::uint32_t>(fault_random_.Range(5000, 80000)) : 0;
    duplicate_per_million_ =
        Enabled(Fault::kDuplicate) ? static_cast<std::uint32_t>(fault_random_.Range(5000, 50000)) : 0;
    reorder_per_million_ =
        Enabled(Fault::kReorder) ? static_cast<std::uint32_t>(fault_random_.Range(10000, 100000)) : 0;
    delay_profile_ = Enabled(Fault::kDelay) ? static_cast<int>(fault_random_.Below(3)) : 0;
    transactions_mode_ = fault_random_.Chance(250000);
  }

  // Fake signatures by default; with a suite, real SM2 or Ed25519 keys derived from the index.
  std::unique_ptr<consensus::Signer> MakeSigner(int validator) const {
    const std::string name = "validator-" + std::to_string(validator);
    if (!suite_) return std::make_unique<consensus::FakeSigner>(ToBytes(name));
    const crypto::Digest secret =
        crypto::Hash(crypto::HashAlgorithm::kSha256, AsBytes("rightchain-sim " + name));
    return std::make_unique<consensus::SuiteSigner>(crypto::PrivateKey::FromRaw(*suite_, secret).value());
  }

  void AddNode(int validator, std::optional<Fault> behaviour) {
    auto node = std::make_unique<Node>();
    node->id = static_cast<int>(nodes_.size());
    node->validator = validator;
    node->key = signers_[validator]->public_key();
    node->behaviour = behaviour;
    node->signer = MakeSigner(validator);
    if (behaviour) Count(*behaviour);
    nodes_.push_back(std::move(node));
  }

  EngineConfig Config() const {
    EngineConfig config;
    config.chain_id = std::string(kChainId);
    config.target_block_interval_ms = 200;
    config.propose_timeout_ms = 1000;
    config.prevote_timeout_ms = 1000;
    config.precommit_timeout_ms = 1000;
    config.precision_ms = kPrecision;
    config.message_delay_ms = kMessageDelay;
    config.rebroadcast_interval_ms = 500;
    if (transactions_mode_) {
      // Blocks only when registrations are pending, with a heartbeat block every 3 s.
      config.create_empty_blocks = false;
      config.heartbeat_interval_ms = 3000;
    }
    return config;
  }

  TimeMilliseconds LocalTime(const Node& node) const { return now_ + node.skew; }

  void Schedule(TimeMilliseconds delay, std::function<void()> action) {
    queue_.push(Event{now_ + std::max<TimeMilliseconds>(delay, 0), sequence_++, std::move(action)});
  }

  // ---- node lifecycle ----

  void StartNode(Node& node) {
    // A decision that reached the write-ahead record but not the ledger is applied first.
    if (node.wal && node.wal->last_decision && node.wal->last_decision->height == node.ledger.size() + 1) {
      node.ledger.push_back(*node.wal->last_decision);
    }
    const Height height = node.ledger.size() + 1;
    EngineStart start;
    start.height = height;
    start.validators = sets_.at(height);
    start.next_validators = sets_.at(height + 1);
    start.last_block_time = node.ledger.empty() ? 0 : node.ledger.back().block_time;
    if (!node.ledger.empty()) start.last_commit = node.ledger.back().certificate;
    start.durable = node.wal;
    node.engine = std::make_unique<Engine>(Config(), node.signer.get(), verifier_.get(), std::move(start));
    Log("start node " + std::to_string(node.id) + " at height " + std::to_string(height));
    node.engine->Start(LocalTime(node));
    Process(node);
    ScheduleStatus(node.id, epoch_[node.id]);
  }

  void ScheduleStatus(int id, std::uint64_t epoch) {
    Schedule(1000, [this, id, epoch] {
      Node& node = *nodes_[id];
      if (!node.up() || epoch_[id] != epoch) return;
      BroadcastStatus(node);
      ScheduleStatus(id, epoch);
    });
  }

  void Crash(Node& node) {
    if (!node.up()) return;
    node.engine.reset();
    epoch_[node.id] += 1;
    Log("crash node " + std::to_string(node.id));
    Count(Fault::kCrash);
    if (!node.ledger_unsynced.empty()) {
      // Unsynced writes: a random prefix survives (the disk wrote some), the rest is lost.
      const std::size_t kept = fault_random_.Below(node.ledger_unsynced.size());
      for (std::size_t i = 0; i < kept; ++i) node.ledger.push_back(node.ledger_unsynced[i]);
      node.ledger_unsynced.clear();
      Count(Fault::kUnsyncedLoss);
    }
  }

  // ---- host: processing a Ready (persist, send, timers, commit) ----

  void Process(Node& node) {
    while (node.up() && node.engine->HasReady()) {
      Ready ready = node.engine->TakeReady();
      if (ready.persist) {
        node.wal = std::move(ready.persist);  // written and fsynced before anything is sent
        SyncLedger(node);
      }
      for (const auto& outbound : ready.messages) SendConsensus(node, outbound.message);
      for (const auto& timer : ready.timers) {
        const int id = node.id;
        const std::uint64_t epoch = epoch_[id];
        Schedule(timer.delay_ms, [this, id, epoch, timer] {
          Node& target = *nodes_[id];
          if (!target.up() || epoch_[id] != epoch) return;
          target.engine->HandleTimeout(timer, LocalTime(target));
          Process(target);
        });
      }
      for (const Decision& decision : ready.commits) OnCommit(node, decision);
      for (const auto& request : ready.proposal_requests) BuildBlock(node, request);
      for (const auto& request : ready.validation_requests) Validate(node, request);
      evidence_detected_ += ready.evidence.size();
    }
  }

  void SyncLedger(Node& node) {
    for (auto& decision : node.ledger_unsynced) node.ledger.push_back(std::move(decision));
    node.ledger_unsynced.clear();
  }

  void BuildBlock(Node& node, const consensus::ProposalRequest& request) {
    BlockInfo block;
    block.height = request.height;
    block.time = request.block_time;
    block.last_commit = request.last_commit;
    if (Enabled(Fault::kValidatorChange) && !third_power_run_ && fault_random_.Chance(200000)) {
      // Legal changes only touch honest validators' power (1..3), which keeps the Byzantine
      // power below a third of the total.
      std::vector<int> honest;
      for (const auto& other : nodes_) {
        if (other->honest()) honest.push_back(other->validator);
      }
      const int target = honest[fault_random_.Below(honest.size())];
      block.updates.push_back(ValidatorUpdate{signers_[target]->public_key(), fault_random_.Range(1, 3)});
    }
    for (std::uint64_t transaction : node.mempool) {
      if (block.transactions.size() >= kMaxTransactionsPerBlock) break;
      block.transactions.push_back(transaction);
    }
    const BlockHash hash = RegisterBlock(block, node.id);
    const int id = node.id;
    const std::uint64_t epoch = epoch_[id];
    Schedule(network_random_.Range(1, 5), [this, id, epoch, request, hash] {
      Node& target = *nodes_[id];
      if (!target.up() || epoch_[id] != epoch) return;
      target.engine->HandleProposalValue(request.height, request.round, hash, LocalTime(target));
      Process(target);
    });
  }

  BlockHash RegisterBlock(const BlockInfo& block, int creator) {
    std::ostringstream content;
    content << "block/" << block.height << "/" << block.time << "/" << creator << "/" << block_counter_++;
    for (const auto& update : block.updates)
      content << "/" << HexEncode(update.public_key) << "=" << update.voting_power;
    for (std::uint64_t transaction : block.transactions) content << "/tx" << transaction;
    const BlockHash hash = crypto::Hash(crypto::HashAlgorithm::kSha256, AsBytes(content.str()));
    blocks_[hash] = block;
    return hash;
  }

  void Validate(Node& node, const consensus::ValidationRequest& request) {
    const int id = node.id;
    const std::uint64_t epoch = epoch_[id];
    Schedule(network_random_.Range(1, 5), [this, id, epoch, request] {
      Node& target = *nodes_[id];
      if (!target.up() || epoch_[id] != epoch) return;
      auto found = blocks_.find(request.block_hash);
      const bool valid = found != blocks_.end() && found->second.valid &&
                         found->second.height == request.height && found->second.time == request.block_time;
      target.engine->HandleValidation(request.height, request.block_hash, request.block_time, valid,
                                      valid ? found->second.updates : std::vector<ValidatorUpdate>{},
                                      LocalTime(target));
      Process(target);
    });
  }

  // ---- checkers ----

  void OnCommit(Node& node, const Decision& decision) {
    Mix(static_cast<std::uint64_t>(node.id) << 48 ^ decision.height);
    Mix(decision.block_hash[0] | (static_cast<std::uint64_t>(decision.block_hash[1]) << 8));
    Mix(static_cast<std::uint64_t>(decision.block_time));
    const Height height = decision.height;
    if (height != node.ledger_height() + 1) {
      Fail("node " + std::to_string(node.id) + " committed height " + std::to_string(height) + " after " +
           std::to_string(node.ledger_height()));
      return;
    }
    if (node.honest()) CheckCommit(node, decision);
    if (!violation_.empty()) return;
    Log("node " + std::to_string(node.id) + " commits h=" + std::to_string(height) +
        " r=" + std::to_string(decision.round) + " time=" + std::to_string(decision.block_time));
    if (committed_.count(height) == 0) {
      committed_[height] = decision.block_hash;
      first_commit_time_[height] = now_;
      const BlockInfo& block = blocks_.at(decision.block_hash);
      if (!block.updates.empty()) Count(Fault::kValidatorChange);
      for (std::uint64_t transaction : block.transactions) committed_transactions_.insert(transaction);
      CheckLastCommit(height, block);
      sets_[height + 2] = sets_.at(height + 1).WithUpdates(block.updates).value().NextHeight();
    }
    if (Enabled(Fault::kUnsyncedLoss)) {
      node.ledger_unsynced.push_back(decision);
    } else {
      node.ledger.push_back(decision);
    }
    for (std::uint64_t transaction : blocks_.at(decision.block_hash).transactions)
      node.mempool.erase(transaction);
    if (transactions_mode_ && node.up() && !node.mempool.empty())
      node.engine->HandleTransactionsAvailable(LocalTime(node));
    if (node.up() && node.engine->height() == height + 1 &&
        !(node.engine->validators() == sets_.at(height + 1))) {
      Fail("node " + std::to_string(node.id) + " uses a validator set that differs from the chain's");
    }
    BroadcastStatus(node);
  }

  void CheckCommit(const Node& node, const Decision& decision) {
    const Height height = decision.height;
    const std::string who = "honest node " + std::to_string(node.id) + " at height " + std::to_string(height);
    auto found = committed_.find(height);
    if (found != committed_.end() && found->second != decision.block_hash) {
      Fail("agreement: " + who + " committed a different block than another honest node");
      return;
    }
    auto block = blocks_.find(decision.block_hash);
    if (block == blocks_.end() || !block->second.valid || block->second.height != height ||
        block->second.time != decision.block_time) {
      Fail("validity: " + who + " committed a block that was never proposed valid");
      return;
    }
    if (!consensus::VerifyCommitCertificate(kChainId, decision.certificate, sets_.at(height), *verifier_)
             .ok()) {
      Fail("certificate: " + who + " produced a commit certificate that does not verify");
      return;
    }
    const Decision* previous = node.DecisionAt(height - 1);
    if (previous != nullptr && decision.block_time <= previous->block_time) {
      Fail("block time: " + who + " committed a block time that does not increase");
      return;
    }
    // A registration never shows a time earlier than its submission by more than PRECISION plus
    // the clock error of a correct node (PRECISION / 2 here).
    for (std::uint64_t transaction : block->second.transactions) {
      registrations_checked_ += 1;
      if (decision.block_time < transaction_submitted_.at(transaction) - kPrecision * 3 / 2) {
        Fail("registration time: " + who + " committed registration " + std::to_string(transaction) +
             " submitted at " + std::to_string(transaction_submitted_.at(transaction)) + " with block time " +
             std::to_string(decision.block_time));
        return;
      }
    }
    // Proposer-based timestamps: some honest node found the block timely while at this height.
    const TimeMilliseconds height_start = height == 1 ? 0 : first_commit_time_.at(height - 1);
    const TimeMilliseconds first_commit = found == committed_.end() ? now_ : first_commit_time_.at(height);
    if (decision.block_time < height_start - kPrecision * 3 / 2 ||
        decision.block_time > first_commit + kMessageDelay + kPrecision * 3 / 2) {
      Fail("block time: " + who + " committed time " + std::to_string(decision.block_time) +
           " outside the timely window [" + std::to_string(height_start) + " - 1.5 PRECISION, " +
           std::to_string(first_commit) + " + MSGDELAY + 1.5 PRECISION]");
    }
  }

  // The canonical certificate of height h - 1 travels in block h: it must be for the block the
  // chain committed at h - 1 and verify against that height's validator set.
  void CheckLastCommit(Height height, const BlockInfo& block) {
    if (height == 1) return;
    if (!block.last_commit || block.last_commit->height != height - 1 ||
        block.last_commit->block_hash != committed_.at(height - 1) ||
        !consensus::VerifyCommitCertificate(kChainId, *block.last_commit, sets_.at(height - 1), *verifier_)
             .ok()) {
      Fail("certificate: block " + std::to_string(height) +
           " does not carry a valid commit certificate of height " + std::to_string(height - 1));
      return;
    }
    certificates_checked_ += 1;
  }

  void RecordSigned(const Node& node, const Message& message) {
    std::tuple<int, Height, Round, int> position;
    Bytes sign_bytes;
    // Only messages this node signed itself (it also relays others' proposals).
    const Height height = std::holds_alternative<Proposal>(message) ? std::get<Proposal>(message).height
                                                                    : std::get<Vote>(message).height;
    const ValidatorIndex signer = std::holds_alternative<Proposal>(message)
                                      ? std::get<Proposal>(message).proposer
                                      : std::get<Vote>(message).validator;
    const ValidatorSet& set = sets_.at(height);
    if (signer >= set.size() || set.at(signer).public_key != node.key) return;
    if (const auto* proposal = std::get_if<Proposal>(&message)) {
      position = {node.validator, proposal->height, proposal->round, 0};
      sign_bytes = consensus::ProposalSignBytes(kChainId, *proposal);
    } else {
      const Vote& vote = std::get<Vote>(message);
      position = {node.validator, vote.height, vote.round, static_cast<int>(vote.type)};
      sign_bytes = consensus::VoteSignBytes(kChainId, vote);
    }
    auto [it, inserted] = signed_.emplace(position, sign_bytes);
    if (inserted) Mix(sign_bytes.size() ^ (static_cast<std::uint64_t>(std::get<1>(position)) << 20));
    if (!inserted && it->second != sign_bytes) {
      Fail("double signing: honest validator " + std::to_string(node.validator) +
           " signed two different messages at height " + std::to_string(std::get<1>(position)) + " round " +
           std::to_string(std::get<2>(position)) + " step " + std::to_string(std::get<3>(position)));
    }
  }

  Height MaxHonestHeight() const {
    Height best = 0;
    for (const auto& node : nodes_) {
      if (node->honest()) best = std::max<Height>(best, node->ledger_height());
    }
    return best;
  }

  Height MinHonestHeight() const {
    Height lowest = UINT64_MAX;
    for (const auto& node : nodes_) {
      if (node->honest()) lowest = std::min<Height>(lowest, node->ledger_height());
    }
    return lowest == UINT64_MAX ? 0 : lowest;
  }

  // ---- network ----

  TimeMilliseconds MessageDelay() {
    switch (delay_profile_) {
      case 1: return network_random_.Range(5, 200);
      case 2:
        if (network_random_.Chance(100000)) {
          Count(Fault::kDelay);
          return network_random_.Range(200, 1500);
        }
        return network_random_.Range(1, 10);
      default: return network_random_.Range(1, 20);
    }
  }

  bool Blocked(int from, int to) const {
    if (!partition_active_) return false;
    const bool from_in = partition_group_.count(from) > 0;
    const bool to_in = partition_group_.count(to) > 0;
    if (partition_asymmetric_) return to_in && !from_in;  // the group cannot hear the others
    return from_in != to_in;
  }

  void SendBytes(const Node& from, int to, const Bytes& bytes) {
    if (Blocked(from.id, to)) return;
    if (!healed_ && loss_per_million_ > 0 && network_random_.Chance(loss_per_million_)) {
      Count(Fault::kLoss);
      return;
    }
    int copies = 1;
    if (!healed_ && duplicate_per_million_ > 0 && network_random_.Chance(duplicate_per_million_)) {
      Count(Fault::kDuplicate);
      copies = 2;
    }
    for (int copy = 0; copy < copies; ++copy) {
      TimeMilliseconds delay = healed_ ? network_random_.Range(1, 20) : MessageDelay();
      if (delay_profile_ == 1 && !healed_) Count(Fault::kDelay);
      if (!healed_ && reorder_per_million_ > 0 && network_random_.Chance(reorder_per_million_)) {
        Count(Fault::kReorder);
        delay += network_random_.Range(20, 400);
      }
      const int sender = from.id;
      Schedule(delay, [this, sender, to, bytes] { Deliver(sender, to, bytes); });
    }
  }

  void Broadcast(const Node& from, const Bytes& bytes) {
    for (const auto& node : nodes_) {
      if (node->id != from.id) SendBytes(from, node->id, bytes);
    }
  }

  static Bytes Frame(std::uint8_t kind, const Bytes& body) {
    Bytes framed;
    framed.reserve(body.size() + 1);
    framed.push_back(kind);
    framed.insert(framed.end(), body.begin(), body.end());
    return framed;
  }

  void BroadcastStatus(const Node& node) {
    if (!node.up() || node.behaviour == Fault::kSilent) return;
    Bytes body(8);
    const Height height = node.engine->height();
    for (int i = 0; i < 8; ++i) body[i] = static_cast<std::uint8_t>(height >> (56 - 8 * i));
    Broadcast(node, Frame(kFrameStatus, body));
  }

  Bytes Sign(const Node& node, Message& message) {
    if (auto* proposal = std::get_if<Proposal>(&message)) {
      proposal->signature = node.signer->Sign(consensus::ProposalSignBytes(kChainId, *proposal)).value();
    } else {
      Vote& vote = std::get<Vote>(message);
      vote.signature = node.signer->Sign(consensus::VoteSignBytes(kChainId, vote)).value();
    }
    return Frame(kFrameConsensus, consensus::EncodeMessage(message));
  }

  // Every signed prevote seen on the wire, by (height, round, value): the evidence a later unlock
  // can rest on.
  void RecordPrevote(const Message& message) {
    const auto* vote = std::get_if<Vote>(&message);
    if (vote == nullptr || vote->type != consensus::VoteType::kPrevote || !vote->block_hash) return;
    prevoters_[{vote->height, vote->round, *vote->block_hash}].insert(vote->validator);
  }

  bool PolkaExists(Height height, Round from_round, Round before_round, const BlockHash& value) const {
    const ValidatorSet& set = sets_.at(height);
    for (Round round = from_round; round < before_round; ++round) {
      auto found = prevoters_.find({height, round, value});
      if (found == prevoters_.end()) continue;
      std::int64_t power = 0;
      for (ValidatorIndex validator : found->second) power += set.at(validator).voting_power;
      if (set.IsQuorum(power)) return true;
    }
    return false;
  }

  // The locking rule, checked from outside: an honest validator that precommitted v at round r
  // prevotes another value w at a later round only if a polka for w exists in a round in [r, now).
  void CheckLock(const Node& node, const Message& message) {
    const auto* vote = std::get_if<Vote>(&message);
    if (vote == nullptr || !vote->block_hash) return;
    const ValidatorSet& set = sets_.at(vote->height);
    if (vote->validator >= set.size() || set.at(vote->validator).public_key != node.key) return;
    const auto key = std::make_pair(node.validator, vote->height);
    if (vote->type == consensus::VoteType::kPrecommit) {
      auto& lock = locks_[key];
      if (lock.first <= vote->round) lock = {vote->round, *vote->block_hash};
      return;
    }
    auto lock = locks_.find(key);
    if (lock == locks_.end() || lock->second.second == *vote->block_hash || vote->round <= lock->second.first)
      return;
    if (!PolkaExists(vote->height, lock->second.first, vote->round, *vote->block_hash)) {
      Fail("locking: honest validator " + std::to_string(node.validator) + " locked at round " +
           std::to_string(lock->second.first) + " of height " + std::to_string(vote->height) +
           " prevoted another value at round " + std::to_string(vote->round) + " without a polka for it");
    }
  }

  void SendConsensus(Node& node, const Message& message) {
    RecordPrevote(message);
    if (node.honest()) {
      CheckLock(node, message);
      RecordSigned(node, message);
      Broadcast(node, Frame(kFrameConsensus, consensus::EncodeMessage(message)));
      return;
    }
    const Bytes wire = Frame(kFrameConsensus, consensus::EncodeMessage(message));
    const auto* proposal = std::get_if<Proposal>(&message);
    switch (*node.behaviour) {
      case Fault::kSkewBeyond:
        if (proposal != nullptr && proposal->pol_round == consensus::kNoRound) Count(Fault::kSkewBeyond);
        break;
      case Fault::kSilent: Count(Fault::kSilent); return;
      case Fault::kEquivocatingProposer:
        if (proposal != nullptr && proposal->pol_round == consensus::kNoRound &&
            proposal->proposer == ValidatorIndexOf(node)) {
          Count(Fault::kEquivocatingProposer);
          BlockInfo other = blocks_.at(proposal->block_hash);
          other.updates.clear();
          other.transactions.clear();
          Message second = *proposal;
          std::get<Proposal>(second).block_hash = RegisterBlock(other, node.id);
          const Bytes second_wire = Sign(node, second);
          for (const auto& peer : nodes_) {
            if (peer->id == node.id) continue;
            SendBytes(node, peer->id, network_random_.Below(2) == 0 ? wire : second_wire);
          }
          return;
        }
        break;
      case Fault::kUntimelyProposal:
        if (proposal != nullptr && proposal->pol_round == consensus::kNoRound &&
            proposal->proposer == ValidatorIndexOf(node)) {
          Count(Fault::kUntimelyProposal);
          const TimeMilliseconds shift = fault_random_.Range(kMessageDelay + 3 * kPrecision, 60000);
          Message untimely = *proposal;
          Proposal& changed = std::get<Proposal>(untimely);
          changed.block_time = std::max<TimeMilliseconds>(
              1, changed.block_time + (fault_random_.Below(2) == 0 ? shift : -shift));
          BlockInfo backdated = blocks_.at(proposal->block_hash);
          backdated.time = changed.block_time;
          backdated.updates.clear();
          changed.block_hash = RegisterBlock(backdated, node.id);
          Broadcast(node, Sign(node, untimely));
          return;
        }
        break;
      case Fault::kBadSignature:
        if (fault_random_.Chance(300000)) {
          Count(Fault::kBadSignature);
          Message forged = message;
          Bytes& signature = std::holds_alternative<Proposal>(forged) ? std::get<Proposal>(forged).signature
                                                                      : std::get<Vote>(forged).signature;
          if (!signature.empty()) signature[fault_random_.Below(signature.size())] ^= 0x5a;
          Broadcast(node, Frame(kFrameConsensus, consensus::EncodeMessage(forged)));
        }
        break;
      case Fault::kUnknownBlockVote:
        if (const auto* vote = std::get_if<Vote>(&message); vote != nullptr && fault_random_.Chance(500000)) {
          Count(Fault::kUnknownBlockVote);
          Message unknown = *vote;
          BlockHash random_hash{};
          for (auto& byte : random_hash) byte = static_cast<std::uint8_t>(fault_random_.Next());
          std::get<Vote>(unknown).block_hash = random_hash;
          RecordPrevote(unknown);
          Broadcast(node, Sign(node, unknown));
        }
        break;
      case Fault::kGarbage:
        if (fault_random_.Chance(300000)) {
          Count(Fault::kGarbage);
          Bytes garbage(fault_random_.Range(0, 120));
          for (auto& byte : garbage) byte = static_cast<std::uint8_t>(fault_random_.Next());
          if (!garbage.empty() && fault_random_.Below(2) == 0) garbage[0] = kFrameConsensus;
          Broadcast(node, garbage);
        }
        break;
      default: break;
    }
    Broadcast(node, wire);
  }

  ValidatorIndex ValidatorIndexOf(const Node& node) const {
    return node.engine->validators().IndexOf(node.key).value_or(UINT32_MAX);
  }

  void Deliver(int from, int to, const Bytes& bytes) {
    Node& node = *nodes_[to];
    if (!node.up() || bytes.empty()) return;
    if (bytes[0] == kFrameStatus && bytes.size() == 9) {
      Height height = 0;
      for (int i = 1; i < 9; ++i) height = (height << 8) | bytes[i];
      CatchUp(node, from, height);
      return;
    }
    if (bytes[0] == kFrameTransaction && bytes.size() == 9) {
      std::uint64_t transaction = 0;
      for (int i = 1; i < 9; ++i) transaction = (transaction << 8) | bytes[i];
      // A registration nobody submitted is a corrupted frame: the node's signature check would
      // refuse it (found by seed 1279 of 5 validators, a garbled frame carrying id 0).
      if (transaction_submitted_.contains(transaction)) ReceiveTransaction(node, transaction);
      return;
    }
    if (bytes[0] != kFrameConsensus) return;
    Result<Message> message = consensus::DecodeMessage(ByteView(bytes).subspan(1));
    if (!message.ok()) return;
    const Height height = std::holds_alternative<Proposal>(*message) ? std::get<Proposal>(*message).height
                                                                     : std::get<Vote>(*message).height;
    if (height < node.engine->height()) CatchUp(node, from, height);
    const Status status = node.engine->HandleMessage(*message, LocalTime(node));
    if (!status.ok() && node.honest() && options_.verbose && log_.size() < 100000) {
      Log("node " + std::to_string(node.id) + " rejects a message from node " + std::to_string(from) + ": " +
          status.ToString());
    }
    Process(node);
  }

  // `peer` is at `height`, which we decided: send it that height's proposal and commit precommits.
  void CatchUp(Node& node, int peer, Height height) {
    if (node.behaviour == Fault::kSilent) return;
    const Decision* decision = node.DecisionAt(height);
    if (decision == nullptr) return;
    auto& last = node.catch_up_sent[{peer, height}];
    if (last != 0 && now_ - last < 300) return;
    last = now_;
    SendBytes(node, peer, Frame(kFrameConsensus, consensus::EncodeMessage(decision->proposal)));
    for (const Vote& vote : decision->certificate.precommits) {
      SendBytes(node, peer, Frame(kFrameConsensus, consensus::EncodeMessage(vote)));
    }
  }

  // ---- fault schedule ----

  void ScheduleFaults() {
    const bool can_partition = nodes_.size() >= 2;
    if (can_partition && (Enabled(Fault::kPartition) || Enabled(Fault::kAsymmetricPartition)))
      SchedulePartition();
    if (Enabled(Fault::kCrash)) ScheduleCrash();
  }

  void SchedulePartition() {
    Schedule(fault_random_.Range(1000, 6000), [this] {
      if (healed_) return;
      std::vector<Fault> kinds;
      if (Enabled(Fault::kPartition)) kinds.push_back(Fault::kPartition);
      if (Enabled(Fault::kAsymmetricPartition)) kinds.push_back(Fault::kAsymmetricPartition);
      const Fault kind = kinds[fault_random_.Below(kinds.size())];
      partition_group_.clear();
      if (HasTwins() && fault_random_.Below(2) == 0) {
        // A Twins split: one instance of each twin pair and some honest nodes on each side.
        std::set<int> twin_validators_seen;
        for (const auto& node : nodes_) {
          if (node->behaviour == Fault::kTwins) {
            if (twin_validators_seen.insert(node->validator).second) partition_group_.insert(node->id);
          } else if (fault_random_.Below(2) == 0) {
            partition_group_.insert(node->id);
          }
        }
      } else {
        const std::size_t size = 1 + fault_random_.Below(nodes_.size() - 1);
        while (partition_group_.size() < size)
          partition_group_.insert(static_cast<int>(fault_random_.Below(nodes_.size())));
      }
      partition_asymmetric_ = kind == Fault::kAsymmetricPartition;
      partition_active_ = true;
      Count(kind);
      Schedule(fault_random_.Range(300, 6000), [this] {
        partition_active_ = false;
        SchedulePartition();
      });
    });
  }

  void ScheduleCrash() {
    Schedule(fault_random_.Range(1000, 6000), [this] {
      if (healed_) return;
      int crashed_honest = 0;
      for (const auto& node : nodes_) crashed_honest += (node->honest() && !node->up()) ? 1 : 0;
      Node& node = *nodes_[fault_random_.Below(nodes_.size())];
      if (node.up() && (!node.honest() || crashed_honest < (options_.validators - 1) / 3 + 1)) {
        Crash(node);
        const int id = node.id;
        Schedule(fault_random_.Range(50, 4000), [this, id] {
          if (!nodes_[id]->up()) StartNode(*nodes_[id]);
        });
      }
      ScheduleCrash();
    });
  }

  // Registrations arrive at a random node and are gossiped; committed ones leave the mempools.
  void ScheduleTransaction() {
    Schedule(fault_random_.Range(100, 4000), [this] {
      const std::uint64_t transaction = next_transaction_++;
      transaction_submitted_[transaction] = now_;
      Node& node = *nodes_[fault_random_.Below(nodes_.size())];
      if (node.up()) {
        ReceiveTransaction(node, transaction);
        Bytes body(8);
        for (int i = 0; i < 8; ++i) body[i] = static_cast<std::uint8_t>(transaction >> (56 - 8 * i));
        Broadcast(node, Frame(kFrameTransaction, body));
      }
      if (!healed_ || now_ < heal_time_ + liveness_window_) ScheduleTransaction();
    });
  }

  void ReceiveTransaction(Node& node, std::uint64_t transaction) {
    if (!node.up() || committed_transactions_.count(transaction) > 0) return;
    node.mempool.insert(transaction);
    node.engine->HandleTransactionsAvailable(LocalTime(node));
    Process(node);
  }

  bool HasTwins() const {
    for (const auto& node : nodes_) {
      if (node->behaviour == Fault::kTwins) return true;
    }
    return false;
  }

  void Heal() {
    healed_ = true;
    heal_time_ = now_;
    height_at_heal_ = MaxHonestHeight();
    Log("heal at honest height " + std::to_string(height_at_heal_));
    partition_active_ = false;
    for (auto& node : nodes_) {
      if (!node->up()) StartNode(*node);
    }
    liveness_window_ = LivenessWindowAfterHeal();
  }

  // After the last fault, a height is decided once a round has an honest proposer and timeouts
  // long enough for the honest nodes' round starts to overlap; timeouts grow with the round, so
  // a chaos run that left the height at a high round needs rounds of that size. Allow 30 s plus
  // validators + 1 rounds at the timeouts of the highest honest round so far plus as many more
  // (found by seed 3430 of 4 validators: round 12 at the heal, 7 s steps, decided after 30 s).
  TimeMilliseconds LivenessWindowAfterHeal() const {
    consensus::Round highest_round = 0;
    for (const auto& node : nodes_) {
      if (node->honest() && node->up()) highest_round = std::max(highest_round, node->engine->round());
    }
    const EngineConfig config = Config();
    const auto rounds = static_cast<TimeMilliseconds>(nodes_.size() + 1);
    const TimeMilliseconds last_round = highest_round + rounds;
    const TimeMilliseconds round_duration =
        config.propose_timeout_ms + config.prevote_timeout_ms + config.precommit_timeout_ms +
        last_round * (config.propose_timeout_delta_ms + config.prevote_timeout_delta_ms +
                      config.precommit_timeout_delta_ms);
    return kLivenessWindow + rounds * round_duration;
  }

  SimOptions options_;
  Random random_;
  Random network_random_;
  Random fault_random_;
  std::array<bool, static_cast<std::size_t>(Fault::kCount)> enabled_{};
  std::array<std::uint64_t, static_cast<std::size_t>(Fault::kCount)> fault_counts_{};
  std::uint64_t evidence_detected_ = 0;

  std::optional<crypto::SignatureScheme> suite_;
  std::unique_ptr<consensus::SignatureVerifier> verifier_;
  std::vector<std::unique_ptr<consensus::Signer>> signers_;
  ValidatorSet genesis_;
  std::map<Height, ValidatorSet> sets_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::map<int, std::uint64_t> epoch_;
  std::map<BlockHash, BlockInfo> blocks_;
  std::uint64_t block_counter_ = 0;
  std::map<Height, BlockHash> committed_;
  std::map<Height, TimeMilliseconds> first_commit_time_;
  std::map<std::tuple<int, Height, Round, int>, Bytes> signed_;
  std::map<std::tuple<Height, Round, BlockHash>, std::set<ValidatorIndex>> prevoters_;
  std::map<std::pair<int, Height>, std::pair<Round, BlockHash>> locks_;

  std::uint32_t loss_per_million_ = 0;
  std::uint32_t duplicate_per_million_ = 0;
  std::uint32_t reorder_per_million_ = 0;
  int delay_profile_ = 0;
  bool partition_active_ = false;
  bool partition_asymmetric_ = false;
  std::set<int> partition_group_;

  bool third_power_run_ = false;
  bool transactions_mode_ = false;
  std::uint64_t next_transaction_ = 1;
  std::map<std::uint64_t, TimeMilliseconds> transaction_submitted_;
  std::set<std::uint64_t> committed_transactions_;
  std::uint64_t registrations_checked_ = 0;
  std::uint64_t certificates_checked_ = 0;
  bool healed_ = false;
  TimeMilliseconds heal_time_ = 0;
  Height height_at_heal_ = 0;
  TimeMilliseconds liveness_window_ = kLivenessWindow;  // set at the heal

  std::priority_queue<Event> queue_;
  TimeMilliseconds now_ = 0;
  std::uint64_t sequence_ = 0;
  std::uint64_t events_ = 0;
  std::uint64_t trace_hash_ = 0xcbf29ce484222325ULL;
  std::string violation_;
  std::vector<std::string> log_;
};

}  // namespace

std::string_view FaultName(Fault fault) {
  return kFaultNames[static_cast<std::size_t>(fault)];
}

bool IsByzantineFault(Fault fault) {
  switch (fault) {
    case Fault::kSkewBeyond:
    case Fault::kTwins:
    case Fault::kSilent:
    case Fault::kEquivocatingProposer:
    case Fault::kBadSignature:
    case Fault::kUnknownBlockVote:
    case Fault::kGarbage:
    case Fault::kUntimelyProposal: return true;
    default: return false;
  }
}

Result<std::vector<Fault>> ParseFaults(std::string_view list) {
  std::vector<Fault> faults;
  if (list == "none" || list.empty()) return faults;
  if (list == "all") {
    for (std::size_t i = 0; i < static_cast<std::size_t>(Fault::kCount); ++i)
      faults.push_back(static_cast<Fault>(i));
    return faults;
  }
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::string_view name = list.substr(start, comma - start);
    bool found = false;
    for (std::size_t i = 0; i < static_cast<std::size_t>(Fault::kCount); ++i) {
      if (kFaultNames[i] == name) {
        if (std::find(faults.begin(), faults.end(), static_cast<Fault>(i)) == faults.end()) {
          faults.push_back(static_cast<Fault>(i));
        }
        found = true;
      }
    }
    if (!found) return Status::InvalidArgument("unknown fault '" + std::string(name) + "'");
    start = comma + 1;
  }
  std::sort(faults.begin(), faults.end());
  return faults;
}

std::string FaultListText(const std::vector<Fault>& faults) {
  if (faults.empty()) return "none";
  if (faults.size() == static_cast<std::size_t>(Fault::kCount)) return "all";
  std::string text;
  for (Fault fault : faults) {
    if (!text.empty()) text += ",";
    text += FaultName(fault);
  }
  return text;
}

SimResult RunSimulation(const SimOptions& options) {
  RC_ASSERT(options.validators >= 1 && options.validators <= 64);
  Simulation simulation(options);
  return simulation.Run();
}

std::string ReplayCommand(const SimOptions& options) {
  return "rightchain-sim --seed " + std::to_string(options.seed) + " --validators " +
         std::to_string(options.validators) + " --heights " + std::to_string(options.heights) + " --faults " +
         FaultListText(options.faults) + (options.suite.empty() ? "" : " --suite " + options.suite) +
         (options.liveness ? "" : " --no-liveness");
}

}  // namespace rightchain::sim
