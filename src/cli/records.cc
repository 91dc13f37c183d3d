#include "cli/records.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>
#include <ostream>
#include <system_error>

#include "base/file.h"
#include "exec/record_payloads.h"
#include "exec/record_store.h"
#include "merkle/batch_tree.h"

namespace rightchain::cli {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

// Registered files are hashed whole in memory: a bound on what one command reads.
constexpr std::size_t kMaxRegisteredFileBytes = std::size_t{1} << 30;

struct Target {
  std::uint64_t record_id = 0;
  std::optional<std::uint32_t> item;
};

Result<std::uint64_t> ParseDecimal(std::string_view text, std::string_view what) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument(std::string(what) + " must be a decimal number, not '" +
                                   std::string(text) + "'");
  }
  return value;
}

// "ID" or "ID:ITEM".
Result<Target> ParseTarget(std::string_view text) {
  Target target;
  const std::size_t colon = text.find(':');
  RC_ASSIGN_OR_RETURN(target.record_id, ParseDecimal(text.substr(0, colon), "record id"));
  if (colon != std::string_view::npos) {
    RC_ASSIGN_OR_RETURN(const std::uint64_t item, ParseDecimal(text.substr(colon + 1), "item"));
    if (item > UINT32_MAX) return Status::InvalidArgument("item is out of range");
    target.item = static_cast<std::uint32_t>(item);
  }
  return target;
}

Result<exec::AccountId> ParseAccountId(std::string_view hex) {
  RC_ASSIGN_OR_RETURN(const Bytes bytes, HexDecode(hex));
  if (bytes.size() != crypto::kKeyIdSize) return Status::InvalidArgument("an account id is 64 hex digits");
  exec::AccountId id;
  std::copy(bytes.begin(), bytes.end(), id.begin());
  return id;
}

