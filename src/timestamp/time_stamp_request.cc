#include "timestamp/time_stamp_request.h"

#include <openssl/objects.h>
#include <openssl/ts.h>

#include <memory>

#include "timestamp/openssl_ts.h"

namespace rightchain::timestamp {
namespace {

Refusal Refuse(FailureInfo failure, std::string message) {
  return Refusal{failure, std::move(message)};
}

}  // namespace

std::variant<TimeStampRequest, Refusal> ParseTimeStampRequest(ByteView der) {
  if (der.size() > kMaxRequestSize) {
    return Refuse(FailureInfo::kBadDataFormat,
                  "the request is larger than " + std::to_string(kMaxRequestSize) + " bytes");
  }
  const unsigned char* cursor = der.data();
  const internal::TsRequestPointer parsed(d2i_TS_REQ(nullptr, &cursor, static_cast<long>(der.size())));
  if (parsed == nullptr || cursor != der.data() + der.size()) {
    internal::ClearErrors();
    return Refuse(FailureInfo::kBadDataFormat, "the body is not a DER TimeStampReq");
  }
  if (TS_REQ_get_version(parsed.get()) != 1) return Refuse(FailureInfo::kBadRequest, "only version 1 exists");

  TimeStampRequest request;
  const TS_MSG_IMPRINT* imprint = TS_REQ_get_msg_imprint(parsed.get());
  const X509_ALGOR* algorithm = TS_MSG_IMPRINT_get_algo(const_cast<TS_MSG_IMPRINT*>(imprint));
  const ASN1_OBJECT* algorithm_oid = nullptr;
  int parameter_type = V_ASN1_UNDEF;
  X509_ALGOR_get0(&algorithm_oid, &parameter_type, nullptr, algorithm);
  const Result<exec::TimeStampHash> hash = internal::HashFromNid(OBJ_obj2nid(algorithm_oid));
  if (!hash.ok()) return Refuse(FailureInfo::kBadAlgorithm, hash.status().message());
  if (parameter_type != V_ASN1_UNDEF && parameter_type != V_ASN1_NULL) {
    return Refuse(FailureInfo::kBadAlgorithm, "the hash algorithm has parameters");
  }
  request.hash = *hash;
  const ASN1_OCTET_STRING* digest = TS_MSG_IMPRINT_get_msg(const_cast<TS_MSG_IMPRINT*>(imprint));
  const auto digest_size = static_cast<std::size_t>(ASN1_STRING_length(digest));
  if (digest_size != exec::TimeStampDigestSize(request.hash)) {
    return Refuse(FailureInfo::kBadDataFormat, "the digest's length does not match its algorithm");
  }
  request.digest.assign(ASN1_STRING_get0_data(digest), ASN1_STRING_get0_data(digest) + digest_size);

  if (const ASN1_INTEGER* nonce = TS_REQ_get_nonce(parsed.get()); nonce != nullptr) {
    if (ASN1_STRING_type(nonce) == V_ASN1_NEG_INTEGER) {
      return Refuse(FailureInfo::kBadRequest, "the nonce is negative");
    }
    const auto nonce_size = static_cast<std::size_t>(ASN1_STRING_length(nonce));
    if (nonce_size > kMaxNonceSize) {
      return Refuse(FailureInfo::kBadRequest,
                    "the nonce is longer than " + std::to_string(kMaxNonceSize) + " bytes");
    }
    request.nonce.assign(ASN1_STRING_get0_data(nonce), ASN1_STRING_get0_data(nonce) + nonce_size);
  }
  request.certificate_requested = TS_REQ_get_cert_req(parsed.get()) != 0;
  if (const ASN1_OBJECT* policy = TS_REQ_get_policy_id(parsed.get()); policy != nullptr) {
    Result<std::string> text = internal::OidText(policy);
    if (!text.ok()) return Refuse(FailureInfo::kUnacceptedPolicy, text.status().message());
    request.policy = std::move(text).value();
  }
  for (int index = 0; index < TS_REQ_get_ext_count(parsed.get()); ++index) {
    if (X509_EXTENSION_get_critical(TS_REQ_get_ext(parsed.get(), index)) != 0) {
      return Refuse(FailureInfo::kUnacceptedExtension, "the request carries a critical extension");
    }
  }
  return request;
}

Result<Bytes> EncodeTimeStampRequest(const TimeStampRequest& request) {
  if (request.digest.size() != exec::TimeStampDigestSize(request.hash)) {
    return Status::InvalidArgument("the digest's length does not match its algorithm");
  }
  if (request.nonce.size() > kMaxNonceSize) return Status::InvalidArgument("the nonce is too long");
  const internal::TsRequestPointer encoded(TS_REQ_new());
  const std::unique_ptr<TS_MSG_IMPRINT, decltype(&TS_MSG_IMPRINT_free)> imprint(TS_MSG_IMPRINT_new(),
                                                                                TS_MSG_IMPRINT_free);
  const std::unique_ptr<X509_ALGOR, decltype(&X509_ALGOR_free)> algorithm(X509_ALGOR_new(), X509_ALGOR_free);
  if (encoded == nullptr || imprint == nullptr || algorithm == nullptr) return internal::Failed("allocation");
  X509_ALGOR_set0(algorithm.get(), OBJ_nid2obj(internal::NidOfHash(request.hash)), V_ASN1_NULL, nullptr);
  if (TS_MSG_IMPRINT_set_algo(imprint.get(), algorithm.get()) != 1 ||
      TS_MSG_IMPRINT_set_msg(imprint.get(), const_cast<unsigned char*>(request.digest.data()),
                             static_cast<int>(request.digest.size())) != 1 ||
      TS_REQ_set_version(encoded.get(), 1) != 1 ||
      TS_REQ_set_msg_imprint(encoded.get(), imprint.get()) != 1 ||
      TS_REQ_set_cert_req(encoded.get(), request.certificate_requested ? 1 : 0) != 1) {
    return internal::Failed("building the request");
  }
  if (!request.nonce.empty()) {
    RC_ASSIGN_OR_RETURN(const internal::Asn1IntegerPointer nonce, internal::IntegerFromBytes(request.nonce));
    if (TS_REQ_set_nonce(encoded.get(), nonce.get()) != 1) return internal::Failed("setting the nonce");
  }
  if (!request.policy.empty()) {
    const std::unique_ptr<ASN1_OBJECT, decltype(&ASN1_OBJECT_free)> policy(
        OBJ_txt2obj(request.policy.c_str(), 1), ASN1_OBJECT_free);
    if (policy == nullptr) return Status::InvalidArgument("the policy is not a dotted OID");
    if (TS_REQ_set_policy_id(encoded.get(), policy.get()) != 1) return internal::Failed("setting the policy");
  }
  return internal::ToDer(encoded.get(), i2d_TS_REQ);
}

}  // namespace rightchain::timestamp
