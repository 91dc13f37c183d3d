#include "fingerprint/media_fingerprint.h"

#include <fstream>

#include "fingerprint/image_hash.h"

namespace rightchain::fingerprint {
namespace {

bool StartsWith(ByteView content, std::string_view prefix) {
  return content.size() >= prefix.size() && AsText(content.first(prefix.size())) == prefix;
}

// Names binary formats a user is likely to try, so the error says what the file is.
std::string_view RecogniseBinary(ByteView content) {
  if (StartsWith(content, "\x89PNG\r\n\x1a\n")) return "a PNG image";
  if (StartsWith(content, "\xff\xd8\xff")) return "a JPEG image";
  if (StartsWith(content, "GIF87a") || StartsWith(content, "GIF89a")) return "a GIF image";
  if (StartsWith(content, "RIFF") && content.size() >= 12 && AsText(content.subspan(8, 4)) == "WEBP") {
    return "a WebP image";
  }
  if (StartsWith(content, "%PDF-")) return "a PDF document";
  if (StartsWith(content, "\xff\xfe") || StartsWith(content, "\xfe\xff"))
    return "UTF-16 text (convert it to UTF-8)";
  if (StartsWith(content, "PK\x03\x04")) return "a ZIP archive";
  if (StartsWith(content, "\x1f\x8b")) return "gzip-compressed data";
  return {};
}

// The text of `content` when it is a supported kind (UTF-8 text, byte-order mark dropped).
Result<std::string_view> TextContent(ByteView content) {
  const std::string_view recognised = RecogniseBinary(content);
  if (!recognised.empty()) {
    return Status::InvalidArgument("unsupported content: " + std::string(recognised) +
                                   "; only UTF-8 text, PNG, JPEG, WebP, BMP, TIFF or PNM images, audio and "
                                   "video files can be fingerprinted");
  }
  std::string_view text = AsText(content);
  if (text.starts_with("\xef\xbb\xbf")) text.remove_prefix(3);
  if (text.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("unsupported content: binary data (contains NUL bytes), not UTF-8 text");
  }
  return text;
}

}  // namespace

Status DamagedVideoOr(ByteView content, const Status& audio_status) {
  if (audio_status.code() != ErrorCode::kInvalidArgument || !HasVideoContainerSignature(content))
    return audio_status;
  return Status::InvalidArgument("not a readable video or audio file (damaged, truncated or unsupported): " +
                                 audio_status.message());
}

std::string_view MediaKindName(MediaKind kind) {
  switch (kind) {
    case MediaKind::kText: return "text";
    case MediaKind::kImage: return "image";
    case MediaKind::kAudio: return "audio";
    case MediaKind::kVideo: return "video";
  }
  return "unknown";
}

Result<TextFingerprint> FingerprintQueryBytes(ByteView content) {
  RC_ASSIGN_OR_RETURN(std::string_view text, TextContent(content));
  return FingerprintQueryText(text);
}

Result<TextFingerprint> FingerprintQueryFile(const std::filesystem::path& path) {
  RC_ASSIGN_OR_RETURN(Bytes bytes, ReadFileBytes(path, kMaxInputFileSizeBytes));
  Result<TextFingerprint> result = FingerprintQueryBytes(bytes);
  if (!result.ok()) return result.status().WithContext(path.string());
  return result;
}

bool IsImageContent(ByteView content) {
  return !RecogniseImage(content).empty();
}

Result<MediaFingerprint> FingerprintBytes(ByteView content) {
  if (IsImageContent(content)) {
    RC_ASSIGN_OR_RETURN(ImageFingerprint image, FingerprintImageBytes(content, ImageHashing::kRegistration));
    MediaFingerprint result;
    result.kind = MediaKind::kImage;
    result.algorithm = kImageAlgorithmName;
    for (int word = 3; word >= 0; --word) {
      for (int shift = 56; shift >= 0; shift -= 8) {
        result.fingerprint.push_back(static_cast<std::uint8_t>(image.whole().words[word] >> shift));
      }
    }
    result.image = std::move(image);
    return result;
  }
  if (IsVideoContent(content)) {
    RC_ASSIGN_OR_RETURN(VideoFingerprint video, FingerprintVideoBytes(content));
    MediaFingerprint result;
    result.kind = MediaKind::kVideo;
    result.algorithm = kVideoAlgorithmName;
    result.fingerprint = EncodeVideoFingerprint(video);
    result.video = std::move(video);
    return result;
  }
  if (IsAudioContent(content)) {
    Result<AudioFingerprint> audio = FingerprintAudioBytes(content);
    if (!audio.ok()) return DamagedVideoOr(content, audio.status());
    MediaFingerprint result;
    result.kind = MediaKind::kAudio;
    result.algorithm = kAudioAlgorithmName;
    result.fingerprint = EncodeAudioFingerprint(*audio);
    result.audio = std::move(*audio);
    return result;
  }
  RC_ASSIGN_OR_RETURN(std::string_view text, TextContent(content));
  RC_ASSIGN_OR_RETURN(TextFingerprint fingerprint, FingerprintText(text));
  MediaFingerprint result;
  result.kind = MediaKind::kText;
  result.algorithm = kTextAlgorithmName;
  result.fingerprint = EncodeTextFingerprint(fingerprint);
  result.text = std::move(fingerprint);
  return result;
}

Result<Bytes> ReadFileBytes(const std::filesystem::path& path, std::uintmax_t max_size_bytes) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return Status::IoError(path.string() + " is not a readable regular file");
  }
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error) return Status::IoError("reading size of " + path.string() + ": " + error.message());
  if (size > max_size_bytes) {
    return Status::LimitExceeded(path.string() + " is " + std::to_string(size) +
                                 " bytes, more than the limit of " + std::to_string(max_size_bytes));
  }
  std::ifstream stream(path, std::ios::binary);
  if (!stream) return Status::IoError("cannot open " + path.string());
  Bytes bytes(static_cast<std::size_t>(size));
  stream.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
  if (stream.gcount() != static_cast<std::streamsize>(size))
    return Status::IoError("short read of " + path.string());
  return bytes;
}

Result<MediaFingerprint> FingerprintFile(const std::filesystem::path& path) {
  RC_ASSIGN_OR_RETURN(Bytes bytes, ReadFileBytes(path, kMaxInputFileSizeBytes));
  Result<MediaFingerprint> result = FingerprintBytes(bytes);
  if (!result.ok()) return result.status().WithContext(path.string());
  return result;
}

}  // namespace rightchain::fingerprint
