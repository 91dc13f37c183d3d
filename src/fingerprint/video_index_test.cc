// The video index on synthetic fingerprints (random frame hashes): clips match at their
// position, copies with changed frame rates or a few flipped bits match, unrelated videos do
// not, removal and reloading keep what was registered, damaged files are refused.
#include "fingerprint/video_index.h"

#include <gtest/gtest.h>

#include <random>

namespace rightchain::fingerprint {
namespace {

VideoFingerprint RandomVideo(std::uint64_t seed, int seconds) {
  std::mt19937_64 random(seed);
  VideoFingerprint video;
  for (int second = 0; second < seconds; ++second) {
    VideoFrameHash frame;
    frame.time_seconds = second;
    frame.duration_seconds = 1;
    for (std::uint64_t& word : frame.hash.words) word = random();
    frame.quality = 80;
    video.frames.push_back(frame);
  }
  video.duration_seconds = seconds;
  return video;
}

// Frames [start, start + seconds) of `video`, shifted to start at `phase` seconds, with
// `flipped_bits` bits of each hash flipped.
VideoFingerprint Clip(const VideoFingerprint& video, int start, int seconds, double phase, int flipped_bits) {
  std::mt19937_64 random(start * 7 + seconds);
  VideoFingerprint clip;
  for (int index = start; index < start + seconds; ++index) {
    VideoFrameHash frame = video.frames[index];
    frame.time_seconds = index - start + phase;
    for (int bit = 0; bit < flipped_bits; ++bit) {
      const int position = static_cast<int>(random() % 256);
      frame.hash.words[position / 64] ^= std::uint64_t{1} << (position % 64);
    }
    clip.frames.push_back(frame);
  }
  clip.duration_seconds = seconds;
  return clip;
}

VideoIndex IndexOf(int videos, int seconds) {
  VideoIndex index;
  for (int video = 0; video < videos; ++video) {
    EXPECT_TRUE(index.Add("video-" + std::to_string(video), RandomVideo(100 + video, seconds)).ok());
  }
  return index;
}

TEST(VideoIndexTest, ATenSecondClipOfATenMinuteVideoMatchesAtItsPosition) {
  const VideoIndex index = IndexOf(20, 600);
  EXPECT_EQ(index.size(), 20u);
  EXPECT_EQ(index.frame_count(), 20u * 600);
  const VideoFingerprint registered = RandomVideo(100 + 7, 600);
  for (const double phase : {0.0, 0.4, 0.9}) {
    const std::vector<VideoMatch> matches = index.Match(Clip(registered, 321, 10, phase, 12));
    ASSERT_EQ(matches.size(), 1u);
    EXPECT_EQ(matches[0].video_id, "video-7");
    EXPECT_NEAR(matches[0].offset_seconds, 321 - phase, 1.0);
    EXPECT_NEAR(matches[0].visual_coverage, 1.0, 1e-9);
    EXPECT_EQ(matches[0].matched_frames, 10u);
    EXPECT_NEAR(matches[0].score, 1.0, 1e-9);
  }
}

TEST(VideoIndexTest, FramesOutOfOrderOnlyCountAtOneOffset) {
  const VideoIndex index = IndexOf(3, 60);
  const VideoFingerprint registered = RandomVideo(101, 60);
  // Ten frames picked from all over the video, in shuffled order: each matches, but at ten
  // different offsets, so at most a couple agree.
  VideoFingerprint shuffled;
  for (int index_in_query = 0; index_in_query < 10; ++index_in_query) {
    VideoFrameHash frame = registered.frames[(index_in_query * 37) % 60];
    frame.time_seconds = index_in_query;
    shuffled.frames.push_back(frame);
  }
  const std::vector<VideoMatch> matches = index.Match(shuffled, 0.0);
  ASSERT_FALSE(matches.empty());
  EXPECT_LE(matches[0].visual_coverage, 0.3);
  EXPECT_TRUE(index.Match(shuffled).empty());
}

TEST(VideoIndexTest, AChangedFrameRateKeepsTheOffset) {
  const VideoIndex index = IndexOf(5, 120);
  const VideoFingerprint registered = RandomVideo(103, 120);
  // Sampled from a 24 fps copy: frames shown at 0, 1.042, 2.042, ... (the first frame at or
  // after each second).
  VideoFingerprint copy = Clip(registered, 40, 30, 0, 8);
  for (VideoFrameHash& frame : copy.frames) frame.time_seconds += 1.0 / 24;
  const std::vector<VideoMatch> matches = index.Match(copy);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].video_id, "video-3");
  EXPECT_NEAR(matches[0].offset_seconds, 40, 1.0);
}

