// Video decoding and frame hashing on small videos made with the ffmpeg command (required, as
// for the video accuracy test): sampling, pruning of still scenes, black-border cropping, kind
// detection, and clear errors (never a crash) for damaged or unsupported input.
#include "fingerprint/video_fingerprint.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "fingerprint/media_fingerprint.h"
#include "fingerprint/testing/video_corpus.h"

namespace rightchain::fingerprint {
namespace {

namespace fs = std::filesystem;
using testing::RunFfmpeg;
using testing::ShellQuote;

class VideoFingerprintTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::CheckFfmpeg().ok()) << testing::CheckFfmpeg().message();
    std::string pattern = (fs::path(::testing::TempDir()) / "rightchain-video-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(directory_, ignored);
  }

  // A video of FFmpeg's `source` filter (lavfi), `seconds` long, with `filter` applied.
  fs::path Make(const std::string& name, const std::string& source, double seconds,
                const std::string& filter = "",
                const std::string& encoding = "-c:v libx264 -preset ultrafast -pix_fmt yuv420p") {
    const fs::path path = directory_ / name;
    const std::string vf = filter.empty() ? "" : "-vf " + ShellQuote(filter) + " ";
    const Status status = RunFfmpeg("-f lavfi -t " + std::to_string(seconds) + " -i " + ShellQuote(source) +
                                    " " + vf + encoding + " " + ShellQuote(path.string()));
    EXPECT_TRUE(status.ok()) << status.message();
    return path;
  }

  static Bytes Read(const fs::path& path) {
    Result<Bytes> bytes = ReadFileBytes(path, kMaxVideoFileSizeBytes);
    EXPECT_TRUE(bytes.ok());
    return bytes.ok() ? *bytes : Bytes{};
  }

  fs::path directory_;
};

constexpr char kMandelbrot[] =
    "mandelbrot=s=320x180:r=30:start_x=-0.743643887:start_y=0.131825904:end_pts=300";

TEST_F(VideoFingerprintTest, SamplesAboutOneFramePerSecondWithTimes) {
  const Bytes content = Read(Make("zoom.mp4", kMandelbrot, 12));
  ASSERT_TRUE(IsVideoContent(content));
  Result<VideoFingerprint> video = FingerprintVideoBytes(content);
  ASSERT_TRUE(video.ok()) << video.status().message();
  EXPECT_EQ(video->width, 320);
  EXPECT_EQ(video->height, 180);
  EXPECT_NEAR(video->duration_seconds, 12.0, 0.1);
  EXPECT_EQ(video->decoded_frames, 360u);
  EXPECT_EQ(video->sampled_frames, 12u);
  EXPECT_FALSE(video->has_audio);
  ASSERT_GE(video->frames.size(), 6u);
  EXPECT_LE(video->frames.size(), 12u);
  double covered = 0;
  for (std::size_t index = 0; index < video->frames.size(); ++index) {
    if (index > 0) {
      EXPECT_GT(video->frames[index].time_seconds, video->frames[index - 1].time_seconds);
    }
    covered += video->frames[index].duration_seconds;
  }
  EXPECT_NEAR(covered, 12.0, 0.1);  // kept frames' spans tile the video
  EXPECT_EQ(EncodeVideoFingerprint(*video).size(), video->frames.size() * 41);
}

TEST_F(VideoFingerprintTest, AStillSceneIsOneFrameSpanningIt) {
  // One picture held for ten seconds.
  Result<VideoFingerprint> video = FingerprintVideoBytes(Read(Make(
      "still.mp4", "testsrc2=s=320x180:r=25", 1, "trim=end_frame=1,tpad=stop_mode=clone:stop_duration=10")));
  ASSERT_TRUE(video.ok()) << video.status().message();
  EXPECT_NEAR(video->duration_seconds, 10.0, 0.1);
  ASSERT_EQ(video->frames.size(), 1u);
  EXPECT_NEAR(video->frames[0].duration_seconds, video->duration_seconds, 1e-9);
  EXPECT_GE(video->frames[0].quality, 50);
}

