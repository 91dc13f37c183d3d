// Internal to src/timestamp: owning handles for OpenSSL's TS objects and small conversions.
#pragma once

#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>

#include <memory>
#include <string>

#include "base/bytes.h"
#include "base/status.h"
#include "exec/record_payloads.h"
#include "pki/openssl_handles.h"

namespace rightchain::timestamp::internal {

template <typename T, void (*kFree)(T*)>
struct OpenSslFree {
  void operator()(T* pointer) const { kFree(pointer); }
};
using TsRequestPointer = std::unique_ptr<TS_REQ, OpenSslFree<TS_REQ, TS_REQ_free>>;
using TsResponsePointer = std::unique_ptr<TS_RESP, OpenSslFree<TS_RESP, TS_RESP_free>>;
using TsTstInfoPointer = std::unique_ptr<TS_TST_INFO, OpenSslFree<TS_TST_INFO, TS_TST_INFO_free>>;
using Pkcs7Pointer = std::unique_ptr<PKCS7, OpenSslFree<PKCS7, PKCS7_free>>;
using Asn1ObjectPointer = std::unique_ptr<ASN1_OBJECT, OpenSslFree<ASN1_OBJECT, ASN1_OBJECT_free>>;
using pki::internal::Asn1IntegerPointer;

inline void ClearErrors() {
  pki::internal::ClearOpenSslErrors();
}
// "what: <OpenSSL's reason>".
inline Status Failed(std::string_view what) {
  return pki::internal::OpenSslError(what);
}

Result<exec::TimeStampHash> HashFromNid(int nid);
int NidOfHash(exec::TimeStampHash hash);
// Dotted text; an error for an OID too long to be one this project uses (over 255 characters).
Result<std::string> OidText(const ASN1_OBJECT* object);
Result<Asn1ObjectPointer> OidFromText(std::string_view dotted);
Result<Asn1IntegerPointer> IntegerFromBytes(ByteView big_endian);
Bytes IntegerBytes(const ASN1_INTEGER* integer);  // big-endian magnitude

template <typename T>
Result<Bytes> ToDer(const T* object, int (*encode)(const T*, unsigned char**)) {
  unsigned char* der = nullptr;
  const int size = encode(object, &der);
  if (size <= 0) return Failed("DER encoding");
  Bytes encoded(der, der + size);
  OPENSSL_free(der);
  return encoded;
}

}  // namespace rightchain::timestamp::internal
