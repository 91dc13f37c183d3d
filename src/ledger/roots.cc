#include "ledger/roots.h"

#include <vector>

#include "codec/writer.h"
#include "crypto/domain.h"
#include "merkle/memory_log_storage.h"
#include "merkle/merkle_log.h"
#include "merkle/tree_hash.h"

namespace rightchain::ledger {
namespace {

// The RFC 6962 root over leaves given as their data.
crypto::Digest RootOf(crypto::HashAlgorithm algorithm, const std::vector<Bytes>& leaves) {
  if (leaves.empty()) return merkle::EmptyRoot(algorithm);
  std::vector<crypto::Digest> leaf_hashes;
  leaf_hashes.reserve(leaves.size());
  for (const Bytes& leaf : leaves) leaf_hashes.push_back(merkle::LeafHash(algorithm, leaf));
  merkle::MemoryLogStorage storage;
  auto log = merkle::MerkleLog::Open(algorithm, storage);
  RC_ASSERT(log.ok());
  auto batch = log->PrepareAppend(leaf_hashes);
  RC_ASSERT(batch.ok());
  RC_ASSERT(log->Commit(*batch).ok());
  return log->Root();
}

}  // namespace

crypto::Digest TransactionsRoot(crypto::HashAlgorithm algorithm,
                                std::span<const codec::SignedTransaction> transactions) {
  std::vector<Bytes> leaves;
  leaves.reserve(transactions.size());
  for (const auto& transaction : transactions) leaves.push_back(codec::EncodeSignedTransaction(transaction));
  return RootOf(algorithm, leaves);
}

crypto::Digest ReceiptsRoot(crypto::HashAlgorithm algorithm, std::span<const exec::Receipt> receipts) {
  std::vector<Bytes> leaves;
  leaves.reserve(receipts.size());
  for (const auto& receipt : receipts) leaves.push_back(exec::EncodeReceipt(receipt));
  return RootOf(algorithm, leaves);
}

crypto::Digest NextStateRoot(crypto::HashAlgorithm algorithm, const crypto::Digest& previous_root,
                             const crypto::Digest& changes_digest) {
  crypto::Hasher hasher(algorithm);
  hasher.Update(crypto::DomainTag("rightchain/state-root")).Update(previous_root).Update(changes_digest);
  return hasher.Finish();
}

crypto::Digest ValidatorSetHash(crypto::HashAlgorithm algorithm, const consensus::ValidatorSet& validators) {
  codec::Writer writer;
  writer.WriteDomainTag("rightchain/validator-set");
  writer.WriteSequence(validators.validators(), consensus::kMaxValidators,
                       [](codec::Writer& out, const consensus::Validator& validator) {
                         out.WriteBytes(validator.public_key, 128);
                         out.WriteU64(static_cast<std::uint64_t>(validator.voting_power));
                       });
  return crypto::Hash(algorithm, writer.bytes());
}

crypto::Digest GenesisStateRoot(crypto::HashAlgorithm algorithm, const crypto::Digest& genesis_hash) {
  crypto::Hasher hasher(algorithm);
  hasher.Update(crypto::DomainTag("rightchain/state-root")).Update(genesis_hash);
  return hasher.Finish();
}

}  // namespace rightchain::ledger