TEST_F(VideoFingerprintTest, LetterboxAndPillarboxBarsAreCropped) {
  const std::string source = kMandelbrot;
  Result<VideoFingerprint> original = FingerprintVideoFrames(Read(Make("original.mp4", source, 6)));
  Result<VideoFingerprint> letterbox =
      FingerprintVideoFrames(Read(Make("letterbox.mp4", source, 6, "pad=320:320:0:70:black")));
  Result<VideoFingerprint> pillarbox =
      FingerprintVideoFrames(Read(Make("pillarbox.mp4", source, 6, "pad=480:180:80:0:black")));
  ASSERT_TRUE(original.ok() && letterbox.ok() && pillarbox.ok());
  // Without cropping, a third of the picture being black moves the hash by far more than 31 bits.
  for (const VideoFingerprint* copy : {&*letterbox, &*pillarbox}) {
    ASSERT_FALSE(copy->frames.empty());
    for (const VideoFrameHash& frame : copy->frames) {
      int best = 256;
      for (const VideoFrameHash& registered : original->frames) {
        if (std::abs(registered.time_seconds - frame.time_seconds) < 1.5) {
          best = std::min(best, HammingDistance(registered.hash, frame.hash));
        }
      }
      EXPECT_LE(best, 24) << "frame at " << frame.time_seconds << " s";
    }
  }
}

TEST_F(VideoFingerprintTest, MediaKindIsVideoAndTheAudioTrackIsFingerprinted) {
  const fs::path path = directory_ / "with-audio.mkv";
  ASSERT_TRUE(
      RunFfmpeg("-f lavfi -t 8 -i " + ShellQuote(kMandelbrot) +
                " -f lavfi -t 8 -i 'anoisesrc=seed=4:color=pink,lowpass=3000' -c:v libx264 -preset ultrafast "
                "-pix_fmt yuv420p -c:a libopus " +
                ShellQuote(path.string()))
          .ok());
  Result<MediaFingerprint> media = FingerprintFile(path);
  ASSERT_TRUE(media.ok()) << media.status().message();
  EXPECT_EQ(media->kind, MediaKind::kVideo);
  EXPECT_EQ(media->algorithm, kVideoAlgorithmName);
  EXPECT_TRUE(media->video.has_audio);
  EXPECT_GE(media->video.audio.items.size(), kMinAudioItems);

  // The same container with only the audio stays audio.
  const fs::path audio_only = directory_ / "audio-only.mkv";
  ASSERT_TRUE(
      RunFfmpeg("-i " + ShellQuote(path.string()) + " -vn -c:a copy " + ShellQuote(audio_only.string()))
          .ok());
  Result<MediaFingerprint> audio = FingerprintFile(audio_only);
  ASSERT_TRUE(audio.ok()) << audio.status().message();
  EXPECT_EQ(audio->kind, MediaKind::kAudio);
}

TEST_F(VideoFingerprintTest, DamagedOrUnsupportedInputIsAClearError) {
  const Bytes content = Read(Make("whole.mp4", kMandelbrot, 4));
  // Truncated anywhere: an error or the frames before the cut, never a crash.
  for (std::size_t size :
       {std::size_t{0}, std::size_t{12}, std::size_t{100}, content.size() / 3, content.size() - 7}) {
    Result<VideoFingerprint> video = FingerprintVideoFrames(ByteView(content).first(size));
    if (!video.ok()) {
      EXPECT_EQ(video.status().code(), ErrorCode::kInvalidArgument) << video.status().message();
      EXPECT_FALSE(video.status().message().empty());
    }
  }
  // Bytes flipped in the middle: decoding carries on.
  Bytes damaged = content;
  for (std::size_t index = damaged.size() / 2; index < damaged.size() / 2 + 64; ++index)
    damaged[index] ^= 0x5A;
  (void)FingerprintVideoFrames(damaged);

  Result<VideoFingerprint> garbage = FingerprintVideoFrames(AsBytes("this is not a video at all"));
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(garbage.status().message().find("not a readable video file"), std::string::npos)
      << garbage.status().message();

  const fs::path wav = directory_ / "tone.wav";
  ASSERT_TRUE(RunFfmpeg("-f lavfi -t 5 -i sine=f=440 " + ShellQuote(wav.string())).ok());
  Result<VideoFingerprint> no_video = FingerprintVideoFrames(Read(wav));
  ASSERT_FALSE(no_video.ok());
  EXPECT_EQ(no_video.status().message(), "no video stream found");
}

}  // namespace
}  // namespace rightchain::fingerprint
