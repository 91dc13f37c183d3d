// Crypto suite costs: signing and verification per core (verification bounds the chain's
// throughput), key import from raw bytes, hash and AEAD throughput.
#include <benchmark/benchmark.h>

#include "crypto/cipher.h"
#include "crypto/domain.h"
#include "crypto/hash.h"
#include "crypto/private_key.h"
#include "crypto/public_key.h"

namespace rightchain::crypto {
namespace {

// A typical signed object: a domain tag and a ~200-byte transaction body.
Bytes SampleMessage() {
  Bytes message = DomainTag("rightchain/transaction");
  message.resize(message.size() + 200, 0x5a);
  return message;
}

SignatureScheme SchemeOf(const benchmark::State& state) {
  return static_cast<SignatureScheme>(state.range(0));
}

void BM_Sign(benchmark::State& state) {
  const PrivateKey key = PrivateKey::Generate(SchemeOf(state)).value();
  const Bytes message = SampleMessage();
  for (auto _ : state) benchmark::DoNotOptimize(key.Sign(message).value());
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(SignatureSchemeName(SchemeOf(state))));
}

void BM_Verify(benchmark::State& state) {
  const PrivateKey key = PrivateKey::Generate(SchemeOf(state)).value();
  const PublicKey& public_key = key.public_key();
  const Bytes message = SampleMessage();
  const Signature signature = key.Sign(message).value();
  for (auto _ : state) {
    const Status verified = public_key.Verify(message, signature);
    if (!verified.ok()) state.SkipWithError(verified.ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(SignatureSchemeName(SchemeOf(state))));
}

// Parsing an on-chain raw key (SM2: point decoding and validation).
void BM_PublicKeyFromRaw(benchmark::State& state) {
  const PrivateKey key = PrivateKey::Generate(SchemeOf(state)).value();
  const Bytes raw(key.public_key().raw().begin(), key.public_key().raw().end());
  for (auto _ : state) benchmark::DoNotOptimize(PublicKey::FromRaw(SchemeOf(state), raw).value());
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(SignatureSchemeName(SchemeOf(state))));
}

void SchemeArguments(benchmark::internal::Benchmark* benchmark) {
  benchmark->Arg(static_cast<int>(SignatureScheme::kEd25519))->Arg(static_cast<int>(SignatureScheme::kSm2));
}

BENCHMARK(BM_Sign)->Apply(SchemeArguments);
BENCHMARK(BM_Verify)->Apply(SchemeArguments);
BENCHMARK(BM_PublicKeyFromRaw)->Apply(SchemeArguments);

void BM_Hash(benchmark::State& state) {
  const auto algorithm = static_cast<HashAlgorithm>(state.range(0));
  const Bytes data(static_cast<std::size_t>(state.range(1)), 0xa5);
  for (auto _ : state) benchmark::DoNotOptimize(Hash(algorithm, data));
  state.SetBytesProcessed(state.iterations() * state.range(1));
  state.SetLabel(std::string(HashAlgorithmName(algorithm)));
}
BENCHMARK(BM_Hash)->ArgsProduct(
    {{static_cast<int>(HashAlgorithm::kSha256), static_cast<int>(HashAlgorithm::kSm3)}, {64, 1024, 1 << 20}});

void BM_Seal(benchmark::State& state) {
  const auto algorithm = static_cast<CipherAlgorithm>(state.range(0));
  const Bytes key = RandomBytes(CipherKeySize(algorithm)).value();
  const Bytes nonce = RandomBytes(kAeadNonceSize).value();
  const Bytes associated_data(32, 0x11);
  const Bytes plaintext(static_cast<std::size_t>(state.range(1)), 0x3c);
  for (auto _ : state)
    benchmark::DoNotOptimize(Seal(algorithm, key, nonce, associated_data, plaintext).value());
  state.SetBytesProcessed(state.iterations() * state.range(1));
  state.SetLabel(std::string(CipherAlgorithmName(algorithm)));
}
BENCHMARK(BM_Seal)->ArgsProduct({{static_cast<int>(CipherAlgorithm::kAes256Gcm),
                                  static_cast<int>(CipherAlgorithm::kSm4Gcm)},
                                 {1024, 64 * 1024}});

}  // namespace
}  // namespace rightchain::crypto
