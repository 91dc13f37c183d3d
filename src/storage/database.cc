#include "storage/database.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>

#include "base/assert.h"

namespace rightchain::storage {
namespace {

rocksdb::Slice ToSlice(ByteView bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}
ByteView FromSlice(const rocksdb::Slice& slice) {
  return {reinterpret_cast<const std::uint8_t*>(slice.data()), slice.size()};
}

Status FromRocks(const rocksdb::Status& status, std::string_view context) {
  if (status.ok()) return Status::Ok();
  std::string message(context);
  message += ": ";
  message += status.ToString();
  if (status.IsCorruption()) return Status::Corruption(std::move(message));
  if (status.IsNotFound()) return Status::NotFound(std::move(message));
  if (status.IsInvalidArgument()) return Status::InvalidArgument(std::move(message));
  return Status::IoError(std::move(message));
}

}  // namespace

struct WriteBatch::Operations {
  // Column ids are resolved to handles when the batch is written, so a batch can be built
  // without a database at hand.
  struct Operation {
    bool is_put;
    ColumnId column;
    std::string key;
    std::string value;
  };
  std::vector<Operation> operations;
  std::size_t size_bytes = 0;
};

WriteBatch::WriteBatch() : operations_(std::make_unique<Operations>()) {}
WriteBatch::~WriteBatch() = default;
WriteBatch::WriteBatch(WriteBatch&&) noexcept = default;
WriteBatch& WriteBatch::operator=(WriteBatch&&) noexcept = default;

void WriteBatch::Put(ColumnId column, ByteView key, ByteView value) {
  operations_->operations.push_back({true, column, std::string(AsText(key)), std::string(AsText(value))});
  operations_->size_bytes += key.size() + value.size();
}

void WriteBatch::Delete(ColumnId column, ByteView key) {
  operations_->operations.push_back({false, column, std::string(AsText(key)), std::string()});
  operations_->size_bytes += key.size();
}

std::size_t WriteBatch::operation_count() const {
  return operations_->operations.size();
}
std::size_t WriteBatch::size_bytes() const {
  return operations_->size_bytes;
}

struct Database::State {
  std::unique_ptr<rocksdb::DB> database;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  ~State() {
    for (auto* handle : handles) {
      if (handle != nullptr) database->DestroyColumnFamilyHandle(handle);
    }
    handles.clear();
    if (database) database->Close();
  }
};

Database::Database(std::unique_ptr<State> state) : state_(std::move(state)) {}
Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::Open(const DatabaseOptions& options) {
  if (options.directory.empty()) return Status::InvalidArgument("database directory is empty");
  rocksdb::Options rocks_options;
  rocks_options.create_if_missing = options.create_if_missing;
  rocks_options.create_missing_column_families = true;
  // Detect corruption early rather than serving damaged data.
  rocks_options.paranoid_checks = true;
  rocks_options.max_open_files = 512;
  // kPointInTimeRecovery (the default) drops a torn record at the tail of the write-ahead log
  // after a crash: such a write was never acknowledged, because Write(kSynced) returns only after
  // the fsync of a complete record.
  rocksdb::BlockBasedTableOptions table_options;
  table_options.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  // Most point reads look for a key that does not exist (is this sender's nonce used? every new
  // transaction asks, on admission and again at execution): Bloom filters, in the files (10 bits
  // per key, about 1% false positives) and in the memtable, answer those without searching.
  table_options.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocks_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options));
  rocks_options.memtable_whole_key_filtering = true;
  rocks_options.memtable_prefix_bloom_size_ratio = 0.05;

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions(rocks_options));
  for (const std::string& name : options.column_families) {
    if (name.empty() || name == rocksdb::kDefaultColumnFamilyName) {
      return Status::InvalidArgument("invalid column family name '" + name + "'");
    }
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions(rocks_options));
  }

  auto state = std::make_unique<State>();
  rocksdb::DB* database = nullptr;
  const rocksdb::Status opened = rocksdb::DB::Open(
      rocksdb::DBOptions(rocks_options), options.directory.string(), descriptors, &state->handles, &database);
  if (!opened.ok()) return FromRocks(opened, "opening database " + options.directory.string());
  state->database.reset(database);
  RC_ASSERT(state->handles.size() == descriptors.size());
  return std::unique_ptr<Database>(new Database(std::move(state)));
}