exec::WorkKind KindFromExtension(const fs::path& file) {
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (const char* text : {".txt", ".md", ".html", ".htm", ".rst"}) {
    if (extension == text) return exec::WorkKind::kText;
  }
  for (const char* image : {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff"}) {
    if (extension == image) return exec::WorkKind::kImage;
  }
  for (const char* audio : {".mp3", ".wav", ".flac", ".ogg", ".m4a", ".aac", ".opus"}) {
    if (extension == audio) return exec::WorkKind::kAudio;
  }
  for (const char* video : {".mp4", ".mkv", ".webm", ".mov", ".avi"}) {
    if (extension == video) return exec::WorkKind::kVideo;
  }
  return exec::WorkKind::kOther;
}

std::uint64_t ModificationTimeMilliseconds(const fs::path& file) {
  std::error_code error;
  const auto written = fs::last_write_time(file, error);
  if (error) return 0;
  const auto system = std::chrono::file_clock::to_sys(written);
  const auto milliseconds =
      std::chrono::duration_cast<std::chrono::milliseconds>(system.time_since_epoch()).count();
  return milliseconds > 0 ? static_cast<std::uint64_t>(milliseconds) : 0;
}

// A connected session and the signing key of the chain's scheme.
struct Signer {
  ChainSession session;
  crypto::PrivateKey key;
};

Result<Signer> Connect(const ChainWriteOptions& options) {
  RC_ASSIGN_OR_RETURN(ChainSession session, ConnectChain(options.node_url));
  RC_ASSIGN_OR_RETURN(crypto::PrivateKey key, LoadSigningKey(options.key_file, options.passphrase_file,
                                                             crypto::GetSuite(session.suite).signature));
  return Signer{std::move(session), std::move(key)};
}

Result<exec::RecordResult> SubmitRecord(const Signer& signer, const ChainWriteOptions& options,
                                        exec::TransactionKind kind, Bytes payload,
                                        CommittedReceipt& receipt) {
  RC_ASSIGN_OR_RETURN(
      receipt, SubmitAndWait(signer.session, signer.key, kind, std::move(payload), options.wait_seconds));
  if (receipt.status != "ok") return ReceiptError(receipt);
  Result<exec::RecordResult> result = exec::DecodeRecordResult(receipt.result);
  if (!result.ok())
    return Status::Corruption("the receipt's result does not decode: " + result.status().message());
  return result;
}

Json ConflictsJson(const std::vector<exec::Conflict>& conflicts) {
  Json array = Json::array();
  for (const exec::Conflict& conflict : conflicts) {
    array.push_back({{"item", conflict.item},
                     {"prior_record_id", conflict.prior_record_id},
                     {"prior_item", conflict.prior_item},
                     {"prior_time_ms", conflict.prior_time_milliseconds}});
  }
  return array;
}

void PrintRecord(std::ostream& out, bool json, std::string_view what, const exec::RecordResult& result,
                 const CommittedReceipt& receipt, std::size_t conflicts_shown = 20) {
  if (json) {
    out << Json{{"record_id", result.record_id},
                {"height", receipt.height},
                {"transaction_id", receipt.transaction_id},
                {"conflicts", ConflictsJson(result.conflicts)}}
               .dump()
        << "\n";
    return;
  }
  out << what << " " << result.record_id << " committed at height " << receipt.height << " (transaction "
      << receipt.transaction_id << ")\n";
  for (std::size_t i = 0; i < result.conflicts.size() && i < conflicts_shown; ++i) {
    const exec::Conflict& conflict = result.conflicts[i];
    out << "conflict: item " << conflict.item << " was registered before by another account as record "
        << conflict.prior_record_id;
    if (conflict.prior_item != 0) out << ":" << conflict.prior_item;
    out << " (block time " << conflict.prior_time_milliseconds << " ms)\n";
  }
  if (result.conflicts.size() > conflicts_shown) {
    out << "… and " << result.conflicts.size() - conflicts_shown << " more conflicts (--json lists all)\n";
  }
}

Result<std::vector<exec::Owner>> ParseOwners(const std::vector<std::string>& specs,
                                             const exec::AccountId& signer) {
  if (specs.empty()) return std::vector<exec::Owner>{{signer, exec::kTotalShareBasisPoints}};
  std::vector<exec::Owner> owners;
  for (const std::string& spec : specs) {
    const std::size_t colon = spec.find(':');
    if (colon == std::string::npos)
      return Status::InvalidArgument("--owner must be ACCOUNT:SHARE_BASIS_POINTS");
    RC_ASSIGN_OR_RETURN(const exec::AccountId account, ParseAccountId(spec.substr(0, colon)));
    RC_ASSIGN_OR_RETURN(const std::uint64_t share, ParseDecimal(spec.substr(colon + 1), "share"));
    if (share > exec::kTotalShareBasisPoints)
      return Status::InvalidArgument("a share is at most 10000 basis points");
    owners.push_back({account, static_cast<std::uint16_t>(share)});
  }
  return owners;
}

// The status's name as an error, for checks made before signing.
Status CheckLocally(exec::ReceiptStatus status, std::string_view what) {
  if (status == exec::ReceiptStatus::kOk) return Status::Ok();
  return Status::InvalidArgument(std::string(what) +
                                 " would be rejected: " + std::string(exec::ReceiptStatusName(status)));
}

std::int64_t NowMilliseconds() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Status RegisterWork(const RegisterOptions& options, std::ostream& out) {
  RC_ASSIGN_OR_RETURN(const Signer signer, Connect(options.chain));
  RC_ASSIGN_OR_RETURN(const exec::AccountId account, AccountOfKey(signer.session, signer.key.public_key()));
  Result<std::string> content = ReadFile(options.file, kMaxRegisteredFileBytes);
  if (!content.ok()) return content.status().WithContext("file " + options.file.string());

  exec::WorkDescription work;
  work.title = options.title.empty() ? options.file.filename().string() : options.title;
  if (options.kind.empty()) {
    work.kind = KindFromExtension(options.file);
  } else {
    RC_ASSIGN_OR_RETURN(work.kind, exec::ParseWorkKind(options.kind));
  }
  work.content_hash = crypto::Hash(crypto::GetSuite(signer.session.suite).hash, ToBytes(*content));
  work.authors = options.authors;
  RC_ASSIGN_OR_RETURN(work.owners, ParseOwners(options.owners, account));
  work.claimed_creation_time_milliseconds =
      options.created_milliseconds.value_or(ModificationTimeMilliseconds(options.file));
  work.where = options.where;
  work.storage_pointer = options.storage_pointer;
  RC_RETURN_IF_ERROR(
      CheckLocally(exec::ValidateWorkDescription(work, NowMilliseconds()), "the registration"));

  CommittedReceipt receipt;
  RC_ASSIGN_OR_RETURN(const exec::RecordResult result,
                      SubmitRecord(signer, options.chain, exec::TransactionKind::kRegisterWork,
                                   exec::EncodePayload(work), receipt));
  if (!options.chain.json) out << "content hash " << HexEncode(work.content_hash) << "\n";
  PrintRecord(out, options.chain.json, "registration", result, receipt);
  return Status::Ok();
}

namespace {

Result<std::vector<fs::path>> BatchFiles(const fs::path& directory, std::size_t limit) {
  std::error_code error;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
    if (!it->is_regular_file(error)) continue;
    if (files.size() == limit)
      return Status::LimitExceeded("a batch holds at most " + std::to_string(limit) + " files");
    files.push_back(it->path());
  }
  if (error) return Status::IoError("cannot list " + directory.string() + ": " + error.message());
  if (files.empty()) return Status::InvalidArgument(directory.string() + " has no files to register");
  std::sort(files.begin(), files.end());
  return files;
}

Status WriteItemProofs(const fs::path& proofs_directory, const std::vector<fs::path>& files,
                       const std::vector<Bytes>& records, const merkle::BatchTree& tree,
                       const ChainSession& session, std::uint64_t record_id, bool indexed) {
  std::error_code error;
  fs::create_directories(proofs_directory, error);
  if (error) return Status::IoError("cannot create " + proofs_directory.string() + ": " + error.message());
  for (std::size_t item = 0; item < files.size(); ++item) {
    Json proof = Json::array();
    for (const crypto::Digest& hash : tree.InclusionProof(item)) proof.push_back(HexEncode(hash));
    const Json document{{"chain_id", session.chain_id},
                        {"suite", std::string(crypto::SuiteName(session.suite))},
                        {"record_id", record_id},
                        {"item", item},
                        {"indexed", indexed},
                        {"file", files[item].filename().string()},
                        {"record", HexEncode(records[item])},
                        {"records_root", HexEncode(tree.root())},
                        {"tree_size", tree.size()},
                        {"inclusion_proof", proof}};
    RC_RETURN_IF_ERROR(WriteFile(proofs_directory / (files[item].filename().string() + ".proof.json"),
                                 document.dump(2) + "\n", 0644));
  }
  return Status::Ok();
}

}  // namespace

