#include "exec/state.h"

#include <gtest/gtest.h>

#include <random>

namespace rightchain::exec {
namespace {

std::vector<std::pair<std::string, std::string>> ScanAll(const StateReader& state, std::string begin,
                                                         std::string end) {
  std::vector<std::pair<std::string, std::string>> seen;
  EXPECT_TRUE(state
                  .Scan(AsBytes(begin), AsBytes(end),
                        [&](ByteView key, ByteView value) {
                          seen.emplace_back(AsText(key), AsText(value));
                          return true;
                        })
                  .ok());
  return seen;
}

TEST(OverlayStateTest, ChangesShadowTheBase) {
  MemoryState base;
  StateChanges initial;
  initial.Put(ToBytes("a"), ToBytes("1"));
  initial.Put(ToBytes("b"), ToBytes("2"));
  initial.Put(ToBytes("c"), ToBytes("3"));
  base.Apply(initial);
  StateChanges changes;
  changes.Put(ToBytes("b"), ToBytes("20"));
  changes.Delete(ToBytes("c"));
  changes.Put(ToBytes("d"), ToBytes("4"));
  const OverlayState overlay(base, changes);
  EXPECT_EQ(AsText(**overlay.Get(AsBytes("a"))), "1");
  EXPECT_EQ(AsText(**overlay.Get(AsBytes("b"))), "20");
  EXPECT_FALSE(overlay.Get(AsBytes("c"))->has_value());
  EXPECT_EQ(AsText(**overlay.Get(AsBytes("d"))), "4");
  const std::vector<std::pair<std::string, std::string>> expected = {{"a", "1"}, {"b", "20"}, {"d", "4"}};
  EXPECT_EQ(ScanAll(overlay, "", ""), expected);
}

// The overlay's scan equals a scan of the base with the changes applied, for random contents.
TEST(OverlayStateTest, ScanMatchesAppliedStateForRandomChanges) {
  std::mt19937 random(1234);
  for (int trial = 0; trial < 200; ++trial) {
    MemoryState base;
    StateChanges initial;
    for (int i = 0; i < 20; ++i) {
      initial.Put(ToBytes(std::string(1, static_cast<char>('a' + random() % 26))),
                  ToBytes(std::to_string(random() % 100)));
    }
    base.Apply(initial);
    StateChanges changes;
    for (int i = 0; i < 10; ++i) {
      Bytes key = ToBytes(std::string(1, static_cast<char>('a' + random() % 26)));
      if (random() % 3 == 0) {
        changes.Delete(std::move(key));
      } else {
        changes.Put(std::move(key), ToBytes("new" + std::to_string(i)));
      }
    }
    MemoryState applied = base;
    applied.Apply(changes);
    const OverlayState overlay(base, changes);
    const std::string begin(1, static_cast<char>('a' + random() % 13));
    const std::string end =
        random() % 4 == 0 ? std::string() : std::string(1, static_cast<char>('n' + random() % 13));
    EXPECT_EQ(ScanAll(overlay, begin, end), ScanAll(applied, begin, end)) << trial;
  }
}

TEST(OverlayStateTest, ScanStopsWhenVisitorSaysSo) {
  MemoryState base;
  StateChanges initial;
  for (const char* key : {"a", "c", "e"}) initial.Put(ToBytes(key), ToBytes("x"));
  base.Apply(initial);
  StateChanges changes;
  changes.Put(ToBytes("b"), ToBytes("y"));
  const OverlayState overlay(base, changes);
  int visited = 0;
  ASSERT_TRUE(overlay.Scan({}, {}, [&](ByteView, ByteView) { return ++visited < 2; }).ok());
  EXPECT_EQ(visited, 2);
}

TEST(StateChangesTest, DigestDependsOnContentNotInsertionOrder) {
  StateChanges first;
  first.Put(ToBytes("x"), ToBytes("1"));
  first.Delete(ToBytes("y"));
  StateChanges second;
  second.Delete(ToBytes("y"));
  second.Put(ToBytes("x"), ToBytes("1"));
  EXPECT_EQ(first.Digest(crypto::HashAlgorithm::kSha256), second.Digest(crypto::HashAlgorithm::kSha256));
  second.Put(ToBytes("y"), Bytes());  // a write of an empty value differs from a deletion
  EXPECT_NE(first.Digest(crypto::HashAlgorithm::kSha256), second.Digest(crypto::HashAlgorithm::kSha256));
}

}  // namespace
}  // namespace rightchain::exec
