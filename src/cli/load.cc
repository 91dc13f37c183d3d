#include "cli/load.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <thread>
#include <unordered_map>
#include <vector>

#include "cli/chain_session.h"
#include "cli/network.h"
#include "client/node_client.h"
#include "codec/transaction.h"
#include "crypto/private_key.h"
#include "crypto/suite.h"
#include "exec/executor.h"

namespace rightchain::cli {
namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

constexpr std::uint32_t kSettlePollMilliseconds = 100;
constexpr std::uint32_t kSubmitTimeoutMilliseconds = 5000;
constexpr std::uint32_t kFollowTimeoutMilliseconds = 2000;
constexpr std::uint64_t kMaxBlockTransactionIds = 1'000'000;

struct PreparedTransaction {
  Bytes encoded;
  std::string id_hex;
};

// One transaction's fate, guarded by Shared::mutex.
struct Outcome {
  std::optional<Clock::time_point> submitted_at;
  bool accepted = false;
  std::optional<std::string> rejection;  // reason
  std::optional<Clock::time_point> committed_at;
  std::uint64_t committed_height = 0;
};

struct Shared {
  std::mutex mutex;
  std::vector<Outcome> outcomes;
  std::unordered_map<std::string, std::size_t> index_by_id;
  std::uint64_t followed_height = 0;  // the last block the follower read
  std::size_t followed_node = 0;
  std::atomic<bool> stop_following{false};
};

double Seconds(Clock::duration duration) {
  return std::chrono::duration<double>(duration).count();
}

// "POST /v1/transactions: node answered HTTP 429 mempool_full: ..." → "HTTP 429 mempool_full".
std::string RejectionReason(const Status& status) {
  const std::string& message = status.message();
  const std::size_t start = message.find("HTTP ");
  if (start == std::string::npos) return std::string(ErrorCodeName(status.code()));
  const std::size_t end = message.find(':', start);
  return message.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

Result<std::vector<PreparedTransaction>> PrepareTransactions(const LoadOptions& options,
                                                             const client::NodeStatus& status,
                                                             std::uint64_t count) {
  RC_ASSIGN_OR_RETURN(const crypto::SuiteId suite_id, crypto::ParseSuiteName(status.suite));
  const crypto::Suite& suite = crypto::GetSuite(suite_id);
  std::vector<crypto::PrivateKey> accounts;
  for (std::uint32_t i = 0; i < options.accounts; ++i) {
    RC_ASSIGN_OR_RETURN(crypto::PrivateKey key, crypto::PrivateKey::Generate(suite.signature));
    accounts.push_back(std::move(key));
  }
  std::vector<PreparedTransaction> prepared;
  prepared.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    const crypto::PrivateKey& key = accounts[i % accounts.size()];
    std::string text = "load " + std::to_string(i) + " ";
    text.resize(std::max<std::size_t>(text.size(), options.payload_bytes), 'x');
    // Fresh keys: each account's nonces count from 1.
    RC_ASSIGN_OR_RETURN(
        const codec::SignedTransaction signed_transaction,
        SignTransaction(key, status.chain_id, i / accounts.size() + 1, status.height + options.expiry_heights,
                        exec::TransactionKind::kNote, ToBytes(text)));
    prepared.push_back({codec::EncodeSignedTransaction(signed_transaction),
                        HexEncode(codec::TransactionId(suite.hash, signed_transaction.transaction))});
  }
  return prepared;
}

// Submits to `first` and, while nodes are unreachable, to the next ones in turn.
void SubmitOne(const std::vector<client::NodeClient>& nodes, std::size_t first,
               const PreparedTransaction& transaction, Shared& shared, std::size_t index) {
  {
    std::lock_guard lock(shared.mutex);
    shared.outcomes[index].submitted_at = Clock::now();
  }
  Status last = Status::Unavailable("no node");
  for (std::size_t attempt = 0; attempt < nodes.size(); ++attempt) {
    const Result<client::SubmittedTransaction> submitted =
        nodes[(first + attempt) % nodes.size()].SubmitTransaction(transaction.encoded);
    // Already pending or committed somewhere: it is in the system.
    if (submitted.ok() || submitted.status().code() == ErrorCode::kAlreadyExists) {
      std::lock_guard lock(shared.mutex);
      shared.outcomes[index].accepted = true;
      return;
    }
    last = submitted.status();
    if (last.code() != ErrorCode::kUnavailable) break;
  }
  std::lock_guard lock(shared.mutex);
  shared.outcomes[index].rejection =
      last.code() == ErrorCode::kUnavailable ? "unavailable" : RejectionReason(last);
}

// Submits transactions [first, first + count) in one batch request to `node` (the next nodes
// while it is unreachable).
void SubmitBatch(const std::vector<client::NodeClient>& nodes, std::size_t node, std::uint64_t first,
                 std::uint64_t count, const std::vector<PreparedTransaction>& prepared, Shared& shared) {
  std::vector<ByteView> batch;
  {
    std::lock_guard lock(shared.mutex);
    for (std::uint64_t i = first; i < first + count; ++i) {
      shared.outcomes[i].submitted_at = Clock::now();
      batch.push_back(prepared[i].encoded);
    }
  }
  Status last = Status::Unavailable("no node");
  for (std::size_t attempt = 0; attempt < nodes.size(); ++attempt) {
    const auto submitted = nodes[(node + attempt) % nodes.size()].SubmitTransactions(batch);
    if (submitted.ok()) {
      std::lock_guard lock(shared.mutex);
      for (std::uint64_t i = 0; i < count; ++i) {
        const Result<client::SubmittedTransaction>& one = (*submitted)[i];
        Outcome& outcome = shared.outcomes[first + i];
        if (one.ok() || one.status().code() == ErrorCode::kAlreadyExists) {
          outcome.accepted = true;
        } else {
          outcome.rejection = RejectionReason(one.status());
        }
      }
      return;
    }
    last = submitted.status();
    if (last.code() != ErrorCode::kUnavailable) break;
  }
  std::lock_guard lock(shared.mutex);
  for (std::uint64_t i = first; i < first + count; ++i) {
    shared.outcomes[i].rejection =
        last.code() == ErrorCode::kUnavailable ? "unavailable" : RejectionReason(last);
  }
}

// Reads committed blocks above `start_height` from one node (the next one when it is down) and
// marks the load's transactions in them as committed.
void Follow(const std::vector<client::NodeClient>& nodes, std::uint64_t start_height, Shared& shared) {
  std::uint64_t next_height = start_height + 1;
  std::size_t node = shared.followed_node;
  while (!shared.stop_following.load()) {
    const Result<std::string> block = nodes[node].GetBlockJson(next_height);
    if (!block.ok()) {
      if (block.status().code() != ErrorCode::kNotFound) {
        node = (node + 1) % nodes.size();
        std::lock_guard lock(shared.mutex);
        shared.followed_node = node;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(kFollowPollMilliseconds));
      continue;
    }
    const Clock::time_point seen_at = Clock::now();
    const Json json = Json::parse(*block, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object() || !json.contains("transactions") ||
        !json["transactions"].is_array() || json["transactions"].size() > kMaxBlockTransactionIds) {
      node = (node + 1) % nodes.size();  // a node sending nonsense is not followed further
      continue;
    }
    std::lock_guard lock(shared.mutex);
    for (const Json& id : json["transactions"]) {
      if (!id.is_string()) continue;
      const auto found = shared.index_by_id.find(id.get<std::string>());
      if (found == shared.index_by_id.end()) continue;
      Outcome& outcome = shared.outcomes[found->second];
      if (!outcome.committed_at.has_value()) {
        outcome.committed_at = seen_at;
        outcome.committed_height = next_height;
      }
    }
    shared.followed_height = next_height;
    ++next_height;
  }
}

// The first node that answers, with its status.
Result<std::pair<std::size_t, client::NodeStatus>> FirstAnswering(
    const std::vector<client::NodeClient>& nodes) {
  Status last = Status::Unavailable("the network has no nodes");
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    Result<client::NodeStatus> status = nodes[i].GetStatus();
    if (status.ok()) return std::make_pair(i, std::move(status).value());
    last = status.status();
  }
  return Status::Unavailable("no node answers (is the network up?): " + last.message());
}

