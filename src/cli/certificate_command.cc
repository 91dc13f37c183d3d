// `rightchain certificate ID[:ITEM] --url NODE --out C.pdf [--html C.html] [--verify-url BASE]` and
// the offline form `rightchain certificate --bundle B.json --trust T.json --out C.pdf`.
#include "cli/certificate_command.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "base/time_text.h"
#include "certificate/certificate_content.h"
#include "certificate/html_certificate.h"
#include "certificate/pdf_certificate.h"
#include "cli/chain_session.h"
#include "cli/proof_commands.h"
#include "client/node_client.h"
#include "proofs/bundle.h"
#include "proofs/trust.h"
#include "proofs/verifier.h"

namespace rightchain::cli {
namespace {

using Json = nlohmann::json;

// Linked records (endorsements, evidence) looked at for the endorsement status.
constexpr std::size_t kMaxLinkedRecordsRead = 64;

struct CertificateOptions {
  std::string target;  // ID or ID:ITEM (online)
  std::string node_url;
  std::string bundle_path;  // offline
  std::string trust_path;   // offline
  std::string batch_proof;
  std::string out_pdf;
  std::string out_html;
  std::string verify_url;
};

// The endorsements of the record that the node's records API reports (GET /v1/records/{id}:
// linked_records, each an endorsement or evidence record). Not part of the proof bundle.
Result<std::vector<std::string>> NodeEndorsements(const std::string& node_url, const proofs::Bundle& bundle) {
  const client::NodeClient node(node_url);
  RC_ASSIGN_OR_RETURN(const std::string text,
                      node.GetJsonText("/v1/records/" + std::to_string(bundle.record_id)));
  const Json record = Json::parse(text, nullptr, false);
  if (!record.is_object() || !record.contains("linked_records") || !record["linked_records"].is_array())
    return Status::InvalidArgument("the node's record " + std::to_string(bundle.record_id) +
                                   " has no linked_records");
  std::vector<std::string> endorsements;
  std::size_t read = 0;
  for (const Json& link : record["linked_records"]) {
    if (!link.is_number_unsigned() || ++read > kMaxLinkedRecordsRead) break;
    const std::uint64_t id = link.get<std::uint64_t>();
    RC_ASSIGN_OR_RETURN(const std::string linked_text, node.GetJsonText("/v1/records/" + std::to_string(id)));
    const Json linked = Json::parse(linked_text, nullptr, false);
    if (!linked.is_object() || linked.value("type", "") != "endorsement") continue;
    const Json item = linked.value("item", Json());
    const bool same_item = bundle.item.has_value()
                               ? (item.is_number_unsigned() && item.get<std::uint64_t>() == *bundle.item)
                               : item.is_null();
    if (linked.value("endorses_record_id", std::uint64_t{0}) != bundle.record_id || !same_item) continue;
    endorsements.push_back("record " + std::to_string(id) + ": " + linked.value("kind", "") + " \"" +
                           linked.value("text", "") + "\" by " + linked.value("registrant", "") + " at " +
                           IsoUtcTime(linked.value("time_ms", std::int64_t{0})));
  }
  return endorsements;
}

Status IssueCertificate(const CertificateOptions& options, std::ostream& out, std::ostream& err) {
  const bool offline = !options.bundle_path.empty();
  if (offline == !options.target.empty())
    return Status::InvalidArgument("give either ID[:ITEM] (with --url) or --bundle FILE --trust FILE");
  if (offline && options.trust_path.empty()) return Status::InvalidArgument("--bundle needs --trust FILE");
  const std::string node_url =
      options.node_url.empty() && !offline ? std::string(kDefaultNodeUrl) : options.node_url;
  std::string verify_base = options.verify_url;
  if (verify_base.empty()) {
    if (node_url.empty())
      return Status::InvalidArgument(
          "the offline form needs --verify-url URL (or --url NODE) for the QR code");
    verify_base = node_url + "/verify";
  }

  std::string trust_text;
  std::string bundle_json;
  proofs::Bundle bundle;
  if (offline) {
    RC_ASSIGN_OR_RETURN(trust_text, ReadFile(options.trust_path, proofs::kMaxTrustFileSize));
    RC_ASSIGN_OR_RETURN(bundle_json, ReadFile(options.bundle_path, proofs::kMaxBundleSize));
    Result<proofs::Bundle> parsed = proofs::ParseBundleJson(bundle_json);
    if (!parsed.ok()) return Status::VerificationFailed("bundle: " + parsed.status().message());
    bundle = std::move(parsed).value();
  } else {
    RC_ASSIGN_OR_RETURN(trust_text, FetchTrustFile(node_url));
    RC_ASSIGN_OR_RETURN(bundle, FetchBundle(node_url, options.target, options.batch_proof));
    bundle_json = proofs::EncodeBundleJson(bundle);
  }
  const Result<proofs::TrustAnchor> trust = proofs::ParseTrustFile(trust_text);
  if (!trust.ok()) return Status::VerificationFailed("unknown_trust_anchor: " + trust.status().message());
  const proofs::Verification verification = proofs::VerifyBundle(bundle, *trust, std::nullopt);
  if (!verification.ok()) {
    return Status::VerificationFailed("the bundle does not verify, no certificate written: " +
                                      std::string(proofs::CheckName(verification.failed)) + ": " +
                                      verification.message);
  }

  certificate::CertificateInputs inputs;
  inputs.bundle = &bundle;
  inputs.verification = &verification;
  inputs.bundle_json = bundle_json;
  inputs.trust_file = trust_text;
  inputs.verification_url =
      certificate::VerificationUrl(verify_base, bundle.record_id, bundle.item, bundle.chain_id);
  if (!offline) {
    Result<std::vector<std::string>> endorsements = NodeEndorsements(node_url, bundle);
    if (endorsements.ok()) {
      inputs.endorsements = std::move(endorsements).value();
    } else {
      err << "rightchain: note: endorsements not looked up: " << endorsements.status().message() << "\n";
    }
  }
  RC_ASSIGN_OR_RETURN(const certificate::CertificateContent content,
                      certificate::BuildCertificateContent(inputs));
  RC_ASSIGN_OR_RETURN(const std::string pdf, certificate::RenderPdfCertificate(content));
  std::string html;
  if (!options.out_html.empty()) {
    RC_ASSIGN_OR_RETURN(html, certificate::RenderHtmlCertificate(content));
  }
  RC_RETURN_IF_ERROR(WriteFile(options.out_pdf, pdf, 0644));
  out << "certificate " << options.out_pdf << " (" << pdf.size() << " bytes): record " << bundle.record_id;
  if (bundle.item.has_value()) out << " item " << *bundle.item;
  out << ", verified against trust file sha256 " << HexEncode(trust->file_hash) << ", bundle attached as "
      << content.attachment_name << "\n";
  if (!options.out_html.empty()) {
    RC_RETURN_IF_ERROR(WriteFile(options.out_html, html, 0644));
    out << "html " << options.out_html << "\n";
  }
  return Status::Ok();
}

}  // namespace

std::shared_ptr<void> AddCertificateCommand(CLI::App& app, std::optional<Status>& outcome) {
  auto options = std::make_shared<CertificateOptions>();
  CertificateOptions& o = *options;
  CLI::App* command = app.add_subcommand(
      "certificate", "issue a verified work's electronic data deposit certificate (PDF, HTML)");
  command->add_option("id", o.target, "record id, or ID:ITEM for a batch item (fetched from --url)");
  command->add_option("--url,--node", o.node_url,
                      "the node's API URL (default " + std::string(kDefaultNodeUrl) + ")");
  command->add_option("--bundle", o.bundle_path, "offline: a proof bundle file");
  command->add_option("--trust", o.trust_path, "offline: the trust file");
  command->add_option("--batch-proof", o.batch_proof, "a batch item's proof file from register-batch");
  command->add_option("--out", o.out_pdf, "the PDF to write")->required();
  command->add_option("--html", o.out_html, "also write the certificate as one HTML page");
  command->add_option("--verify-url", o.verify_url,
                      "the QR code's verification URL (default <node url>/verify)");
  command->callback([&outcome, &o] { outcome = IssueCertificate(o, std::cout, std::cerr); });
  return options;
}

}  // namespace rightchain::cli
