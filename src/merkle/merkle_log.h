// An append-only RFC 9162 Merkle log over a LogStorage.
//
// Storage holds the hash of every complete perfect subtree, so the root at any past size and every
// proof are assembled from O(log n) stored nodes, never recomputed from leaves. The log keeps its
// right edge (the perfect subtrees that make up the current size, a "compact range") in memory, so
// appending costs one hash and two node writes per leaf, amortised.
//
// Appending is two-phase so that the caller controls the write: PrepareAppend returns the pending
// writes without changing anything; then either Commit applies them to storage, or the caller writes
// them itself (in the same atomic batch as the block that appended the leaves) and calls
// AdoptCommitted. Deterministic: no clocks, randomness or I/O other than the storage.
// Not thread-safe: callers serialise access.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/hash.h"
#include "merkle/log_storage.h"

namespace rightchain::merkle {

using crypto::Digest;
using crypto::HashAlgorithm;

class MerkleLog {
 public:
  // Bounds the memory of one pending batch (about two node writes per leaf).
  static constexpr std::size_t kMaxLeavesPerAppend = std::size_t{1} << 20;

  // Opens the log held in `storage` (empty storage gives an empty log). `storage` must outlive the
  // log. Reads the size and the O(log n) right-edge nodes.
  static Result<MerkleLog> Open(HashAlgorithm algorithm, LogStorage& storage);

  MerkleLog(MerkleLog&&) noexcept = default;
  MerkleLog& operator=(MerkleLog&&) noexcept = default;
  MerkleLog(const MerkleLog&) = delete;
  MerkleLog& operator=(const MerkleLog&) = delete;

  HashAlgorithm algorithm() const { return algorithm_; }
  // The number of committed leaves.
  std::uint64_t size() const { return size_; }
  // The root at size(), from memory: no storage reads.
  const Digest& Root() const { return root_; }

  // The root of the first `size` leaves, for any size <= size(). O(log n) node reads.
  Result<Digest> RootAt(std::uint64_t size) const;
  // The RFC 9162 inclusion proof (audit path, leaf upwards) of leaf `index` in the tree of the first
  // `size` leaves; needs index < size <= size(). O(log n) node reads.
  Result<std::vector<Digest>> InclusionProof(std::uint64_t index, std::uint64_t size) const;
  // The RFC 9162 consistency proof from the tree of `size1` leaves to that of `size2`; needs
  // 0 < size1 <= size2 <= size(); equal sizes give an empty proof. O(log n) node reads.
  Result<std::vector<Digest>> ConsistencyProof(std::uint64_t size1, std::uint64_t size2) const;

  // The writes that append these leaves (given as leaf hashes, see LeafHash). Changes nothing.
  Result<LogWriteBatch> PrepareAppend(std::span<const Digest> leaf_hashes) const;
  // The same, from the leaves' data (each is hashed with LeafHash).
  Result<LogWriteBatch> PrepareAppendData(std::span<const ByteView> leaf_data) const;

  // Applies a batch from PrepareAppend to storage (atomically) and advances the log to it.
  // Fails without change if the log has moved since the batch was prepared.
  Status Commit(const LogWriteBatch& batch);
  // Advances the log to a batch from PrepareAppend that the caller has already written to storage
  // itself; checks that storage holds the batch's new size.
  Status AdoptCommitted(const LogWriteBatch& batch);

 private:
  // The half-open leaf range [begin, end) of one subtree of an RFC 9162 tree.
  struct LeafRange {
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
  };
  using RightEdge = std::array<Digest, kMaxNodeLevel + 1>;

  MerkleLog(HashAlgorithm algorithm, LogStorage& storage, std::uint64_t size, const RightEdge& right_edge);

  // The tree hash of each range, with one storage read call for all of them.
  Result<std::vector<Digest>> HashRanges(std::span<const LeafRange> ranges) const;
  // The right-edge hash of `id` if the node is part of it (so needs no read).
  const Digest* FindInRightEdge(NodeId id) const;
  Status CheckBatchIsCurrent(const LogWriteBatch& batch) const;
  void AdvanceTo(const LogWriteBatch& batch);

  HashAlgorithm algorithm_;
  LogStorage* storage_;
  std::uint64_t size_ = 0;
  // right_edge_[level] is the node (level, (size_ >> level) - 1) for each one bit `level` of size_;
  // other slots are unused.
  RightEdge right_edge_{};
  Digest root_{};
};

}  // namespace rightchain::merkle