Status RegisterBatch(const RegisterBatchOptions& options, std::ostream& out) {
  RC_ASSIGN_OR_RETURN(const Signer signer, Connect(options.chain));
  RC_ASSIGN_OR_RETURN(const exec::AccountId account, AccountOfKey(signer.session, signer.key.public_key()));
  const std::size_t limit = options.anchor_only ? exec::kMaxAnchorBatchItems : exec::kMaxIndexedBatchItems;
  RC_ASSIGN_OR_RETURN(const std::vector<fs::path> files, BatchFiles(options.directory, limit));
  const crypto::HashAlgorithm hash = crypto::GetSuite(signer.session.suite).hash;

  std::vector<Bytes> records;
  std::vector<crypto::Digest> content_hashes;
  records.reserve(files.size());
  for (const fs::path& file : files) {
    Result<std::string> content = ReadFile(file, kMaxRegisteredFileBytes);
    if (!content.ok()) return content.status().WithContext("file " + file.string());
    exec::WorkDescription work;
    work.title = file.filename().string();
    work.kind = KindFromExtension(file);
    work.content_hash = crypto::Hash(hash, ToBytes(*content));
    work.owners = {{account, exec::kTotalShareBasisPoints}};
    work.claimed_creation_time_milliseconds = ModificationTimeMilliseconds(file);
    RC_RETURN_IF_ERROR(CheckLocally(exec::ValidateWorkDescription(work, NowMilliseconds()), file.string()));
    content_hashes.push_back(work.content_hash);
    records.push_back(exec::EncodePayload(work));
  }
  RC_ASSIGN_OR_RETURN(const merkle::BatchTree tree, merkle::BatchTree::FromLeafData(hash, records));

  Bytes payload;
  exec::TransactionKind kind;
  if (options.anchor_only) {
    payload = exec::EncodePayload(
        exec::AnchorBatchPayload{tree.root(), static_cast<std::uint32_t>(files.size()), options.label});
    kind = exec::TransactionKind::kAnchorBatch;
  } else {
    payload = exec::EncodePayload(exec::IndexedBatchPayload{tree.root(), content_hashes, options.label});
    kind = exec::TransactionKind::kIndexedBatch;
  }
  CommittedReceipt receipt;
  RC_ASSIGN_OR_RETURN(const exec::RecordResult result,
                      SubmitRecord(signer, options.chain, kind, std::move(payload), receipt));
  const fs::path proofs = options.proofs_directory.empty() ? fs::path(options.directory.string() + ".proofs")
                                                           : options.proofs_directory;
  RC_RETURN_IF_ERROR(
      WriteItemProofs(proofs, files, records, tree, signer.session, result.record_id, !options.anchor_only));
  if (!options.chain.json) {
    out << files.size() << " items, records root " << HexEncode(tree.root()) << "; proofs in "
        << proofs.string() << "\n";
  }
  PrintRecord(out, options.chain.json, options.anchor_only ? "anchor-only batch" : "indexed batch", result,
              receipt);
  return Status::Ok();
}

