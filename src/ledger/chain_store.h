// ChainStore: everything a node has committed, on RocksDB. Each block is written in one atomic,
// synced batch (block, certificate, transaction index, log leaves and nodes, state changes and the
// head), so a node killed at any instant restarts with whole blocks only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "base/status.h"
#include "consensus/commit_certificate.h"
#include "exec/receipt.h"
#include "exec/state.h"
#include "ledger/block.h"
#include "merkle/log_storage.h"
#include "merkle/merkle_log.h"

namespace rightchain::ledger {

struct TransactionLocation {
  std::uint64_t height = 0;
  std::uint32_t index_in_block = 0;
  std::uint64_t log_index = 0;
  friend bool operator==(const TransactionLocation&, const TransactionLocation&) = default;
};

struct ChainHead {
  std::uint64_t height = 0;  // 0: nothing committed yet
  crypto::Digest block_hash{};
  crypto::Digest state_root{};
  std::int64_t time_milliseconds = 0;
  friend bool operator==(const ChainHead&, const ChainHead&) = default;
};

// What the node commits for one block: the block, what executing it decided, the log append
// (prepared from the block's leaves) and the certificate this node saw for it.
struct BlockCommit {
  const Block* block = nullptr;
  const std::vector<exec::Receipt>* receipts = nullptr;
  const exec::StateChanges* state_changes = nullptr;
  const merkle::LogWriteBatch* log_batch = nullptr;
  const std::vector<Bytes>* log_leaves = nullptr;  // the encoded LogLeafs, one per transaction
  const consensus::CommitCertificate* seen_certificate = nullptr;
};

// A consistent, immutable view of the chain as of one commit, for readers on other threads (the
// API): the head, the log and every record exactly as that commit left them, never a
// half-written block. The store publishes a new one after each commit; holding one is cheap
// (a storage snapshot) and every method is thread-safe. A view must not outlive its store.
class ChainView {
 public:
  struct Parts;
  explicit ChainView(std::unique_ptr<Parts> parts);
  ~ChainView();
  ChainView(const ChainView&) = delete;
  ChainView& operator=(const ChainView&) = delete;

  const ChainHead& head() const;
  crypto::HashAlgorithm algorithm() const;
  const exec::StateReader& state() const;
  const merkle::MerkleLog& log() const;  // at the head's log size
  Result<std::optional<Block>> BlockAt(std::uint64_t height) const;
  Result<std::optional<consensus::CommitCertificate>> CertificateAt(std::uint64_t height) const;
  Result<std::optional<TransactionLocation>> FindTransaction(const crypto::Digest& transaction_id) const;
  Result<LogLeaf> LeafAt(std::uint64_t log_index) const;
  // This node's own records as they are now: they are written between commits (checkpoints).
  Result<std::optional<Bytes>> GetLocal(ByteView key) const;

 private:
  std::unique_ptr<Parts> parts_;
};

class ChainStore {
 public:
  static Result<std::unique_ptr<ChainStore>> Open(const std::filesystem::path& directory,
                                                  crypto::HashAlgorithm algorithm);
  ~ChainStore();
  ChainStore(const ChainStore&) = delete;
  ChainStore& operator=(const ChainStore&) = delete;

  const ChainHead& head() const;
  crypto::HashAlgorithm algorithm() const;

  // Committed state, for execution of the next block.
  const exec::StateReader& state() const;
  // The global log (read-only use: roots and proofs; appends go through Commit).
  const merkle::MerkleLog& log() const;
  // The log's root once `batch` (prepared from log()) is applied, without applying it.
  Result<crypto::Digest> LogRootAfter(const merkle::LogWriteBatch& batch) const;

  Result<std::optional<Block>> BlockAt(std::uint64_t height) const;
  Result<std::optional<Bytes>> EncodedBlockAt(std::uint64_t height) const;
  // The certificate this node holds for `height`: the canonical one (from block height+1) once
  // that block is committed, the one it assembled itself before.
  Result<std::optional<consensus::CommitCertificate>> CertificateAt(std::uint64_t height) const;
  Result<std::optional<TransactionLocation>> FindTransaction(const crypto::Digest& transaction_id) const;
  Result<std::optional<std::uint64_t>> HeightOfBlock(const crypto::Digest& block_hash) const;
  Result<LogLeaf> LeafAt(std::uint64_t log_index) const;

  // Writes the block atomically and syncs before returning. The block must be the next height
  // and its log batch prepared against the current log; then the head advances.
  Status Commit(const BlockCommit& commit);

  // Writes a value of this node's own (e.g. the consensus write-ahead record), synced.
  Status PutLocal(ByteView key, ByteView value);
  Result<std::optional<Bytes>> GetLocal(ByteView key) const;

  // The view of the latest commit (any thread).
  std::shared_ptr<const ChainView> View() const;

 private:
  Status PublishView();
  struct State;
  explicit ChainStore(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace rightchain::ledger
