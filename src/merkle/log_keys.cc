#include "merkle/log_keys.h"

#include <string>

namespace rightchain::merkle {
namespace {

void StoreBigEndian(std::uint64_t value, std::uint8_t* out) {
  for (int byte = 7; byte >= 0; --byte) {
    out[byte] = static_cast<std::uint8_t>(value);
    value >>= 8;
  }
}

std::uint64_t LoadBigEndian(const std::uint8_t* in) {
  std::uint64_t value = 0;
  for (int byte = 0; byte < 8; ++byte) value = value << 8 | in[byte];
  return value;
}

}  // namespace

NodeKey EncodeNodeKey(NodeId id) {
  RC_ASSERT(IsValidNodeId(id));
  NodeKey key;
  key[0] = id.level;
  StoreBigEndian(id.index, key.data() + 1);
  return key;
}

Result<NodeId> DecodeNodeKey(ByteView key) {
  if (key.size() != kNodeKeySize) {
    return Status::Corruption("log node key has " + std::to_string(key.size()) + " bytes, expected " +
                              std::to_string(kNodeKeySize));
  }
  const NodeId id{.level = key[0], .index = LoadBigEndian(key.data() + 1)};
  if (!IsValidNodeId(id)) {
    return Status::Corruption("log node key names level " + std::to_string(id.level) + " index " +
                              std::to_string(id.index) + ", which lies beyond 2^64 leaves");
  }
  return id;
}

std::array<std::uint8_t, kLogSizeValueSize> EncodeLogSize(std::uint64_t size) {
  std::array<std::uint8_t, kLogSizeValueSize> value;
  StoreBigEndian(size, value.data());
  return value;
}

Result<std::uint64_t> DecodeLogSize(ByteView value) {
  if (value.size() != kLogSizeValueSize) {
    return Status::Corruption("log size value has " + std::to_string(value.size()) + " bytes, expected " +
                              std::to_string(kLogSizeValueSize));
  }
  return LoadBigEndian(value.data());
}

}  // namespace rightchain::merkle