Status Endorse(const EndorseOptions& options, std::ostream& out) {
  RC_ASSIGN_OR_RETURN(const Target target, ParseTarget(options.target));
  RC_ASSIGN_OR_RETURN(const exec::EndorsementKind kind, exec::ParseEndorsementKind(options.kind));
  const exec::EndorsePayload endorsement{target.record_id, target.item, kind, options.text};
  RC_RETURN_IF_ERROR(CheckLocally(exec::ValidateEndorsement(endorsement), "the endorsement"));
  RC_ASSIGN_OR_RETURN(const Signer signer, Connect(options.chain));
  CommittedReceipt receipt;
  RC_ASSIGN_OR_RETURN(const exec::RecordResult result,
                      SubmitRecord(signer, options.chain, exec::TransactionKind::kEndorse,
                                   exec::EncodePayload(endorsement), receipt));
  PrintRecord(out, options.chain.json, "endorsement", result, receipt);
  return Status::Ok();
}

Status FixEvidence(const EvidenceOptions& options, std::ostream& out) {
  RC_ASSIGN_OR_RETURN(const Signer signer, Connect(options.chain));
  Result<std::string> manifest = ReadFile(options.manifest, kMaxRegisteredFileBytes);
  if (!manifest.ok()) return manifest.status().WithContext("manifest " + options.manifest.string());
  exec::EvidencePayload evidence;
  evidence.manifest_hash = crypto::Hash(crypto::GetSuite(signer.session.suite).hash, ToBytes(*manifest));
  evidence.target_url = options.url;
  evidence.capture_time_milliseconds =
      options.captured_milliseconds.value_or(static_cast<std::uint64_t>(NowMilliseconds()));
  if (!options.target.empty()) {
    RC_ASSIGN_OR_RETURN(const Target target, ParseTarget(options.target));
    evidence.related_record_id = target.record_id;
    evidence.related_item = target.item;
  }
  evidence.note = options.note;
  RC_RETURN_IF_ERROR(CheckLocally(exec::ValidateEvidence(evidence), "the evidence"));
  CommittedReceipt receipt;
  RC_ASSIGN_OR_RETURN(const exec::RecordResult result,
                      SubmitRecord(signer, options.chain, exec::TransactionKind::kEvidence,
                                   exec::EncodePayload(evidence), receipt));
  PrintRecord(out, options.chain.json, "evidence", result, receipt);
  return Status::Ok();
}

Status ShowRecord(const std::string& node_url, const std::string& target_text, std::ostream& out) {
  RC_ASSIGN_OR_RETURN(const Target target, ParseTarget(target_text));
  const client::NodeClient node(node_url);
  std::string path = "/v1/records/" + std::to_string(target.record_id);
  if (target.item.has_value()) path += "?item=" + std::to_string(*target.item);
  RC_ASSIGN_OR_RETURN(const std::string body, node.GetJsonText(path));
  const Json json = Json::parse(body, nullptr, false);
  if (json.is_discarded()) return Status::Corruption("the node sent a record that is not JSON");
  out << json.dump(2) << "\n";
  return Status::Ok();
}

}  // namespace rightchain::cli
