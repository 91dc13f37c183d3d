#include "merkle/merkle_log.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <string>

#include "merkle/tree_hash.h"

namespace rightchain::merkle {
namespace {

bool BitIsSet(std::uint64_t value, unsigned bit) {
  RC_ASSERT(bit < 64);
  return (value >> bit & 1) != 0;
}

// The number of leaves of a perfect subtree at `level`.
std::uint64_t LeavesAtLevel(unsigned level) {
  RC_ASSERT(level <= kMaxNodeLevel);
  return std::uint64_t{1} << level;
}

// The largest power of two strictly less than `size`: where RFC 9162 splits a tree of size > 1.
std::uint64_t SplitPoint(std::uint64_t size) {
  RC_ASSERT(size > 1);
  return std::bit_floor(size - 1);
}

std::string Count(std::uint64_t value) {
  return std::to_string(value);
}

// The node that the right edge of a log of `size` leaves holds at `level` (a one bit of size).
NodeId RightEdgeNode(std::uint64_t size, unsigned level) {
  RC_ASSERT(BitIsSet(size, level));
  return NodeId{.level = static_cast<std::uint8_t>(level), .index = (size >> level) - 1};
}

// Appends the perfect subtrees whose concatenation is [begin, end), largest (leftmost) first.
// In an RFC 9162 tree every subtree's range starts at a multiple of a power of two at least as large
// as the range, so each piece is aligned and is a stored node.
void AppendPieces(std::uint64_t begin, std::uint64_t end, std::vector<NodeId>& pieces) {
  RC_ASSERT(begin < end);
  const std::uint64_t length = end - begin;
  for (int level = static_cast<int>(kMaxNodeLevel); level >= 0; --level) {
    if (!BitIsSet(length, static_cast<unsigned>(level))) continue;
    const std::uint64_t piece_leaves = LeavesAtLevel(static_cast<unsigned>(level));
    RC_ASSERT(begin % piece_leaves == 0);
    pieces.push_back(NodeId{.level = static_cast<std::uint8_t>(level), .index = begin >> level});
    begin += piece_leaves;
  }
  RC_ASSERT(begin == end);
}

// MTH of a range from its pieces (largest first): RFC 9162 splits off the largest power of two on
// the left, so the pieces combine from the right.
Digest FoldPieces(HashAlgorithm algorithm, std::span<const Digest> pieces) {
  RC_ASSERT(!pieces.empty());
  Digest hash = pieces.back();
  for (std::size_t i = pieces.size() - 1; i-- > 0;) hash = NodeHash(algorithm, pieces[i], hash);
  return hash;
}

Digest RootOfRightEdge(HashAlgorithm algorithm, std::uint64_t size, std::span<const Digest> right_edge) {
  if (size == 0) return EmptyRoot(algorithm);
  bool have_hash = false;
  Digest hash{};
  for (unsigned level = 0; level <= kMaxNodeLevel; ++level) {
    if (!BitIsSet(size, level)) continue;
    hash = have_hash ? NodeHash(algorithm, right_edge[level], hash) : right_edge[level];
    have_hash = true;
  }
  return hash;
}

}  // namespace

MerkleLog::MerkleLog(HashAlgorithm algorithm, LogStorage& storage, std::uint64_t size,
                     const RightEdge& right_edge)
    : algorithm_(algorithm),
      storage_(&storage),
      size_(size),
      right_edge_(right_edge),
      root_(RootOfRightEdge(algorithm, size, right_edge)) {}

Result<MerkleLog> MerkleLog::Open(HashAlgorithm algorithm, LogStorage& storage) {
  RC_ASSIGN_OR_RETURN(const std::uint64_t size, storage.ReadSize());
  std::vector<NodeId> ids;
  for (unsigned level = 0; level <= kMaxNodeLevel; ++level) {
    if (BitIsSet(size, level)) ids.push_back(RightEdgeNode(size, level));
  }
  std::vector<Digest> hashes(ids.size());
  RC_RETURN_IF_ERROR(storage.ReadNodes(ids, hashes).WithContext("opening the Merkle log"));
  RightEdge right_edge{};
  for (std::size_t i = 0; i < ids.size(); ++i) right_edge[ids[i].level] = hashes[i];
  return MerkleLog(algorithm, storage, size, right_edge);
}

const Digest* MerkleLog::FindInRightEdge(NodeId id) const {
  if (!BitIsSet(size_, id.level) || id.index != (size_ >> id.level) - 1) return nullptr;
  return &right_edge_[id.level];
}

Result<std::vector<Digest>> MerkleLog::HashRanges(std::span<const LeafRange> ranges) const {
  // Every range becomes its pieces; pieces on the right edge come from memory, the rest from one read.
  std::vector<NodeId> pieces;
  std::vector<std::size_t> first_piece;  // ranges[i] owns pieces [first_piece[i], first_piece[i + 1])
  for (const LeafRange& range : ranges) {
    first_piece.push_back(pieces.size());
    AppendPieces(range.begin, range.end, pieces);
  }
  first_piece.push_back(pieces.size());

  std::vector<Digest> piece_hashes(pieces.size());
  std::vector<NodeId> reads;
  std::vector<std::size_t> read_slots;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (const Digest* cached = FindInRightEdge(pieces[i])) {
      piece_hashes[i] = *cached;
    } else {
      reads.push_back(pieces[i]);
      read_slots.push_back(i);
    }
  }
  if (!reads.empty()) {
    std::vector<Digest> read_hashes(reads.size());
    RC_RETURN_IF_ERROR(storage_->ReadNodes(reads, read_hashes).WithContext("reading Merkle log nodes"));
    for (std::size_t i = 0; i < reads.size(); ++i) piece_hashes[read_slots[i]] = read_hashes[i];
  }

