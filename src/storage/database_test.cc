#include "storage/database.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace rightchain::storage {
namespace {

constexpr ColumnId kBlocks = 1;
constexpr ColumnId kIndex = 2;

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/rightchain-storage-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    directory_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  DatabaseOptions Options() const {
    DatabaseOptions options;
    options.directory = directory_;
    options.column_families = {"blocks", "index"};
    return options;
  }
  std::unique_ptr<Database> OpenOrDie() {
    auto opened = Database::Open(Options());
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return std::move(opened).value();
  }

  std::filesystem::path directory_;
};

TEST_F(DatabaseTest, PutGetDeleteAcrossColumns) {
  auto database = OpenOrDie();
  EXPECT_EQ(database->ColumnCount(), 3u);
  WriteBatch batch;
  batch.Put(kBlocks, AsBytes("k"), AsBytes("block"));
  batch.Put(kIndex, AsBytes("k"), AsBytes("index"));
  ASSERT_TRUE(database->Write(batch, Durability::kSynced).ok());
  EXPECT_EQ(AsText(**database->Get(kBlocks, AsBytes("k"))), "block");
  EXPECT_EQ(AsText(**database->Get(kIndex, AsBytes("k"))), "index");
  EXPECT_FALSE(database->Get(0, AsBytes("k"))->has_value());

  WriteBatch removal;
  removal.Delete(kBlocks, AsBytes("k"));
  ASSERT_TRUE(database->Write(removal, Durability::kSynced).ok());
  EXPECT_FALSE(database->Get(kBlocks, AsBytes("k"))->has_value());
  EXPECT_TRUE(database->Get(kIndex, AsBytes("k"))->has_value());
}

TEST_F(DatabaseTest, DataSurvivesReopen) {
  {
    auto database = OpenOrDie();
    WriteBatch batch;
    for (std::uint64_t height = 1; height <= 100; ++height) {
      batch.Put(kBlocks, U64Key(height), AsBytes("block " + std::to_string(height)));
    }
    ASSERT_TRUE(database->Write(batch, Durability::kSynced).ok());
  }
  auto database = OpenOrDie();
  EXPECT_EQ(AsText(**database->Get(kBlocks, U64Key(42))), "block 42");
  const auto last = database->LastKey(kBlocks);
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ(*ParseU64Key(**last), 100u);
}

TEST_F(DatabaseTest, ScanVisitsRangeInNumericOrder) {
  auto database = OpenOrDie();
  WriteBatch batch;
  for (std::uint64_t height : {300u, 2u, 1000u, 17u, 256u}) batch.Put(kBlocks, U64Key(height), AsBytes("x"));
  ASSERT_TRUE(database->Write(batch, Durability::kBuffered).ok());
  std::vector<std::uint64_t> seen;
  ASSERT_TRUE(database
                  ->Scan(kBlocks, U64Key(10), U64Key(1000),
                         [&](ByteView key, ByteView) {
                           seen.push_back(*ParseU64Key(key));
                           return true;
                         })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{17, 256, 300}));
}

TEST_F(DatabaseTest, EmptyColumnHasNoLastKey) {
  auto database = OpenOrDie();
  EXPECT_FALSE(database->LastKey(kIndex)->has_value());
}

TEST_F(DatabaseTest, RefusesBadOptions) {
  DatabaseOptions options = Options();
  options.directory.clear();
  EXPECT_EQ(Database::Open(options).status().code(), ErrorCode::kInvalidArgument);
  options = Options();
  options.column_families = {"default"};
  EXPECT_EQ(Database::Open(options).status().code(), ErrorCode::kInvalidArgument);
  options = Options();
  options.create_if_missing = false;
  options.directory = directory_ / "absent";
  EXPECT_FALSE(Database::Open(options).ok());
}

TEST_F(DatabaseTest, SecondOpenOfSameDirectoryIsRefused) {
  auto database = OpenOrDie();
  const auto second = Database::Open(Options());
  EXPECT_FALSE(second.ok());
}

