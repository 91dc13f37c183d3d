// libFuzzer target: the transaction decoders on arbitrary bytes.
// Properties: decoding never crashes, leaks or reads out of bounds (ASan/UBSan); every rejection
// carries a message naming a field; and whatever a decoder accepts re-encodes to exactly the input
// (canonicality: no two byte strings decode to the same object).
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "base/assert.h"
#include "codec/transaction.h"

namespace {

using rightchain::Bytes;
using rightchain::ByteView;

bool SameBytes(const Bytes& encoded, ByteView input) {
  return encoded.size() == input.size() && std::equal(encoded.begin(), encoded.end(), input.begin());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  namespace codec = rightchain::codec;

  const rightchain::Result<codec::SignedTransaction> signed_transaction =
      codec::DecodeSignedTransaction(input);
  if (signed_transaction.ok()) {
    RC_ASSERT(codec::ValidateSignedTransaction(*signed_transaction).ok());
    RC_ASSERT(SameBytes(codec::EncodeSignedTransaction(*signed_transaction), input));
    // The embedded transaction is a contiguous, separately decodable slice (nesting rule).
    const Bytes signing_bytes = codec::TransactionSigningBytes(signed_transaction->transaction);
    RC_ASSERT(codec::DecodeTransaction(signing_bytes).ok());
  } else {
    RC_ASSERT(!signed_transaction.status().message().empty());
  }

  const rightchain::Result<codec::Transaction> transaction = codec::DecodeTransaction(input);
  if (transaction.ok()) {
    RC_ASSERT(codec::ValidateTransaction(*transaction).ok());
    RC_ASSERT(SameBytes(codec::EncodeTransaction(*transaction), input));
  } else {
    RC_ASSERT(!transaction.status().message().empty());
  }
  // One input can never be both kinds: their tags differ.
  RC_ASSERT(!(signed_transaction.ok() && transaction.ok()));
  return 0;
}
