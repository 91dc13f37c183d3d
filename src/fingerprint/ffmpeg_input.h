// An FFmpeg demuxer reading a file's bytes from memory through a custom I/O context (no file,
// no network protocols), shared by the audio and video decoders. FFmpeg's headers stay in the
// .cc files: this header only forward-declares its types. Internal to src/fingerprint.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"

struct AVFormatContext;

namespace rightchain::fingerprint::detail {

// FFmpeg's text for an error code.
std::string AvError(int code);

// FFmpeg logs decoding trouble to stderr; errors reach callers as Status instead.
void QuietFfmpegLogs();

class MemoryDemuxer {
 public:
  // Opens the container and reads its stream information. `what` ("audio", "video") names the
  // file in errors: kInvalidArgument "not a readable <what> file: ..." when FFmpeg cannot read it.
  static Result<std::unique_ptr<MemoryDemuxer>> Open(ByteView content, std::string_view what);
  ~MemoryDemuxer();
  MemoryDemuxer(const MemoryDemuxer&) = delete;
  MemoryDemuxer& operator=(const MemoryDemuxer&) = delete;

  AVFormatContext* format() const { return format_; }

 private:
  struct Input;
  MemoryDemuxer();

  std::unique_ptr<Input> input_;
  AVFormatContext* format_ = nullptr;
};

}  // namespace rightchain::fingerprint::detail
