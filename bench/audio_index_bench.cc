// Audio index query speed: a 15 s excerpt of a real (synthetic-music) track against indexes of
// N tracks of 1,500 items (about 3 minutes each). The other tracks' items are uniformly random,
// so buckets are evenly filled (real Chromaprint items are skewed: expect somewhat slower).
// Also the fingerprint speed: decoding a 30 s WAV and Chromaprint.
#include <benchmark/benchmark.h>

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
