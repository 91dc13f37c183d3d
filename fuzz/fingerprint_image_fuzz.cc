// Fuzzes the image fingerprint entry points: arbitrary bytes as an image file (signature
// detection, OpenCV decoding under the size limits, trimming, region hashing), and as an image
// index file (parsed with and without its checksum, so the parser itself is reached). Nothing
// may crash, throw or assert; what decodes must find itself in an index.
#include <cstddef>
#include <cstdint>

#include "base/assert.h"
#include "fingerprint/image_index.h"
#include "fingerprint/media_fingerprint.h"

using namespace rightchain;
using namespace rightchain::fingerprint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);

  Result<ImageFingerprint> registration = FingerprintImageBytes(input, ImageHashing::kRegistration);
  Result<ImageFingerprint> query = FingerprintImageBytes(input, ImageHashing::kQuery);
  RC_ASSERT(registration.ok() == query.ok());
  if (registration.ok() && registration->quality() >= kMinImageQuality) {
    ImageIndex index;
    RC_ASSERT(index.AddFingerprint("self", *registration).ok());
    const std::vector<ImageMatch> matches = index.Match(*query);
    RC_ASSERT(!matches.empty() && matches.front().image_id == "self" && matches.front().distance == 0);
    Result<ImageIndex> again = ImageIndex::Deserialize(index.Serialize());
    RC_ASSERT(again.ok() && again->size() == 1);
  }
  (void)FingerprintBytes(input);  // the kind detection in front of both text and images

  for (bool verify_checksum : {true, false}) {
    Result<ImageIndex> index = ImageIndex::Deserialize(input, verify_checksum);
    if (index.ok()) {
      // A loaded index must be usable and serialise back to a loadable file.
      const RegionHash probe{ImageHash{{1, 2, 3, 4}}, 0, 0, 100};
      (void)index->Search(std::span(&probe, 1), kMaxImageSearchDistance);
      Result<ImageIndex> again = ImageIndex::Deserialize(index->Serialize());
      RC_ASSERT(again.ok());
      RC_ASSERT(again->size() == index->size());
    }
  }
  return 0;
}
