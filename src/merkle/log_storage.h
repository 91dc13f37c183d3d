// Where a MerkleLog keeps its hashes: the hash of every perfect subtree once it is complete
// (see node_id.h), plus the number of leaves. A log of n leaves holds fewer than 2n hashes.
// Nodes are written once and never change, so a node read is always safe to cache.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/status.h"
#include "crypto/hash.h"
#include "merkle/node_id.h"

namespace rightchain::merkle {

struct NodeWrite {
  NodeId id;
  crypto::Digest hash{};
};

// The writes of one append, visible to the caller so that a node can commit them in the same
// atomic storage write as the block that appended the leaves (log_keys.h gives the byte encoding).
struct LogWriteBatch {
  std::uint64_t old_size = 0;    // the log size the batch was prepared against
  std::uint64_t new_size = 0;    // the log size once the batch is applied
  std::vector<NodeWrite> nodes;  // every perfect subtree the append completes, in order of completion
};

class LogStorage {
 public:
  virtual ~LogStorage() = default;

  // The number of leaves committed (0 for a new log).
  virtual Result<std::uint64_t> ReadSize() const = 0;

  // Reads the hash of each id into the matching slot of `hashes` (same length). One call per
  // query, so a backend can batch them (RocksDB MultiGet). A missing node is an error.
  virtual Status ReadNodes(std::span<const NodeId> ids, std::span<crypto::Digest> hashes) const = 0;

  // Applies every write of `batch` and the new size, all or nothing. Fails without any change if the
  // stored size is not batch.old_size (the batch was prepared against another state).
  virtual Status Apply(const LogWriteBatch& batch) = 0;
};

}  // namespace rightchain::merkle
