// Round-trip latency of RFC 3161 time-stamps against a running network (docs/benchmarks.md):
// `timestamp_latency --node URL --ca CA.crt [--requests 200] [--concurrency 4]`.
// Each request carries a fresh random digest, so each waits for its own time-stamp record to commit
// (concurrent requests share blocks); then the same digests are asked again, which the node answers
// from the committed records. Every reply is checked against the CA before it counts.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "client/http_client.h"
#include "crypto/cipher.h"
#include "pki/certificate.h"
#include "timestamp/time_stamp_reply.h"
#include "timestamp/time_stamp_request.h"

namespace {

using namespace rightchain;  // NOLINT: a benchmark's main file
using Clock = std::chrono::steady_clock;

struct Options {
  std::string node = "http://127.0.0.1:8600";
  std::string ca;
  std::size_t requests = 200;
  std::size_t concurrency = 4;
};

Result<double> RoundTrip(const Options& options, const pki::Certificate& authority,
                         const timestamp::TimeStampRequest& request) {
  RC_ASSIGN_OR_RETURN(const Bytes query, timestamp::EncodeTimeStampRequest(request));
  client::HttpRequestOptions http;
  http.timeout_milliseconds = 60'000;
  const Clock::time_point start = Clock::now();
  RC_ASSIGN_OR_RETURN(
      const client::HttpResponse response,
      client::Post(options.node + "/v1/timestamp", "application/timestamp-query",
                   std::string_view(reinterpret_cast<const char*>(query.data()), query.size()), http));
  const double milliseconds = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  RC_RETURN_IF_ERROR(timestamp::CheckTimeStampReply(AsBytes(response.body), request, authority).status());
  return milliseconds;
}

void Report(const char* what, std::vector<double> latencies, std::size_t failures, double wall_seconds) {
  std::sort(latencies.begin(), latencies.end());
  const auto at = [&](double fraction) {
    return latencies.empty() ? 0.0 : latencies[static_cast<std::size_t>(fraction * (latencies.size() - 1))];
  };
  std::printf("%-22s %5zu ok %3zu failed  %7.1f/s  p50 %7.1f ms  p90 %7.1f ms  p99 %7.1f ms  max %7.1f ms\n",
              what, latencies.size(), failures, latencies.size() / wall_seconds, at(0.5), at(0.9), at(0.99),
              at(1.0));
}

void Run(const Options& options, const pki::Certificate& authority,
         const std::vector<timestamp::TimeStampRequest>& requests, const char* what) {
  std::vector<double> latencies(requests.size(), -1);
  std::atomic<std::size_t> next{0};
  const Clock::time_point start = Clock::now();
  std::vector<std::thread> workers;
  for (std::size_t worker = 0; worker < options.concurrency; ++worker) {
    workers.emplace_back([&] {
      for (std::size_t index = next++; index < requests.size(); index = next++) {
        const Result<double> latency = RoundTrip(options, authority, requests[index]);
        if (latency.ok())
          latencies[index] = *latency;
        else
          std::fprintf(stderr, "request %zu: %s\n", index, latency.status().ToString().c_str());
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> succeeded;
  for (const double latency : latencies) {
    if (latency >= 0) succeeded.push_back(latency);
  }
  Report(what, succeeded, requests.size() - succeeded.size(), wall);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int index = 1; index + 1 < argc; index += 2) {
    const std::string flag = argv[index];
    const std::string value = argv[index + 1];
    if (flag == "--node")
      options.node = value;
    else if (flag == "--ca")
      options.ca = value;
    else if (flag == "--requests")
      options.requests = std::strtoul(value.c_str(), nullptr, 10);
    else if (flag == "--concurrency")
      options.concurrency = std::strtoul(value.c_str(), nullptr, 10);
  }
  if (options.ca.empty() || options.requests == 0 || options.concurrency == 0) {
    std::fprintf(stderr,
                 "usage: timestamp_latency --node URL --ca CA.crt [--requests N] [--concurrency C]\n");
    return 2;
  }
  const Result<pki::Certificate> authority = pki::Certificate::LoadFile(options.ca);
  if (!authority.ok()) {
    std::fprintf(stderr, "%s\n", authority.status().ToString().c_str());
    return 1;
  }
  std::vector<timestamp::TimeStampRequest> requests(options.requests);
  for (timestamp::TimeStampRequest& request : requests) {
    request.digest = std::move(crypto::RandomBytes(32)).value();
    request.nonce = std::move(crypto::RandomBytes(8)).value();
    request.nonce[0] = static_cast<std::uint8_t>(request.nonce[0] % 0x7f + 1);
    request.certificate_requested = true;
  }
  std::printf("%zu requests, %zu at a time, against %s\n", options.requests, options.concurrency,
              options.node.c_str());
  Run(options, *authority, requests, "new digests (commit)");
  Run(options, *authority, requests, "known digests");
  return 0;
}
