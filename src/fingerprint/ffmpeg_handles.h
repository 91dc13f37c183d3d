// Internal to src/fingerprint's FFmpeg decoders (audio and video): owning handles for FFmpeg's
// codec contexts, packets and frames. Include only from .cc files: it pulls in libavcodec.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

#include <functional>
#include <memory>
#include <string_view>

#include "base/status.h"

namespace rightchain::fingerprint::detail {

struct CodecContextDeleter {
  void operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
};
struct PacketDeleter {
  void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct FrameDeleter {
  void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
using CodecContextPointer = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using PacketPointer = std::unique_ptr<AVPacket, PacketDeleter>;
using FramePointer = std::unique_ptr<AVFrame, FrameDeleter>;

// Decodes every packet of stream `stream_index` of `format` with `codec`, then flushes it, handing
// each decoded frame to `on_frame`. Damaged packets and frames are skipped (as players do); a
// damaged tail ends the input; only an error from `on_frame` stops it. `what` names the media in
// the out-of-memory error ("audio", "video").
Status DecodeStream(AVFormatContext* format, int stream_index, AVCodecContext* codec, std::string_view what,
                    const std::function<Status(AVFrame*)>& on_frame);

}  // namespace rightchain::fingerprint::detail
