// The stable byte encoding of the log's storage keys and values, shared by every LogStorage
// backend that stores bytes (RocksDB). Changing it breaks existing databases.
//
//   node key  = level (1 byte, 0..63) ‖ index (8 bytes, big-endian)   -> value: the 32-byte hash
//   size key  = 0xff (1 byte)                                          -> value: size (8 bytes, big-endian)
//
// Big-endian indexes make bytewise key order equal to (level, index) order, so each level is one
// contiguous, sorted key range. The size key differs from every node key in length and first byte.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/status.h"
#include "merkle/node_id.h"

namespace rightchain::merkle {

inline constexpr std::size_t kNodeKeySize = 9;
inline constexpr std::size_t kLogSizeValueSize = 8;
inline constexpr std::uint8_t kLogSizeKeyByte = 0xff;

using NodeKey = std::array<std::uint8_t, kNodeKeySize>;

// The one-byte key under which the log size is stored.
inline constexpr std::array<std::uint8_t, 1> kLogSizeKey = {kLogSizeKeyByte};

// Asserts IsValidNodeId(id): node ids are made by the log, never taken from outside.
NodeKey EncodeNodeKey(NodeId id);
// Keys read back from storage are checked: wrong length or an invalid id is Corruption.
Result<NodeId> DecodeNodeKey(ByteView key);

std::array<std::uint8_t, kLogSizeValueSize> EncodeLogSize(std::uint64_t size);
Result<std::uint64_t> DecodeLogSize(ByteView value);

}  // namespace rightchain::merkle
