// `rightchain timestamp FILE --out T.tsr --ca CA [--node URL] [--hash sha256|sm3]`: hashes the
// file, sends an RFC 3161 request (with a nonce, asking for the certificate) to the node, checks the
// reply against the consortium CA and saves it: a standard .tsr that `openssl ts -verify` accepts.
#include "cli/timestamp_command.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "base/file.h"
#include "base/time_text.h"
#include "cli/chain_session.h"
#include "client/http_client.h"
#include "client/node_client.h"
#include "crypto/cipher.h"
#include "crypto/hash.h"
#include "pki/certificate.h"
#include "timestamp/time_stamp_reply.h"
#include "timestamp/time_stamp_request.h"

namespace rightchain::cli {
namespace {

constexpr std::size_t kMaxTimeStampedFileBytes = std::size_t{1} << 30;
constexpr std::size_t kNonceSize = 8;
// The node answers once the record commits: a few block intervals.
constexpr std::uint32_t kReplyTimeoutMilliseconds = 60'000;

struct TimeStampOptions {
  std::string file;
  std::string out;
  std::string ca;
  std::string node_url = std::string(kDefaultNodeUrl);
  std::string hash = "sha256";
};

Result<timestamp::TimeStampRequest> MakeRequest(const TimeStampOptions& options) {
  timestamp::TimeStampRequest request;
  RC_ASSIGN_OR_RETURN(request.hash, exec::ParseTimeStampHash(options.hash));
  std::optional<crypto::HashAlgorithm> algorithm;
  if (request.hash == exec::TimeStampHash::kSha256) algorithm = crypto::HashAlgorithm::kSha256;
  if (request.hash == exec::TimeStampHash::kSm3) algorithm = crypto::HashAlgorithm::kSm3;
  if (!algorithm.has_value()) return Status::InvalidArgument("--hash must be sha256 or sm3");
  RC_ASSIGN_OR_RETURN(const std::string content, ReadFile(options.file, kMaxTimeStampedFileBytes));
  const crypto::Digest digest = crypto::Hash(*algorithm, AsBytes(content));
  request.digest.assign(digest.begin(), digest.end());
  RC_ASSIGN_OR_RETURN(request.nonce, crypto::RandomBytes(kNonceSize));
  request.nonce[0] = static_cast<std::uint8_t>(request.nonce[0] % 0x7f + 1);  // positive, minimal DER
  request.certificate_requested = true;
  return request;
}

Status TimeStamp(const TimeStampOptions& options, std::ostream& out) {
  RC_ASSIGN_OR_RETURN(const pki::Certificate authority, pki::Certificate::LoadFile(options.ca));
  RC_ASSIGN_OR_RETURN(const timestamp::TimeStampRequest request, MakeRequest(options));
  RC_ASSIGN_OR_RETURN(const Bytes query, timestamp::EncodeTimeStampRequest(request));
  client::HttpRequestOptions http;
  http.timeout_milliseconds = kReplyTimeoutMilliseconds;
  http.max_response_bytes = timestamp::kMaxReplySize;
  RC_ASSIGN_OR_RETURN(
      const client::HttpResponse response,
      client::Post(options.node_url + "/v1/timestamp", "application/timestamp-query",
                   std::string_view(reinterpret_cast<const char*>(query.data()), query.size()), http));
  if (response.content_type != "application/timestamp-reply") {
    return client::ErrorFromResponse(response, "time-stamp request");
  }
  RC_ASSIGN_OR_RETURN(const timestamp::CheckedTimeStamp checked,
                      timestamp::CheckTimeStampReply(AsBytes(response.body), request, authority));
  RC_RETURN_IF_ERROR(WriteFile(options.out, response.body, 0644));

  out << "time-stamped " << options.file << " (" << options.hash << " " << HexEncode(request.digest) << ")\n"
      << "  time          " << IsoUtcTime(checked.time_milliseconds) << " (the committing block's time)\n"
      << "  authority     " << checked.authority_name << ", serial " << checked.serial_hex << "\n";
  if (checked.position.has_value()) {
    const timestamp::ChainPosition& position = *checked.position;
    out << "  chain         " << position.chain_id << ", height " << position.height << ", log index "
        << position.log_index << "\n"
        << "  record        " << position.record_id << " (transaction " << HexEncode(position.transaction_id)
        << ")\n";
  }
  out << "saved " << options.out << "; check it with: openssl ts -verify -data " << options.file << " -in "
      << options.out << " -CAfile " << options.ca << "\n";
  return Status::Ok();
}

}  // namespace

std::shared_ptr<void> AddTimeStampCommand(CLI::App& app, std::optional<Status>& outcome) {
  auto options = std::make_shared<TimeStampOptions>();
  TimeStampOptions& o = *options;
  CLI::App* command =
      app.add_subcommand("timestamp", "get an RFC 3161 time-stamp of a file from a node (saved as .tsr)");
  command->add_option("file", o.file, "the file to time-stamp")->required();
  command->add_option("--out", o.out, "the time-stamp reply to write (.tsr)")->required();
  command->add_option("--ca", o.ca, "the consortium CA certificate that issued the node's TSA certificate")
      ->required();
  command->add_option("--node,--url", o.node_url, "the node's API URL")->capture_default_str();
  command->add_option("--hash", o.hash, "sha256 or sm3")->capture_default_str();
  command->callback([&outcome, &o] { outcome = TimeStamp(o, std::cout); });
  return options;
}

}  // namespace rightchain::cli
