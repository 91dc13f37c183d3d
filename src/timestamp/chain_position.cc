#include "timestamp/chain_position.h"

#include <algorithm>

#include "timestamp/asn1_sequence.h"
#include "timestamp/openssl_ts.h"

namespace rightchain::timestamp {

Result<Bytes> EncodeChainPosition(const ChainPosition& position) {
  if (position.chain_id.empty() || position.chain_id.size() > kMaxChainIdSize) {
    return Status::InvalidArgument("a chain id has 1.." + std::to_string(kMaxChainIdSize) + " bytes");
  }
  internal::Asn1SequenceBuilder builder;
  builder.AddUtf8String(position.chain_id);
  builder.AddInteger(position.height);
  builder.AddOctetString(position.transaction_id);
  builder.AddInteger(position.log_index);
  builder.AddInteger(position.record_id);
  return builder.Encode();
}

Result<ChainPosition> DecodeChainPosition(ByteView der) {
  constexpr std::size_t kFields = 5;
  const auto fail = [](const Status& status) {
    return Status::InvalidArgument("chain position: " + status.message());
  };
  Result<internal::Asn1SequenceReader> reader = internal::Asn1SequenceReader::Parse(der, kFields);
  if (!reader.ok()) return fail(reader.status());
  if (reader->size() != kFields) return fail(Status::InvalidArgument("expected 5 elements"));
  ChainPosition position;
  Result<std::string> chain_id = reader->Utf8String(0, kMaxChainIdSize);
  Result<std::uint64_t> height = reader->Integer(1);
  Result<Bytes> transaction_id = reader->OctetString(2, crypto::kDigestSize);
  Result<std::uint64_t> log_index = reader->Integer(3);
  Result<std::uint64_t> record_id = reader->Integer(4);
  for (const Status* status : {&chain_id.status(), &height.status(), &transaction_id.status(),
                               &log_index.status(), &record_id.status()}) {
    if (!status->ok()) return fail(*status);
  }
  if (transaction_id->size() != crypto::kDigestSize) {
    return fail(Status::InvalidArgument("the transaction id is not 32 bytes"));
  }
  position.chain_id = std::move(chain_id).value();
  position.height = *height;
  std::copy(transaction_id->begin(), transaction_id->end(), position.transaction_id.begin());
  position.log_index = *log_index;
  position.record_id = *record_id;
  return position;
}

}  // namespace rightchain::timestamp

namespace rightchain::timestamp::internal {

Result<exec::TimeStampHash> HashFromNid(int nid) {
  switch (nid) {
    case NID_sha256: return exec::TimeStampHash::kSha256;
    case NID_sha384: return exec::TimeStampHash::kSha384;
    case NID_sha512: return exec::TimeStampHash::kSha512;
    case NID_sm3: return exec::TimeStampHash::kSm3;
    default: break;
  }
  return Status::InvalidArgument("the hash algorithm is not one of sha256, sha384, sha512, sm3");
}

int NidOfHash(exec::TimeStampHash hash) {
  switch (hash) {
    case exec::TimeStampHash::kSha256: return NID_sha256;
    case exec::TimeStampHash::kSha384: return NID_sha384;
    case exec::TimeStampHash::kSha512: return NID_sha512;
    case exec::TimeStampHash::kSm3: return NID_sm3;
  }
  return NID_undef;
}

Result<std::string> OidText(const ASN1_OBJECT* object) {
  // Every OID here is far shorter (the UUID arc's is 48 characters); OBJ_obj2txt reports the full length.
  char text[256];
  const int length = OBJ_obj2txt(text, sizeof(text), object, 1);
  if (length <= 0 || static_cast<std::size_t>(length) >= sizeof(text)) {
    return Status::InvalidArgument("an object identifier longer than 255 characters");
  }
  return std::string(text, static_cast<std::size_t>(length));
}

Result<Asn1ObjectPointer> OidFromText(std::string_view dotted) {
  Asn1ObjectPointer object(OBJ_txt2obj(std::string(dotted).c_str(), 1));
  if (object == nullptr) {
    ClearErrors();
    return Status::InvalidArgument("\"" + std::string(dotted) + "\" is not a dotted OID");
  }
  return object;
}

Result<Asn1IntegerPointer> IntegerFromBytes(ByteView big_endian) {
  pki::internal::Asn1IntegerPointer integer(ASN1_INTEGER_new());
  if (integer == nullptr ||
      ASN1_STRING_set(integer.get(), big_endian.data(), static_cast<int>(big_endian.size())) != 1) {
    return Failed("building an INTEGER");
  }
  return integer;
}

Bytes IntegerBytes(const ASN1_INTEGER* integer) {
  const unsigned char* data = ASN1_STRING_get0_data(integer);
  return Bytes(data, data + ASN1_STRING_length(integer));
}

}  // namespace rightchain::timestamp::internal
