// LogStorage in memory, for tests, benchmarks and tools. Nodes are kept densely per level
// (the log writes each level's nodes in index order), so a million leaves take about 64 MB.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "merkle/log_storage.h"

namespace rightchain::merkle {

class MemoryLogStorage final : public LogStorage {
 public:
  Result<std::uint64_t> ReadSize() const override { return size_; }
  Status ReadNodes(std::span<const NodeId> ids, std::span<crypto::Digest> hashes) const override;
  // Also rejects writes that would leave a gap in a level, or that rewrite an existing node.
  Status Apply(const LogWriteBatch& batch) override;

 private:
  std::uint64_t size_ = 0;
  std::array<std::vector<crypto::Digest>, kMaxNodeLevel + 1> levels_;
};

}  // namespace rightchain::merkle
