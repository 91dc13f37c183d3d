// Copyright records: how fast the chain takes registrations, and what a registration costs on
// chain. Blocks are executed and committed to a real chain store (RocksDB, one synced batch per
// block), as a node does after consensus; transaction signatures count as verified (the mempool
// checked them on entry, docs/execution.md), so signing and verifying are measured by
// crypto_bench and the node throughput benchmark instead.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>

#include "exec/exec_test_util.h"
#include "exec/record_payloads.h"
#include "exec/records.h"
#include "ledger/block_execution.h"
#include "ledger/ledger_test_util.h"
#include "merkle/batch_tree.h"
#include "merkle/proof.h"

namespace rightchain {
namespace {

using exec::testing::MakeKey;
using exec::testing::MakeSignedTransaction;

constexpr std::string_view kChain = "records-bench";

exec::WorkDescription Work(crypto::HashAlgorithm hash, const exec::AccountId& owner, std::uint64_t serial) {
  exec::WorkDescription work;
  work.title = "Work number " + std::to_string(serial);
  work.kind = exec::WorkKind::kImage;
  work.content_hash = crypto::Hash(hash, ToBytes("content " + std::to_string(serial)));
  work.authors = {"An Author"};
  work.owners = {{owner, exec::kTotalShareBasisPoints}};
  work.claimed_creation_time_milliseconds = 1'700'000'000'000;
  work.where = "https://platform.example/works/" + std::to_string(serial);
  return work;
}

// A chain store in a temporary folder whose genesis makes one platform account.
class Chain {
 public:
  explicit Chain(crypto::SuiteId suite)
      : suite_(suite), hash_(crypto::GetSuite(suite).hash), platform_(MakeKey(suite, 7)) {
    char pattern[] = "/tmp/rightchain-records-bench-XXXXXX";
    RC_ASSERT(mkdtemp(pattern) != nullptr);
    directory_ = pattern;
    store_ = std::move(ledger::ChainStore::Open(directory_, hash_)).value();
    exec::Genesis genesis;
    genesis.chain_id = std::string(kChain);
    genesis.suite = suite;
    const crypto::PrivateKey validator = MakeKey(suite, 1);
    const ByteView validator_key = validator.public_key().raw();
    genesis.members.push_back({"node-0", exec::NodeRole::kRegulatorConsensus,
                               Bytes(validator_key.begin(), validator_key.end()), 1});
    const ByteView platform_key = platform_.public_key().raw();
    genesis.accounts.push_back(
        {"platform", exec::kPlatformKind, Bytes(platform_key.begin(), platform_key.end())});
    executor_ = std::make_unique<exec::Executor>(exec::MakeStandardExecutor(genesis));
    Commit({});  // height 1 writes the genesis accounts
  }
  ~Chain() {
    store_.reset();
    std::filesystem::remove_all(directory_);
  }

  // Executes and commits one block; returns the bytes its transactions and receipts add to the log.
  std::size_t Commit(std::vector<codec::SignedTransaction> transactions) {
    ledger::NewBlock input;
    input.time_milliseconds = 1'800'000'000'000 + static_cast<std::int64_t>(store_->head().height) * 1000;
    input.signatures_verified.assign(transactions.size(), true);
    input.transactions = std::move(transactions);
    if (store_->head().height > 0) {
      input.last_commit = validators_.Certificate(kChain, store_->head().height, store_->head().block_hash);
    }
    auto executed = ledger::ExecuteNewBlock({std::string(kChain), suite_}, *store_, *executor_,
                                            std::move(input), validators_.previous());
    RC_ASSERT(executed.ok());
    for (const exec::Receipt& receipt : executed->receipts) RC_ASSERT(receipt.ok());
    std::size_t log_bytes = 0;
    for (const Bytes& leaf : executed->log_leaves) log_bytes += leaf.size();
    state_bytes_ = 0;
    for (const auto& [key, value] : executed->state_changes.entries()) {
      state_bytes_ += key.size() + (value.has_value() ? value->size() : 0);
    }
    const Status committed = ledger::CommitExecutedBlock(
        *store_, *executed,
        validators_.Certificate(kChain, executed->block.header.height, executed->block_hash));
    RC_ASSERT(committed.ok());
    return log_bytes;
  }

  codec::SignedTransaction Sign(exec::TransactionKind kind, Bytes payload) {
    return MakeSignedTransaction(platform_, std::string(kChain), ++nonce_, store_->head().height + 100,
                                 static_cast<std::uint16_t>(kind), std::move(payload));
  }

  crypto::HashAlgorithm hash() const { return hash_; }
  exec::AccountId platform_account() const { return platform_.public_key().key_id(); }
  std::size_t last_state_bytes() const { return state_bytes_; }

