// The module's front door: fingerprint a file or bytes of any supported kind.
// `rightchain fingerprint FILE` prints kind, algorithm and the fingerprint bytes from here;
// `rightchain index add/remove` and `rightchain match` go through TextIndex and ImageIndex.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"
#include "fingerprint/audio_fingerprint.h"
#include "fingerprint/image_fingerprint.h"
#include "fingerprint/text_fingerprint.h"
#include "fingerprint/video_fingerprint.h"

namespace rightchain::fingerprint {

// Files larger than this are refused before reading.
inline constexpr std::uintmax_t kMaxInputFileSizeBytes =
    std::max({kMaxTextSizeBytes, kMaxImageFileSizeBytes, kMaxAudioFileSizeBytes, kMaxVideoFileSizeBytes});

enum class MediaKind : std::uint8_t {
  kText = 1,
  kImage = 2,
  kAudio = 3,
  kVideo = 4,
};

std::string_view MediaKindName(MediaKind kind);  // "text", "image", "audio", "video"

struct MediaFingerprint {
  MediaKind kind = MediaKind::kText;
  // kTextAlgorithmName, kImageAlgorithmName, kAudioAlgorithmName or kVideoAlgorithmName
  std::string_view algorithm;
  // Text: EncodeTextFingerprint(text). Image: the 32 bytes of the whole image's hash, most
  // significant first (the hex form is ImageHashToHex(image.whole())). Audio:
  // EncodeAudioFingerprint(audio). Video: EncodeVideoFingerprint(video).
  Bytes fingerprint;
  TextFingerprint text;    // kText: the decoded form, for indexing and matching
  ImageFingerprint image;  // kImage: the registration hashes (whole image first)
  AudioFingerprint audio;  // kAudio: the raw Chromaprint items
  VideoFingerprint video;  // kVideo: the kept frames and the audio track's fingerprint
};

// Recognises the kind from the content: images by their signature (PNG, JPEG, WebP, BMP, TIFF,
// PNM: image_fingerprint.h), video by its container's signature and a video stream in it
// (IsVideoContent; checked before audio, whose containers it shares), audio by its container's
// signature (IsAudioContent), otherwise UTF-8 text (an
// optional UTF-8 byte-order mark is skipped). Other binary data and UTF-16 are refused with kInvalidArgument
// saying what was seen; ill-formed UTF-8 with the offset of the first bad byte; images that cannot be decoded
// as DecodeImage says; audio as DecodeAudioBytes and FingerprintAudioSamples say; video as
// FingerprintVideoBytes says.
Result<MediaFingerprint> FingerprintBytes(ByteView content);
Result<MediaFingerprint> FingerprintFile(const std::filesystem::path& path);

// Whether `content` is an image by its signature (what FingerprintBytes would treat as one).
bool IsImageContent(ByteView content);

// The query form for TextIndex::Match (every gram kept), with the same checks and errors.
Result<TextFingerprint> FingerprintQueryBytes(ByteView content);
Result<TextFingerprint> FingerprintQueryFile(const std::filesystem::path& path);

// A video container whose video FFmpeg cannot read falls through to audio: when that fails too,
// the error says the file may be a damaged video. Other statuses pass through.
Status DamagedVideoOr(ByteView content, const Status& audio_status);

// Reads a whole file, refusing ones larger than `max_size_bytes` (kIoError, kLimitExceeded).
Result<Bytes> ReadFileBytes(const std::filesystem::path& path, std::uintmax_t max_size_bytes);

}  // namespace rightchain::fingerprint
