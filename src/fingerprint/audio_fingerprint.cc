#include "fingerprint/audio_fingerprint.h"

#include <chromaprint.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>

#include "base/assert.h"
#include "fingerprint/binary_io.h"
#include "fingerprint/ffmpeg_handles.h"
#include "fingerprint/ffmpeg_input.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>
#include <libswresample/swresample.h>
}

namespace rightchain::fingerprint {
namespace {

// Beyond what any real stream uses; refused so that resampling buffers stay bounded.
constexpr int kMaxInputSampleRateHz = 768000;
constexpr int kMaxInputChannels = 64;
constexpr int kMaxFrameSamples = 1 << 20;

bool StartsWith(ByteView content, std::size_t offset, std::string_view prefix) {
  return content.size() >= offset + prefix.size() && AsText(content.subspan(offset, prefix.size())) == prefix;
}

struct ResamplerDeleter {
  void operator()(SwrContext* context) const { swr_free(&context); }
};
struct ChromaprintDeleter {
  void operator()(ChromaprintContext* context) const { chromaprint_free(context); }
};

// One decoding session: container, decoder and resampler for the chosen audio stream.
class Decoder {
 public:
  explicit Decoder(ByteView content) : content_(content) {}

  Status Open() {
    RC_ASSIGN_OR_RETURN(demuxer_, detail::MemoryDemuxer::Open(content_, "audio"));
    AVFormatContext* format = demuxer_->format();
    int code = 0;
    const AVCodec* codec = nullptr;
    stream_index_ = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
    if (stream_index_ < 0 || codec == nullptr) {
      return Status::InvalidArgument(stream_index_ == AVERROR_DECODER_NOT_FOUND
                                         ? "no decoder for the audio stream"
                                         : "no audio stream found");
    }
    codec_.reset(avcodec_alloc_context3(codec));
    if (!codec_) return Status::Internal("out of memory for the audio decoder");
    code = avcodec_parameters_to_context(codec_.get(), format->streams[stream_index_]->codecpar);
    if (code < 0) return Status::InvalidArgument("bad audio stream parameters: " + detail::AvError(code));
    code = avcodec_open2(codec_.get(), codec, nullptr);
    if (code < 0) return Status::InvalidArgument("cannot open the audio decoder: " + detail::AvError(code));
    return Status::Ok();
  }

  Result<std::vector<std::int16_t>> DecodeAll() {
    RC_RETURN_IF_ERROR(detail::DecodeStream(demuxer_->format(), stream_index_, codec_.get(), "audio",
                                            [this](AVFrame* frame) { return Convert(frame); }));
    if (resampler_) RC_RETURN_IF_ERROR(Resample(nullptr, 0));
    if (samples_.empty()) return Status::InvalidArgument("no decodable audio in the stream");
    return std::move(samples_);
  }

 private:
  Status Convert(const AVFrame* frame) {
    if (frame->sample_rate <= 0 || frame->sample_rate > kMaxInputSampleRateHz ||
        frame->ch_layout.nb_channels <= 0 || frame->ch_layout.nb_channels > kMaxInputChannels ||
        frame->nb_samples < 0 || frame->nb_samples > kMaxFrameSamples) {
      return Status::InvalidArgument("unsupported audio: " + std::to_string(frame->sample_rate) + " Hz, " +
                                     std::to_string(frame->ch_layout.nb_channels) + " channels");
    }
    if (!resampler_) {
      RC_RETURN_IF_ERROR(StartResampler(frame));
    } else if (frame->sample_rate != input_rate_hz_ || frame->format != input_format_ ||
               frame->ch_layout.nb_channels != input_channels_) {
      return Status::InvalidArgument("the audio format changes within the stream");
    }
    return Resample(const_cast<const std::uint8_t**>(frame->extended_data), frame->nb_samples);
  }

