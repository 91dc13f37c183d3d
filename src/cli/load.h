// `rightchain load`: a load generator for a local network folder. It signs note transactions
// with fresh account keys of the chain's suite (one nonce sequence per account, a fixed expiry
// height), submits them round-robin across every node's API at a steady rate, follows the
// committed blocks on one node, and reports what happened to each transaction.
//
// Every transaction ends in exactly one outcome:
//   committed  seen in a committed block
//   rejected   refused at submission by the node (or every node unreachable)
//   expired    accepted, but the chain passed its expiry height without it
//   lost       accepted, yet neither committed nor expired when the wait ended
// Commit latency is the time from just before the submission to the moment the follower first
// saw the block that holds it (the follower polls the tip every kFollowPollMilliseconds).
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <string>

#include "base/status.h"

namespace rightchain::cli {

inline constexpr std::uint64_t kMaxLoadTransactions = 1'000'000;
inline constexpr std::uint32_t kMaxLoadRatePerSecond = 100'000;
inline constexpr std::uint32_t kMaxLoadSubmitters = 64;
inline constexpr std::uint32_t kFollowPollMilliseconds = 20;

struct LoadOptions {
  std::filesystem::path directory;
  std::uint32_t rate_per_second = 10;
  std::uint32_t seconds = 10;
  std::uint32_t accounts = 16;          // fresh keys; transactions are spread over them
  std::uint32_t submitters = 8;         // concurrent submissions (one connection each)
  std::uint64_t expiry_heights = 1000;  // each transaction expires this far above the start height
  std::uint32_t wait_seconds = 60;      // after the last submission, for outcomes to settle
  std::uint32_t payload_bytes = 64;     // note text length
  // Transactions per request: 1 posts each to /v1/transactions; more use /v1/transactions/batch
  // (at most 1,000), so that the client's connections stop being what limits the rate.
  std::uint32_t batch_size = 1;
  std::filesystem::path committed_ids_file;  // when set: "id height" per committed transaction
};

// Checks the options alone: a failure is a usage error.
Status ValidateLoadOptions(const LoadOptions& options);

struct LoadReport {
  std::uint64_t submitted = 0;
  std::uint64_t committed = 0;
  std::uint64_t rejected = 0;
  std::uint64_t expired = 0;
  std::uint64_t lost = 0;
  std::map<std::string, std::uint64_t> rejection_reasons;  // "HTTP 429 mempool_full" → count
  double submit_seconds = 0;                               // first to last submission
  double commit_seconds = 0;                               // first submission to the last commit seen
  double committed_per_second = 0;                         // committed / commit_seconds
  double submitted_per_second = 0;                         // submitted / submit_seconds
  double latency_p50_milliseconds = 0;                     // commit latency percentiles (nearest rank)
  double latency_p90_milliseconds = 0;
  double latency_p99_milliseconds = 0;
  double latency_max_milliseconds = 0;
  std::uint64_t start_height = 0;  // the followed node's height before the first submission
  std::uint64_t end_height = 0;
  std::string followed_node;  // the API URL whose blocks were followed last
};

// Runs the load against the folder's nodes (they must be up). Progress lines go to `progress`.
Result<LoadReport> RunLoad(const LoadOptions& options, std::ostream& progress);

void PrintLoadReport(const LoadReport& report, std::ostream& out);
void PrintLoadReportJson(const LoadReport& report, std::ostream& out);

}  // namespace rightchain::cli