ColumnId Database::ColumnCount() const {
  return state_->handles.size();
}

struct Snapshot::Handle {
  rocksdb::DB* database = nullptr;
  const rocksdb::Snapshot* snapshot = nullptr;
};

Snapshot::Snapshot(std::unique_ptr<Handle> handle) : handle_(std::move(handle)) {}
Snapshot::~Snapshot() {
  handle_->database->ReleaseSnapshot(handle_->snapshot);
}

namespace {
rocksdb::ReadOptions ReadAt(const Snapshot::Handle* at) {
  rocksdb::ReadOptions options;
  if (at != nullptr) options.snapshot = at->snapshot;
  return options;
}
}  // namespace

std::shared_ptr<const Snapshot> Database::TakeSnapshot() const {
  auto handle = std::make_unique<Snapshot::Handle>();
  handle->database = state_->database.get();
  handle->snapshot = state_->database->GetSnapshot();
  return std::shared_ptr<const Snapshot>(new Snapshot(std::move(handle)));
}

Result<std::optional<Bytes>> Database::Get(ColumnId column, ByteView key, const Snapshot* at) const {
  RC_ASSERT(column < state_->handles.size());
  rocksdb::PinnableSlice value;
  const rocksdb::Status status = state_->database->Get(ReadAt(at == nullptr ? nullptr : at->handle_.get()),
                                                       state_->handles[column], ToSlice(key), &value);
  if (status.IsNotFound()) return std::optional<Bytes>();
  RC_RETURN_IF_ERROR(FromRocks(status, "reading key"));
  const ByteView bytes = FromSlice(value);
  return std::optional<Bytes>(Bytes(bytes.begin(), bytes.end()));
}

Status Database::Write(const WriteBatch& batch, Durability durability) {
  rocksdb::WriteBatch rocks_batch;
  for (const auto& operation : batch.operations_->operations) {
    RC_ASSERT(operation.column < state_->handles.size());
    rocksdb::ColumnFamilyHandle* handle = state_->handles[operation.column];
    const rocksdb::Status added = operation.is_put ? rocks_batch.Put(handle, operation.key, operation.value)
                                                   : rocks_batch.Delete(handle, operation.key);
    RC_RETURN_IF_ERROR(FromRocks(added, "building write batch"));
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = durability == Durability::kSynced;
  return FromRocks(state_->database->Write(write_options, &rocks_batch), "writing batch");
}

Status Database::Scan(ColumnId column, ByteView begin, ByteView end,
                      const std::function<bool(ByteView key, ByteView value)>& visit,
                      const Snapshot* at) const {
  RC_ASSERT(column < state_->handles.size());
  std::unique_ptr<rocksdb::Iterator> iterator(state_->database->NewIterator(
      ReadAt(at == nullptr ? nullptr : at->handle_.get()), state_->handles[column]));
  const rocksdb::Slice end_slice = ToSlice(end);
  for (iterator->Seek(ToSlice(begin)); iterator->Valid(); iterator->Next()) {
    if (!end.empty() && iterator->key().compare(end_slice) >= 0) break;
    if (!visit(FromSlice(iterator->key()), FromSlice(iterator->value()))) break;
  }
  return FromRocks(iterator->status(), "scanning");
}

Result<std::optional<Bytes>> Database::LastKey(ColumnId column) const {
  RC_ASSERT(column < state_->handles.size());
  std::unique_ptr<rocksdb::Iterator> iterator(
      state_->database->NewIterator(rocksdb::ReadOptions(), state_->handles[column]));
  iterator->SeekToLast();
  RC_RETURN_IF_ERROR(FromRocks(iterator->status(), "seeking last key"));
  if (!iterator->Valid()) return std::optional<Bytes>();
  const ByteView key = FromSlice(iterator->key());
  return std::optional<Bytes>(Bytes(key.begin(), key.end()));
}

Bytes U64Key(std::uint64_t value) {
  Bytes key(8);
  for (int i = 7; i >= 0; --i) {
    key[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value);
    value >>= 8;
  }
  return key;
}

Result<std::uint64_t> ParseU64Key(ByteView key) {
  if (key.size() != 8)
    return Status::Corruption("a u64 key must be 8 bytes, got " + std::to_string(key.size()));
  std::uint64_t value = 0;
  for (std::uint8_t byte : key) value = value << 8 | byte;
  return value;
}

}  // namespace rightchain::storage