  Status StartResampler(const AVFrame* frame) {
    AVChannelLayout input_layout{};
    if (frame->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
      av_channel_layout_default(&input_layout, frame->ch_layout.nb_channels);
    } else if (av_channel_layout_copy(&input_layout, &frame->ch_layout) < 0) {
      return Status::Internal("out of memory for the channel layout");
    }
    AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;  // FFmpeg 5.1 takes it non-const
    SwrContext* resampler = nullptr;
    int code =
        swr_alloc_set_opts2(&resampler, &mono, AV_SAMPLE_FMT_S16, kAudioSampleRateHz, &input_layout,
                            static_cast<AVSampleFormat>(frame->format), frame->sample_rate, 0, nullptr);
    av_channel_layout_uninit(&input_layout);
    resampler_.reset(resampler);
    if (code < 0 || !resampler_)
      return Status::InvalidArgument("cannot resample this audio: " + detail::AvError(code));
    code = swr_init(resampler_.get());
    if (code < 0) return Status::InvalidArgument("cannot resample this audio: " + detail::AvError(code));
    input_rate_hz_ = frame->sample_rate;
    input_format_ = frame->format;
    input_channels_ = frame->ch_layout.nb_channels;
    return Status::Ok();
  }

  // Appends the resampled output of `input_samples` (nullptr flushes the resampler).
  Status Resample(const std::uint8_t** input, int input_samples) {
    const int capacity = swr_get_out_samples(resampler_.get(), input_samples);
    if (capacity < 0) return Status::InvalidArgument("cannot resample this audio");
    if (samples_.size() + static_cast<std::size_t>(capacity) > kMaxAudioSamples + kAudioSampleRateHz) {
      return Status::LimitExceeded("the audio is longer than the limit of " +
                                   std::to_string(static_cast<int>(kMaxAudioDurationSeconds / 60)) +
                                   " minutes");
    }
    const std::size_t start = samples_.size();
    samples_.resize(start + static_cast<std::size_t>(capacity));
    std::uint8_t* output = reinterpret_cast<std::uint8_t*>(samples_.data() + start);
    const int produced = swr_convert(resampler_.get(), &output, capacity, input, input_samples);
    if (produced < 0) {
      samples_.resize(start);
      return Status::InvalidArgument("cannot resample this audio: " + detail::AvError(produced));
    }
    samples_.resize(start + static_cast<std::size_t>(produced));
    if (samples_.size() > kMaxAudioSamples) {
      return Status::LimitExceeded("the audio is longer than the limit of " +
                                   std::to_string(static_cast<int>(kMaxAudioDurationSeconds / 60)) +
                                   " minutes");
    }
    return Status::Ok();
  }

