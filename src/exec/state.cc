#include "exec/state.h"

#include <algorithm>

#include "codec/writer.h"

namespace rightchain::exec {
namespace {

bool KeyLess(ByteView a, ByteView b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

bool InRange(ByteView key, ByteView begin, ByteView end) {
  return !KeyLess(key, begin) && (end.empty() || KeyLess(key, end));
}

}  // namespace

std::optional<std::optional<Bytes>> StateChanges::Find(const Bytes& key) const {
  const auto found = entries_.find(key);
  if (found == entries_.end()) return std::nullopt;
  return found->second;
}

void StateChanges::Merge(const StateChanges& later) {
  for (const auto& [key, value] : later.entries_) entries_[key] = value;
}

crypto::Digest StateChanges::Digest(crypto::HashAlgorithm algorithm) const {
  crypto::Hasher hasher(algorithm);
  codec::Writer prefix;
  prefix.WriteDomainTag("rightchain/state-changes");
  hasher.Update(prefix.bytes());
  for (const auto& [key, value] : entries_) {
    codec::Writer entry;
    entry.WriteBytes(key, codec::kMaxLengthPrefix);
    entry.WriteBool(value.has_value());
    if (value.has_value()) entry.WriteBytes(*value, codec::kMaxLengthPrefix);
    hasher.Update(entry.bytes());
  }
  return hasher.Finish();
}

Result<std::optional<Bytes>> OverlayState::Get(ByteView key) const {
  const auto change = changes_.Find(Bytes(key.begin(), key.end()));
  if (change.has_value()) return *change;
  return base_.Get(key);
}

Status OverlayState::Scan(ByteView begin, ByteView end,
                          const std::function<bool(ByteView key, ByteView value)>& visit) const {
  // Streams the base's keys and, interleaved in key order, the changed keys in [begin, end); a
  // changed key replaces (or, when deleted, hides) the base's entry.
  auto change = changes_.entries().lower_bound(Bytes(begin.begin(), begin.end()));
  const auto changes_end = changes_.entries().end();
  bool stopped = false;
  // Emits changes with keys before `limit` (all remaining in range when limit is null).
  const auto emit_changes_before = [&](const ByteView* limit) {
    while (!stopped && change != changes_end && InRange(change->first, begin, end) &&
           (limit == nullptr || KeyLess(change->first, *limit))) {
      if (change->second.has_value() && !visit(change->first, *change->second)) stopped = true;
      ++change;
    }
  };
  RC_RETURN_IF_ERROR(base_.Scan(begin, end, [&](ByteView key, ByteView value) {
    emit_changes_before(&key);
    if (stopped) return false;
    if (change != changes_end &&
        std::equal(key.begin(), key.end(), change->first.begin(), change->first.end())) {
      if (change->second.has_value() && !visit(change->first, *change->second)) stopped = true;
      ++change;
      return !stopped;
    }
    if (!visit(key, value)) stopped = true;
    return !stopped;
  }));
  emit_changes_before(nullptr);
  return Status::Ok();
}

Result<std::optional<Bytes>> MemoryState::Get(ByteView key) const {
  const auto found = entries_.find(Bytes(key.begin(), key.end()));
  if (found == entries_.end()) return std::optional<Bytes>();
  return std::optional<Bytes>(found->second);
}

Status MemoryState::Scan(ByteView begin, ByteView end,
                         const std::function<bool(ByteView key, ByteView value)>& visit) const {
  for (auto entry = entries_.lower_bound(Bytes(begin.begin(), begin.end())); entry != entries_.end();
       ++entry) {
    if (!end.empty() && !KeyLess(entry->first, end)) break;
    if (!visit(entry->first, entry->second)) break;
  }
  return Status::Ok();
}

void MemoryState::Apply(const StateChanges& changes) {
  for (const auto& [key, value] : changes.entries()) {
    if (value.has_value()) {
      entries_[key] = *value;
    } else {
      entries_.erase(key);
    }
  }
}

}  // namespace rightchain::exec
