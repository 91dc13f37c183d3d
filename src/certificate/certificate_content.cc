#include "certificate/certificate_content.h"

#include "base/time_text.h"

#include <ctime>
#include <utility>

#include "base/assert.h"

#include "base/bytes.h"
#include "crypto/hash.h"
#include "crypto/suite.h"
#include "exec/record_payloads.h"
#include "ledger/block.h"

namespace rightchain::certificate {
namespace {

std::string HashAlgorithmTitle(crypto::HashAlgorithm algorithm) {
  return algorithm == crypto::HashAlgorithm::kSha256 ? "SHA-256" : "SM3";
}

// "60.00%" from 6000 basis points.
std::string SharePercent(std::uint16_t basis_points) {
  const std::string hundredths = std::to_string(100 + basis_points % 100).substr(1);
  return std::to_string(basis_points / 100) + "." + hundredths + "%";
}

// Key names are "<chain id>/<member name>": certificates name the member.
std::string MemberName(std::string_view key_name, std::string_view chain_id) {
  const std::string prefix = std::string(chain_id) + "/";
  if (key_name.starts_with(prefix)) key_name.remove_prefix(prefix.size());
  return std::string(key_name);
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string joined;
  for (const std::string& line : lines) {
    if (!joined.empty()) joined += "\n";
    joined += line;
  }
  return joined;
}

std::string RegistrationId(std::uint64_t record_id, std::optional<std::uint32_t> item) {
  std::string text = std::to_string(record_id);
  if (item.has_value())
    text += ":" + std::to_string(*item) + "  (批量登记第 " + std::to_string(*item) + " 项 / batch item " +
            std::to_string(*item) + ")";
  return text;
}

std::string ConflictStatus(const proofs::VerifiedRecord& record) {
  if (!record.indexed) {
    return "未知：仅锚定的批量项目，链上未索引其内容 / unknown: an anchor-only batch item, the chain "
           "never indexed its content";
  }
  if (record.conflicts.empty()) {
    return "无：登记时链上没有他人在先登记相同内容 / none: no other account had registered the same content "
           "before";
  }
  std::vector<std::string> lines;
  for (const exec::Conflict& conflict : record.conflicts) {
    std::string prior = std::to_string(conflict.prior_record_id);
    if (conflict.prior_item != 0) prior += ":" + std::to_string(conflict.prior_item);
    lines.push_back(
        "他人在先登记相同内容 / prior registration of the same content by another account: record " + prior +
        " at " + IsoUtcTime(conflict.prior_time_milliseconds));
  }
  return JoinLines(lines);
}

std::string EndorsementStatus(const std::optional<std::vector<std::string>>& endorsements) {
  if (!endorsements.has_value()) return "证明包中无背书记录 / none recorded in bundle";
  if (endorsements->empty()) return "节点未报告背书 / none reported by the node";
  std::vector<std::string> lines = *endorsements;
  lines.push_back(
      "（由节点报告，不在证明包的证明范围内 / reported by the node, not covered by the bundle's proof）");
  return JoinLines(lines);
}

std::vector<std::string> HowToVerifyZh(const CertificateContent& content, crypto::HashAlgorithm algorithm) {
  const std::string digest_tool =
      algorithm == crypto::HashAlgorithm::kSha256 ? "sha256sum 作品文件" : "openssl dgst -sm3 作品文件";
  return {
      "1. 提取附件：pdfdetach -saveall 证书.pdf（得到 " + content.attachment_name +
          "），sha256sum 该文件应等于“证明包 SHA-256”。",
      "2. 取得联盟公布的信任文件 trust.json，sha256sum trust.json 应等于“信任文件 SHA-256”。",
      "3. 离线验证：rightchain verify --bundle " + content.attachment_name +
          " --trust trust.json --genesis-hash 创世哈希 --file 作品文件，结果应为 "
          "VERIFIED，且时间、高度、哈希与本证书一致。",
      "4. 作品文件的哈希：" + digest_tool + " 应等于“内容哈希”。也可扫描二维码在线核对。",
  };
}

std::vector<std::string> HowToVerifyEn(const CertificateContent& content, crypto::HashAlgorithm algorithm) {
  const std::string digest_tool =
      algorithm == crypto::HashAlgorithm::kSha256 ? "sha256sum WORK_FILE" : "openssl dgst -sm3 WORK_FILE";
  return {
      "1. Extract the attachment: pdfdetach -saveall certificate.pdf (gives " + content.attachment_name +
          "); its sha256sum must equal the \"proof bundle SHA-256\" above.",
      "2. Get the trust file trust.json the consortium publishes; sha256sum trust.json must equal the "
      "\"trust file SHA-256\" above.",
      "3. Verify offline: rightchain verify --bundle " + content.attachment_name +
          " --trust trust.json --genesis-hash GENESIS_HASH --file WORK_FILE must print VERIFIED with the "
          "time, "
          "height and hashes shown here.",
      "4. The work file's hash: " + digest_tool +
          " must equal the content hash. The QR code opens the online check at the node.",
  };
}

}  // namespace

const Field* CertificateContent::Find(std::string_view key) const {
  for (const Field& field : fields) {
    if (field.key == key) return &field;
  }
  return nullptr;
}

std::string VerificationUrl(std::string_view base, std::uint64_t record_id, std::optional<std::uint32_t> item,
                            std::string_view chain_id) {
  std::string url(base);
  url += url.find('?') == std::string::npos ? "?" : "&";
  url += "record=" + std::to_string(record_id);
  if (item.has_value()) url += "&item=" + std::to_string(*item);
  url += "&chain=";
  static constexpr char kHexDigits[] = "0123456789ABCDEF";
  for (const char c : chain_id) {
    const unsigned char byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' || byte == '_' ||
                            byte == '~';
    if (unreserved) {
      url += c;
    } else {
      url += '%';
      url += kHexDigits[byte >> 4];
      url += kHexDigits[byte & 0xf];
    }
  }
  return url;
}

std::string AttachmentName(std::uint64_t record_id, std::optional<std::uint32_t> item) {
  std::string name = "rightchain-bundle-" + std::to_string(record_id);
  if (item.has_value()) name += "-item-" + std::to_string(*item);
  return name + ".json";
}

Result<CertificateContent> BuildCertificateContent(const CertificateInputs& inputs) {
  RC_ASSERT(inputs.bundle != nullptr && inputs.verification != nullptr);
  if (!inputs.verification->ok()) {
    return Status::VerificationFailed("the bundle did not verify (" +
                                      std::string(proofs::CheckName(inputs.verification->failed)) + ": " +
                                      inputs.verification->message + "): no certificate is issued");
  }
  const proofs::Bundle& bundle = *inputs.bundle;
  const proofs::VerifiedRecord& record = inputs.verification->record;
  if (!record.work.has_value()) {
    return Status::InvalidArgument("record " + std::to_string(record.record_id) + " is a " + record.type +
                                   " record: certificates are issued for works and batch items");
  }
  const exec::WorkDescription& work = *record.work;
  const crypto::HashAlgorithm algorithm = crypto::GetSuite(bundle.suite).hash;
  RC_ASSIGN_OR_RETURN(const ledger::BlockHeader header, ledger::DecodeBlockHeader(bundle.block_header));

  CertificateContent content;
  content.heading_zh = "电子数据存证证书";
  content.heading_en = "Electronic Data Deposit Certificate";
  content.title = work.title;
  content.verification_url = inputs.verification_url;
  content.attachment_name = AttachmentName(record.record_id, record.item);
  content.attachment = std::string(inputs.bundle_json);

  std::vector<std::string> owners;
  for (const exec::Owner& owner : work.owners)
    owners.push_back(SharePercent(owner.share_basis_points) + "  " + HexEncode(owner.account));
  std::vector<std::string> signers;
  for (const std::string& signer : record.signers) signers.push_back(MemberName(signer, bundle.chain_id));
  std::string signer_names;
  for (const std::string& signer : signers) signer_names += (signer_names.empty() ? "" : ", ") + signer;
  const std::string power_percent =
      record.total_voting_power == 0 ? std::string("0.00%")
                                     : SharePercent(static_cast<std::uint16_t>(
                                           record.signed_voting_power * 10'000 / record.total_voting_power));

  std::vector<Field>& f = content.fields;
  f.push_back({"work_title", "作品名称", "Title of the work", work.title});
  f.push_back({"work_kind", "作品类型", "Kind", std::string(exec::WorkKindName(work.kind))});
  f.push_back(
      {"owners", "著作权人及份额（账户）", "Owners and shares (account ids)", JoinLines(owners), true});
  f.push_back({"authors", "作者（署名）", "Authors (as credited)",
               work.authors.empty() ? "—" : JoinLines(work.authors)});
  f.push_back({"registration_id", "登记编号", "Registration id (record[:item])",
               RegistrationId(record.record_id, record.item)});
  f.push_back({"record_type", "记录类型", "Record type", record.type});
  f.push_back({"content_hash", "内容哈希", "Content hash", HexEncode(work.content_hash), true});
  f.push_back({"hash_algorithm", "哈希算法", "Hash algorithm", HashAlgorithmTitle(algorithm)});
  f.push_back({"trusted_time", "可信时间（区块时间，UTC）", "Trusted time (block time, UTC)",
               IsoUtcTime(record.block_time_milliseconds)});
  f.push_back({"claimed_time", "声明的创作时间（UTC）", "Claimed creation time (UTC, the author's claim)",
               IsoUtcTime(static_cast<std::int64_t>(work.claimed_creation_time_milliseconds))});
  f.push_back({"chain_id", "链标识", "Chain id", bundle.chain_id});
  f.push_back({"suite", "密码套件", "Cryptographic suite", std::string(crypto::SuiteName(bundle.suite))});
  f.push_back({"genesis_hash", "创世哈希", "Genesis hash", HexEncode(record.genesis_hash), true});
  f.push_back({"block_height", "区块高度", "Block height", std::to_string(record.height)});
  f.push_back(
      {"block_hash", "区块哈希", "Block hash", HexEncode(ledger::BlockHash(algorithm, header)), true});
  f.push_back({"transaction_id", "交易标识", "Transaction id", HexEncode(record.transaction_id), true});
  f.push_back({"log_index", "日志序号", "Log index", std::to_string(record.log_index)});
  f.push_back({"log_size", "日志长度", "Log size", std::to_string(record.log_size)});
  f.push_back({"signers", "签名验证节点", "Signing validators", signer_names});
  f.push_back({"voting_power", "签名投票权 / 总投票权", "Signed / total voting power",
               std::to_string(record.signed_voting_power) + " / " +
                   std::to_string(record.total_voting_power) + " (" + power_percent + ")"});
  f.push_back({"endorsements", "背书状态", "Endorsements", EndorsementStatus(inputs.endorsements)});
  f.push_back({"conflicts", "冲突状态", "Conflict status", ConflictStatus(record)});
  f.push_back({"trust_file_sha256", "信任文件 SHA-256", "Trust file SHA-256",
               HexEncode(crypto::Hash(crypto::HashAlgorithm::kSha256, AsBytes(inputs.trust_file))), true});
  f.push_back({"bundle_sha256", "证明包 SHA-256（附件 " + content.attachment_name + "）",
               "Proof bundle SHA-256 (attachment)",
               HexEncode(crypto::Hash(crypto::HashAlgorithm::kSha256, AsBytes(inputs.bundle_json))), true});
  f.push_back({"verification_url", "验证网址", "Verification URL", inputs.verification_url, true});

  content.how_to_verify_zh = HowToVerifyZh(content, algorithm);
  content.how_to_verify_en = HowToVerifyEn(content, algorithm);
  return content;
}

}  // namespace rightchain::certificate
