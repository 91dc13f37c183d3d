// A whole consortium in one process for node-level tests: NodeCores on real chain stores, joined by
// a simulated network with a simulated clock, deterministic from its seed. A test can make any
// member hostile by rewriting or dropping the frames it sends (set_frame_rewriter).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <random>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "exec/account.h"
#include "exec/exec_test_util.h"
#include "ledger/chain_store.h"
#include "node/node_core.h"
#include "node/wire.h"

namespace rightchain::node::testing {

using exec::testing::MakeKey;
using exec::testing::MakeSignedTransaction;

// The genesis platform account that sponsors the accounts tests create (key seed byte 90).
inline constexpr std::uint8_t kSponsorSeedByte = 90;

inline exec::Genesis MakeGenesis(crypto::SuiteId suite, int validators, int observers) {
  exec::Genesis genesis;
  genesis.chain_id = "cluster-test";
  genesis.suite = suite;
  genesis.genesis_time_milliseconds = 1'000'000;
  genesis.parameters.target_block_interval_milliseconds = 200;
  genesis.parameters.create_empty_blocks = false;
  genesis.parameters.heartbeat_interval_milliseconds = 2000;
  for (int i = 0; i < validators + observers; ++i) {
    exec::GenesisMember member;
    member.name = "node-" + std::to_string(i);
    member.role = i >= validators ? exec::NodeRole::kObserver
                  : i == 0        ? exec::NodeRole::kRegulatorConsensus
                                  : exec::NodeRole::kConsensus;
    const crypto::PrivateKey key = MakeKey(suite, static_cast<std::uint8_t>(100 + i));
    const ByteView raw = key.public_key().raw();
    member.consensus_public_key.assign(raw.begin(), raw.end());
    member.voting_power = i >= validators ? 0 : 10;
    genesis.members.push_back(member);
  }
  const crypto::PrivateKey sponsor = MakeKey(suite, kSponsorSeedByte);
  const ByteView sponsor_raw = sponsor.public_key().raw();
  genesis.accounts.push_back({"sponsor", exec::kPlatformKind, Bytes(sponsor_raw.begin(), sponsor_raw.end())});
  return genesis;
}

class Cluster {
 public:
  Cluster(crypto::SuiteId suite, int validators, int observers, std::uint64_t seed,
          NodeCoreOptions options = {})
      : suite_(suite), genesis_(MakeGenesis(suite, validators, observers)), random_(seed), options_(options) {
    char pattern[] = "/tmp/rightchain-cluster-XXXXXX";
    RC_ASSERT(mkdtemp(pattern) != nullptr);
    directory_ = pattern;
    nodes_.resize(genesis_.members.size());
    for (std::size_t i = 0; i < nodes_.size(); ++i) StartNode(i);
  }
  // A consortium of the test's own genesis (members as MakeGenesis makes them, accounts added).
  Cluster(exec::Genesis genesis, std::uint64_t seed, NodeCoreOptions options = {})
      : suite_(genesis.suite), genesis_(std::move(genesis)), random_(seed), options_(options) {
    char pattern[] = "/tmp/rightchain-cluster-XXXXXX";
    RC_ASSERT(mkdtemp(pattern) != nullptr);
    directory_ = pattern;
    nodes_.resize(genesis_.members.size());
    for (std::size_t i = 0; i < nodes_.size(); ++i) StartNode(i);
  }
  ~Cluster() {
    nodes_.clear();
    std::filesystem::remove_all(directory_);
  }

  struct Node {
    std::unique_ptr<ledger::ChainStore> store;
    std::unique_ptr<NodeCore> core;
  };

  // A node whose key genesis does not know (seed byte 100 + its index): it waits for governance
  // to admit it. Its index is the member index the others give it if it is the first admitted.
  std::size_t AddJoiningNode() {
    nodes_.emplace_back();
    StartNode(nodes_.size() - 1);
    return nodes_.size() - 1;
  }

  void StartNode(std::size_t index) {
    Node& node = nodes_[index];
    const bool in_genesis = index < genesis_.members.size();
    const std::string name = in_genesis ? genesis_.members[index].name : "joining-" + std::to_string(index);
    auto store = ledger::ChainStore::Open(directory_ / name, crypto::GetSuite(suite_).hash);
    RC_ASSERT_MSG(store.ok(), store.status().ToString());
    node.store = std::move(store).value();
    std::optional<crypto::PrivateKey> key;
    if (!in_genesis || genesis_.members[index].role != exec::NodeRole::kObserver) {
      key = MakeKey(suite_, static_cast<std::uint8_t>(100 + index));
    }
    auto core = NodeCore::Create(genesis_, std::move(key), *node.store, options_);
    RC_ASSERT_MSG(core.ok(), core.status().ToString());
    node.core = std::move(core).value();
    RC_ASSERT(node.core->Start(now_).ok());
    Collect(index);
  }

