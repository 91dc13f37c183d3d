#include "exec/receipt.h"

#include <array>

namespace rightchain::exec {

std::string_view ReceiptStatusName(ReceiptStatus status) {
  switch (status) {
    case ReceiptStatus::kOk: return "ok";
    case ReceiptStatus::kWrongChain: return "wrong_chain";
    case ReceiptStatus::kWrongScheme: return "wrong_scheme";
    case ReceiptStatus::kExpired: return "expired";
    case ReceiptStatus::kExpiryTooFar: return "expiry_too_far";
    case ReceiptStatus::kBadSignature: return "bad_signature";
    case ReceiptStatus::kNonceReused: return "nonce_reused";
    case ReceiptStatus::kDuplicate: return "duplicate";
    case ReceiptStatus::kUnknownKind: return "unknown_kind";
    case ReceiptStatus::kMalformedPayload: return "malformed_payload";
    case ReceiptStatus::kPayloadTooLarge: return "payload_too_large";
    case ReceiptStatus::kUnknownAccount: return "unknown_account";
    case ReceiptStatus::kAccountExists: return "account_exists";
    case ReceiptStatus::kMissingRole: return "missing_role";
    case ReceiptStatus::kBadShares: return "bad_shares";
    case ReceiptStatus::kFieldTooLarge: return "field_too_large";
    case ReceiptStatus::kKeyNotCurrent: return "key_not_current";
    case ReceiptStatus::kUnknownRecord: return "unknown_record";
    case ReceiptStatus::kInvalidField: return "invalid_field";
    case ReceiptStatus::kNoAttestation: return "no_attestation";
    case ReceiptStatus::kBadKeyProof: return "bad_key_proof";
    case ReceiptStatus::kAlreadyTimeStamped: return "already_time_stamped";
    case ReceiptStatus::kNotAMember: return "not_a_member";
    case ReceiptStatus::kUnknownProposal: return "unknown_proposal";
    case ReceiptStatus::kProposalClosed: return "proposal_closed";
    case ReceiptStatus::kAlreadyApproved: return "already_approved";
    case ReceiptStatus::kQuotaExceeded: return "quota_exceeded";
  }
  return "unknown";
}

void WriteReceipt(codec::Writer& writer, const Receipt& receipt) {
  writer.WriteDomainTag(kReceiptDomainType);
  writer.WriteVersion(kReceiptVersion);
  writer.WriteFixed(receipt.transaction_id);
  writer.WriteU64(receipt.height);
  writer.WriteU32(receipt.index_in_block);
  writer.WriteEnum(receipt.status);
  writer.WriteBytes(receipt.result, kMaxReceiptResultSize);
}

Bytes EncodeReceipt(const Receipt& receipt) {
  codec::Writer writer(kMinReceiptEncodedSize + receipt.result.size());
  WriteReceipt(writer, receipt);
  return std::move(writer).Take();
}

Result<Receipt> ReadReceipt(codec::Reader& reader) {
  RC_RETURN_IF_ERROR(reader.ExpectDomainTag("receipt", kReceiptDomainType));
  static constexpr std::array<std::uint8_t, 1> kVersions = {kReceiptVersion};
  RC_RETURN_IF_ERROR(reader.ReadVersion("receipt.version", kVersions).status());
  Receipt receipt;
  RC_ASSIGN_OR_RETURN(receipt.transaction_id,
                      reader.ReadArray<crypto::kDigestSize>("receipt.transaction_id"));
  RC_ASSIGN_OR_RETURN(receipt.height, reader.ReadU64("receipt.height"));
  RC_ASSIGN_OR_RETURN(receipt.index_in_block, reader.ReadU32("receipt.index_in_block"));
  RC_ASSIGN_OR_RETURN(const std::uint16_t status, reader.ReadU16("receipt.status"));
  if (status > kMaxReceiptStatus) {
    return Status::InvalidArgument("receipt.status: unknown value " + std::to_string(status));
  }
  receipt.status = static_cast<ReceiptStatus>(status);
  RC_ASSIGN_OR_RETURN(const ByteView result, reader.ReadBytes("receipt.result", kMaxReceiptResultSize));
  receipt.result.assign(result.begin(), result.end());
  return receipt;
}

Result<Receipt> DecodeReceipt(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_ASSIGN_OR_RETURN(Receipt receipt, ReadReceipt(reader));
  RC_RETURN_IF_ERROR(reader.Finish("receipt"));
  return receipt;
}

}  // namespace rightchain::exec