double Percentile(const std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

Status WriteCommittedIds(const std::filesystem::path& path, const std::vector<PreparedTransaction>& prepared,
                         const std::vector<Outcome>& outcomes) {
  std::ofstream file(path);
  if (!file) return Status::IoError("cannot write " + path.string());
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i].committed_at.has_value())
      file << prepared[i].id_hex << " " << outcomes[i].committed_height << "\n";
  }
  file.flush();
  if (!file) return Status::IoError("cannot write " + path.string());
  return Status::Ok();
}

LoadReport Summarize(const Shared& shared, std::uint64_t start_height, std::uint64_t expiry_height,
                     Clock::time_point first_submission, Clock::time_point last_submission) {
  LoadReport report;
  report.start_height = start_height;
  report.end_height = shared.followed_height;
  std::vector<double> latencies_milliseconds;
  Clock::time_point last_commit = first_submission;
  for (const Outcome& outcome : shared.outcomes) {
    report.submitted += outcome.submitted_at.has_value();
    if (outcome.committed_at.has_value() && outcome.submitted_at.has_value()) {
      ++report.committed;
      last_commit = std::max(last_commit, *outcome.committed_at);
      latencies_milliseconds.push_back(
          std::chrono::duration<double, std::milli>(*outcome.committed_at - *outcome.submitted_at).count());
    } else if (outcome.rejection.has_value()) {
      ++report.rejected;
      ++report.rejection_reasons[*outcome.rejection];
    } else if (shared.followed_height > expiry_height) {
      ++report.expired;
    } else {
      ++report.lost;
    }
  }
  std::sort(latencies_milliseconds.begin(), latencies_milliseconds.end());
  report.latency_p50_milliseconds = Percentile(latencies_milliseconds, 0.50);
  report.latency_p90_milliseconds = Percentile(latencies_milliseconds, 0.90);
  report.latency_p99_milliseconds = Percentile(latencies_milliseconds, 0.99);
  report.latency_max_milliseconds = latencies_milliseconds.empty() ? 0 : latencies_milliseconds.back();
  report.submit_seconds = Seconds(last_submission - first_submission);
  report.commit_seconds = Seconds(last_commit - first_submission);
  if (report.commit_seconds > 0)
    report.committed_per_second = static_cast<double>(report.committed) / report.commit_seconds;
  if (report.submit_seconds > 0)
    report.submitted_per_second = static_cast<double>(report.submitted) / report.submit_seconds;
  return report;
}

}  // namespace

