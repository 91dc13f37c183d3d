// Fuzzes the text fingerprint entry points: arbitrary bytes as a file to fingerprint (kind
// detection — images, audio and video go their own way, each kind checked against the front
// door's contract —, UTF-8 validation, normalisation, winnowing), as encoded fingerprint bytes,
// and as a text index file (parsed with and without its checksum, so the parser itself is reached).
#include <cstddef>
#include <cstdint>

#include "base/assert.h"
#include "fingerprint/media_fingerprint.h"
#include "fingerprint/text_index.h"

using namespace rightchain;
using namespace rightchain::fingerprint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);

  Result<MediaFingerprint> fingerprint = FingerprintBytes(input);
  if (fingerprint.ok()) {
    switch (fingerprint->kind) {
      case MediaKind::kImage:
        // Images, audio and video are fuzzed by their own targets; here only the front door's contract.
        RC_ASSERT(fingerprint->algorithm == kImageAlgorithmName);
        RC_ASSERT(fingerprint->fingerprint.size() == 32 && !fingerprint->image.hashes.empty());
        break;
      case MediaKind::kAudio:
        // Reached through the kind detection too: an MPEG audio frame sync, a RIFF header ...
        RC_ASSERT(fingerprint->algorithm == kAudioAlgorithmName);
        RC_ASSERT(fingerprint->fingerprint == EncodeAudioFingerprint(fingerprint->audio));
        break;
      case MediaKind::kVideo:
        // ... or a container signature: 00 00 01 BA (an MPEG program stream pack) is video.
        RC_ASSERT(fingerprint->algorithm == kVideoAlgorithmName);
        RC_ASSERT(!fingerprint->video.frames.empty());
        RC_ASSERT(fingerprint->fingerprint == EncodeVideoFingerprint(fingerprint->video));
        break;
      case MediaKind::kText: {
        RC_ASSERT(fingerprint->algorithm == kTextAlgorithmName);
        // What we encode must decode to the same thing.
        Result<TextFingerprint> decoded = DecodeTextFingerprint(fingerprint->fingerprint);
        RC_ASSERT(decoded.ok());
        RC_ASSERT(*decoded == fingerprint->text);
        // Querying an index with the text must not fail, and the text must find itself.
        TextIndex index;
        RC_ASSERT(index.Add("self", fingerprint->text).ok());
        Result<TextFingerprint> query = FingerprintQueryBytes(input);
        RC_ASSERT(query.ok());
        (void)index.Match(*query);
        break;
      }
    }
  }

  (void)DecodeTextFingerprint(input);

  for (bool verify_checksum : {true, false}) {
    Result<TextIndex> index = TextIndex::Deserialize(input, verify_checksum);
    if (index.ok()) {
      // A loaded index must be usable and serialise back to a loadable file.
      Result<TextFingerprint> probe = FingerprintQueryText("版权登记 copyright registration test probe text");
      RC_ASSERT(probe.ok());
      (void)index->Match(*probe);
      Result<TextIndex> again = TextIndex::Deserialize(index->Serialize());
      RC_ASSERT(again.ok());
    }
  }
  return 0;
}
