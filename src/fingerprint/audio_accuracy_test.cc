// The audio accuracy test (fixed seeds): synthetic tracks are registered with a few hundred
// distractors, copies made with sox (Ogg Vorbis re-encoding, resampling, ±10 dB gain, 15 s
// excerpts from the middle; white noise at 15 and 10 dB SNR added in the test) must match their original at a
// minimum recall per transformation, and nothing may match a wrong track, and unregistered tracks must match
// nothing. sox (with its Ogg Vorbis format) is required: without it the test fails, saying so.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>

#include "fingerprint/audio_index.h"
#include "fingerprint/media_fingerprint.h"
#include "fingerprint/testing/synthetic_audio.h"

namespace rightchain::fingerprint {
namespace {

namespace fs = std::filesystem;

constexpr int kOriginalCount = 30;
constexpr int kDistractorCount = 200;
constexpr int kUnregisteredCount = 20;
constexpr double kOriginalSeconds = 45.0;
constexpr double kDistractorSeconds = 30.0;
constexpr double kExcerptSeconds = 15.0;
constexpr int kSampleRateHz = 22050;

struct Transformation {
  std::string name;
  std::string output_extension;
  std::string sox_effects;          // after the output file name
  std::string output_options = "";  // before the output file name
  double min_recall = 0;
  bool excerpt = false;
  double noise_snr_db = 0;  // > 0: white noise added at this signal-to-noise ratio (no sox)
};

class AudioAccuracyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::path(::testing::TempDir()) / "rightchain-audio-accuracy-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(directory_, ignored);
  }

  // Runs sox; returns its error output when it fails.
  std::string Sox(const std::string& arguments) const {
    const fs::path log = directory_ / "sox.log";
    const std::string command = "sox " + arguments + " 2>" + log.string();
    const int status = std::system(command.c_str());
    if (status == 0) return "";
    std::ifstream file(log);
    std::stringstream text;
    text << file.rdbuf();
    return "sox " + arguments + " failed: " + text.str();
  }

  std::string WriteWav(const std::string& name, const std::vector<std::int16_t>& samples) const {
    const std::string path = (directory_ / name).string();
    const Bytes wav = testing::EncodeWav(samples, kSampleRateHz);
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(wav.data()), static_cast<std::streamsize>(wav.size()));
    return path;
  }

  // `samples` plus white Gaussian noise `snr_db` below the signal's power.
  static std::vector<std::int16_t> WithNoise(const std::vector<std::int16_t>& samples, double snr_db,
                                             std::mt19937_64& random) {
    double power = 0;
    for (const std::int16_t sample : samples) power += static_cast<double>(sample) * sample;
    power /= static_cast<double>(samples.size());
    std::normal_distribution<double> noise(0.0, std::sqrt(power / std::pow(10.0, snr_db / 10.0)));
    std::vector<std::int16_t> noisy(samples.size());
    for (std::size_t index = 0; index < samples.size(); ++index) {
      noisy[index] = static_cast<std::int16_t>(std::clamp(samples[index] + noise(random), -32768.0, 32767.0));
    }
    return noisy;
  }

  fs::path directory_;
  std::vector<std::vector<std::int16_t>> original_samples_;
  std::vector<long long> query_microseconds_;
};

