// Audio fingerprints: FFmpeg decodes any format it reads (from memory), resamples to mono at
// 11,025 Hz, and Chromaprint computes its raw fingerprint: one 32-bit item about every 0.124 s
// (a hop of 1,365 samples), each bit the sign of a filter over a window of chroma features, so
// that similar audio gives items a few bits apart (compared by bit-error rate, audio_index.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"

namespace rightchain::fingerprint {

inline constexpr std::string_view kAudioAlgorithmName = "chromaprint-raw-2";
// Inputs larger than this are refused before decoding.
inline constexpr std::size_t kMaxAudioFileSizeBytes = std::size_t{64} << 20;
inline constexpr double kMaxAudioDurationSeconds = 30.0 * 60.0;
// What Chromaprint's default algorithm works at: feeding it this rate skips its own resampler.
inline constexpr int kAudioSampleRateHz = 11025;
inline constexpr std::size_t kMaxAudioSamples =
    static_cast<std::size_t>(kMaxAudioDurationSeconds * kAudioSampleRateHz);
// The hop between fingerprint items: a third of Chromaprint's 4,096-sample frame.
inline constexpr int kAudioItemHopSamples = 1365;
inline constexpr double kAudioItemSeconds = static_cast<double>(kAudioItemHopSamples) / kAudioSampleRateHz;
// Shorter audio gives too few items to match reliably (Chromaprint needs about 2.5 s for one).
inline constexpr std::size_t kMinAudioItems = 16;

struct AudioFingerprint {
  std::vector<std::uint32_t> items;  // Chromaprint's raw fingerprint, in time order
  double duration_seconds = 0;       // of the decoded audio
};

// Whether `content` starts like an audio container or stream FFmpeg reads: WAV, AIFF, AU, MP3
// (ID3 or frame sync, also ADTS AAC), Ogg, FLAC, MP4/M4A, Matroska/WebM, AMR, WavPack, APE.
bool IsAudioContent(ByteView content);

// Decodes the first audio stream of `content` to mono 16-bit samples at kAudioSampleRateHz.
// kLimitExceeded past kMaxAudioFileSizeBytes or kMaxAudioDurationSeconds; kInvalidArgument
// when FFmpeg cannot read the container, there is no audio stream or no decodable audio.
Result<std::vector<std::int16_t>> DecodeAudioBytes(ByteView content);

// DecodeAudioBytes without the file size limit, for the audio track of a video file (whose
// bytes are mostly pictures); the duration limit still applies.
Result<std::vector<std::int16_t>> DecodeAudioTrack(ByteView content);

// The raw fingerprint of mono samples at kAudioSampleRateHz; kInvalidArgument when they give
// fewer than kMinAudioItems items (too short).
Result<AudioFingerprint> FingerprintAudioSamples(std::span<const std::int16_t> samples);
Result<AudioFingerprint> FingerprintAudioBytes(ByteView content);
Result<AudioFingerprint> FingerprintAudioTrack(ByteView content);

// Items as little-endian 32-bit words (what `rightchain fingerprint` prints in hex).
Bytes EncodeAudioFingerprint(const AudioFingerprint& fingerprint);

}  // namespace rightchain::fingerprint
