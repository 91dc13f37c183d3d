// Audio index query speed: a 15 s excerpt of a real (synthetic-music) track against indexes of
// N tracks of 1,500 items (about 3 minutes each). The other tracks' items are uniformly random,
// so buckets are evenly filled (real Chromaprint items are skewed: expect somewhat slower).
// Also at the audio harness's padded size (100,000 short tracks), and the fingerprint speed: decoding a 30 s
// WAV and Chromaprint.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "base/assert.h"
#include "fingerprint/audio_index.h"
#include "fingerprint/testing/synthetic_audio.h"

namespace rightchain::fingerprint {
namespace {

constexpr std::size_t kItemsPerTrack = 1500;

void BM_AudioIndexMatchExcerpt(benchmark::State& state) {
  const auto track_count = static_cast<std::size_t>(state.range(0));
  AudioIndex index;
  std::mt19937_64 random(20261122);
  std::vector<std::uint32_t> items(kItemsPerTrack);
  for (std::size_t track = 1; track < track_count; ++track) {
    for (std::uint32_t& item : items) item = static_cast<std::uint32_t>(random());
    RC_ASSERT(index.Add("random-" + std::to_string(track), items).ok());
  }
  const std::vector<std::int16_t> song = testing::SyntheticMusic(7, 60.0, kAudioSampleRateHz);
  Result<AudioFingerprint> registered = FingerprintAudioSamples(song);
  RC_ASSERT(registered.ok());
  RC_ASSERT(index.Add("song", registered->items).ok());
  const std::vector<std::int16_t> excerpt(song.begin() + 20 * kAudioSampleRateHz,
                                          song.begin() + 35 * kAudioSampleRateHz);
  Result<AudioFingerprint> query = FingerprintAudioSamples(excerpt);
  RC_ASSERT(query.ok());
  for (auto _ : state) {
    const std::vector<AudioMatch> matches = index.Match(query->items);
    RC_ASSERT(!matches.empty() && matches.front().track_id == "song");
    benchmark::DoNotOptimize(matches);
  }
  state.counters["index_MiB"] = static_cast<double>(index.MemoryUsageBytes()) / (1 << 20);
}
BENCHMARK(BM_AudioIndexMatchExcerpt)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

// The audio harness's padded setting: 100,000 tracks of 143 items (about 18 s, the mean length of
// its registered tracks), one of them a 60 s synthetic song, the others uniformly random. Queries:
// 0 a 15 s excerpt, 1 the whole song with white noise at 10 dB SNR, 2 an unregistered 30 s song.
constexpr std::size_t kPaddedTracks = 100000;
constexpr std::size_t kPaddedItemsPerTrack = 143;

const AudioIndex& PaddedIndex() {
  static const AudioIndex* index = [] {
    auto* built = new AudioIndex;
    std::mt19937_64 random(20261122);
    std::vector<std::uint32_t> items(kPaddedItemsPerTrack);
    for (std::size_t track = 1; track < kPaddedTracks; ++track) {
      for (std::uint32_t& item : items) item = static_cast<std::uint32_t>(random());
      RC_ASSERT(built->Add("padding-" + std::to_string(track), items).ok());
    }
    Result<AudioFingerprint> song =
        FingerprintAudioSamples(testing::SyntheticMusic(7, 60.0, kAudioSampleRateHz));
    RC_ASSERT(song.ok());
    RC_ASSERT(built->Add("song", song->items).ok());
    return built;
  }();
  return *index;
}

std::vector<std::uint32_t> PaddedQuery(std::int64_t kind) {
  std::vector<std::int16_t> samples = testing::SyntheticMusic(kind == 2 ? 9 : 7, 60.0, kAudioSampleRateHz);
  if (kind == 0) {
    samples = std::vector<std::int16_t>(samples.begin() + 20 * kAudioSampleRateHz,
                                        samples.begin() + 35 * kAudioSampleRateHz);
  } else if (kind == 1) {
    double energy = 0;
    for (const std::int16_t sample : samples) energy += static_cast<double>(sample) * sample;
    std::normal_distribution<double> noise(
        0.0, std::sqrt(energy / static_cast<double>(samples.size())) / std::pow(10.0, 10.0 / 20.0));
    std::mt19937_64 random(5);
    for (std::int16_t& sample : samples) {
      sample = static_cast<std::int16_t>(std::clamp(sample + noise(random), -32768.0, 32767.0));
    }
  } else {
    samples.resize(30 * kAudioSampleRateHz);
  }
  Result<AudioFingerprint> query = FingerprintAudioSamples(samples);
  RC_ASSERT(query.ok());
  return query->items;
}

void BM_AudioIndexMatchPadded100k(benchmark::State& state) {
  const AudioIndex& index = PaddedIndex();
  const std::vector<std::uint32_t> query = PaddedQuery(state.range(0));
  for (auto _ : state) {
    const std::vector<AudioMatch> matches = index.Match(query);
    RC_ASSERT(state.range(0) == 2 ? matches.empty() : !matches.empty() && matches.front().track_id == "song");
    benchmark::DoNotOptimize(matches);
  }
  state.counters["query_items"] = static_cast<double>(query.size());
  state.counters["index_MiB"] = static_cast<double>(index.MemoryUsageBytes()) / (1 << 20);
}
BENCHMARK(BM_AudioIndexMatchPadded100k)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_AudioFingerprintWav30s(benchmark::State& state) {
  const Bytes wav = testing::EncodeWav(testing::SyntheticMusic(8, 30.0, 44100), 44100);
  for (auto _ : state) {
    Result<AudioFingerprint> fingerprint = FingerprintAudioBytes(wav);
    RC_ASSERT(fingerprint.ok());
    benchmark::DoNotOptimize(fingerprint);
  }
}
BENCHMARK(BM_AudioFingerprintWav30s)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace rightchain::fingerprint
