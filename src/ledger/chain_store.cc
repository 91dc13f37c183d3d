#include "ledger/chain_store.h"

#include <algorithm>
#include <mutex>

#include "merkle/log_keys.h"
#include "storage/database.h"

namespace rightchain::ledger {
namespace {

// Column families (index = position + 1; 0 is RocksDB's default, unused).
enum Column : storage::ColumnId {
  kBlocks = 1,    // height u64 → block encoding
  kBlockHashes,   // block hash → height u64
  kCertificates,  // height u64 → commit certificate encoding
  kTransactions,  // transaction id → height u64 ‖ index u32 ‖ log index u64
  kLogLeaves,     // log index u64 → log leaf encoding
  kLogNodes,      // merkle/log_keys.h encoding
  kState,         // execution state
  kMeta,          // "head" → height u64 ‖ block hash ‖ state root ‖ time u64
  kLocal,         // this node's own records (consensus write-ahead record, …)
};
const std::vector<std::string> kColumnNames = {"blocks",       "block_hashes", "certificates",
                                               "transactions", "log_leaves",   "log_nodes",
                                               "state",        "meta",         "local"};
constexpr std::string_view kHeadKey = "head";

Bytes EncodeHead(const ChainHead& head) {
  Bytes bytes = storage::U64Key(head.height);
  bytes.insert(bytes.end(), head.block_hash.begin(), head.block_hash.end());
  bytes.insert(bytes.end(), head.state_root.begin(), head.state_root.end());
  const Bytes time = storage::U64Key(static_cast<std::uint64_t>(head.time_milliseconds));
  bytes.insert(bytes.end(), time.begin(), time.end());
  return bytes;
}

Result<ChainHead> DecodeHead(ByteView bytes) {
  if (bytes.size() != 8 + 32 + 32 + 8) return Status::Corruption("chain head record has the wrong size");
  ChainHead head;
  RC_ASSIGN_OR_RETURN(head.height, storage::ParseU64Key(bytes.first(8)));
  std::copy_n(bytes.begin() + 8, 32, head.block_hash.begin());
  std::copy_n(bytes.begin() + 40, 32, head.state_root.begin());
  RC_ASSIGN_OR_RETURN(const std::uint64_t time, storage::ParseU64Key(bytes.subspan(72, 8)));
  head.time_milliseconds = static_cast<std::int64_t>(time);
  return head;
}

Bytes EncodeLocation(const TransactionLocation& location) {
  Bytes bytes = storage::U64Key(location.height);
  for (int shift = 24; shift >= 0; shift -= 8)
    bytes.push_back(static_cast<std::uint8_t>(location.index_in_block >> shift));
  const Bytes log_index = storage::U64Key(location.log_index);
  bytes.insert(bytes.end(), log_index.begin(), log_index.end());
  return bytes;
}

Result<TransactionLocation> DecodeLocation(ByteView bytes) {
  if (bytes.size() != 20) return Status::Corruption("transaction location has the wrong size");
  TransactionLocation location;
  RC_ASSIGN_OR_RETURN(location.height, storage::ParseU64Key(bytes.first(8)));
  for (std::size_t i = 8; i < 12; ++i) location.index_in_block = location.index_in_block << 8 | bytes[i];
  RC_ASSIGN_OR_RETURN(location.log_index, storage::ParseU64Key(bytes.subspan(12, 8)));
  return location;
}

// Reads of the latest data (`at` null) or of a snapshot's.
class DatabaseState final : public exec::StateReader {
 public:
  explicit DatabaseState(const storage::Database& database, const storage::Snapshot* at = nullptr)
      : database_(database), at_(at) {}
  Result<std::optional<Bytes>> Get(ByteView key) const override { return database_.Get(kState, key, at_); }
  Status Scan(ByteView begin, ByteView end,
              const std::function<bool(ByteView key, ByteView value)>& visit) const override {
    return database_.Scan(kState, begin, end, visit, at_);
  }

