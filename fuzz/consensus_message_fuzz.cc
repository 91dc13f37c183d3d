// Fuzzes the consensus message decoder: any input must decode or fail cleanly, and whatever
// decodes must re-encode to exactly the input (the encoding is canonical).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "consensus/messages.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const rightchain::ByteView input(data, size);
  rightchain::Result<rightchain::consensus::Message> message = rightchain::consensus::DecodeMessage(input);
  if (!message.ok()) return 0;
  const rightchain::Bytes encoded = rightchain::consensus::EncodeMessage(*message);
  if (encoded.size() != size || !std::equal(encoded.begin(), encoded.end(), input.begin())) std::abort();
  return 0;
}
