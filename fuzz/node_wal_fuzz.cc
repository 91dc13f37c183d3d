// Decoding of the consensus write-ahead record, of peer message envelopes and of gossiped
// transaction batches: a damaged record or a hostile frame is refused, never a crash; what
// decodes re-encodes to exactly the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "node/consensus_wal.h"
#include "node/wire.h"

using namespace rightchain;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  if (auto state = node::DecodeDurableState(input); state.ok()) {
    const Bytes again = node::EncodeDurableState(*state);
    if (again.size() != size || !std::equal(again.begin(), again.end(), input.begin())) std::abort();
  }
  if (auto message = node::DecodeWire(input); message.ok()) {
    const Bytes again = node::EncodeWire(message->type, message->payload);
    if (again.size() != size || !std::equal(again.begin(), again.end(), input.begin())) std::abort();
  }
  if (auto batch = node::DecodeTransactionBatch(input); batch.ok()) {
    const Bytes again = node::EncodeTransactionBatch(*batch);
    if (again.size() != size || !std::equal(again.begin(), again.end(), input.begin())) std::abort();
  }
  return 0;
}
