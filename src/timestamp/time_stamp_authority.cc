#include "timestamp/time_stamp_authority.h"

#include <openssl/ess.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <ctime>

#include "timestamp/asn1_sequence.h"
#include "timestamp/openssl_ts.h"

namespace rightchain::timestamp {
namespace {

using pki::NativeAccess;

// Serial numbers: 128 random bits, positive and minimally encoded (first byte 0x01..0x7f), as
// RFC 3161 §2.4.2 requires serials to be unique per authority and clients to cope with 160 bits.
constexpr std::size_t kSerialSize = 16;

Result<internal::Asn1IntegerPointer> RandomSerial() {
  Bytes bytes(kSerialSize);
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) return internal::Failed("random serial");
  bytes[0] = static_cast<std::uint8_t>(bytes[0] % 0x7f + 1);
  return internal::IntegerFromBytes(bytes);
}

// GeneralizedTime with milliseconds, as DER wants it: no trailing zeros in the fraction, and no
// fraction at all when it is zero (X.690 §11.7).
Result<std::string> GeneralizedTimeText(std::int64_t time_milliseconds) {
  if (time_milliseconds < 0) return Status::InvalidArgument("a time before 1970");
  const std::time_t seconds = static_cast<std::time_t>(time_milliseconds / 1000);
  std::tm utc{};
  if (gmtime_r(&seconds, &utc) == nullptr) return Status::InvalidArgument("the time is out of range");
  char text[32];
  std::snprintf(text, sizeof(text), "%04d%02d%02d%02d%02d%02d", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
  std::string result = text;
  const int milliseconds = static_cast<int>(time_milliseconds % 1000);
  if (milliseconds != 0) {
    std::snprintf(text, sizeof(text), ".%03d", milliseconds);
    std::string fraction = text;
    while (fraction.back() == '0') fraction.pop_back();
    result += fraction;
  }
  return result + "Z";
}

Result<internal::TsTstInfoPointer> BuildTstInfo(const TimeStampRequest& request, const TimeStampFacts& facts,
                                                X509* signer) {
  internal::TsTstInfoPointer info(TS_TST_INFO_new());
  if (info == nullptr) return internal::Failed("allocation");
  RC_ASSIGN_OR_RETURN(const internal::Asn1ObjectPointer policy, internal::OidFromText(kTimeStampPolicyOid));
  const std::unique_ptr<TS_MSG_IMPRINT, decltype(&TS_MSG_IMPRINT_free)> imprint(TS_MSG_IMPRINT_new(),
                                                                                TS_MSG_IMPRINT_free);
  const std::unique_ptr<X509_ALGOR, decltype(&X509_ALGOR_free)> algorithm(X509_ALGOR_new(), X509_ALGOR_free);
  if (imprint == nullptr || algorithm == nullptr) return internal::Failed("allocation");
  X509_ALGOR_set0(algorithm.get(), OBJ_nid2obj(internal::NidOfHash(request.hash)), V_ASN1_NULL, nullptr);
  if (TS_MSG_IMPRINT_set_algo(imprint.get(), algorithm.get()) != 1 ||
      TS_MSG_IMPRINT_set_msg(imprint.get(), const_cast<unsigned char*>(request.digest.data()),
                             static_cast<int>(request.digest.size())) != 1) {
    return internal::Failed("message imprint");
  }
  RC_ASSIGN_OR_RETURN(const internal::Asn1IntegerPointer serial, RandomSerial());
  RC_ASSIGN_OR_RETURN(const std::string time_text, GeneralizedTimeText(facts.time_milliseconds));
  const std::unique_ptr<ASN1_GENERALIZEDTIME, decltype(&ASN1_GENERALIZEDTIME_free)> time(
      ASN1_GENERALIZEDTIME_new(), ASN1_GENERALIZEDTIME_free);
  if (time == nullptr || ASN1_GENERALIZEDTIME_set_string(time.get(), time_text.c_str()) != 1) {
    return internal::Failed("genTime");
  }
  if (TS_TST_INFO_set_version(info.get(), 1) != 1 ||
      TS_TST_INFO_set_policy_id(info.get(), policy.get()) != 1 ||
      TS_TST_INFO_set_msg_imprint(info.get(), imprint.get()) != 1 ||
      TS_TST_INFO_set_serial(info.get(), serial.get()) != 1 ||
      TS_TST_INFO_set_time(info.get(), time.get()) != 1) {
    return internal::Failed("TSTInfo");
  }
  if (!request.nonce.empty()) {
    RC_ASSIGN_OR_RETURN(const internal::Asn1IntegerPointer nonce, internal::IntegerFromBytes(request.nonce));
    if (TS_TST_INFO_set_nonce(info.get(), nonce.get()) != 1) return internal::Failed("nonce");
  }
  // The authority names itself: its certificate's subject.
  const std::unique_ptr<GENERAL_NAME, decltype(&GENERAL_NAME_free)> name(GENERAL_NAME_new(),
                                                                         GENERAL_NAME_free);
  if (name == nullptr) return internal::Failed("allocation");
  name->type = GEN_DIRNAME;
  name->d.dirn = X509_NAME_dup(X509_get_subject_name(signer));
  if (name->d.dirn == nullptr || TS_TST_INFO_set_tsa(info.get(), name.get()) != 1) {
    return internal::Failed("TSA name");
  }

  RC_ASSIGN_OR_RETURN(const Bytes position, EncodeChainPosition(facts.position));
  RC_ASSIGN_OR_RETURN(const internal::Asn1ObjectPointer position_oid,
                      internal::OidFromText(kChainPositionOid));
  const std::unique_ptr<ASN1_OCTET_STRING, decltype(&ASN1_OCTET_STRING_free)> value(ASN1_OCTET_STRING_new(),
                                                                                    ASN1_OCTET_STRING_free);
  if (value == nullptr ||
      ASN1_OCTET_STRING_set(value.get(), position.data(), static_cast<int>(position.size())) != 1) {
    return internal::Failed("allocation");
  }
  const std::unique_ptr<X509_EXTENSION, decltype(&X509_EXTENSION_free)> extension(
      X509_EXTENSION_create_by_OBJ(nullptr, position_oid.get(), /*crit=*/0, value.get()),
      X509_EXTENSION_free);
  if (extension == nullptr || TS_TST_INFO_add_ext(info.get(), extension.get(), -1) != 1) {
    return internal::Failed("chain-position extension");
  }
  return info;
}

// The SignedData of RFC 3161 §2.4.2, built as OpenSSL's own TSA builds it: eContentType
// id-ct-TSTInfo, signed attributes contentType and signingCertificateV2 (ESSCertIDv2 with SHA-256,
// RFC 5816), signature ecdsa-with-SHA256, the certificate included when the client asked for it.
Result<internal::Pkcs7Pointer> SignTstInfo(TS_TST_INFO* info, X509* signer, EVP_PKEY* key,
                                           bool include_certificate) {
  internal::Pkcs7Pointer signed_data(PKCS7_new());
  if (signed_data == nullptr || PKCS7_set_type(signed_data.get(), NID_pkcs7_signed) != 1 ||
      ASN1_INTEGER_set(signed_data->d.sign->version, 3) != 1) {
    return internal::Failed("SignedData");
  }
  if (include_certificate && PKCS7_add_certificate(signed_data.get(), signer) != 1) {
    return internal::Failed("adding the certificate");
  }
  PKCS7_SIGNER_INFO* signer_info = PKCS7_add_signature(signed_data.get(), signer, key, EVP_sha256());
  if (signer_info == nullptr) return internal::Failed("SignerInfo");
  if (PKCS7_add_signed_attribute(signer_info, NID_pkcs9_contentType, V_ASN1_OBJECT,
                                 OBJ_nid2obj(NID_id_smime_ct_TSTInfo)) != 1) {
    return internal::Failed("contentType attribute");
  }
  const std::unique_ptr<ESS_SIGNING_CERT_V2, decltype(&ESS_SIGNING_CERT_V2_free)> signing_certificate(
      OSSL_ESS_signing_cert_v2_new_init(EVP_sha256(), signer, nullptr, 0), ESS_SIGNING_CERT_V2_free);
  if (signing_certificate == nullptr) return internal::Failed("ESS signing certificate");
  RC_ASSIGN_OR_RETURN(const Bytes certificate_id,
                      internal::ToDer(signing_certificate.get(), i2d_ESS_SIGNING_CERT_V2));
  ASN1_STRING* sequence = ASN1_STRING_type_new(V_ASN1_SEQUENCE);
  if (sequence == nullptr ||
      ASN1_STRING_set(sequence, certificate_id.data(), static_cast<int>(certificate_id.size())) != 1 ||
      PKCS7_add_signed_attribute(signer_info, NID_id_smime_aa_signingCertificateV2, V_ASN1_SEQUENCE,
                                 sequence) != 1) {
    ASN1_STRING_free(sequence);
    return internal::Failed("signingCertificateV2 attribute");
  }

  // The encapsulated content: an id-ct-TSTInfo OCTET STRING that PKCS7_dataFinal fills.
  internal::Pkcs7Pointer content(PKCS7_new());
  if (content == nullptr || (content->d.other = ASN1_TYPE_new()) == nullptr)
    return internal::Failed("content");
  content->type = OBJ_nid2obj(NID_id_smime_ct_TSTInfo);
  ASN1_TYPE_set(content->d.other, V_ASN1_OCTET_STRING, ASN1_OCTET_STRING_new());
  if (PKCS7_set_content(signed_data.get(), content.get()) != 1) return internal::Failed("content");
  content.release();  // owned by signed_data now

  const std::unique_ptr<BIO, decltype(&BIO_free_all)> data(PKCS7_dataInit(signed_data.get(), nullptr),
                                                           BIO_free_all);
  if (data == nullptr || i2d_TS_TST_INFO_bio(data.get(), info) != 1 ||
      PKCS7_dataFinal(signed_data.get(), data.get()) != 1) {
    return internal::Failed("signing the TSTInfo");
  }
  return signed_data;
}

}  // namespace

Result<TimeStampAuthority> TimeStampAuthority::Create(pki::Certificate certificate, pki::PrivateKey key) {
  RC_RETURN_IF_ERROR(key.CheckMatches(certificate));
  X509* x509 = NativeAccess::Get(certificate);
  if (!(X509_get_extension_flags(x509) & EXFLAG_XKUSAGE) ||
      X509_get_extended_key_usage(x509) != XKU_TIMESTAMP) {
    return Status::InvalidArgument("the TSA certificate's extended key usage must be timeStamping only");
  }
  const int index = X509_get_ext_by_NID(x509, NID_ext_key_usage, -1);
  if (index < 0 || X509_EXTENSION_get_critical(X509_get_ext(x509, index)) == 0) {
    return Status::InvalidArgument("the TSA certificate's extended key usage must be critical");
  }
  return TimeStampAuthority(std::move(certificate), std::move(key));
}

Result<TimeStampAuthority> TimeStampAuthority::LoadFiles(const std::string& certificate_path,
                                                         const std::string& key_path) {
  RC_ASSIGN_OR_RETURN(pki::Certificate certificate, pki::Certificate::LoadFile(certificate_path));
  RC_ASSIGN_OR_RETURN(pki::PrivateKey key, pki::PrivateKey::LoadFile(key_path));
  Result<TimeStampAuthority> authority = Create(std::move(certificate), std::move(key));
  if (!authority.ok()) return authority.status().WithContext(certificate_path);
  return authority;
}

std::optional<Refusal> TimeStampAuthority::Check(const TimeStampRequest& request) const {
  if (!request.policy.empty() && request.policy != kTimeStampPolicyOid) {
    return Refusal{FailureInfo::kUnacceptedPolicy,
                   "this authority time-stamps under policy " + std::string(kTimeStampPolicyOid) + " only"};
  }
  return std::nullopt;
}

Result<Bytes> TimeStampAuthority::Grant(const TimeStampRequest& request, const TimeStampFacts& facts) const {
  if (std::optional<Refusal> refusal = Check(request)) return Status::InvalidArgument(refusal->message);
  X509* signer = NativeAccess::Get(certificate_);
  RC_ASSIGN_OR_RETURN(internal::TsTstInfoPointer info, BuildTstInfo(request, facts, signer));
  RC_ASSIGN_OR_RETURN(internal::Pkcs7Pointer token, SignTstInfo(info.get(), signer, NativeAccess::Get(key_),
                                                                request.certificate_requested));
  const internal::TsResponsePointer response(TS_RESP_new());
  const std::unique_ptr<TS_STATUS_INFO, decltype(&TS_STATUS_INFO_free)> status(TS_STATUS_INFO_new(),
                                                                               TS_STATUS_INFO_free);
  if (response == nullptr || status == nullptr ||
      TS_STATUS_INFO_set_status(status.get(), TS_STATUS_GRANTED) != 1 ||
      TS_RESP_set_status_info(response.get(), status.get()) != 1) {
    return internal::Failed("response status");
  }
  TS_RESP_set_tst_info(response.get(), token.release(), info.release());  // takes both
  return internal::ToDer(response.get(), i2d_TS_RESP);
}

Result<Bytes> TimeStampAuthority::Refuse(const Refusal& refusal) {
  // TimeStampResp ::= SEQUENCE { status PKIStatusInfo } with
  // PKIStatusInfo ::= SEQUENCE { status INTEGER (2: rejection), statusString SEQUENCE OF
  // UTF8String, failInfo BIT STRING }: OpenSSL's TS API sets these only inside its own responder.
  internal::Asn1SequenceBuilder text;
  text.AddUtf8String(refusal.message);
  RC_ASSIGN_OR_RETURN(const Bytes text_der, text.Encode());
  internal::Asn1SequenceBuilder status;
  status.AddInteger(TS_STATUS_REJECTION);
  status.AddSequence(text_der);
  status.AddBitString({static_cast<int>(refusal.failure)});
  RC_ASSIGN_OR_RETURN(const Bytes status_der, status.Encode());
  internal::Asn1SequenceBuilder response;
  response.AddSequence(status_der);
  RC_ASSIGN_OR_RETURN(Bytes encoded, response.Encode());
  // What we built must be a TimeStampResp to OpenSSL's own parser.
  const unsigned char* cursor = encoded.data();
  const internal::TsResponsePointer parsed(d2i_TS_RESP(nullptr, &cursor, static_cast<long>(encoded.size())));
  RC_ASSERT(parsed != nullptr);
  return encoded;
}

}  // namespace rightchain::timestamp
