#include "fingerprint/audio_fingerprint.h"

#include <gtest/gtest.h>

#include <bit>
#include <random>

#include "fingerprint/media_fingerprint.h"
#include "fingerprint/testing/synthetic_audio.h"

namespace rightchain::fingerprint {
namespace {

using testing::EncodeWav;
using testing::SyntheticMusic;

double BitErrorRate(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
  const std::size_t count = std::min(a.size(), b.size());
  std::uint64_t bits = 0;
  for (std::size_t index = 0; index < count; ++index) bits += std::popcount(a[index] ^ b[index]);
  return static_cast<double>(bits) / (32.0 * static_cast<double>(count));
}

TEST(AudioFingerprintTest, DecodesStereoWavToMonoAtFingerprintRate) {
  const std::vector<std::int16_t> mono = SyntheticMusic(1, 10.0, 44100);
  std::vector<std::int16_t> stereo;
  for (const std::int16_t sample : mono) stereo.insert(stereo.end(), {sample, sample});
  Result<std::vector<std::int16_t>> decoded = DecodeAudioBytes(EncodeWav(stereo, 44100, 2));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_NEAR(static_cast<double>(decoded->size()), 10.0 * kAudioSampleRateHz, 0.01 * kAudioSampleRateHz);
}

TEST(AudioFingerprintTest, GivesAboutEightItemsPerSecond) {
  Result<AudioFingerprint> fingerprint =
      FingerprintAudioBytes(EncodeWav(SyntheticMusic(2, 30.0, 22050), 22050));
  ASSERT_TRUE(fingerprint.ok()) << fingerprint.status().message();
  EXPECT_NEAR(fingerprint->duration_seconds, 30.0, 0.05);
  // Chromaprint's filters span a few seconds, so a track gives a little under 30 / 0.124 items.
  EXPECT_GT(fingerprint->items.size(), 200u);
  EXPECT_LT(fingerprint->items.size(), 245u);
  EXPECT_EQ(EncodeAudioFingerprint(*fingerprint).size(), 4 * fingerprint->items.size());
}

TEST(AudioFingerprintTest, SameMusicAtAnotherRateAndGainIsFewBitsApart) {
  const std::vector<std::int16_t> original = SyntheticMusic(3, 20.0, 44100);
  std::vector<std::int16_t> quieter = SyntheticMusic(3, 20.0, 22050);
  for (std::int16_t& sample : quieter) sample = static_cast<std::int16_t>(sample / 3);  // about -10 dB
  Result<AudioFingerprint> a = FingerprintAudioBytes(EncodeWav(original, 44100));
  Result<AudioFingerprint> b = FingerprintAudioBytes(EncodeWav(quieter, 22050));
  Result<AudioFingerprint> other = FingerprintAudioBytes(EncodeWav(SyntheticMusic(4, 20.0, 44100), 44100));
  ASSERT_TRUE(a.ok() && b.ok() && other.ok());
  EXPECT_LT(BitErrorRate(a->items, b->items), 0.15);
  EXPECT_GT(BitErrorRate(a->items, other->items), 0.35);
}

TEST(AudioFingerprintTest, RecognisesAudioContainers) {
  EXPECT_TRUE(IsAudioContent(EncodeWav(SyntheticMusic(5, 0.1, 8000), 8000)));
  using namespace std::string_view_literals;
  for (std::string_view start :
       {"ID3\x04\0\0"sv, "OggS\0\x02"sv, "fLaC\0\0"sv, "\xff\xfb\x90\x64"sv, "\xff\xf1\x50\x80"sv,
        "\0\0\0\x20"
        "ftypM4A "sv,
        "#!AMR\n"sv}) {
    EXPECT_TRUE(IsAudioContent(AsBytes(start))) << start;
  }
  // Text that begins with the same letters as a signature stays text.
  EXPECT_FALSE(IsAudioContent(AsBytes("ID3 tags hold the title of an MP3 file.")));
  EXPECT_FALSE(IsAudioContent(AsBytes("OggS is the capture pattern of an Ogg page.")));
  EXPECT_FALSE(IsAudioContent(AsBytes("The ftyp box comes first.")));
  EXPECT_FALSE(IsAudioContent(AsBytes("plain text")));
  EXPECT_FALSE(
      IsAudioContent(AsBytes(std::string_view("\xff\xfeT\0e\0x\0t\0", 10))));  // UTF-16 byte-order mark
  EXPECT_FALSE(IsAudioContent(AsBytes("\x89PNG\r\n\x1a\n")));
}

TEST(AudioFingerprintTest, MediaFingerprintRoutesAudioFiles) {
  Result<MediaFingerprint> media = FingerprintBytes(EncodeWav(SyntheticMusic(9, 12.0, 16000), 16000));
  ASSERT_TRUE(media.ok()) << media.status().message();
  EXPECT_EQ(media->kind, MediaKind::kAudio);
  EXPECT_EQ(MediaKindName(media->kind), "audio");
  EXPECT_EQ(media->algorithm, kAudioAlgorithmName);
  EXPECT_EQ(media->fingerprint, EncodeAudioFingerprint(media->audio));
  EXPECT_GT(media->audio.items.size(), 60u);
}

TEST(AudioFingerprintTest, RefusesCorruptTruncatedAndOversizedInput) {
  EXPECT_EQ(DecodeAudioBytes({}).status().code(), ErrorCode::kInvalidArgument);
  std::mt19937_64 random(6);
  Bytes noise(4096);
  for (std::uint8_t& byte : noise) byte = static_cast<std::uint8_t>(random());
  EXPECT_FALSE(DecodeAudioBytes(noise).ok());

  const Bytes wav = EncodeWav(SyntheticMusic(7, 5.0, 11025), 11025);
  const Bytes header_only(wav.begin(), wav.begin() + 40);
  EXPECT_FALSE(FingerprintAudioBytes(header_only).ok());
  // A damaged header (zero channels) is refused, not decoded into garbage.
  Bytes damaged = wav;
  damaged[22] = 0;
  damaged[23] = 0;
  EXPECT_FALSE(FingerprintAudioBytes(damaged).ok());

  Bytes huge(kMaxAudioFileSizeBytes + 1);
  std::copy(wav.begin(), wav.begin() + 44, huge.begin());
  EXPECT_EQ(DecodeAudioBytes(huge).status().code(), ErrorCode::kLimitExceeded);
}

TEST(AudioFingerprintTest, RefusesAudioTooShortOrTooLong) {
  Result<AudioFingerprint> short_clip =
      FingerprintAudioBytes(EncodeWav(SyntheticMusic(8, 1.0, 11025), 11025));
  EXPECT_EQ(short_clip.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(short_clip.status().message().find("too short"), std::string::npos);
  // 31 minutes of 8-bit-rate mono (8 kHz, 16 bit) is under the byte limit but over the time limit.
  const std::vector<std::int16_t> silence(static_cast<std::size_t>(31 * 60 * 8000), 0);
  EXPECT_EQ(DecodeAudioBytes(EncodeWav(silence, 8000)).status().code(), ErrorCode::kLimitExceeded);
}

}  // namespace
}  // namespace rightchain::fingerprint