  void StopNode(std::size_t index) {
    nodes_[index].core.reset();
    nodes_[index].store.reset();
  }
  bool Running(std::size_t index) const { return nodes_[index].core != nullptr; }

  // Moves the node's outbox into the event queue.
  void Collect(std::size_t index) {
    NodeOutbox outbox = nodes_[index].core->TakeOutbox();
    for (OutgoingFrame& frame : outbox.frames) {
      for (std::size_t to = 0; to < nodes_.size(); ++to) {
        if (to == index || (frame.to.has_value() && *frame.to != to)) continue;
        if (random_() % 1000 < loss_per_mille_ || cut_off_.contains(index) || cut_off_.contains(to)) continue;
        const std::int64_t delay = 1 + static_cast<std::int64_t>(random_() % 20) + slow_sender_delay(index);
        std::vector<Bytes> sent{frame.frame};
        if (const auto rewriter = rewriters_.find(index); rewriter != rewriters_.end()) {
          sent = rewriter->second(to, frame.frame);
        }
        for (Bytes& bytes : sent) Push({now_ + delay, Event::kFrame, to, index, std::move(bytes), {}});
      }
    }
    for (const consensus::Timer& timer : outbox.timers) {
      Push({now_ + timer.delay_ms, Event::kTimer, index, index, {}, timer});
    }
    for (const CommittedBlock& block : outbox.committed) {
      for (const exec::Receipt& receipt : block.receipts) committed_[index].insert(receipt.transaction_id);
    }
    for (Misbehaviour& report : outbox.misbehaviour) misbehaviour_[index].push_back(std::move(report));
  }

  // Runs events until `done` holds or `limit_milliseconds` of simulated time pass.
  bool RunUntil(const std::function<bool()>& done, std::int64_t limit_milliseconds) {
    const std::int64_t deadline = now_ + limit_milliseconds;
    while (!done()) {
      if (events_.empty() || events_.top().at > deadline) return false;
      Event event = events_.top();
      events_.pop();
      now_ = std::max(now_, event.at);
      if (now_ >= next_tick_) {
        next_tick_ = now_ + 500;
        for (std::size_t i = 0; i < nodes_.size(); ++i) {
          if (!Running(i)) continue;
          nodes_[i].core->Tick(now_);
          Collect(i);
        }
        Push({next_tick_, Event::kNothing, 0, 0, {}, {}});
      }
      if (!Running(event.node)) continue;
      if (event.kind == Event::kFrame) {
        (void)nodes_[event.node].core->HandlePeerFrame(static_cast<MemberIndex>(event.from), event.frame,
                                                       now_);
      } else if (event.kind == Event::kTimer) {
        nodes_[event.node].core->HandleTimer(event.timer, now_);
      }
      Collect(event.node);
    }
    return true;
  }

  std::variant<crypto::Digest, mempool::Rejection> Submit(std::size_t index,
                                                          const codec::SignedTransaction& transaction) {
    auto result = nodes_[index].core->SubmitTransaction(codec::EncodeSignedTransaction(transaction), now_);
    Collect(index);
    return result;
  }

  // A client's batch, its signatures already checked (as the API threads do); returns the
  // types of the frames the node sent, which then go out as any others.
  // With `one_at_a_time`, each goes in as a single submission (SubmitTransaction), all before the
  // outbox is taken, as when several clients' requests reach the core thread together.
  std::vector<WireType> SubmitBatch(std::size_t index, const std::vector<codec::SignedTransaction>& batch,
                                    bool one_at_a_time = false) {
    std::vector<NodeCore::VerifiedSubmission> submissions;
    for (const codec::SignedTransaction& transaction : batch)
      submissions.push_back({transaction, codec::EncodeSignedTransaction(transaction)});
    if (one_at_a_time) {
      for (const NodeCore::VerifiedSubmission& submission : submissions)
        (void)nodes_[index].core->SubmitTransaction(submission.encoded, now_);
    } else {
      (void)nodes_[index].core->SubmitVerifiedTransactions(std::move(submissions), now_);
    }
    NodeOutbox outbox = nodes_[index].core->TakeOutbox();
    std::vector<WireType> types;
    for (const OutgoingFrame& frame : outbox.frames) types.push_back(DecodeWire(frame.frame)->type);
    for (OutgoingFrame& frame : outbox.frames) {
      for (std::size_t to = 0; to < nodes_.size(); ++to) {
        if (to != index) Push({now_ + 1, Event::kFrame, to, index, frame.frame, {}});
      }
    }
    for (const consensus::Timer& timer : outbox.timers) {
      Push({now_ + timer.delay_ms, Event::kTimer, index, index, {}, timer});
    }
    return types;
  }

