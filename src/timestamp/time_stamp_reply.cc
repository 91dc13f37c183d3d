#include "timestamp/time_stamp_reply.h"

#include <openssl/x509v3.h>

#include <cstdlib>
#include <ctime>

#include "timestamp/openssl_ts.h"

namespace rightchain::timestamp {
namespace {

std::string StatusText(const TS_STATUS_INFO* status) {
  std::string text;
  const STACK_OF(ASN1_UTF8STRING)* strings = TS_STATUS_INFO_get0_text(status);
  for (int index = 0; index < sk_ASN1_UTF8STRING_num(strings); ++index) {
    const ASN1_UTF8STRING* string = sk_ASN1_UTF8STRING_value(strings, index);
    if (!text.empty()) text += "; ";
    text.append(reinterpret_cast<const char*>(ASN1_STRING_get0_data(string)),
                static_cast<std::size_t>(ASN1_STRING_length(string)));
  }
  return text.empty() ? "no reason given" : text;
}

// genTime to Unix milliseconds: whole seconds through OpenSSL, then up to three fraction digits.
Result<std::int64_t> TimeMilliseconds(const ASN1_GENERALIZEDTIME* time) {
  std::tm utc{};
  if (ASN1_TIME_to_tm(time, &utc) != 1) return Status::InvalidArgument("genTime does not parse");
  const std::int64_t seconds = timegm(&utc);
  const std::string_view text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(time)),
                              static_cast<std::size_t>(ASN1_STRING_length(time)));
  std::int64_t milliseconds = 0;
  if (const std::size_t dot = text.find('.'); dot != std::string_view::npos) {
    std::int64_t scale = 100;
    for (std::size_t index = dot + 1; index < text.size() && text[index] >= '0' && text[index] <= '9';
         ++index) {
      milliseconds += (text[index] - '0') * scale;
      scale /= 10;
    }
  }
  return seconds * 1000 + milliseconds;
}

std::string HexOf(ByteView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (const std::uint8_t byte : bytes) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 15]);
  }
  return hex;
}

}  // namespace

Result<CheckedTimeStamp> CheckTimeStampReply(ByteView reply, const TimeStampRequest& request,
                                             const pki::Certificate& authority) {
  if (reply.size() > kMaxReplySize) return Status::LimitExceeded("the time-stamp reply is too large");
  const unsigned char* cursor = reply.data();
  const internal::TsResponsePointer response(d2i_TS_RESP(nullptr, &cursor, static_cast<long>(reply.size())));
  if (response == nullptr || cursor != reply.data() + reply.size()) {
    internal::ClearErrors();
    return Status::InvalidArgument("the reply is not a DER TimeStampResp");
  }
  const TS_STATUS_INFO* status = TS_RESP_get_status_info(response.get());
  const long granted = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(status));
  if (granted != TS_STATUS_GRANTED && granted != TS_STATUS_GRANTED_WITH_MODS) {
    return Status::PermissionDenied("the time-stamping authority refused: " + StatusText(status));
  }

  RC_ASSIGN_OR_RETURN(const Bytes request_der, EncodeTimeStampRequest(request));
  const unsigned char* request_cursor = request_der.data();
  const internal::TsRequestPointer parsed_request(
      d2i_TS_REQ(nullptr, &request_cursor, static_cast<long>(request_der.size())));
  if (parsed_request == nullptr) return internal::Failed("re-reading the request");
  const std::unique_ptr<TS_VERIFY_CTX, decltype(&TS_VERIFY_CTX_free)> context(
      TS_REQ_to_TS_VERIFY_CTX(parsed_request.get(), nullptr), TS_VERIFY_CTX_free);
  X509_STORE* store = X509_STORE_new();
  if (context == nullptr || store == nullptr ||
      X509_STORE_add_cert(store, pki::NativeAccess::Get(authority)) != 1) {
    X509_STORE_free(store);
    return internal::Failed("verification context");
  }
  TS_VERIFY_CTX_set_store(context.get(), store);  // takes the store
  TS_VERIFY_CTX_add_flags(context.get(), TS_VFY_SIGNATURE);
  if (TS_RESP_verify_response(context.get(), response.get()) != 1) {
    return Status::VerificationFailed(internal::Failed("the time-stamp token does not verify").message());
  }

  const TS_TST_INFO* info = TS_RESP_get_tst_info(response.get());
  CheckedTimeStamp checked;
  RC_ASSIGN_OR_RETURN(checked.time_milliseconds, TimeMilliseconds(TS_TST_INFO_get_time(info)));
  checked.serial_hex = HexOf(internal::IntegerBytes(TS_TST_INFO_get_serial(info)));
  RC_ASSIGN_OR_RETURN(checked.policy,
                      internal::OidText(TS_TST_INFO_get_policy_id(const_cast<TS_TST_INFO*>(info))));
  if (const GENERAL_NAME* name = TS_TST_INFO_get_tsa(const_cast<TS_TST_INFO*>(info));
      name != nullptr && name->type == GEN_DIRNAME) {
    checked.authority_name = pki::internal::CommonNameOf(name->d.dirn);
  }
  RC_ASSIGN_OR_RETURN(const internal::Asn1ObjectPointer position_oid,
                      internal::OidFromText(kChainPositionOid));
  const int index = TS_TST_INFO_get_ext_by_OBJ(const_cast<TS_TST_INFO*>(info), position_oid.get(), -1);
  if (index >= 0) {
    const ASN1_OCTET_STRING* data =
        X509_EXTENSION_get_data(TS_TST_INFO_get_ext(const_cast<TS_TST_INFO*>(info), index));
    RC_ASSIGN_OR_RETURN(checked.position,
                        DecodeChainPosition(ByteView(ASN1_STRING_get0_data(data),
                                                     static_cast<std::size_t>(ASN1_STRING_length(data)))));
  }
  return checked;
}

}  // namespace rightchain::timestamp
