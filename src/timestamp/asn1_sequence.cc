#include "timestamp/asn1_sequence.h"

#include "base/assert.h"

namespace rightchain::timestamp::internal {

Asn1SequenceBuilder::Asn1SequenceBuilder() : sequence_(sk_ASN1_TYPE_new_null()) {
  failed_ = sequence_ == nullptr;
}

void Asn1SequenceBuilder::Add(int type, void* value) {
  if (value == nullptr) {
    failed_ = true;
    return;
  }
  ASN1_TYPE* element = ASN1_TYPE_new();
  if (element == nullptr || sequence_ == nullptr) {
    failed_ = true;
    ASN1_TYPE_free(element);
    return;
  }
  ASN1_TYPE_set(element, type, value);
  if (sk_ASN1_TYPE_push(sequence_.get(), element) <= 0) {
    ASN1_TYPE_free(element);
    failed_ = true;
  }
}

void Asn1SequenceBuilder::AddUtf8String(std::string_view text) {
  ASN1_STRING* string = ASN1_STRING_type_new(V_ASN1_UTF8STRING);
  if (string != nullptr && ASN1_STRING_set(string, text.data(), static_cast<int>(text.size())) != 1) {
    ASN1_STRING_free(string);
    string = nullptr;
  }
  Add(V_ASN1_UTF8STRING, string);
}

void Asn1SequenceBuilder::AddInteger(std::uint64_t value) {
  ASN1_INTEGER* integer = ASN1_INTEGER_new();
  if (integer != nullptr && ASN1_INTEGER_set_uint64(integer, value) != 1) {
    ASN1_INTEGER_free(integer);
    integer = nullptr;
  }
  Add(V_ASN1_INTEGER, integer);
}

void Asn1SequenceBuilder::AddOctetString(ByteView bytes) {
  ASN1_OCTET_STRING* string = ASN1_OCTET_STRING_new();
  if (string != nullptr && ASN1_OCTET_STRING_set(string, bytes.data(), static_cast<int>(bytes.size())) != 1) {
    ASN1_OCTET_STRING_free(string);
    string = nullptr;
  }
  Add(V_ASN1_OCTET_STRING, string);
}

void Asn1SequenceBuilder::AddBitString(std::initializer_list<int> bits) {
  ASN1_BIT_STRING* string = ASN1_BIT_STRING_new();
  for (const int bit : bits) {
    if (string != nullptr && ASN1_BIT_STRING_set_bit(string, bit, 1) != 1) {
      ASN1_BIT_STRING_free(string);
      string = nullptr;
    }
  }
  Add(V_ASN1_BIT_STRING, string);
}

void Asn1SequenceBuilder::AddSequence(ByteView der) {
  // ASN1_TYPE keeps a constructed value as its complete DER in a string of type SEQUENCE.
  ASN1_STRING* string = ASN1_STRING_type_new(V_ASN1_SEQUENCE);
  if (string != nullptr && ASN1_STRING_set(string, der.data(), static_cast<int>(der.size())) != 1) {
    ASN1_STRING_free(string);
    string = nullptr;
  }
  Add(V_ASN1_SEQUENCE, string);
}

Result<Bytes> Asn1SequenceBuilder::Encode() const {
  if (failed_) return Status::Internal("building an ASN.1 sequence failed (out of memory)");
  unsigned char* der = nullptr;
  const int size = i2d_ASN1_SEQUENCE_ANY(sequence_.get(), &der);
  if (size <= 0) return Status::Internal("encoding an ASN.1 sequence failed");
  Bytes encoded(der, der + size);
  OPENSSL_free(der);
  return encoded;
}

Result<Asn1SequenceReader> Asn1SequenceReader::Parse(ByteView der, std::size_t max_elements) {
  const unsigned char* cursor = der.data();
  Asn1SequencePointer sequence(d2i_ASN1_SEQUENCE_ANY(nullptr, &cursor, static_cast<long>(der.size())));
  if (sequence == nullptr) return Status::InvalidArgument("not a DER SEQUENCE");
  if (cursor != der.data() + der.size()) return Status::InvalidArgument("bytes after the SEQUENCE");
  if (static_cast<std::size_t>(sk_ASN1_TYPE_num(sequence.get())) > max_elements) {
    return Status::InvalidArgument("the SEQUENCE has more than " + std::to_string(max_elements) +
                                   " elements");
  }
  return Asn1SequenceReader(std::move(sequence));
}

std::size_t Asn1SequenceReader::size() const {
  return static_cast<std::size_t>(sk_ASN1_TYPE_num(sequence_.get()));
}

Result<const ASN1_TYPE*> Asn1SequenceReader::Element(std::size_t index, int type) const {
  if (index >= size()) return Status::InvalidArgument("element " + std::to_string(index) + " is missing");
  const ASN1_TYPE* element = sk_ASN1_TYPE_value(sequence_.get(), static_cast<int>(index));
  if (ASN1_TYPE_get(element) != type) {
    return Status::InvalidArgument("element " + std::to_string(index) + " has the wrong ASN.1 type");
  }
  return element;
}

Result<std::string> Asn1SequenceReader::Utf8String(std::size_t index, std::size_t max_size) const {
  RC_ASSIGN_OR_RETURN(const ASN1_TYPE* element, Element(index, V_ASN1_UTF8STRING));
  const ASN1_STRING* string = element->value.utf8string;
  const auto length = static_cast<std::size_t>(ASN1_STRING_length(string));
  if (length > max_size) return Status::InvalidArgument("a text element is too long");
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(string)), length);
}

Result<std::uint64_t> Asn1SequenceReader::Integer(std::size_t index) const {
  RC_ASSIGN_OR_RETURN(const ASN1_TYPE* element, Element(index, V_ASN1_INTEGER));
  std::uint64_t value = 0;
  if (ASN1_INTEGER_get_uint64(&value, element->value.integer) != 1) {
    return Status::InvalidArgument("element " + std::to_string(index) + " is not a 64-bit unsigned integer");
  }
  return value;
}

Result<Bytes> Asn1SequenceReader::OctetString(std::size_t index, std::size_t max_size) const {
  RC_ASSIGN_OR_RETURN(const ASN1_TYPE* element, Element(index, V_ASN1_OCTET_STRING));
  const ASN1_STRING* string = element->value.octet_string;
  const auto length = static_cast<std::size_t>(ASN1_STRING_length(string));
  if (length > max_size) return Status::InvalidArgument("an octet string element is too long");
  const unsigned char* data = ASN1_STRING_get0_data(string);
  return Bytes(data, data + length);
}

}  // namespace rightchain::timestamp::internal