 private:
  const storage::Database& database_;
  const storage::Snapshot* at_;
};

// The log in storage; read-only when it reads a snapshot.
class DatabaseLogStorage final : public merkle::LogStorage {
 public:
  explicit DatabaseLogStorage(storage::Database& database, const storage::Snapshot* at = nullptr)
      : database_(database), at_(at) {}

  Result<std::uint64_t> ReadSize() const override {
    RC_ASSIGN_OR_RETURN(const std::optional<Bytes> value, database_.Get(kLogNodes, merkle::kLogSizeKey, at_));
    if (!value.has_value()) return std::uint64_t{0};
    return merkle::DecodeLogSize(*value);
  }

  Status ReadNodes(std::span<const merkle::NodeId> ids, std::span<crypto::Digest> hashes) const override {
    RC_ASSERT(ids.size() == hashes.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const merkle::NodeKey key = merkle::EncodeNodeKey(ids[i]);
      RC_ASSIGN_OR_RETURN(const std::optional<Bytes> value, database_.Get(kLogNodes, key, at_));
      if (!value.has_value() || value->size() != crypto::kDigestSize) {
        return Status::Corruption("log node (level " + std::to_string(ids[i].level) + ", index " +
                                  std::to_string(ids[i].index) + ") is missing or damaged");
      }
      std::copy(value->begin(), value->end(), hashes[i].begin());
    }
    return Status::Ok();
  }

  Status Apply(const merkle::LogWriteBatch& batch) override {
    if (at_ != nullptr) return Status::Internal("a snapshot of the log is read-only");
    RC_ASSIGN_OR_RETURN(const std::uint64_t size, ReadSize());
    if (size != batch.old_size) return Status::InvalidArgument("log batch was prepared against another size");
    storage::WriteBatch write;
    AddToBatch(batch, write);
    return database_.Write(write, storage::Durability::kSynced);
  }

  static void AddToBatch(const merkle::LogWriteBatch& batch, storage::WriteBatch& write) {
    for (const merkle::NodeWrite& node : batch.nodes) {
      write.Put(kLogNodes, merkle::EncodeNodeKey(node.id), node.hash);
    }
    write.Put(kLogNodes, merkle::kLogSizeKey, merkle::EncodeLogSize(batch.new_size));
  }

 private:
  storage::Database& database_;
  const storage::Snapshot* at_;
};

Result<std::optional<Bytes>> ReadEncodedBlock(const storage::Database& database, const storage::Snapshot* at,
                                              std::uint64_t height) {
  return database.Get(kBlocks, storage::U64Key(height), at);
}

Result<std::optional<Block>> ReadBlock(const storage::Database& database, const storage::Snapshot* at,
                                       std::uint64_t height) {
  RC_ASSIGN_OR_RETURN(const std::optional<Bytes> encoding, ReadEncodedBlock(database, at, height));
  if (!encoding.has_value()) return std::optional<Block>();
  Result<Block> block = DecodeBlock(*encoding);
  if (!block.ok())
    return Status::Corruption("stored block " + std::to_string(height) + ": " + block.status().message());
  return std::optional<Block>(std::move(block).value());
}

Result<std::optional<consensus::CommitCertificate>> ReadStoredCertificate(const storage::Database& database,
                                                                          const storage::Snapshot* at,
                                                                          std::uint64_t height) {
  RC_ASSIGN_OR_RETURN(const std::optional<Bytes> encoding,
                      database.Get(kCertificates, storage::U64Key(height), at));
  if (!encoding.has_value()) return std::optional<consensus::CommitCertificate>();
  Result<consensus::CommitCertificate> certificate = DecodeCommitCertificate(*encoding);
  if (!certificate.ok()) return Status::Corruption("stored certificate: " + certificate.status().message());
  return std::optional<consensus::CommitCertificate>(std::move(certificate).value());
}

Result<std::optional<TransactionLocation>> ReadLocation(const storage::Database& database,
                                                        const storage::Snapshot* at,
                                                        const crypto::Digest& transaction_id) {
  RC_ASSIGN_OR_RETURN(const std::optional<Bytes> value, database.Get(kTransactions, transaction_id, at));
  if (!value.has_value()) return std::optional<TransactionLocation>();
  RC_ASSIGN_OR_RETURN(const TransactionLocation location, DecodeLocation(*value));
  return std::optional<TransactionLocation>(location);
}

Result<LogLeaf> ReadLeaf(const storage::Database& database, const storage::Snapshot* at,
                         std::uint64_t log_index) {
  RC_ASSIGN_OR_RETURN(const std::optional<Bytes> encoding,
                      database.Get(kLogLeaves, storage::U64Key(log_index), at));
  if (!encoding.has_value()) return Status::NotFound("no log leaf at index " + std::to_string(log_index));
  Result<LogLeaf> leaf = DecodeLogLeaf(*encoding);
  if (!leaf.ok()) return Status::Corruption("stored log leaf: " + leaf.status().message());
  return leaf;
}

// The stored log with one prepared batch laid over it, to compute the root it will have.
class BatchOverlayLogStorage final : public merkle::LogStorage {
 public:
  BatchOverlayLogStorage(const merkle::LogStorage& base, const merkle::LogWriteBatch& batch)
      : base_(base), batch_(batch) {}
  Result<std::uint64_t> ReadSize() const override { return batch_.new_size; }
  Status ReadNodes(std::span<const merkle::NodeId> ids, std::span<crypto::Digest> hashes) const override {
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const auto written = std::find_if(batch_.nodes.begin(), batch_.nodes.end(),
                                        [&](const merkle::NodeWrite& node) { return node.id == ids[i]; });
      if (written != batch_.nodes.end()) {
        hashes[i] = written->hash;
      } else {
        RC_RETURN_IF_ERROR(base_.ReadNodes(ids.subspan(i, 1), hashes.subspan(i, 1)));
      }
    }
    return Status::Ok();
  }
  Status Apply(const merkle::LogWriteBatch&) override {
    return Status::Internal("overlay log storage is read-only");
  }