Status ValidateLoadOptions(const LoadOptions& options) {
  if (options.rate_per_second == 0 || options.rate_per_second > kMaxLoadRatePerSecond)
    return Status::InvalidArgument("--rate must be between 1 and " + std::to_string(kMaxLoadRatePerSecond));
  if (options.seconds == 0) return Status::InvalidArgument("--seconds must be positive");
  if (std::uint64_t{options.rate_per_second} * options.seconds > kMaxLoadTransactions) {
    return Status::InvalidArgument("--rate × --seconds must be at most " +
                                   std::to_string(kMaxLoadTransactions) + " transactions");
  }
  if (options.accounts == 0) return Status::InvalidArgument("--accounts must be positive");
  if (options.submitters == 0 || options.submitters > kMaxLoadSubmitters)
    return Status::InvalidArgument("--submitters must be between 1 and " +
                                   std::to_string(kMaxLoadSubmitters));
  if (options.expiry_heights == 0) return Status::InvalidArgument("--expiry-heights must be positive");
  if (options.batch_size == 0 || options.batch_size > 1000)
    return Status::InvalidArgument("--batch-size must be between 1 and 1000");
  if (options.payload_bytes > 64 * 1024)
    return Status::InvalidArgument("--payload-bytes must be at most 65536");
  return Status::Ok();
}