  std::uint64_t Height(std::size_t index) const { return nodes_[index].store->head().height; }
  const ledger::ChainStore& Store(std::size_t index) const { return *nodes_[index].store; }
  bool Committed(std::size_t index, const crypto::Digest& id) const {
    return nodes_[index].store->FindTransaction(id)->has_value();
  }
  std::size_t size() const { return nodes_.size(); }
  // Hands a frame to a node directly, as if `from` had sent it; returns the node's verdict.
  Status DeliverStatus(std::size_t to, std::size_t from, const Bytes& frame) {
    const Status status = nodes_[to].core->HandlePeerFrame(static_cast<MemberIndex>(from), frame, now_);
    Collect(to);
    return status;
  }
  void Deliver(std::size_t to, std::size_t from, const Bytes& frame) { (void)DeliverStatus(to, from, frame); }
  const exec::Genesis& genesis() const { return genesis_; }
  const NodeCore& Core(std::size_t index) const { return *nodes_[index].core; }
  void set_loss_per_mille(std::uint32_t loss) { loss_per_mille_ = loss; }
  // Frames to and from `index` are lost while it is cut off.
  void set_cut_off(std::size_t index, bool cut_off) {
    if (cut_off) {
      cut_off_.insert(index);
    } else {
      cut_off_.erase(index);
    }
  }
  // Every frame `index` sends takes this much longer to arrive (a slow or distant member).
  void set_slow_sender(std::size_t index, std::int64_t extra_delay_milliseconds) {
    slow_sender_ = index;
    slow_sender_extra_delay_ = extra_delay_milliseconds;
  }
  void Kick() { Push({now_ + 1, Event::kNothing, 0, 0, {}, {}}); }
  // Makes member `index` hostile: every frame its honest core sends to `to` goes through
  // `rewriter`, which returns the frames actually sent instead (none: dropped; several: all of
  // them, in order). Clear with an empty function.
  using FrameRewriter = std::function<std::vector<Bytes>(std::size_t to, const Bytes& frame)>;
  void set_frame_rewriter(std::size_t index, FrameRewriter rewriter) {
    if (rewriter) {
      rewriters_[index] = std::move(rewriter);
    } else {
      rewriters_.erase(index);
    }
  }
  std::int64_t now() const { return now_; }
  // What node `index` reported its peers for (NodeOutbox::misbehaviour), oldest first.
  const std::vector<Misbehaviour>& Misbehaviours(std::size_t index) { return misbehaviour_[index]; }
  NodeCore& MutableCore(std::size_t index) { return *nodes_[index].core; }

 private:
  struct Event {
    enum Kind { kFrame, kTimer, kNothing };
    std::int64_t at = 0;
    Kind kind = kNothing;
    std::size_t node = 0;
    std::size_t from = 0;
    Bytes frame;
    consensus::Timer timer;
    std::uint64_t sequence = 0;
  };
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      return a.at != b.at ? a.at > b.at : a.sequence > b.sequence;
    }
  };
  void Push(Event event) {
    event.sequence = sequence_++;
    events_.push(std::move(event));
  }

  crypto::SuiteId suite_;
  exec::Genesis genesis_;
  std::mt19937_64 random_;
  std::filesystem::path directory_;
  std::vector<Node> nodes_;
  std::priority_queue<Event, std::vector<Event>, Later> events_;
  std::uint64_t sequence_ = 0;
  std::int64_t now_ = 1'000'100;
  std::int64_t next_tick_ = 0;
  std::uint32_t loss_per_mille_ = 0;
  std::set<std::size_t> cut_off_;
  std::optional<std::size_t> slow_sender_;
  std::int64_t slow_sender_extra_delay_ = 0;
  std::int64_t slow_sender_delay(std::size_t index) const {
    return slow_sender_ == index ? slow_sender_extra_delay_ : 0;
  }
  std::map<std::size_t, std::set<crypto::Digest>> committed_;
  std::map<std::size_t, FrameRewriter> rewriters_;
  std::map<std::size_t, std::vector<Misbehaviour>> misbehaviour_;
  NodeCoreOptions options_;
};

inline bool HasCheckpoint(const NodeCore& core, std::uint64_t height) {
  const Result<std::optional<std::string>> stored = core.CheckpointAt(height);
  return stored.ok() && stored->has_value();
}

inline void ExpectIdenticalChains(const Cluster& cluster, std::uint64_t height) {
  for (std::uint64_t h = 1; h <= height; ++h) {
    const auto reference = cluster.Store(0).BlockAt(h);
    ASSERT_TRUE(reference.ok() && reference->has_value()) << "height " << h;
    for (std::size_t i = 1; i < cluster.size(); ++i) {
      const auto block = cluster.Store(i).BlockAt(h);
      ASSERT_TRUE(block.ok() && block->has_value()) << "node " << i << " height " << h;
      EXPECT_EQ((*block)->header, (*reference)->header) << "node " << i << " height " << h;
    }
  }
}

}  // namespace rightchain::node::testing