TEST_F(DatabaseTest, CorruptedTableIsReportedNotServed) {
  {
    auto database = OpenOrDie();
    WriteBatch batch;
    for (int i = 0; i < 2000; ++i) batch.Put(kBlocks, U64Key(i), Bytes(100, static_cast<std::uint8_t>(i)));
    ASSERT_TRUE(database->Write(batch, Durability::kSynced).ok());
  }
  // Reopening flushes the log into a table file on close of the next instance; force it by
  // opening and closing once more, then damage every table file's data region.
  { auto database = OpenOrDie(); }
  int damaged = 0;
  for (const auto& entry : std::filesystem::directory_iterator(directory_)) {
    if (entry.path().extension() == ".log") {
      // Damage the write-ahead log as well: records whose checksums fail must not be served.
      std::FILE* file = std::fopen(entry.path().c_str(), "r+b");
      ASSERT_NE(file, nullptr);
      std::fseek(file, 200, SEEK_SET);
      const char garbage[64] = {'\x5a'};
      std::fwrite(garbage, 1, sizeof garbage, file);
      std::fclose(file);
      ++damaged;
    }
    if (entry.path().extension() == ".sst") {
      std::FILE* file = std::fopen(entry.path().c_str(), "r+b");
      ASSERT_NE(file, nullptr);
      std::fseek(file, 100, SEEK_SET);
      const char garbage[64] = {'\x5a'};
      std::fwrite(garbage, 1, sizeof garbage, file);
      std::fclose(file);
      ++damaged;
    }
  }
  ASSERT_GT(damaged, 0);
  auto reopened = Database::Open(Options());
  if (!reopened.ok()) {
    EXPECT_EQ(reopened.status().code(), ErrorCode::kCorruption) << reopened.status().ToString();
    return;
  }
  // If it opened, reading the damaged values must fail rather than return wrong bytes.
  bool any_error = false;
  for (int i = 0; i < 2000; ++i) {
    const auto value = (*reopened)->Get(kBlocks, U64Key(i));
    if (!value.ok()) {
      any_error = true;
      continue;
    }
    if (value->has_value()) {
      EXPECT_EQ(**value, Bytes(100, static_cast<std::uint8_t>(i))) << i;
    }
  }
  EXPECT_TRUE(any_error);
}

// A writer process is killed with SIGKILL at an arbitrary moment while it writes synced batches;
// every batch it acknowledged (through a pipe, after Write returned) must be there afterwards, and
// every batch must be all-or-nothing.
TEST_F(DatabaseTest, AcknowledgedBatchesSurviveSigkill) {
  for (int round = 0; round < 3; ++round) {
    int pipe_fds[2];
    ASSERT_EQ(pipe(pipe_fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(pipe_fds[0]);
      auto opened = Database::Open(Options());
      if (!opened.ok()) _exit(2);
      auto& database = *opened;
      const auto last = database->LastKey(kBlocks);
      std::uint64_t next = last.ok() && last->has_value() ? *ParseU64Key(**last) + 1 : 0;
      for (;; ++next) {
        WriteBatch batch;
        batch.Put(kBlocks, U64Key(next), Bytes(512, static_cast<std::uint8_t>(next)));
        batch.Put(kIndex, U64Key(next), AsBytes("indexed"));
        if (!database->Write(batch, Durability::kSynced).ok()) _exit(3);
        if (write(pipe_fds[1], &next, sizeof next) != sizeof next) _exit(4);
      }
    }
    close(pipe_fds[1]);
    // Let the child acknowledge a varying number of batches, then kill it mid-stream.
    std::uint64_t acknowledged = 0;
    bool any = false;
    const int wanted = 20 + round * 37;
    for (int received = 0; received < wanted; ++received) {
      std::uint64_t value = 0;
      ASSERT_EQ(read(pipe_fds[0], &value, sizeof value), static_cast<ssize_t>(sizeof value));
      acknowledged = value;
      any = true;
    }
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    close(pipe_fds[0]);
    ASSERT_TRUE(any);

    auto database = OpenOrDie();
    for (std::uint64_t height = 0; height <= acknowledged; ++height) {
      const auto block = database->Get(kBlocks, U64Key(height));
      ASSERT_TRUE(block.ok() && block->has_value()) << "acknowledged batch " << height << " lost";
    }
    // All-or-nothing: a block without its index entry (or the reverse) would be a torn batch.
    std::size_t blocks = 0;
    ASSERT_TRUE(database
                    ->Scan(kBlocks, {}, {},
                           [&](ByteView key, ByteView) {
                             ++blocks;
                             EXPECT_TRUE(database->Get(kIndex, key)->has_value());
                             return true;
                           })
                    .ok());
    std::size_t indexes = 0;
    ASSERT_TRUE(database->Scan(kIndex, {}, {}, [&](ByteView, ByteView) { return ++indexes, true; }).ok());
    EXPECT_EQ(blocks, indexes);
  }
}

TEST(U64KeyTest, RoundTripsAndRejectsWrongSize) {
  EXPECT_EQ(HexEncode(U64Key(0x0102030405060708)), "0102030405060708");
  EXPECT_EQ(*ParseU64Key(U64Key(1234567)), 1234567u);
  EXPECT_FALSE(ParseU64Key(AsBytes("short")).ok());
}

}  // namespace
}  // namespace rightchain::storage
