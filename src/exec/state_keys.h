// Building blocks of state keys: a text prefix, then fixed-size big-endian fields, so that keys
// sort by their fields and a prefix scan lists one entity's entries in order.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/assert.h"
#include "base/bytes.h"
#include "base/status.h"
#include "exec/state.h"

namespace rightchain::exec {

inline Bytes StateKeyPrefix(std::string_view prefix) {
  return Bytes(prefix.begin(), prefix.end());
}

inline void AppendU32(Bytes& bytes, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(value >> shift));
}

inline void AppendU64(Bytes& bytes, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(value >> shift));
}

template <std::size_t kSize>
void AppendArray(Bytes& bytes, const std::array<std::uint8_t, kSize>& value) {
  bytes.insert(bytes.end(), value.begin(), value.end());
}

inline std::uint64_t ReadU64At(ByteView bytes, std::size_t offset) {
  RC_ASSERT(offset + 8 <= bytes.size());
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < 8; ++i) value = value << 8 | bytes[offset + i];
  return value;
}

inline std::uint32_t ReadU32At(ByteView bytes, std::size_t offset) {
  RC_ASSERT(offset + 4 <= bytes.size());
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) value = value << 8 | bytes[offset + i];
  return value;
}

// The smallest key greater than every key that starts with `prefix` (for a prefix scan's end).
inline Bytes PrefixEnd(Bytes prefix) {
  while (!prefix.empty()) {
    if (prefix.back() != 0xFF) {
      ++prefix.back();
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;  // empty: no bound
}

// The value under `key` decoded with `decode` (ByteView -> Result<T>), or nullopt when absent. A
// value that does not decode is corruption of state, named by `what` ("account").
template <typename T, typename Decode>
Result<std::optional<T>> LoadDecoded(const StateReader& state, ByteView key, Decode decode,
                                     std::string_view what) {
  RC_ASSIGN_OR_RETURN(const std::optional<Bytes> stored, state.Get(key));
  if (!stored.has_value()) return std::optional<T>();
  Result<T> value = decode(*stored);
  if (!value.ok()) return Status::Corruption("stored " + std::string(what) + ": " + value.status().message());
  return std::optional<T>(std::move(value).value());
}

// Takes the next id of the counter under `counter_key` (ids start at 1 and never repeat).
inline Result<std::uint64_t> AllocateSequentialId(const StateReader& state, StateChanges& changes,
                                                  std::string_view counter_key) {
  const Bytes key = StateKeyPrefix(counter_key);
  RC_ASSIGN_OR_RETURN(const std::optional<Bytes> stored, state.Get(key));
  std::uint64_t next = 1;
  if (stored.has_value()) {
    if (stored->size() != 8) return Status::Corruption(std::string(counter_key) + " has the wrong size");
    next = ReadU64At(*stored, 0);
  }
  RC_ASSERT(next >= 1 && next < UINT64_MAX);
  Bytes value;
  AppendU64(value, next + 1);
  changes.Put(key, std::move(value));
  return next;
}

}  // namespace rightchain::exec