  std::vector<Digest> range_hashes;
  range_hashes.reserve(ranges.size());
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    const std::span<const Digest> range_pieces(piece_hashes.data() + first_piece[i],
                                               first_piece[i + 1] - first_piece[i]);
    range_hashes.push_back(FoldPieces(algorithm_, range_pieces));
  }
  return range_hashes;
}

Result<Digest> MerkleLog::RootAt(std::uint64_t size) const {
  if (size > size_) {
    return Status::InvalidArgument("tree size " + Count(size) + " exceeds the log size " + Count(size_));
  }
  if (size == size_) return root_;
  if (size == 0) return EmptyRoot(algorithm_);
  const LeafRange whole_tree{.begin = 0, .end = size};
  RC_ASSIGN_OR_RETURN(std::vector<Digest> hashes, HashRanges(std::span(&whole_tree, 1)));
  return hashes.front();
}

Result<std::vector<Digest>> MerkleLog::InclusionProof(std::uint64_t index, std::uint64_t size) const {
  if (size > size_) {
    return Status::InvalidArgument("tree size " + Count(size) + " exceeds the log size " + Count(size_));
  }
  if (index >= size) {
    return Status::InvalidArgument("leaf index " + Count(index) + " is not below the tree size " +
                                   Count(size));
  }
  // RFC 9162 §2.1.3.1 PATH(m, D[n]), unrolled: walk from the root down to the leaf, noting the
  // sibling subtree at each step; the proof lists them from the leaf upwards.
  std::vector<LeafRange> siblings;
  LeafRange node{.begin = 0, .end = size};
  while (node.end - node.begin > 1) {
    const std::uint64_t left_end = node.begin + SplitPoint(node.end - node.begin);
    if (index < left_end) {
      siblings.push_back({.begin = left_end, .end = node.end});
      node.end = left_end;
    } else {
      siblings.push_back({.begin = node.begin, .end = left_end});
      node.begin = left_end;
    }
  }
  std::reverse(siblings.begin(), siblings.end());
  return HashRanges(siblings);
}

Result<std::vector<Digest>> MerkleLog::ConsistencyProof(std::uint64_t size1, std::uint64_t size2) const {
  if (size2 > size_) {
    return Status::InvalidArgument("tree size " + Count(size2) + " exceeds the log size " + Count(size_));
  }
  if (size1 > size2) {
    return Status::InvalidArgument("consistency proof from size " + Count(size1) + " to the smaller size " +
                                   Count(size2));
  }
  if (size1 == 0) {
    return Status::InvalidArgument("consistency proof from size 0: the empty tree is a prefix of every tree");
  }
  // RFC 9162 §2.1.4.1 SUBPROOF(m, D[n], b), unrolled: walk down while the old tree's end lies inside
  // the node. The proof is the node that ends exactly at size1 (unless it is the old root itself,
  // which the verifier has), then the siblings from the bottom up.
  std::vector<LeafRange> siblings;
  std::vector<LeafRange> proof_ranges;
  LeafRange node{.begin = 0, .end = size2};
  bool node_is_old_root = true;  // RFC 9162's b: the node is [0, m) and the verifier knows its hash
  while (size1 != node.end) {
    const std::uint64_t left_end = node.begin + SplitPoint(node.end - node.begin);
    if (size1 <= left_end) {
      siblings.push_back({.begin = left_end, .end = node.end});
      node.end = left_end;
    } else {
      siblings.push_back({.begin = node.begin, .end = left_end});
      node.begin = left_end;
      node_is_old_root = false;
    }
  }
  if (!node_is_old_root) proof_ranges.push_back(node);
  proof_ranges.insert(proof_ranges.end(), siblings.rbegin(), siblings.rend());
  return HashRanges(proof_ranges);
}