TEST_F(AudioAccuracyTest, CopiesMatchTheirOriginalAndNothingElse) {
  // sox and its Ogg Vorbis format are part of the test: refuse to pass without them.
  ASSERT_EQ(std::system("sox --version >/dev/null 2>&1"), 0)
      << "sox is required by the audio accuracy test: install it with scripts/install-deps";
  ASSERT_EQ(std::system("sox -h 2>/dev/null | grep -q 'AUDIO FILE FORMATS:.* vorbis'"), 0)
      << "sox lacks the Ogg Vorbis format (libsox-fmt-base): install it with scripts/install-deps";

  AudioIndex index;
  std::vector<std::string> originals;
  for (int track = 0; track < kOriginalCount; ++track) {
    const std::vector<std::int16_t> samples =
        testing::SyntheticMusic(1000 + static_cast<std::uint64_t>(track), kOriginalSeconds, kSampleRateHz);
    originals.push_back(WriteWav("original-" + std::to_string(track) + ".wav", samples));
    original_samples_.push_back(samples);
    Result<MediaFingerprint> fingerprint = FingerprintFile(originals.back());
    ASSERT_TRUE(fingerprint.ok()) << fingerprint.status().message();
    ASSERT_TRUE(index.Add("original-" + std::to_string(track), fingerprint->audio.items).ok());
  }
  for (int track = 0; track < kDistractorCount; ++track) {
    // Distractors go straight from samples (at the fingerprint rate) to the index.
    const std::vector<std::int16_t> samples = testing::SyntheticMusic(
        5000 + static_cast<std::uint64_t>(track), kDistractorSeconds, kAudioSampleRateHz);
    Result<AudioFingerprint> fingerprint = FingerprintAudioSamples(samples);
    ASSERT_TRUE(fingerprint.ok()) << fingerprint.status().message();
    ASSERT_TRUE(index.Add("distractor-" + std::to_string(track), fingerprint->items).ok());
  }

  const std::vector<Transformation> transformations = {
      {"ogg-vorbis-q3", "ogg", "", "-C 3", 0.98},
      {"ogg-vorbis-q0", "ogg", "", "-C 0", 0.95},
      {"resample-8000", "wav", "", "-r 8000", 0.95},
      {"resample-44100", "wav", "", "-r 44100", 0.98},
      {"noise-15dB-snr", "wav", "", "", 0.90, false, 15.0},
      {"noise-10dB-snr", "wav", "", "", 0.70, false, 10.0},
      {"gain+10dB", "wav", "gain 10", "", 0.95},
      {"gain-10dB", "wav", "gain -10", "", 0.98},
      {"excerpt-15s", "wav", "", "", 0.90, /*excerpt=*/true},
  };
  std::mt19937_64 random(20261122);
  int false_matches = 0;
  std::ostringstream report;
  for (const Transformation& transformation : transformations) {
    int found = 0;
    double bit_error_rate_sum = 0;
    for (int track = 0; track < kOriginalCount; ++track) {
      const std::string copy = (directory_ / ("copy." + transformation.output_extension)).string();
      std::string effects = transformation.sox_effects;
      double start_seconds = 0;
      if (transformation.excerpt) {
        start_seconds =
            std::uniform_real_distribution<double>(5.0, kOriginalSeconds - kExcerptSeconds - 5.0)(random);
        effects = "trim " + std::to_string(start_seconds) + " " + std::to_string(kExcerptSeconds);
      }
      if (transformation.noise_snr_db > 0) {
        WriteWav("copy.wav", WithNoise(original_samples_[track], transformation.noise_snr_db, random));
      }
      const std::string error =
          transformation.noise_snr_db > 0
              ? ""
              : Sox(originals[track] + " " + transformation.output_options + " " + copy + " " + effects);
      ASSERT_EQ(error, "");
      Result<MediaFingerprint> query = FingerprintFile(copy);
      ASSERT_TRUE(query.ok()) << transformation.name << ": " << query.status().message();
      const auto started = std::chrono::steady_clock::now();
      const std::vector<AudioMatch> matches = index.Match(query->audio.items);
      query_microseconds_.push_back(
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started)
              .count());
      const std::string expected = "original-" + std::to_string(track);
      bool hit = false;
      for (const AudioMatch& match : matches) {
        if (match.track_id != expected) {
          ++false_matches;
          ADD_FAILURE() << transformation.name << " of " << expected << " matched " << match.track_id
                        << " at bit-error rate " << match.bit_error_rate;
          continue;
        }
        hit = true;
        bit_error_rate_sum += match.bit_error_rate;
        if (transformation.excerpt) {
          EXPECT_NEAR(match.offset_seconds, start_seconds, 0.5) << expected;
        }
      }
      if (hit) ++found;
    }
    const double recall = static_cast<double>(found) / kOriginalCount;
    report << transformation.name << ": recall " << recall << ", mean bit-error rate "
           << (found > 0 ? bit_error_rate_sum / found : 0) << "\n";
    EXPECT_GE(recall, transformation.min_recall) << transformation.name;
  }
  double closest_unrelated = 1.0;
  for (int track = 0; track < kUnregisteredCount; ++track) {
    const std::vector<std::int16_t> samples =
        testing::SyntheticMusic(9000 + static_cast<std::uint64_t>(track), 20.0, kAudioSampleRateHz);
    Result<AudioFingerprint> query = FingerprintAudioSamples(samples);
    ASSERT_TRUE(query.ok());
    // Calibration (printed, not asserted): the closest wrong track under a loose threshold.
    for (const AudioMatch& match : index.Match(query->items, 0.45)) {
      closest_unrelated = std::min(closest_unrelated, match.bit_error_rate);
    }
    for (const AudioMatch& match : index.Match(query->items)) {
      ++false_matches;
      ADD_FAILURE() << "unregistered track " << track << " matched " << match.track_id
                    << " at bit-error rate " << match.bit_error_rate;
    }
  }
  EXPECT_EQ(false_matches, 0);
  std::sort(query_microseconds_.begin(), query_microseconds_.end());
  report << "lowest bit-error rate of an unregistered track (threshold 0.45): " << closest_unrelated << "\n"
         << "query p50 " << query_microseconds_[query_microseconds_.size() / 2] << " us, max "
         << query_microseconds_.back() << " us over " << index.size() << " tracks\n";
  std::cout << report.str();
}

}  // namespace
}  // namespace rightchain::fingerprint