 private:
  crypto::SuiteId suite_;
  crypto::HashAlgorithm hash_;
  crypto::PrivateKey platform_;
  std::filesystem::path directory_;
  std::unique_ptr<ledger::ChainStore> store_;
  std::unique_ptr<exec::Executor> executor_;
  ledger::testing::TestValidators validators_;
  std::uint64_t nonce_ = 0;
  std::size_t state_bytes_ = 0;
};

crypto::SuiteId SuiteOf(const benchmark::State& state) {
  return state.range(0) == 0 ? crypto::SuiteId::kStd : crypto::SuiteId::kSm;
}

// Single registrations, 1000 per block: registrations committed per second, and bytes per work.
void BM_SingleRegistrations(benchmark::State& state) {
  Chain chain(SuiteOf(state));
  constexpr std::size_t kPerBlock = 1000;
  std::uint64_t serial = 0;
  std::size_t log_bytes = 0;
  std::size_t state_bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<codec::SignedTransaction> block;
    for (std::size_t i = 0; i < kPerBlock; ++i) {
      block.push_back(
          chain.Sign(exec::TransactionKind::kRegisterWork,
                     exec::EncodePayload(Work(chain.hash(), chain.platform_account(), ++serial))));
    }
    state.ResumeTiming();
    log_bytes = chain.Commit(std::move(block));
    state_bytes = chain.last_state_bytes();
  }
  state.SetItemsProcessed(state.iterations() * kPerBlock);
  state.counters["log_bytes_per_work"] = static_cast<double>(log_bytes) / kPerBlock;
  state.counters["state_bytes_per_work"] = static_cast<double>(state_bytes) / kPerBlock;
}
BENCHMARK(BM_SingleRegistrations)
    ->Arg(0)
    ->Arg(1)
    ->ArgName("sm")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// An indexed batch of 10,000 items in one transaction: items committed per second (the chain's
// side: decoding, conflict lookups, indexing every hash, the synced commit).
void BM_IndexedBatch(benchmark::State& state) {
  Chain chain(SuiteOf(state));
  constexpr std::size_t kItems = exec::kMaxIndexedBatchItems;
  std::uint64_t serial = 0;
  std::size_t log_bytes = 0;
  std::size_t state_bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    exec::IndexedBatchPayload batch;
    batch.records_root = crypto::Hash(chain.hash(), ToBytes("root " + std::to_string(serial)));
    for (std::size_t i = 0; i < kItems; ++i) {
      batch.content_hashes.push_back(crypto::Hash(chain.hash(), ToBytes("item " + std::to_string(++serial))));
    }
    std::vector<codec::SignedTransaction> block;
    block.push_back(chain.Sign(exec::TransactionKind::kIndexedBatch, exec::EncodePayload(batch)));
    state.ResumeTiming();
    log_bytes = chain.Commit(std::move(block));
    state_bytes = chain.last_state_bytes();
  }
  state.SetItemsProcessed(state.iterations() * kItems);
  state.counters["log_bytes_per_work"] = static_cast<double>(log_bytes) / kItems;
  state.counters["state_bytes_per_work"] = static_cast<double>(state_bytes) / kItems;
}
BENCHMARK(BM_IndexedBatch)->Arg(0)->Arg(1)->ArgName("sm")->Unit(benchmark::kMillisecond)->UseRealTime();

// The platform's side of a batch: the RFC 6962 root over the items' records and every item's
// inclusion proof (records already encoded: the platform holds them). Items per second.
void BM_BatchRootAndEveryProof(benchmark::State& state) {
  const crypto::HashAlgorithm hash =
      state.range(1) == 0 ? crypto::HashAlgorithm::kSha256 : crypto::HashAlgorithm::kSm3;
  const auto items = static_cast<std::size_t>(state.range(0));
  const exec::AccountId owner = crypto::Hash(hash, ToBytes("owner"));
  std::vector<Bytes> records;
  records.reserve(items);
  for (std::size_t i = 0; i < items; ++i) records.push_back(exec::EncodePayload(Work(hash, owner, i)));
  std::size_t proof_hashes = 0;
  for (auto _ : state) {
    const merkle::BatchTree tree = std::move(merkle::BatchTree::FromLeafData(hash, records)).value();
    proof_hashes = 0;
    for (std::size_t i = 0; i < items; ++i) proof_hashes += tree.InclusionProof(i).size();
    benchmark::DoNotOptimize(tree.root());
  }
  state.SetItemsProcessed(state.iterations() * items);
  state.counters["proof_hashes_per_item"] = static_cast<double>(proof_hashes) / items;
  state.counters["record_bytes"] = static_cast<double>(records.front().size());
}
BENCHMARK(BM_BatchRootAndEveryProof)
    ->Args({10'000, 0})
    ->Args({1'000'000, 0})
    ->Args({1'000'000, 1})
    ->ArgNames({"items", "sm3"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// An anchor-only batch on chain: one small transaction for up to 1,000,000 works.
void BM_AnchorBatchOnChain(benchmark::State& state) {
  Chain chain(SuiteOf(state));
  std::size_t log_bytes = 0;
  std::size_t state_bytes = 0;
  std::uint64_t serial = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const exec::AnchorBatchPayload batch{
        crypto::Hash(chain.hash(), ToBytes("anchor " + std::to_string(++serial))), exec::kMaxAnchorBatchItems,
        "day"};
    std::vector<codec::SignedTransaction> block;
    block.push_back(chain.Sign(exec::TransactionKind::kAnchorBatch, exec::EncodePayload(batch)));
    state.ResumeTiming();
    log_bytes = chain.Commit(std::move(block));
    state_bytes = chain.last_state_bytes();
  }
  state.counters["log_bytes_per_work"] = static_cast<double>(log_bytes) / exec::kMaxAnchorBatchItems;
  state.counters["state_bytes_per_work"] = static_cast<double>(state_bytes) / exec::kMaxAnchorBatchItems;
}
BENCHMARK(BM_AnchorBatchOnChain)->Arg(0)->Arg(1)->ArgName("sm")->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace rightchain
