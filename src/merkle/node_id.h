// The name of a perfect subtree of the log: the node at (level, index) covers the 2^level leaves
// [index * 2^level, (index + 1) * 2^level). Level 0 nodes are the leaf hashes themselves.
#pragma once

#include <cstdint>

namespace rightchain::merkle {

// A log holds fewer than 2^64 leaves, so its perfect subtrees have levels 0..63.
inline constexpr unsigned kMaxNodeLevel = 63;

struct NodeId {
  std::uint8_t level = 0;
  std::uint64_t index = 0;

  friend bool operator==(const NodeId&, const NodeId&) = default;
};

// True if the level is at most kMaxNodeLevel and every leaf the node covers has an index below 2^64.
inline bool IsValidNodeId(NodeId id) {
  if (id.level > kMaxNodeLevel) return false;
  return id.level == 0 || (id.index >> (64 - id.level)) == 0;
}

}  // namespace rightchain::merkle
