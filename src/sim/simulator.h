// The deterministic cluster simulator: n validators in one thread, a discrete-event queue with a
// simulated clock, a faulty network, crashes with lost unsynced writes, skewed clocks and up to f
// Byzantine validators; checkers for agreement, validity, no honest double-signing and block
// time, and a liveness check after the final heal. The same options give bit-for-bit the same run.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"

namespace rightchain::sim {

// Every fault the simulator can inject; names are those of --faults.
enum class Fault : std::uint8_t {
  kDelay,  // per-message delay distributions with long tails
  kLoss,
  kDuplicate,
  kReorder,
  kPartition,            // symmetric partitions that form and heal
  kAsymmetricPartition,  // A cannot hear B while B hears A
  kCrash,                // crash and restart from persisted state
  kUnsyncedLoss,         // writes not yet synced are lost at a crash
  kSkew,                 // clock skew within PRECISION
  kSkewBeyond,           // one faulty validator's clock beyond PRECISION
  kTwins,                // two instances with one key
  kSilent,
  kEquivocatingProposer,  // different blocks to different peers
  kBadSignature,
  kUnknownBlockVote,
  kGarbage,
  kUntimelyProposal,
  kValidatorChange,  // voting-power changes decided at h, effective at h+2
  kThirdPower,       // some runs give the Byzantine validators (Twins) exactly 1/3 of the power
  kCount,
};

std::string_view FaultName(Fault fault);
bool IsByzantineFault(Fault fault);
// "all", "none", or a comma-separated list of fault names.
Result<std::vector<Fault>> ParseFaults(std::string_view list);
std::string FaultListText(const std::vector<Fault>& faults);

struct SimOptions {
  std::uint64_t seed = 1;
  int validators = 4;
  std::uint64_t heights = 50;
  std::vector<Fault> faults;
  bool liveness = true;  // after the final heal, every honest node must commit within 30 s
  std::string suite;     // "" fast fake signatures; "sm" (SM2) or "std" (Ed25519): the real suites
  bool verbose = false;  // collect a human-readable log of the run in SimResult::log
};

struct SimResult {
  bool ok = true;
  std::string violation;                // empty when ok
  std::uint64_t heights_committed = 0;  // the lowest height every honest node reached
  std::int64_t simulated_milliseconds = 0;
  std::uint64_t events = 0;
  std::uint64_t trace_hash = 0;  // digest of every commit and signature: equal runs, equal hash
  std::map<std::string, std::uint64_t> fault_counts;
  std::vector<std::string> log;  // with SimOptions::verbose
};

// Runs one seed. Never throws; a violation is reported in the result.
SimResult RunSimulation(const SimOptions& options);

// The command line that replays `options` exactly.
std::string ReplayCommand(const SimOptions& options);

}  // namespace rightchain::sim