 private:
  const merkle::LogStorage& base_;
  const merkle::LogWriteBatch& batch_;
};

}  // namespace

struct ChainView::Parts {
  ChainHead head;
  crypto::HashAlgorithm algorithm = crypto::HashAlgorithm::kSha256;
  storage::Database* database = nullptr;
  std::shared_ptr<const storage::Snapshot> snapshot;
  std::unique_ptr<DatabaseState> state;
  std::unique_ptr<DatabaseLogStorage> log_storage;
  std::optional<merkle::MerkleLog> log;
};

ChainView::ChainView(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
ChainView::~ChainView() = default;
const ChainHead& ChainView::head() const {
  return parts_->head;
}
crypto::HashAlgorithm ChainView::algorithm() const {
  return parts_->algorithm;
}
const exec::StateReader& ChainView::state() const {
  return *parts_->state;
}
const merkle::MerkleLog& ChainView::log() const {
  return *parts_->log;
}
Result<std::optional<Block>> ChainView::BlockAt(std::uint64_t height) const {
  return ReadBlock(*parts_->database, parts_->snapshot.get(), height);
}
Result<std::optional<consensus::CommitCertificate>> ChainView::CertificateAt(std::uint64_t height) const {
  return ReadStoredCertificate(*parts_->database, parts_->snapshot.get(), height);
}
Result<std::optional<TransactionLocation>> ChainView::FindTransaction(
    const crypto::Digest& transaction_id) const {
  return ReadLocation(*parts_->database, parts_->snapshot.get(), transaction_id);
}
Result<LogLeaf> ChainView::LeafAt(std::uint64_t log_index) const {
  return ReadLeaf(*parts_->database, parts_->snapshot.get(), log_index);
}
Result<std::optional<Bytes>> ChainView::GetLocal(ByteView key) const {
  return parts_->database->Get(kLocal, key);
}

struct ChainStore::State {
  std::unique_ptr<storage::Database> database;
  crypto::HashAlgorithm algorithm = crypto::HashAlgorithm::kSha256;
  ChainHead head;
  std::unique_ptr<DatabaseState> state;
  std::unique_ptr<DatabaseLogStorage> log_storage;
  std::optional<merkle::MerkleLog> log;
  // Replaced whole after each commit; readers keep the one they took.
  mutable std::mutex view_mutex;
  std::shared_ptr<const ChainView> view;
};

Status ChainStore::PublishView() {
  auto parts = std::make_unique<ChainView::Parts>();
  parts->head = state_->head;
  parts->algorithm = state_->algorithm;
  parts->database = state_->database.get();
  parts->snapshot = state_->database->TakeSnapshot();
  parts->state = std::make_unique<DatabaseState>(*state_->database, parts->snapshot.get());
  parts->log_storage = std::make_unique<DatabaseLogStorage>(*state_->database, parts->snapshot.get());
  RC_ASSIGN_OR_RETURN(merkle::MerkleLog log, merkle::MerkleLog::Open(state_->algorithm, *parts->log_storage));
  RC_ASSERT(log.size() == state_->log->size());
  parts->log.emplace(std::move(log));
  auto view = std::make_shared<const ChainView>(std::move(parts));
  std::lock_guard lock(state_->view_mutex);
  state_->view = std::move(view);
  return Status::Ok();
}

std::shared_ptr<const ChainView> ChainStore::View() const {
  std::lock_guard lock(state_->view_mutex);
  return state_->view;
}

ChainStore::ChainStore(std::unique_ptr<State> state) : state_(std::move(state)) {}
ChainStore::~ChainStore() = default;

Result<std::unique_ptr<ChainStore>> ChainStore::Open(const std::filesystem::path& directory,
                                                     crypto::HashAlgorithm algorithm) {
  storage::DatabaseOptions options;
  options.directory = directory;
  options.column_families = kColumnNames;
  auto state = std::make_unique<State>();
  RC_ASSIGN_OR_RETURN(state->database, storage::Database::Open(options));
  state->algorithm = algorithm;
  RC_ASSIGN_OR_RETURN(const std::optional<Bytes> head, state->database->Get(kMeta, AsBytes(kHeadKey)));
  if (head.has_value()) {
    RC_ASSIGN_OR_RETURN(state->head, DecodeHead(*head));
  }
  state->state = std::make_unique<DatabaseState>(*state->database);
  state->log_storage = std::make_unique<DatabaseLogStorage>(*state->database);
  RC_ASSIGN_OR_RETURN(merkle::MerkleLog log, merkle::MerkleLog::Open(algorithm, *state->log_storage));
  state->log.emplace(std::move(log));
  auto store = std::unique_ptr<ChainStore>(new ChainStore(std::move(state)));
  RC_RETURN_IF_ERROR(store->PublishView());
  return store;
}

const ChainHead& ChainStore::head() const {
  return state_->head;
}
crypto::HashAlgorithm ChainStore::algorithm() const {
  return state_->algorithm;
}
const exec::StateReader& ChainStore::state() const {
  return *state_->state;
}
const merkle::MerkleLog& ChainStore::log() const {
  return *state_->log;
}

Result<crypto::Digest> ChainStore::LogRootAfter(const merkle::LogWriteBatch& batch) const {
  RC_ASSERT(batch.old_size == state_->log->size());
  if (batch.new_size == batch.old_size) return state_->log->Root();
  BatchOverlayLogStorage overlay(*state_->log_storage, batch);
  RC_ASSIGN_OR_RETURN(const merkle::MerkleLog after, merkle::MerkleLog::Open(state_->algorithm, overlay));
  return after.Root();
}

Result<std::optional<Bytes>> ChainStore::EncodedBlockAt(std::uint64_t height) const {
  return ReadEncodedBlock(*state_->database, nullptr, height);
}

Result<std::optional<Block>> ChainStore::BlockAt(std::uint64_t height) const {
  return ReadBlock(*state_->database, nullptr, height);
}

Result<std::optional<consensus::CommitCertificate>> ChainStore::CertificateAt(std::uint64_t height) const {
  return ReadStoredCertificate(*state_->database, nullptr, height);
}

Result<std::optional<TransactionLocation>> ChainStore::FindTransaction(
    const crypto::Digest& transaction_id) const {
  return ReadLocation(*state_->database, nullptr, transaction_id);
}

Result<std::optional<std::uint64_t>> ChainStore::HeightOfBlock(const crypto::Digest& block_hash) const {
  RC_ASSIGN_OR_RETURN(const std::optional<Bytes> value, state_->database->Get(kBlockHashes, block_hash));
  if (!value.has_value()) return std::optional<std::uint64_t>();
  RC_ASSIGN_OR_RETURN(const std::uint64_t height, storage::ParseU64Key(*value));
  return std::optional<std::uint64_t>(height);
}

Result<LogLeaf> ChainStore::LeafAt(std::uint64_t log_index) const {
  return ReadLeaf(*state_->database, nullptr, log_index);
}

Status ChainStore::Commit(const BlockCommit& commit) {
  RC_ASSERT(commit.block != nullptr && commit.receipts != nullptr && commit.state_changes != nullptr &&
            commit.log_batch != nullptr && commit.log_leaves != nullptr &&
            commit.seen_certificate != nullptr);
  const Block& block = *commit.block;
  const std::uint64_t height = block.header.height;
  RC_ASSERT_MSG(height == state_->head.height + 1, "blocks are committed in height order");
  RC_ASSERT(commit.receipts->size() == block.transactions.size());
  RC_ASSERT(commit.log_leaves->size() == block.transactions.size());
  RC_ASSERT(commit.log_batch->old_size == state_->log->size());
  RC_ASSERT(commit.log_batch->new_size == state_->log->size() + block.transactions.size());
  RC_ASSERT(commit.seen_certificate->height == height);

  const crypto::Digest block_hash = BlockHash(state_->algorithm, block.header);
  storage::WriteBatch write;
  write.Put(kBlocks, storage::U64Key(height), EncodeBlock(block));
  write.Put(kBlockHashes, block_hash, storage::U64Key(height));
  write.Put(kCertificates, storage::U64Key(height), EncodeCommitCertificate(*commit.seen_certificate));
  // The block carries the canonical certificate of the previous height: it replaces ours. It was
  // verified against that height's validators before the block was executed (block_execution.h).
  if (block.last_commit.has_value()) {
    RC_ASSERT_MSG(
        block.last_commit->height == height - 1 && block.last_commit->block_hash == state_->head.block_hash,
        "a block's last commit is for the block before it");
    write.Put(kCertificates, storage::U64Key(height - 1), EncodeCommitCertificate(*block.last_commit));
  }
  const std::uint64_t first_log_index = commit.log_batch->old_size;
  for (std::size_t i = 0; i < block.transactions.size(); ++i) {
    const TransactionLocation location{height, static_cast<std::uint32_t>(i), first_log_index + i};
    const crypto::Digest& transaction_id = (*commit.receipts)[i].transaction_id;
    // A duplicate keeps the location of its first inclusion.
    if ((*commit.receipts)[i].status != exec::ReceiptStatus::kDuplicate) {
      write.Put(kTransactions, transaction_id, EncodeLocation(location));
    }
    write.Put(kLogLeaves, storage::U64Key(location.log_index), (*commit.log_leaves)[i]);
  }
  DatabaseLogStorage::AddToBatch(*commit.log_batch, write);
  for (const auto& [key, value] : commit.state_changes->entries()) {
    if (value.has_value()) {
      write.Put(kState, key, *value);
    } else {
      write.Delete(kState, key);
    }
  }
  ChainHead head{height, block_hash, block.header.state_root, block.header.time_milliseconds};
  write.Put(kMeta, AsBytes(kHeadKey), EncodeHead(head));
  RC_RETURN_IF_ERROR(state_->database->Write(write, storage::Durability::kSynced));
  // Storage now holds the block; only then does memory move on.
  RC_RETURN_IF_ERROR(state_->log->AdoptCommitted(*commit.log_batch));
  state_->head = head;
  return PublishView();
}

Status ChainStore::PutLocal(ByteView key, ByteView value) {
  storage::WriteBatch write;
  write.Put(kLocal, key, value);
  return state_->database->Write(write, storage::Durability::kSynced);
}

Result<std::optional<Bytes>> ChainStore::GetLocal(ByteView key) const {
  return state_->database->Get(kLocal, key);
}

}  // namespace rightchain::ledger