TEST(VideoIndexTest, UnrelatedVideosAndLowQualityFramesMatchNothing) {
  const VideoIndex index = IndexOf(10, 120);
  EXPECT_TRUE(index.Match(RandomVideo(999, 60)).empty());
  VideoFingerprint dark = Clip(RandomVideo(104, 120), 10, 20, 0, 0);
  for (VideoFrameHash& frame : dark.frames) frame.quality = kMinVideoFrameQuality - 1;
  EXPECT_TRUE(index.Match(dark).empty());
}

TEST(VideoIndexTest, AudioAloneMatchesAndCombinesWithThePictures) {
  VideoIndex index;
  VideoFingerprint registered = RandomVideo(1, 60);
  std::mt19937 random(5);
  registered.has_audio = true;
  for (int item = 0; item < 480; ++item) registered.audio.items.push_back(random());
  ASSERT_TRUE(index.Add("with-audio", registered).ok());

  // Same sound, other pictures: an audio-only match at the audio's offset.
  VideoFingerprint redubbed = RandomVideo(2, 20);
  redubbed.has_audio = true;
  redubbed.audio.items.assign(registered.audio.items.begin() + 80, registered.audio.items.begin() + 240);
  std::vector<VideoMatch> matches = index.Match(redubbed);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].matched_frames, 0u);
  EXPECT_NEAR(matches[0].audio_coverage, 1.0, 1e-9);
  EXPECT_NEAR(matches[0].offset_seconds, 80 * kAudioItemSeconds, 0.01);

  // Half the pictures and all the sound: the two combine above either alone.
  VideoFingerprint half = Clip(registered, 10, 20, 0, 0);
  for (std::size_t frame = 10; frame < 20; ++frame)
    half.frames[frame].hash = RandomVideo(3, 20).frames[frame].hash;
  half.has_audio = true;
  half.audio.items.assign(registered.audio.items.begin() + 80, registered.audio.items.begin() + 240);
  matches = index.Match(half);
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_NEAR(matches[0].visual_coverage, 0.5, 0.01);
  EXPECT_GT(matches[0].score, matches[0].visual_coverage);
  EXPECT_GT(matches[0].score, 0.99);
}

TEST(VideoIndexTest, AddRemoveAndReload) {
  VideoIndex index = IndexOf(4, 90);
  EXPECT_EQ(index.Add("video-1", RandomVideo(1, 10)).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(index.Add("", RandomVideo(1, 10)).code(), ErrorCode::kInvalidArgument);
  VideoFingerprint flat = RandomVideo(1, 10);
  for (VideoFrameHash& frame : flat.frames) frame.quality = 0;
  EXPECT_EQ(index.Add("flat", flat).code(), ErrorCode::kInvalidArgument);

  ASSERT_TRUE(index.Remove("video-2").ok());
  EXPECT_EQ(index.Remove("video-2").code(), ErrorCode::kNotFound);
  EXPECT_TRUE(index.Match(Clip(RandomVideo(102, 90), 5, 10, 0, 0)).empty());

  const std::string directory = ::testing::TempDir() + "/rightchain-video-index-test";
  ASSERT_TRUE(index.Save(directory).ok());
  Result<VideoIndex> loaded = VideoIndex::Load(directory);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->size(), 3u);
  EXPECT_FALSE(loaded->Contains("video-2"));
  EXPECT_EQ(loaded->Serialize(), index.Serialize());
  const std::vector<VideoMatch> matches = loaded->Match(Clip(RandomVideo(103, 90), 50, 12, 0.5, 10));
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].video_id, "video-3");
  EXPECT_NEAR(matches[0].offset_seconds, 49.5, 1.0);
  // Still usable after reloading: add again what was removed.
  EXPECT_TRUE(loaded->Add("video-2", RandomVideo(102, 90)).ok());
  std::filesystem::remove_all(directory);
  EXPECT_EQ(VideoIndex::Load(directory).status().code(), ErrorCode::kNotFound);
}

TEST(VideoIndexTest, DamagedFilesAreRefused) {
  const Bytes bytes = IndexOf(2, 20).Serialize();
  Bytes flipped = bytes;
  flipped[bytes.size() / 2] ^= 1;
  EXPECT_EQ(VideoIndex::Deserialize(flipped).status().code(), ErrorCode::kCorruption);
  for (std::size_t size = 0; size < bytes.size(); size += 97) {
    EXPECT_FALSE(VideoIndex::Deserialize(ByteView(bytes).first(size), false).ok());
  }
}

}  // namespace
}  // namespace rightchain::fingerprint
