// Internal to src/timestamp: DER SEQUENCEs of simple values built and read through OpenSSL's
// ASN1_SEQUENCE_ANY, for the two structures OpenSSL's TS API has no setter for (the
// chain-position extension and a refusal's PKIStatusInfo).
#pragma once

#include <openssl/asn1.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"

namespace rightchain::timestamp::internal {

struct Asn1SequenceFree {
  void operator()(ASN1_SEQUENCE_ANY* sequence) const { sk_ASN1_TYPE_pop_free(sequence, ASN1_TYPE_free); }
};
using Asn1SequencePointer = std::unique_ptr<ASN1_SEQUENCE_ANY, Asn1SequenceFree>;

class Asn1SequenceBuilder {
 public:
  Asn1SequenceBuilder();
  void AddUtf8String(std::string_view text);
  void AddInteger(std::uint64_t value);
  void AddOctetString(ByteView bytes);
  // A BIT STRING with the named bits set (bit 0 is the first, most significant).
  void AddBitString(std::initializer_list<int> bits);
  // An already-encoded SEQUENCE, nested.
  void AddSequence(ByteView der);
  Result<Bytes> Encode() const;

 private:
  void Add(int type, void* value);
  Asn1SequencePointer sequence_;
  bool failed_ = false;
};

// Reads a SEQUENCE of at most `max_elements` elements.
class Asn1SequenceReader {
 public:
  static Result<Asn1SequenceReader> Parse(ByteView der, std::size_t max_elements);
  std::size_t size() const;
  Result<std::string> Utf8String(std::size_t index, std::size_t max_size) const;
  Result<std::uint64_t> Integer(std::size_t index) const;
  Result<Bytes> OctetString(std::size_t index, std::size_t max_size) const;

 private:
  explicit Asn1SequenceReader(Asn1SequencePointer sequence) : sequence_(std::move(sequence)) {}
  Result<const ASN1_TYPE*> Element(std::size_t index, int type) const;
  std::shared_ptr<ASN1_SEQUENCE_ANY> sequence_;
};

}  // namespace rightchain::timestamp::internal
