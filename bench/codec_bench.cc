// Canonical encoding throughput: a signed transaction with a 1 KiB payload (a typical
// registration: a work's digest, metadata and fingerprints), encoded, decoded and hashed for its id.
#include <benchmark/benchmark.h>

#include "codec/transaction.h"

namespace rightchain::codec {
namespace {

SignedTransaction ExampleSignedTransaction(std::size_t payload_size) {
  SignedTransaction signed_transaction;
  Transaction& transaction = signed_transaction.transaction;
  transaction.chain_id = "rightchain-bench";
  transaction.sender_scheme = SignatureScheme::kSm2;
  transaction.sender_public_key = Bytes(kSm2PublicKeySize, 0x04);
  transaction.nonce = 123456;
  transaction.expiry_height = 987654;
  transaction.kind = 1;
  transaction.payload = Bytes(payload_size, 0xAB);
  signed_transaction.signature = Bytes(kTransactionSignatureSize, 0x5A);
  return signed_transaction;
}

void BM_EncodeSignedTransaction(benchmark::State& state) {
  const SignedTransaction signed_transaction =
      ExampleSignedTransaction(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    Bytes encoding = EncodeSignedTransaction(signed_transaction);
    benchmark::DoNotOptimize(encoding.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() *
                          static_cast<std::int64_t>(EncodeSignedTransaction(signed_transaction).size()));
}
BENCHMARK(BM_EncodeSignedTransaction)->Arg(1024)->Arg(64 * 1024);

void BM_DecodeSignedTransaction(benchmark::State& state) {
  const Bytes encoding =
      EncodeSignedTransaction(ExampleSignedTransaction(static_cast<std::size_t>(state.range(0))));
  for (auto _ : state) {
    Result<SignedTransaction> decoded = DecodeSignedTransaction(encoding);
    if (!decoded.ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(decoded);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(encoding.size()));
}
BENCHMARK(BM_DecodeSignedTransaction)->Arg(1024)->Arg(64 * 1024);

void BM_TransactionId(benchmark::State& state) {
  const Transaction transaction = ExampleSignedTransaction(1024).transaction;
  const auto algorithm = static_cast<crypto::HashAlgorithm>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(TransactionId(algorithm, transaction));
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(algorithm == crypto::HashAlgorithm::kSha256 ? "sha256" : "sm3");
}
BENCHMARK(BM_TransactionId)
    ->Arg(static_cast<int>(crypto::HashAlgorithm::kSha256))
    ->Arg(static_cast<int>(crypto::HashAlgorithm::kSm3));

}  // namespace
}  // namespace rightchain::codec