Result<LoadReport> RunLoad(const LoadOptions& options, std::ostream& progress) {
  RC_RETURN_IF_ERROR(ValidateLoadOptions(options));
  RC_ASSIGN_OR_RETURN(const std::vector<NetworkNode> network, LoadNetwork(options.directory));
  client::HttpRequestOptions submit_options;
  submit_options.timeout_milliseconds = kSubmitTimeoutMilliseconds;
  client::HttpRequestOptions follow_options;
  follow_options.timeout_milliseconds = kFollowTimeoutMilliseconds;
  std::vector<client::NodeClient> submit_clients;
  std::vector<client::NodeClient> follow_clients;
  for (const NetworkNode& node : network) {
    submit_clients.emplace_back(node.api_url, submit_options);
    follow_clients.emplace_back(node.api_url, follow_options);
  }
  RC_ASSIGN_OR_RETURN(const auto first_answering, FirstAnswering(follow_clients));
  const std::size_t followed = first_answering.first;
  const client::NodeStatus& status = first_answering.second;

  const std::uint64_t count = std::uint64_t{options.rate_per_second} * options.seconds;
  const Clock::time_point signing_start = Clock::now();
  RC_ASSIGN_OR_RETURN(const std::vector<PreparedTransaction> prepared,
                      PrepareTransactions(options, status, count));
  progress << "signed " << count << " note transactions (" << status.suite << ", " << options.accounts
           << " accounts) in " << std::fixed << std::setprecision(1) << Seconds(Clock::now() - signing_start)
           << " s; submitting " << options.rate_per_second << " tx/s for " << options.seconds << " s to "
           << network.size() << " nodes\n"
           << std::flush;

  Shared shared;
  shared.outcomes.resize(count);
  for (std::size_t i = 0; i < prepared.size(); ++i) shared.index_by_id.emplace(prepared[i].id_hex, i);
  shared.followed_node = followed;
  shared.followed_height = status.height;
  std::thread follower([&] { Follow(follow_clients, status.height, shared); });

  // Transaction i is due at start + i / rate; a submitter that falls behind sends at once.
  const Clock::time_point start = Clock::now();
  std::atomic<std::uint64_t> next{0};
  std::vector<std::thread> submitters;
  for (std::uint32_t s = 0; s < options.submitters; ++s) {
    submitters.emplace_back([&] {
      const std::uint64_t batch = options.batch_size;
      for (std::uint64_t i = next.fetch_add(batch); i < count; i = next.fetch_add(batch)) {
        // The batch leaves when its last transaction is due.
        const std::uint64_t size = std::min(batch, count - i);
        std::this_thread::sleep_until(
            start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                        static_cast<double>(i + size - 1) / options.rate_per_second)));
        if (batch == 1) {
          SubmitOne(submit_clients, i % submit_clients.size(), prepared[i], shared, i);
        } else {
          SubmitBatch(submit_clients, (i / batch) % submit_clients.size(), i, size, prepared, shared);
        }
      }
    });
  }
  for (std::thread& submitter : submitters) submitter.join();
  const Clock::time_point last_submission = Clock::now();
  progress << "submitted in " << std::setprecision(1) << Seconds(last_submission - start)
           << " s; waiting for commits\n"
           << std::flush;

  // Settled: every accepted transaction committed, or the chain passed the expiry height.
  const std::uint64_t expiry_height = status.height + options.expiry_heights;
  const Clock::time_point deadline = last_submission + std::chrono::seconds(options.wait_seconds);
  while (Clock::now() < deadline) {
    {
      std::lock_guard lock(shared.mutex);
      if (shared.followed_height > expiry_height) break;
      const bool open = std::any_of(
          shared.outcomes.begin(), shared.outcomes.end(),
          [](const Outcome& outcome) { return outcome.accepted && !outcome.committed_at.has_value(); });
      if (!open) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(kSettlePollMilliseconds));
  }
  shared.stop_following = true;
  follower.join();

  LoadReport report = Summarize(shared, status.height, expiry_height, start, last_submission);
  report.followed_node = network[shared.followed_node].api_url;
  if (!options.committed_ids_file.empty())
    RC_RETURN_IF_ERROR(WriteCommittedIds(options.committed_ids_file, prepared, shared.outcomes));
  return report;
}

void PrintLoadReport(const LoadReport& report, std::ostream& out) {
  out << std::fixed << std::setprecision(1);
  out << "submitted  " << report.submitted << " (" << report.submitted_per_second << " tx/s over "
      << report.submit_seconds << " s)\n";
  out << "committed  " << report.committed << " (" << report.committed_per_second << " tx/s, heights "
      << report.start_height + 1 << ".." << report.end_height << ")\n";
  out << "rejected   " << report.rejected << "\n";
  for (const auto& [reason, count] : report.rejection_reasons) out << "  " << reason << ": " << count << "\n";
  out << "expired    " << report.expired << "\n";
  out << "lost       " << report.lost << "\n";
  out << "latency    p50 " << report.latency_p50_milliseconds << " ms, p90 "
      << report.latency_p90_milliseconds << " ms, p99 " << report.latency_p99_milliseconds << " ms, max "
      << report.latency_max_milliseconds << " ms\n";
}

void PrintLoadReportJson(const LoadReport& report, std::ostream& out) {
  Json reasons = Json::object();
  for (const auto& [reason, count] : report.rejection_reasons) reasons[reason] = count;
  const Json json{{"submitted", report.submitted},
                  {"committed", report.committed},
                  {"rejected", report.rejected},
                  {"rejection_reasons", reasons},
                  {"expired", report.expired},
                  {"lost", report.lost},
                  {"submit_seconds", report.submit_seconds},
                  {"commit_seconds", report.commit_seconds},
                  {"submitted_per_second", report.submitted_per_second},
                  {"committed_per_second", report.committed_per_second},
                  {"latency_ms",
                   {{"p50", report.latency_p50_milliseconds},
                    {"p90", report.latency_p90_milliseconds},
                    {"p99", report.latency_p99_milliseconds},
                    {"max", report.latency_max_milliseconds}}},
                  {"start_height", report.start_height},
                  {"end_height", report.end_height},
                  {"followed_node", report.followed_node}};
  out << json.dump(2) << "\n";
}

}  // namespace rightchain::cli
