// Fuzzes the audio fingerprint entry points: arbitrary bytes as an audio file (FFmpeg's
// demuxers and decoders from memory under the size and duration limits, resampling,
// Chromaprint), and as an audio index file (parsed with and without its checksum, so the parser
// itself is reached). Nothing may crash, throw or assert; what fingerprints must find itself in
// an index.
#include <cstddef>
#include <cstdint>

#include "base/assert.h"
#include "fingerprint/audio_index.h"
#include "fingerprint/audio_fingerprint.h"

using namespace rightchain;
using namespace rightchain::fingerprint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);

  Result<AudioFingerprint> fingerprint = FingerprintAudioBytes(input);
  if (fingerprint.ok()) {
    RC_ASSERT(fingerprint->items.size() >= kMinAudioItems);
    RC_ASSERT(fingerprint->duration_seconds <= kMaxAudioDurationSeconds + 1);
    AudioIndex index;
    if (fingerprint->items.size() <= kMaxTrackItems) {
      RC_ASSERT(index.Add("self", fingerprint->items).ok());
      (void)index.Match(fingerprint->items);
      Result<AudioIndex> again = AudioIndex::Deserialize(index.Serialize());
      RC_ASSERT(again.ok() && again->size() == 1);
    }
  }
  (void)IsAudioContent(input);

  for (bool verify_checksum : {true, false}) {
    Result<AudioIndex> index = AudioIndex::Deserialize(input, verify_checksum);
    if (index.ok()) {
      // A loaded index must be usable and serialise back to a loadable file.
      std::vector<std::uint32_t> probe(64);
      for (std::size_t item = 0; item < probe.size(); ++item)
        probe[item] = static_cast<std::uint32_t>(item * 0x9e3779b9u);
      (void)index->Match(probe);
      Result<AudioIndex> again = AudioIndex::Deserialize(index->Serialize());
      RC_ASSERT(again.ok());
      RC_ASSERT(again->size() == index->size());
    }
  }
  return 0;
}
