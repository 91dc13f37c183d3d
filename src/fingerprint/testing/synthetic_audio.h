// Deterministic synthetic music for unit tests: a melody of notes from a scale, each with a
// chord of harmonics under an attack/decay envelope, over a little noise, and a WAV encoder.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#include "base/bytes.h"

namespace rightchain::fingerprint::testing {

inline std::vector<std::int16_t> SyntheticMusic(std::uint64_t seed, double seconds, int sample_rate_hz) {
  std::mt19937_64 random(seed);
  // Its own stream, so that the notes are the same at every sample rate.
  std::mt19937_64 noise_random(seed ^ 0x9e3779b97f4a7c15ull);
  std::uniform_int_distribution<int> semitone(-12, 14);
  std::uniform_real_distribution<double> note_seconds(0.15, 0.6);
  std::normal_distribution<double> noise(0.0, 0.01);
  const auto total = static_cast<std::size_t>(seconds * sample_rate_hz);
  std::vector<std::int16_t> samples(total);
  std::size_t start = 0;
  while (start < total) {
    const auto length =
        std::min(total - start, static_cast<std::size_t>(note_seconds(random) * sample_rate_hz));
    const double root_hz = 220.0 * std::pow(2.0, semitone(random) / 12.0);
    const double third = std::pow(2.0, (random() % 2 == 0 ? 4 : 3) / 12.0);
    for (std::size_t index = 0; index < length; ++index) {
      const double t = static_cast<double>(index) / sample_rate_hz;
      const double envelope = std::min(1.0, t / 0.01) * std::exp(-3.0 * t);
      double value = 0;
      for (const double ratio : {1.0, third, 1.5, 2.0})
        value += std::sin(2 * std::numbers::pi * root_hz * ratio * t);
      value = 0.2 * envelope * value + noise(noise_random);
      samples[start + index] = static_cast<std::int16_t>(std::clamp(value, -1.0, 1.0) * 32767.0);
    }
    start += std::max<std::size_t>(length, 1);
  }
  return samples;
}

// A canonical 44-byte-header PCM WAV file; `samples` interleaved when `channels` > 1.
inline Bytes EncodeWav(std::span<const std::int16_t> samples, int sample_rate_hz, int channels = 1) {
  Bytes wav;
  const auto put = [&wav](std::uint32_t value, int size_bytes) {
    for (int index = 0; index < size_bytes; ++index)
      wav.push_back(static_cast<std::uint8_t>(value >> (8 * index)));
  };
  const auto tag = [&wav](std::string_view text) {
    for (const char c : text) wav.push_back(static_cast<std::uint8_t>(c));
  };
  const auto data_bytes = static_cast<std::uint32_t>(2 * samples.size());
  tag("RIFF");
  put(36 + data_bytes, 4);
  tag("WAVE");
  tag("fmt ");
  put(16, 4);
  put(1, 2);  // PCM
  put(static_cast<std::uint32_t>(channels), 2);
  put(static_cast<std::uint32_t>(sample_rate_hz), 4);
  put(static_cast<std::uint32_t>(sample_rate_hz * channels * 2), 4);
  put(static_cast<std::uint32_t>(channels * 2), 2);
  put(16, 2);
  tag("data");
  put(data_bytes, 4);
  for (const std::int16_t sample : samples) put(static_cast<std::uint16_t>(sample), 2);
  return wav;
}

}  // namespace rightchain::fingerprint::testing
