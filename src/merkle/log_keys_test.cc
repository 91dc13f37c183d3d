#include "merkle/log_keys.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "merkle/memory_log_storage.h"

namespace rightchain::merkle {
namespace {

std::string Hex(ByteView bytes) {
  return HexEncode(bytes);
}

TEST(LogKeysTest, NodeKeyIsLevelThenBigEndianIndex) {
  EXPECT_EQ(Hex(EncodeNodeKey({.level = 0, .index = 0})), "000000000000000000");
  EXPECT_EQ(Hex(EncodeNodeKey({.level = 3, .index = 0x0102})), "030000000000000102");
  EXPECT_EQ(Hex(EncodeNodeKey({.level = 0, .index = 0xffffffffffffffff})), "00ffffffffffffffff");
  EXPECT_EQ(Hex(EncodeNodeKey({.level = 63, .index = 1})), "3f0000000000000001");
}

TEST(LogKeysTest, NodeKeysRoundTrip) {
  for (const NodeId id :
       {NodeId{.level = 0, .index = 0}, NodeId{.level = 5, .index = 12345}, NodeId{.level = 63, .index = 1},
        NodeId{.level = 1, .index = (std::uint64_t{1} << 63) - 1}}) {
    const NodeKey key = EncodeNodeKey(id);
    const auto decoded = DecodeNodeKey(key);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, id);
  }
}

TEST(LogKeysTest, ByteOrderOfKeysIsLevelThenIndexOrder) {
  const std::vector<NodeId> ordered = {{0, 0},          {0, 1}, {0, 255}, {0, 256},
                                       {0, 1ull << 40}, {1, 0}, {1, 7},   {2, 0}};
  for (std::size_t i = 0; i + 1 < ordered.size(); ++i) {
    const NodeKey lower = EncodeNodeKey(ordered[i]);
    const NodeKey higher = EncodeNodeKey(ordered[i + 1]);
    EXPECT_TRUE(std::lexicographical_compare(lower.begin(), lower.end(), higher.begin(), higher.end())) << i;
  }
}

TEST(LogKeysTest, MalformedStoredKeysAreCorruption) {
  EXPECT_EQ(DecodeNodeKey(HexDecode("0000000000000000").value()).status().code(), ErrorCode::kCorruption);
  EXPECT_EQ(DecodeNodeKey(HexDecode("00000000000000000000").value()).status().code(), ErrorCode::kCorruption);
  EXPECT_EQ(DecodeNodeKey(HexDecode("400000000000000000").value()).status().code(), ErrorCode::kCorruption);
  // Level 63 has only indexes 0 and 1 below 2^64 leaves.
  EXPECT_EQ(DecodeNodeKey(HexDecode("3f0000000000000002").value()).status().code(), ErrorCode::kCorruption);
  EXPECT_EQ(DecodeNodeKey(kLogSizeKey).status().code(), ErrorCode::kCorruption);
}

TEST(LogKeysTest, SizeIsEightBytesBigEndian) {
  EXPECT_EQ(Hex(kLogSizeKey), "ff");
  EXPECT_EQ(Hex(EncodeLogSize(0x0102030405060708)), "0102030405060708");
  EXPECT_EQ(DecodeLogSize(EncodeLogSize(1'000'000)).value(), 1'000'000u);
  EXPECT_EQ(DecodeLogSize(HexDecode("01020304").value()).status().code(), ErrorCode::kCorruption);
}

TEST(MemoryLogStorageTest, ApplyIsAllOrNothing) {
  MemoryLogStorage storage;
  crypto::Digest hash{};
  hash.fill(0xab);
  ASSERT_TRUE(storage.Apply({.old_size = 0, .new_size = 1, .nodes = {{.id = {0, 0}, .hash = hash}}}).ok());

  // A gap at level 0 (index 2 before index 1): nothing of the batch is kept.
  const LogWriteBatch gap = {
      .old_size = 1, .new_size = 3, .nodes = {{.id = {1, 0}, .hash = hash}, {.id = {0, 2}, .hash = hash}}};
  EXPECT_EQ(storage.Apply(gap).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(storage.ReadSize().value(), 1u);
  crypto::Digest read{};
  const NodeId level_one{1, 0};
  EXPECT_EQ(storage.ReadNodes(std::span(&level_one, 1), std::span(&read, 1)).code(), ErrorCode::kNotFound);

  // A batch prepared against another size.
  EXPECT_EQ(storage.Apply({.old_size = 0, .new_size = 1, .nodes = {}}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(storage.ReadSize().value(), 1u);

  const NodeId leaf{0, 0};
  ASSERT_TRUE(storage.ReadNodes(std::span(&leaf, 1), std::span(&read, 1)).ok());
  EXPECT_EQ(read, hash);
}

}  // namespace
}  // namespace rightchain::merkle