Result<LogWriteBatch> MerkleLog::PrepareAppend(std::span<const Digest> leaf_hashes) const {
  if (leaf_hashes.size() > kMaxLeavesPerAppend) {
    return Status::LimitExceeded("append of " + Count(leaf_hashes.size()) + " leaves exceeds the limit of " +
                                 Count(kMaxLeavesPerAppend));
  }
  if (leaf_hashes.size() > std::numeric_limits<std::uint64_t>::max() - size_) {
    return Status::LimitExceeded("append would take the log past 2^64 - 1 leaves");
  }
  LogWriteBatch batch;
  batch.old_size = size_;
  batch.new_size = size_ + leaf_hashes.size();
  batch.nodes.reserve(2 * leaf_hashes.size());
  // Each new leaf completes one perfect subtree per trailing one bit of the old size: it merges with
  // the right-edge node of each such level, as in a binary counter's carry.
  RightEdge right_edge = right_edge_;
  std::uint64_t size = size_;
  for (const Digest& leaf_hash : leaf_hashes) {
    Digest hash = leaf_hash;
    unsigned level = 0;
    batch.nodes.push_back({.id = {.level = 0, .index = size}, .hash = hash});
    while (BitIsSet(size, level)) {
      hash = NodeHash(algorithm_, right_edge[level], hash);
      ++level;
      RC_ASSERT(level <= kMaxNodeLevel);  // size < 2^64 - 1, so not all 64 bits are ones
      batch.nodes.push_back(
          {.id = {.level = static_cast<std::uint8_t>(level), .index = size >> level}, .hash = hash});
    }
    right_edge[level] = hash;
    ++size;
  }
  RC_ASSERT(size == batch.new_size);
  return batch;
}

Result<LogWriteBatch> MerkleLog::PrepareAppendData(std::span<const ByteView> leaf_data) const {
  if (leaf_data.size() > kMaxLeavesPerAppend) {
    return Status::LimitExceeded("append of " + Count(leaf_data.size()) + " leaves exceeds the limit of " +
                                 Count(kMaxLeavesPerAppend));
  }
  std::vector<Digest> leaf_hashes;
  leaf_hashes.reserve(leaf_data.size());
  for (ByteView data : leaf_data) leaf_hashes.push_back(LeafHash(algorithm_, data));
  return PrepareAppend(leaf_hashes);
}

Status MerkleLog::CheckBatchIsCurrent(const LogWriteBatch& batch) const {
  if (batch.old_size != size_) {
    return Status::InvalidArgument("log batch was prepared for size " + Count(batch.old_size) +
                                   ", but the log has size " + Count(size_));
  }
  return Status::Ok();
}

Status MerkleLog::Commit(const LogWriteBatch& batch) {
  RC_RETURN_IF_ERROR(CheckBatchIsCurrent(batch));
  RC_RETURN_IF_ERROR(storage_->Apply(batch).WithContext("committing Merkle log batch"));
  AdvanceTo(batch);
  return Status::Ok();
}

Status MerkleLog::AdoptCommitted(const LogWriteBatch& batch) {
  RC_RETURN_IF_ERROR(CheckBatchIsCurrent(batch));
  RC_ASSIGN_OR_RETURN(const std::uint64_t stored_size, storage_->ReadSize());
  if (stored_size != batch.new_size) {
    return Status::InvalidArgument("storage holds a log of size " + Count(stored_size) +
                                   ", not the batch's new size " + Count(batch.new_size) +
                                   ": write the batch before adopting it");
  }
  AdvanceTo(batch);
  return Status::Ok();
}

void MerkleLog::AdvanceTo(const LogWriteBatch& batch) {
  RC_ASSERT(batch.old_size == size_);
  RC_ASSERT(batch.new_size >= size_);
  const std::uint64_t new_size = batch.new_size;
  // The new right edge keeps the old nodes above the highest level the append reached, and takes
  // the rest from the batch, which wrote every node the append completed.
  RightEdge right_edge{};
  std::uint64_t filled_levels = 0;
  for (unsigned level = 0; level <= kMaxNodeLevel; ++level) {
    if (BitIsSet(new_size, level) && (size_ >> level) == (new_size >> level)) {
      right_edge[level] = right_edge_[level];
      filled_levels |= std::uint64_t{1} << level;
    }
  }
  for (const NodeWrite& write : batch.nodes) {
    RC_ASSERT(IsValidNodeId(write.id));
    const unsigned level = write.id.level;
    if (BitIsSet(new_size, level) && write.id.index == (new_size >> level) - 1) {
      right_edge[level] = write.hash;
      filled_levels |= std::uint64_t{1} << level;
    }
  }
  RC_ASSERT_MSG(filled_levels == new_size, "log batch lacks a right-edge node of its new size");
  size_ = new_size;
  right_edge_ = right_edge;
  root_ = RootOfRightEdge(algorithm_, size_, right_edge_);
}

}  // namespace rightchain::merkle
