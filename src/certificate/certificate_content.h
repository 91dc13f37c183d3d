// The content of an electronic data deposit certificate (docs/certificate.md): every labelled
// field, in Chinese and English, built from a verified proof bundle. Pure: the PDF and HTML
// renderers only lay these fields out, so what a certificate says is decided (and tested) here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "proofs/bundle.h"
#include "proofs/verifier.h"

namespace rightchain::certificate {

// One row of the certificate: a stable key for tools and tests, the label in both languages,
// and the value (may hold several lines).
struct Field {
  std::string key;  // e.g. "registration_id", "content_hash"
  std::string label_zh;
  std::string label_en;
  std::string value;
  bool monospace = false;  // hashes and ids: one glyph width, so they never reflow
};

struct CertificateContent {
  std::string heading_zh;  // 电子数据存证证书
  std::string heading_en;  // Electronic Data Deposit Certificate
  std::vector<Field> fields;
  std::string verification_url;               // what the QR code encodes
  std::vector<std::string> how_to_verify_zh;  // paragraphs
  std::vector<std::string> how_to_verify_en;  // paragraphs
  std::string attachment_name;                // rightchain-bundle-<id>[-item-<n>].json
  std::string attachment;                     // the bundle's JSON bytes
  std::string title;                          // the work's title (document metadata)
  const Field* Find(std::string_view key) const;
};

struct CertificateInputs {
  const proofs::Bundle* bundle = nullptr;
  const proofs::Verification* verification = nullptr;  // must be ok(): VerifyBundle passed
  std::string_view bundle_json;                        // attached verbatim
  std::string_view trust_file;                         // the trust file's bytes
  std::string verification_url;                        // see VerificationUrl
  // Endorsements the node reported (not covered by the bundle); nullopt: none were looked up.
  std::optional<std::vector<std::string>> endorsements;
};

// `<base>?record=ID[&item=N]&chain=CHAIN_ID` (`&` instead of `?` when `base` has a query already);
// the chain id is percent-encoded.
std::string VerificationUrl(std::string_view base, std::uint64_t record_id, std::optional<std::uint32_t> item,
                            std::string_view chain_id);

// The attached bundle's file name: rightchain-bundle-7.json or rightchain-bundle-7-item-3.json.
std::string AttachmentName(std::uint64_t record_id, std::optional<std::uint32_t> item);

// Refuses an unverified bundle, and records that are not works or batch items (no work to certify).
Result<CertificateContent> BuildCertificateContent(const CertificateInputs& inputs);

}  // namespace rightchain::certificate
