// Offline verification of a proof bundle: a registration in a log of 100,000 entries, its block's
// checkpoint co-signed by 17 of 25 validators (more than 2/3), on both suites. Reports the time to
// verify one bundle (parsing included) and the bundle's size.
#include <benchmark/benchmark.h>

#include "exec/exec_test_util.h"
#include "exec/record_payloads.h"
#include "exec/records.h"
#include "ledger/block.h"
#include "merkle/memory_log_storage.h"
#include "merkle/merkle_log.h"
#include "proofs/bundle.h"
#include "proofs/checkpoint.h"
#include "proofs/trust.h"
#include "proofs/verifier.h"

namespace rightchain::proofs {
namespace {

constexpr std::string_view kChain = "bench-chain";
constexpr std::size_t kValidators = 25;
constexpr std::size_t kSigners = 17;
constexpr std::size_t kLogEntries = 100'000;

struct Fixture {
  TrustAnchor trust;
  std::string bundle_json;
  std::string content;
};

Fixture Build(crypto::SuiteId suite) {
  const crypto::HashAlgorithm hash = crypto::GetSuite(suite).hash;
  std::vector<crypto::PrivateKey> validators;
  exec::Genesis genesis;
  genesis.chain_id = std::string(kChain);
  genesis.suite = suite;
  for (std::size_t i = 0; i < kValidators; ++i) {
    validators.push_back(exec::testing::MakeKey(suite, static_cast<std::uint8_t>(i + 1)));
    const ByteView raw = validators.back().public_key().raw();
    genesis.members.push_back({"node-" + std::to_string(i),
                               i == 0 ? exec::NodeRole::kRegulatorConsensus : exec::NodeRole::kConsensus,
                               Bytes(raw.begin(), raw.end()), 10});
  }
  const crypto::PrivateKey alice = exec::testing::MakeKey(suite, 200);
  const ByteView alice_raw = alice.public_key().raw();
  genesis.accounts.push_back({"alice", exec::kPersonKind, Bytes(alice_raw.begin(), alice_raw.end())});

  Fixture fixture;
  fixture.trust = TrustAnchorFromGenesis(genesis);
  fixture.content = std::string(100'000, 'x');
  exec::WorkDescription work;
  work.title = "a work";
  work.kind = exec::WorkKind::kText;
  work.content_hash = crypto::Hash(hash, AsBytes(fixture.content));
  work.owners = {{alice.public_key().key_id(), exec::kTotalShareBasisPoints}};
  const codec::SignedTransaction transaction = exec::testing::MakeSignedTransaction(
      alice, std::string(kChain), 1, 10, static_cast<std::uint16_t>(exec::TransactionKind::kRegisterWork),
      exec::EncodePayload(work));

  const exec::Executor executor = exec::MakeStandardExecutor(genesis);
  exec::MemoryState state;
  state.Apply(executor.ExecuteBlock({kChain, suite, 1, 1000}, state, {}).value().changes);
  const exec::TransactionToExecute input{&transaction, false};
  const exec::BlockExecution execution =
      executor.ExecuteBlock({kChain, suite, 2, 2000}, state, std::span(&input, 1)).value();
  const Bytes leaf = ledger::EncodeLogLeaf({transaction, execution.receipts[0]});

  merkle::MemoryLogStorage storage;
  merkle::MerkleLog log = merkle::MerkleLog::Open(hash, storage).value();
  std::vector<Bytes> leaves;
  for (std::size_t i = 0; i + 1 < kLogEntries; ++i) leaves.push_back(ToBytes("entry " + std::to_string(i)));
  const std::size_t index = leaves.size() / 2;
  leaves.insert(leaves.begin() + static_cast<std::ptrdiff_t>(index), leaf);
  const std::vector<ByteView> views(leaves.begin(), leaves.end());
  RC_ASSERT(log.Commit(log.PrepareAppendData(views).value()).ok());

  ledger::BlockHeader header;
  header.chain_id = std::string(kChain);
  header.height = 2;
  header.time_milliseconds = 2000;
  header.log_size = log.size();
  header.log_root = log.Root();
  SignedNote note{CheckpointBody({std::string(kChain), header.log_size, header.log_root, 2,
                                  ledger::BlockHash(hash, header)}),
                  {}};
  Bundle bundle;
  bundle.chain_id = std::string(kChain);
  bundle.suite = suite;
  bundle.record_id = 1;
  bundle.record = exec::EncodePayload(work);
  bundle.log_leaf = leaf;
  bundle.log_index = index;
  bundle.inclusion_proof = log.InclusionProof(index, log.size()).value();
  bundle.block_header = ledger::EncodeBlockHeader(header);
  for (std::size_t i = 0; i < kSigners; ++i) {
    const std::string name = CheckpointKeyName(kChain, "node-" + std::to_string(i));
    note.signatures.push_back(SignNote(note.text, name, validators[i]).value());
    const ByteView raw = validators[i].public_key().raw();
    bundle.signers.push_back({name, Bytes(raw.begin(), raw.end()), ""});
  }
  bundle.checkpoint = FormatSignedNote(note);
  fixture.bundle_json = EncodeBundleJson(bundle);
  return fixture;
}

void BM_VerifyBundle(benchmark::State& state) {
  const Fixture fixture = Build(state.range(0) == 0 ? crypto::SuiteId::kStd : crypto::SuiteId::kSm);
  for (auto _ : state) {
    const Bundle bundle = ParseBundleJson(fixture.bundle_json).value();
    const Verification verification = VerifyBundle(bundle, fixture.trust, AsBytes(fixture.content));
    RC_ASSERT(verification.ok());
    benchmark::DoNotOptimize(verification.record.record_id);
  }
  state.counters["bundle_bytes"] = static_cast<double>(fixture.bundle_json.size());
  state.counters["signatures"] = kSigners;
}
BENCHMARK(BM_VerifyBundle)->Arg(0)->Arg(1)->ArgName("sm")->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace rightchain::proofs