  ByteView content_;
  std::unique_ptr<detail::MemoryDemuxer> demuxer_;
  detail::CodecContextPointer codec_;
  std::unique_ptr<SwrContext, ResamplerDeleter> resampler_;
  int stream_index_ = -1;
  int input_rate_hz_ = 0;
  int input_format_ = 0;
  int input_channels_ = 0;
  std::vector<std::int16_t> samples_;
};

}  // namespace

bool IsAudioContent(ByteView content) {
  // Each signature is checked with a binary byte after it where the format has one, so that a
  // text file beginning with the same letters ("ID3 tags...") stays text.
  const auto byte_at = [&content](std::size_t offset) -> int {
    return offset < content.size() ? content[offset] : -1;
  };
  if (StartsWith(content, 0, "RIFF") && (StartsWith(content, 8, "WAVE") || StartsWith(content, 8, "RF64"))) {
    return true;
  }
  if (StartsWith(content, 0, "RF64") && StartsWith(content, 8, "WAVE")) return true;
  if (StartsWith(content, 0, "ID3") && byte_at(3) >= 2 && byte_at(3) <= 4 && byte_at(4) == 0) return true;
  if (StartsWith(content, 0, "OggS") && byte_at(4) == 0) return true;           // stream structure version 0
  if (StartsWith(content, 0, "fLaC") && (byte_at(4) & 0x7F) == 0) return true;  // STREAMINFO first
  if (StartsWith(content, 0, ".snd") && byte_at(4) == 0) return true;           // big-endian header size
  if (StartsWith(content, 0, "#!AMR") && (byte_at(5) == '\n' || StartsWith(content, 5, "-WB\n"))) return true;
  if ((StartsWith(content, 0, "wvpk") || StartsWith(content, 0, "MAC ")) && byte_at(5) == 0) return true;
  if (StartsWith(content, 0, "\x1a\x45\xdf\xa3")) return true;  // Matroska / WebM (EBML)
  if (StartsWith(content, 0, "FORM") && (StartsWith(content, 8, "AIFF") || StartsWith(content, 8, "AIFC"))) {
    return true;
  }
  // MP4 family (M4A, AAC in MP4): a big-endian box size, then "ftyp".
  if (StartsWith(content, 4, "ftyp") && byte_at(0) == 0) return true;
  // MPEG audio frame sync (MP3, MP2) or ADTS AAC: 11 set bits, which never start UTF-8 text.
  // 0xFFFE is refused: it is the UTF-16 byte-order mark (and would be the rare Layer I header
  // without CRC).
  if (content.size() < 4 || content[0] != 0xFF || (content[1] & 0xE0) != 0xE0 || content[1] == 0xFE)
    return false;
  const int layer = (content[1] >> 1) & 3;
  if (layer == 0) return (content[1] & 0xF6) == 0xF0;  // ADTS: MPEG-4/2 AAC, layer bits 00
  const int bitrate_index = content[2] >> 4;
  const int sample_rate_index = (content[2] >> 2) & 3;
  return bitrate_index != 15 && sample_rate_index != 3;
}

Result<std::vector<std::int16_t>> DecodeAudioBytes(ByteView content) {
  if (content.size() > kMaxAudioFileSizeBytes) {
    return Status::LimitExceeded("audio input is " + std::to_string(content.size()) +
                                 " bytes, more than the limit of " + std::to_string(kMaxAudioFileSizeBytes));
  }
  return DecodeAudioTrack(content);
}

Result<std::vector<std::int16_t>> DecodeAudioTrack(ByteView content) {
  if (content.empty()) return Status::InvalidArgument("empty audio input");
  Decoder decoder(content);
  RC_RETURN_IF_ERROR(decoder.Open());
  return decoder.DecodeAll();
}

Result<AudioFingerprint> FingerprintAudioSamples(std::span<const std::int16_t> samples) {
  if (samples.size() > kMaxAudioSamples) return Status::LimitExceeded("audio longer than the limit");
  std::unique_ptr<ChromaprintContext, ChromaprintDeleter> context(
      chromaprint_new(CHROMAPRINT_ALGORITHM_DEFAULT));
  if (!context) return Status::Internal("cannot create a Chromaprint context");
  if (!chromaprint_start(context.get(), kAudioSampleRateHz, 1)) {
    return Status::Internal("Chromaprint refused to start");
  }
  // Fed in bounded pieces: chromaprint_feed takes an int count.
  constexpr std::size_t kFeedSamples = std::size_t{1} << 20;
  for (std::size_t offset = 0; offset < samples.size(); offset += kFeedSamples) {
    const std::size_t count = std::min(kFeedSamples, samples.size() - offset);
    if (!chromaprint_feed(context.get(), samples.data() + offset, static_cast<int>(count))) {
      return Status::Internal("Chromaprint failed on the audio samples");
    }
  }
  if (!chromaprint_finish(context.get())) return Status::Internal("Chromaprint failed to finish");
  std::uint32_t* raw = nullptr;
  int raw_size = 0;
  if (!chromaprint_get_raw_fingerprint(context.get(), &raw, &raw_size) || raw_size < 0) {
    return Status::Internal("Chromaprint gave no fingerprint");
  }
  AudioFingerprint fingerprint;
  fingerprint.items.assign(raw, raw + raw_size);
  chromaprint_dealloc(raw);
  fingerprint.duration_seconds = static_cast<double>(samples.size()) / kAudioSampleRateHz;
  if (fingerprint.items.size() < kMinAudioItems) {
    return Status::InvalidArgument("the audio is too short to fingerprint (" +
                                   std::to_string(fingerprint.duration_seconds) +
                                   " s; at least about 4 s needed)");
  }
  return fingerprint;
}

Result<AudioFingerprint> FingerprintAudioBytes(ByteView content) {
  RC_ASSIGN_OR_RETURN(const std::vector<std::int16_t> samples, DecodeAudioBytes(content));
  return FingerprintAudioSamples(samples);
}

Result<AudioFingerprint> FingerprintAudioTrack(ByteView content) {
  RC_ASSIGN_OR_RETURN(const std::vector<std::int16_t> samples, DecodeAudioTrack(content));
  return FingerprintAudioSamples(samples);
}

Bytes EncodeAudioFingerprint(const AudioFingerprint& fingerprint) {
  detail::ByteWriter writer;
  writer.Reserve(4 * fingerprint.items.size());
  for (std::uint32_t item : fingerprint.items) writer.U32(item);
  return std::move(writer.bytes());
}

}  // namespace rightchain::fingerprint
