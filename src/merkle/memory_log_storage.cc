#include "merkle/memory_log_storage.h"

#include <string>

namespace rightchain::merkle {
namespace {

std::string Describe(NodeId id) {
  return "(level " + std::to_string(id.level) + ", index " + std::to_string(id.index) + ")";
}

}  // namespace

Status MemoryLogStorage::ReadNodes(std::span<const NodeId> ids, std::span<crypto::Digest> hashes) const {
  RC_ASSERT(ids.size() == hashes.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const NodeId id = ids[i];
    if (!IsValidNodeId(id) || id.index >= levels_[id.level].size()) {
      return Status::NotFound("log node " + Describe(id) + " is not stored");
    }
    hashes[i] = levels_[id.level][id.index];
  }
  return Status::Ok();
}

Status MemoryLogStorage::Apply(const LogWriteBatch& batch) {
  if (batch.old_size != size_) {
    return Status::InvalidArgument("log batch was prepared for size " + std::to_string(batch.old_size) +
                                   ", but the stored log has size " + std::to_string(size_));
  }
  // Check every write before making any, so that a bad batch changes nothing.
  std::array<std::uint64_t, kMaxNodeLevel + 1> next_index;
  for (std::size_t level = 0; level < levels_.size(); ++level) next_index[level] = levels_[level].size();
  for (const NodeWrite& write : batch.nodes) {
    if (!IsValidNodeId(write.id) || write.id.index != next_index[write.id.level]) {
      return Status::InvalidArgument("log batch writes node " + Describe(write.id) + " out of order");
    }
    ++next_index[write.id.level];
  }
  for (const NodeWrite& write : batch.nodes) levels_[write.id.level].push_back(write.hash);
  size_ = batch.new_size;
  return Status::Ok();
}

}  // namespace rightchain::merkle
