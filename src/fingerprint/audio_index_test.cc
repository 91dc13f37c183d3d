#include "fingerprint/audio_index.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "fingerprint/testing/synthetic_audio.h"

namespace rightchain::fingerprint {
namespace {

using testing::SyntheticMusic;

std::vector<std::uint32_t> Items(const std::vector<std::int16_t>& samples) {
  Result<AudioFingerprint> fingerprint = FingerprintAudioSamples(samples);
  EXPECT_TRUE(fingerprint.ok()) << fingerprint.status().message();
  return fingerprint.ok() ? fingerprint->items : std::vector<std::uint32_t>{};
}

std::vector<std::int16_t> Excerpt(const std::vector<std::int16_t>& samples, double start_seconds,
                                  double seconds) {
  const auto begin = samples.begin() + static_cast<std::ptrdiff_t>(start_seconds * kAudioSampleRateHz);
  return {begin, begin + static_cast<std::ptrdiff_t>(seconds * kAudioSampleRateHz)};
}

class AudioIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
      tracks_.push_back(SyntheticMusic(100 + seed, 40.0, kAudioSampleRateHz));
      ASSERT_TRUE(index_.Add("track-" + std::to_string(seed), Items(tracks_.back())).ok());
    }
  }
  std::vector<std::vector<std::int16_t>> tracks_;
  AudioIndex index_;
};

TEST_F(AudioIndexTest, ExcerptFromTheMiddleMatchesItsTrackAndSaysWhere) {
  const std::vector<AudioMatch> matches = index_.Match(Items(Excerpt(tracks_[2], 12.3, 15.0)));
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].track_id, "track-3");
  EXPECT_NEAR(matches[0].offset_seconds, 12.3, 0.25);
  EXPECT_LT(matches[0].bit_error_rate, kAudioMatchBitErrorRate);
  EXPECT_DOUBLE_EQ(matches[0].similarity, 1.0 - matches[0].bit_error_rate);
  EXPECT_GE(matches[0].aligned_items, kMinAlignedItems);
}

TEST_F(AudioIndexTest, UnrelatedAudioMatchesNothing) {
  EXPECT_TRUE(index_.Match(Items(SyntheticMusic(999, 20.0, kAudioSampleRateHz))).empty());
  EXPECT_TRUE(index_.Match({}).empty());
}

TEST_F(AudioIndexTest, AddAndRemoveCheckIds) {
  const std::vector<std::uint32_t> items = Items(tracks_[0]);
  EXPECT_EQ(index_.Add("track-1", items).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(index_.Add("", items).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(index_.Add("tiny", std::span(items).first(3)).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(index_.Remove("nope").code(), ErrorCode::kNotFound);
  ASSERT_TRUE(index_.Remove("track-3").ok());
  EXPECT_FALSE(index_.Contains("track-3"));
  EXPECT_EQ(index_.size(), 5u);
  EXPECT_TRUE(index_.Match(Items(Excerpt(tracks_[2], 10.0, 15.0))).empty());
  // The others still match after removals compact the buckets.
  ASSERT_TRUE(index_.Remove("track-4").ok());
  ASSERT_TRUE(index_.Remove("track-5").ok());
  const std::vector<AudioMatch> matches = index_.Match(Items(Excerpt(tracks_[5], 20.0, 15.0)));
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].track_id, "track-6");
}

TEST_F(AudioIndexTest, EveryRegistrationOfTheSameTrackMatches) {
  ASSERT_TRUE(index_.Add("track-2-again", Items(tracks_[1])).ok());
  const std::vector<AudioMatch> matches = index_.Match(Items(Excerpt(tracks_[1], 8.0, 15.0)));
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].track_id, "track-2");
  EXPECT_EQ(matches[1].track_id, "track-2-again");
  EXPECT_EQ(matches[0].offset_items, matches[1].offset_items);
}

TEST_F(AudioIndexTest, CopyWhoseSampledItemsAllChangedIsFoundByTheOtherItems) {
  // Only every fourth query item votes at first; here each of those differs from the original
  // in both 16-bit halves, so the sample finds nothing and every item must vote.
  const std::vector<std::uint32_t> original = Items(tracks_[3]);
  constexpr std::size_t kStart = 40;
  std::vector<std::uint32_t> query(original.begin() + kStart, original.begin() + kStart + 150);
  for (std::size_t i = 0; i < query.size(); i += 4) query[i] ^= 0x11111111u;
  const std::vector<AudioMatch> matches = index_.Match(query);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].track_id, "track-4");
  EXPECT_EQ(matches[0].offset_items, static_cast<std::int64_t>(kStart));
  EXPECT_LT(matches[0].bit_error_rate, 0.1);
}

TEST(AudioVoteTableTest, CountsEachKeyAndDropsOnlyNewKeysWhenFull) {
  AudioVoteTable votes(10);  // 64 cells: room for 48 keys
  for (std::uint64_t key = 1; key <= 100; ++key) votes.Increment(key << AudioVoteTable::kOffsetBits | 7);
  for (int repeat = 0; repeat < 5; ++repeat)
    votes.Increment(std::uint64_t{3} << AudioVoteTable::kOffsetBits | 7);
  EXPECT_EQ(votes.key_count(), 48u);
  std::size_t keys = 0;
  std::uint64_t total = 0;
  votes.ForEach([&](std::uint64_t key, std::uint32_t count) {
    ++keys;
    total += count;
    EXPECT_EQ(key & ((1u << AudioVoteTable::kOffsetBits) - 1), 7u);
    EXPECT_EQ(count, (key >> AudioVoteTable::kOffsetBits) == 3 ? 6u : 1u);
  });
  EXPECT_EQ(keys, 48u);
  EXPECT_EQ(total, 48u + 5u);
}

TEST_F(AudioIndexTest, SerializesSavesAndReloads) {
  ASSERT_TRUE(index_.Remove("track-2").ok());
  const Bytes bytes = index_.Serialize();
  Result<AudioIndex> copy = AudioIndex::Deserialize(bytes);
  ASSERT_TRUE(copy.ok()) << copy.status().message();
  EXPECT_EQ(copy->size(), 5u);
  EXPECT_EQ(copy->Serialize(), bytes);
  const std::vector<AudioMatch> matches = copy->Match(Items(Excerpt(tracks_[0], 5.0, 15.0)));
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].track_id, "track-1");

  Bytes damaged = bytes;
  damaged[bytes.size() / 2] ^= 1;
  EXPECT_EQ(AudioIndex::Deserialize(damaged).status().code(), ErrorCode::kCorruption);
  EXPECT_EQ(AudioIndex::Deserialize(ByteView(bytes).first(10)).status().code(), ErrorCode::kCorruption);

  const std::filesystem::path directory = std::filesystem::path(::testing::TempDir()) / "audio-index-test";
  std::filesystem::remove_all(directory);
  EXPECT_EQ(AudioIndex::Load(directory).status().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(index_.Save(directory).ok());
  Result<AudioIndex> loaded = AudioIndex::Load(directory);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->Serialize(), bytes);
  std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace rightchain::fingerprint
