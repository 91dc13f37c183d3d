// State as execution sees it: a reader of committed key-value state, and the changes one block
// makes to it. Execution never writes storage itself: it returns StateChanges for the node to
// commit atomically with the block (sans-I/O: the same code runs in the node and the simulator).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/hash.h"

namespace rightchain::exec {

// Read access to committed state. Reads may fail (a storage error): execution then stops and
// reports it, because carrying on with a wrong view of state would fork the chain.
class StateReader {
 public:
  virtual ~StateReader() = default;
  virtual Result<std::optional<Bytes>> Get(ByteView key) const = 0;
  // Visits keys in [begin, end) in order until `visit` returns false; empty `end` = no bound.
  virtual Status Scan(ByteView begin, ByteView end,
                      const std::function<bool(ByteView key, ByteView value)>& visit) const = 0;
};

// Writes and deletions, ordered by key: the order makes their digest canonical.
class StateChanges {
 public:
  void Put(Bytes key, Bytes value) { entries_[std::move(key)] = std::move(value); }
  void Delete(Bytes key) { entries_[std::move(key)] = std::nullopt; }
  // nullopt: this key is untouched; optional(nullopt): deleted; otherwise the new value.
  std::optional<std::optional<Bytes>> Find(const Bytes& key) const;
  void Merge(const StateChanges& later);

  const std::map<Bytes, std::optional<Bytes>>& entries() const { return entries_; }
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

  // H(DomainTag("rightchain/state-changes") ‖ for each entry in key order: u32 key length ‖ key ‖
  // (0x00 for a deletion | 0x01 ‖ u32 value length ‖ value)).
  crypto::Digest Digest(crypto::HashAlgorithm algorithm) const;

 private:
  std::map<Bytes, std::optional<Bytes>> entries_;
};

// Committed state plus uncommitted changes on top: what later transactions of a block see of the
// earlier ones.
class OverlayState final : public StateReader {
 public:
  OverlayState(const StateReader& base, const StateChanges& changes) : base_(base), changes_(changes) {}
  Result<std::optional<Bytes>> Get(ByteView key) const override;
  Status Scan(ByteView begin, ByteView end,
              const std::function<bool(ByteView key, ByteView value)>& visit) const override;

 private:
  const StateReader& base_;
  const StateChanges& changes_;
};

// State held in memory: for tests and the simulator.
class MemoryState final : public StateReader {
 public:
  Result<std::optional<Bytes>> Get(ByteView key) const override;
  Status Scan(ByteView begin, ByteView end,
              const std::function<bool(ByteView key, ByteView value)>& visit) const override;
  void Apply(const StateChanges& changes);
  std::size_t size() const { return entries_.size(); }

 private:
  std::map<Bytes, Bytes, std::less<>> entries_;
};

}  // namespace rightchain::exec
