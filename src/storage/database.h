// Database: the node's durable key-value store (RocksDB), with column families and atomic,
// synced write batches. RocksDB's headers stay inside database.cc so that only one translation
// unit pays for them.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

namespace rightchain::storage {

// Index of a column family, in the order given to Database::Open.
using ColumnId = std::size_t;

struct DatabaseOptions {
  std::filesystem::path directory;
  // Column families besides RocksDB's "default" (which is always ColumnId 0).
  std::vector<std::string> column_families;
  bool create_if_missing = true;
  std::size_t block_cache_bytes = 64u << 20;
};

enum class Durability {
  // The write is in the operating system's page cache: lost if the machine (not the process) fails.
  kBuffered,
  // The write-ahead log is fsynced before Write returns: nothing acknowledged is ever lost.
  kSynced,
};

// Puts and deletes applied all together or not at all.
class WriteBatch {
 public:
  WriteBatch();
  ~WriteBatch();
  WriteBatch(WriteBatch&&) noexcept;
  WriteBatch& operator=(WriteBatch&&) noexcept;

  void Put(ColumnId column, ByteView key, ByteView value);
  void Delete(ColumnId column, ByteView key);
  std::size_t operation_count() const;
  std::size_t size_bytes() const;

 private:
  friend class Database;
  struct Operations;
  std::unique_ptr<Operations> operations_;
};

class Database;

// A consistent read view of a whole database at one instant: reads through it see no write made
// after it was taken. Release it before the database closes (it pins old data while held).
class Snapshot {
 public:
  struct Handle;  // the storage engine's snapshot
  ~Snapshot();
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

 private:
  friend class Database;
  explicit Snapshot(std::unique_ptr<Handle> handle);
  std::unique_ptr<Handle> handle_;
};

class Database {
 public:
  // Opens (or creates) the database; refuses a directory whose column families differ from
  // `options.column_families` only by missing ones (it creates those), and reports corruption.
  static Result<std::unique_ptr<Database>> Open(const DatabaseOptions& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  ColumnId ColumnCount() const;

  // The value, or std::nullopt when the key is absent; as of `at` when given. Thread-safe, as are
  // Scan, LastKey and TakeSnapshot (also while another thread writes).
  Result<std::optional<Bytes>> Get(ColumnId column, ByteView key, const Snapshot* at = nullptr) const;
  Status Write(const WriteBatch& batch, Durability durability);

  // Calls visit(key, value) for keys in [begin, end) of one column, in order, until it returns false.
  // An empty `end` means "to the end of the column".
  Status Scan(ColumnId column, ByteView begin, ByteView end,
              const std::function<bool(ByteView key, ByteView value)>& visit,
              const Snapshot* at = nullptr) const;

  std::shared_ptr<const Snapshot> TakeSnapshot() const;

  // The last key of a column, if any (for example the highest stored block height).
  Result<std::optional<Bytes>> LastKey(ColumnId column) const;

 private:
  struct State;
  explicit Database(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Big-endian fixed-width keys sort numerically: the usual encoding of heights and indexes as keys.
Bytes U64Key(std::uint64_t value);
Result<std::uint64_t> ParseU64Key(ByteView key);

}  // namespace rightchain::storage
