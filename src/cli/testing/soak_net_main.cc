// rightchain-soak-net: a chaos soak of a consortium in network namespaces (`make soak-net`,
// docs/network.md "Fault tests"). Under a steady `rightchain load`, a schedule drawn from a
// printed seed kills and restarts nodes (SIGKILL), pauses them (SIGSTOP/SIGCONT), cuts one node
// off or splits the network by taking veth links down, and puts delay, loss and resets on nodes'
// ingress proxies. At the end everything is healed and the operator's checks must hold: every
// node caught up, the same block hash and log root at every height on every node, and every
// transaction the load saw committed still committed, at the same height, on every node.
// Exit status: 0 when they hold, 1 on any violation, 2 on a usage or setup error.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "base/file.h"
#include "cli/testing/fault_network.h"

namespace {

using namespace rightchain;
using cli::testing::FaultNetwork;
using Clock = std::chrono::steady_clock;

constexpr int kExitViolation = 1;
constexpr int kExitSetup = 2;
constexpr std::size_t kMaxViolationsShown = 20;
constexpr auto kStartLimit = std::chrono::seconds(60);
constexpr auto kCatchUpLimit = std::chrono::seconds(120);
constexpr std::uint64_t kMaxExpiryHeights = 99'000;  // below the chain's expiry window (100,000)

struct Options {
  double minutes = 30;
  std::uint64_t seed = 0;
  bool seed_given = false;
  std::size_t validators = 4;
  std::size_t observers = 1;
  std::string suite = "std";
  std::uint32_t rate_per_second = 10;
  std::string directory;
  std::string rightchaind = RIGHTCHAIN_DAEMON_BINARY;
  std::string rightchain = RIGHTCHAIN_CLI_BINARY;
  bool keep = false;
};

class Soak {
 public:
  Soak(FaultNetwork& network, std::uint64_t seed) : network_(network), random_(seed), start_(Clock::now()) {}

  // Injects faults until `deadline`: a step every 1-4 s holds one fault (a quarter of the steps
  // two at once) for 2-10 s, then heals it.
  void Run(Clock::time_point deadline) {
    while (Clock::now() + std::chrono::seconds(3) < deadline) {
      SleepSeconds(Uniform(1.0, 4.0));
      std::set<std::size_t> stopped;  // nodes killed or paused in this step
      std::vector<Fault> faults;
      const std::size_t concurrent = Pick(4) == 0 ? 2 : 1;
      for (std::size_t k = 0; k < concurrent; ++k) faults.push_back(Inject(Pick(5), stopped));
      std::string text;
      for (const Fault& fault : faults) text += (text.empty() ? "" : " + ") + fault.description;
      const double hold = Uniform(2.0, 10.0);
      Log(text, hold);
      SleepSeconds(hold);
      for (auto fault = faults.rbegin(); fault != faults.rend(); ++fault) fault->heal();
    }
  }
  const std::map<std::string, std::uint64_t>& faults() const { return faults_; }
  std::uint64_t fault_count() const {
    std::uint64_t total = 0;
    for (const auto& [kind, count] : faults_) total += count;
    return total;
  }
  std::vector<std::string>& errors() { return errors_; }

 private:
  double Uniform(double low, double high) {
    return std::uniform_real_distribution<double>(low, high)(random_);
  }
  std::size_t Pick(std::size_t count) {
    return std::uniform_int_distribution<std::size_t>(0, count - 1)(random_);
  }
  double Elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
  static void SleepSeconds(double seconds) {
    std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000)));
  }
  void Log(const std::string& what, double hold_seconds) {
    std::cout << "[" << std::fixed << std::setprecision(1) << std::setw(7) << Elapsed() << " s] " << what
              << " for " << hold_seconds << " s" << std::endl;
  }
  void Check(const Status& status, const std::string& what) {
    if (!status.ok()) errors_.push_back(what + ": " + status.ToString());
  }
  const std::string& Name(std::size_t index) const { return network_.node(index).name; }

  struct Fault {
    std::string description;
    std::function<void()> heal;
  };

  Fault Inject(std::size_t kind, std::set<std::size_t>& stopped) {
    switch (kind) {
      case 0: return Kill(stopped);
      case 1: return Pause(stopped);
      case 2: return Isolate();
      case 3: return Split();
      default: return ProxyFaults();
    }
  }
  // A node not yet killed or paused in this step.
  std::size_t PickRunning(std::set<std::size_t>& stopped) {
    std::size_t victim = Pick(network_.size());
    while (stopped.contains(victim)) victim = (victim + 1) % network_.size();
    stopped.insert(victim);
    return victim;
  }
  Fault Kill(std::set<std::size_t>& stopped) {
    const std::size_t victim = PickRunning(stopped);
    Check(network_.KillNode(victim), "kill");
    ++faults_["kill"];
    return {"kill -9 " + Name(victim), [this, victim] { Check(network_.StartNode(victim), "restart"); }};
  }
  Fault Pause(std::set<std::size_t>& stopped) {
    const std::size_t victim = PickRunning(stopped);
    Check(network_.PauseNode(victim), "pause");
    ++faults_["pause"];
    return {"SIGSTOP " + Name(victim), [this, victim] { Check(network_.ResumeNode(victim), "resume"); }};
  }
  Fault Isolate() {
    const std::size_t victim = Pick(network_.size());
    Check(network_.Isolate(victim), "isolate");
    ++faults_["isolate"];
    return {"cut off " + Name(victim) + " (all its links down)",
            [this] { Check(network_.HealAllLinks(), "heal"); }};
  }
  Fault Split() {
    // A random split into two non-empty sides.
    std::vector<std::set<std::size_t>> sides(2);
    while (sides[0].empty() || sides[1].empty()) {
      sides = {{}, {}};
      for (std::size_t i = 0; i < network_.size(); ++i) sides[Pick(2)].insert(i);
    }
    std::string text = "split {";
    for (const std::size_t i : sides[0]) text += " " + Name(i);
    text += " } | {";
    for (const std::size_t i : sides[1]) text += " " + Name(i);
    Check(network_.Partition(sides), "split");
    ++faults_["split"];
    return {text + " }", [this] { Check(network_.HealAllLinks(), "heal"); }};
  }
  Fault ProxyFaults() {
    net::FaultPlan plan;
    plan.min_delay_milliseconds = static_cast<std::uint32_t>(Uniform(0, 100));
    plan.max_delay_milliseconds = plan.min_delay_milliseconds + static_cast<std::uint32_t>(Uniform(0, 300));
    plan.loss_per_mille = static_cast<std::uint32_t>(Uniform(0, 200));
    plan.reset_per_mille = static_cast<std::uint32_t>(Uniform(0, 20));
    plan.seed = random_();
    std::vector<std::size_t> victims;
    for (std::size_t i = 0; i < network_.size(); ++i) {
      if (Pick(2) == 0) victims.push_back(i);
    }
    if (victims.empty()) victims.push_back(Pick(network_.size()));
    std::string text = "proxy delay " + std::to_string(plan.min_delay_milliseconds) + "-" +
                       std::to_string(plan.max_delay_milliseconds) + " ms, loss " +
                       std::to_string(plan.loss_per_mille) + "‰, resets " +
                       std::to_string(plan.reset_per_mille) + "‰ into";
    for (const std::size_t i : victims) text += " " + Name(i);
    for (const std::size_t i : victims) Check(network_.SetProxyPlan(i, plan), "proxy plan");
    ++faults_["proxy"];
    return {text, [this, victims] {
              for (const std::size_t i : victims)
                Check(network_.SetProxyPlan(i, net::FaultPlan{}), "proxy plan");
            }};
  }

  FaultNetwork& network_;
  std::mt19937_64 random_;
  Clock::time_point start_;
  std::map<std::string, std::uint64_t> faults_;
  std::vector<std::string> errors_;
};

// Heights of every node (0: unreachable).
std::vector<std::uint64_t> Heights(const FaultNetwork& network) {
  std::vector<std::uint64_t> heights;
  for (std::size_t i = 0; i < network.size(); ++i) heights.push_back(network.HeightOf(i));
  return heights;
}

// Every committed id ("id height" lines) is committed at that height on every node.
std::uint64_t CheckCommittedTransactions(const FaultNetwork& network, const std::filesystem::path& ids_file,
                                         std::vector<std::string>& violations) {
  std::vector<std::pair<std::string, std::uint64_t>> committed;
  std::ifstream lines(ids_file);
  for (std::string id, height; lines >> id >> height;) committed.emplace_back(id, std::stoull(height));
  const Status ran = cli::testing::RunInNetworkNamespace(network.operator_namespace(), [&] {
    for (std::size_t i = 0; i < network.size(); ++i) {
      const client::NodeClient node(network.node(i).api_url);
      for (const auto& [id, height] : committed) {
        const Result<client::TransactionStatus> state = node.GetTransaction(id);
        if (!state.ok()) {
          violations.push_back("transaction " + id + " on " + network.node(i).name + ": " +
                               state.status().ToString());
        } else if (state->status != "committed" || state->height != std::optional<std::uint64_t>(height)) {
          violations.push_back("transaction " + id + " committed at " + std::to_string(height) + " is " +
                               state->status + " at " + std::to_string(state->height.value_or(0)) + " on " +
                               network.node(i).name);
        }
      }
    }
  });
  if (!ran.ok()) violations.push_back(ran.ToString());
  return committed.size();
}

// The same block hash and log root at every height 1..through on every node.
void CheckSameChain(const FaultNetwork& network, std::uint64_t through,
                    std::vector<std::string>& violations) {
  for (std::uint64_t height = 1; height <= through; ++height) {
    const Result<cli::testing::BlockView> reference = network.Block(0, height);
    if (!reference.ok()) {
      violations.push_back("block " + std::to_string(height) +
                           " on node-0: " + reference.status().ToString());
      continue;
    }
    for (std::size_t i = 1; i < network.size(); ++i) {
      const Result<cli::testing::BlockView> block = network.Block(i, height);
      if (!block.ok()) {
        violations.push_back("block " + std::to_string(height) + " on " + network.node(i).name + ": " +
                             block.status().ToString());
      } else if (block->hash != reference->hash || block->log_root != reference->log_root) {
        violations.push_back("fork at height " + std::to_string(height) + ": " + network.node(i).name +
                             " has " + block->hash + " (log root " + block->log_root + "), node-0 has " +
                             reference->hash + " (log root " + reference->log_root + ")");
      }
    }
  }
}

int RunSoak(const Options& options) {
  const std::uint64_t seed = options.seed_given ? options.seed : std::random_device{}();
  Result<crypto::SuiteId> suite = crypto::ParseSuiteName(options.suite);
  if (!suite.ok()) {
    std::cerr << "soak-net: --suite must be sm or std\n";
    return kExitSetup;
  }
  std::filesystem::path directory = options.directory;
  if (directory.empty()) {
    std::string pattern = (std::filesystem::temp_directory_path() / "rightchain-soak-net-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::cerr << "soak-net: cannot make a temporary directory\n";
      return kExitSetup;
    }
    directory = pattern;
  }
  std::cout << "soak-net: seed " << seed << ", " << options.minutes << " minutes, " << options.validators
            << " validators + " << options.observers << " observer(s), suite " << options.suite << ", load "
            << options.rate_per_second << " tx/s, folder " << directory.string() << std::endl;

  cli::testing::FaultNetworkOptions network_options;
  network_options.directory = directory / "net";
  network_options.rightchaind = options.rightchaind;
  network_options.suite = *suite;
  network_options.validators = options.validators;
  network_options.observers = options.observers;
  network_options.ingress_proxies = true;
  Result<std::unique_ptr<FaultNetwork>> created = FaultNetwork::Create(network_options);
  if (!created.ok()) {
    std::cerr << "soak-net: " << created.status().ToString() << "\n";
    return kExitSetup;
  }
  FaultNetwork& network = **created;
  if (Status started = network.StartAll(); !started.ok()) {
    std::cerr << "soak-net: " << started.ToString() << "\n";
    return kExitSetup;
  }
  if (!cli::testing::WaitUntil(
          [&] {
            const auto heights = Heights(network);
            return *std::min_element(heights.begin(), heights.end()) >= 1;
          },
          kStartLimit)) {
    std::cerr << "soak-net: the network did not start (see " << directory.string()
              << "/net/node-*/node.log)\n";
    return kExitSetup;
  }

  // The load: submitting for the whole soak, then waiting for outcomes.
  const auto seconds = static_cast<std::uint32_t>(options.minutes * 60);
  const std::filesystem::path ids_file = directory / "committed.txt";
  const std::filesystem::path report_file = directory / "load.json";
  // The load's expiry height is fixed from its start: far enough for every height of the soak
  // (blocks come at most every few hundred milliseconds), within the chain's expiry window.
  const std::uint64_t expiry_heights = std::min<std::uint64_t>(kMaxExpiryHeights, 1000 + 10ull * seconds);
  Status load_status;
  std::thread load([&] {
    load_status = network.RunInOperatorNamespace(
        options.rightchain + " load --dir " + network_options.directory.string() + " --rate " +
        std::to_string(options.rate_per_second) + " --seconds " + std::to_string(seconds) +
        " --expiry-heights " + std::to_string(expiry_heights) + " --wait-seconds 90 --json --committed-ids " +
        ids_file.string() + " >" + report_file.string() + " 2>" + (directory / "load.log").string());
  });
  Soak soak(network, seed);
  soak.Run(Clock::now() + std::chrono::seconds(seconds));

  // Heal everything and let the network settle.
  std::vector<std::string> violations = soak.errors();
  if (Status healed = network.HealAllLinks(); !healed.ok()) violations.push_back(healed.ToString());
  for (std::size_t i = 0; i < network.size(); ++i) {
    if (!network.running(i)) {
      if (Status started = network.StartNode(i); !started.ok()) violations.push_back(started.ToString());
    }
    (void)network.ResumeNode(i);
    (void)network.SetProxyPlan(i, net::FaultPlan{});
  }
  std::cout << "healed; waiting for the load to settle" << std::endl;
  load.join();
  if (!load_status.ok()) violations.push_back("rightchain load: " + load_status.ToString());

  const std::vector<std::uint64_t> at_heal = Heights(network);
  const std::uint64_t target = *std::max_element(at_heal.begin(), at_heal.end());
  const bool caught_up = cli::testing::WaitUntil(
      [&] {
        const auto heights = Heights(network);
        return *std::min_element(heights.begin(), heights.end()) >= target;
      },
      kCatchUpLimit);
  const std::vector<std::uint64_t> final_heights = Heights(network);
  if (!caught_up) {
    for (std::size_t i = 0; i < network.size(); ++i) {
      if (final_heights[i] < target) {
        violations.push_back(network.node(i).name + " did not catch up: at " +
                             std::to_string(final_heights[i]) + ", the highest node was at " +
                             std::to_string(target));
      }
    }
  }
  const std::uint64_t common = *std::min_element(final_heights.begin(), final_heights.end());
  const std::uint64_t checked_transactions = CheckCommittedTransactions(network, ids_file, violations);
  CheckSameChain(network, common, violations);

  nlohmann::json report = nlohmann::json::object();
  if (Result<std::string> text = ReadFile(report_file); text.ok()) {
    report = nlohmann::json::parse(*text, nullptr, false);
  }
  if (!report.is_object()) {
    violations.push_back("no report from rightchain load (see " + (directory / "load.log").string() + ")");
    report = nlohmann::json::object();
  }
  const auto count = [&](const char* key) { return report.value(key, std::uint64_t{0}); };

  std::cout << "\nsoak-net summary\n"
            << "  seed          " << seed << "\n"
            << "  minutes       " << options.minutes << "\n"
            << "  nodes         " << options.validators << " validators + " << options.observers
            << " observer(s), suite " << options.suite << "\n"
            << "  faults        " << soak.fault_count() << " (";
  bool first = true;
  for (const auto& [kind, number] : soak.faults()) {
    std::cout << (first ? "" : ", ") << kind << " " << number;
    first = false;
  }
  std::cout << ")\n"
            << "  transactions  submitted " << count("submitted") << ", committed " << count("committed")
            << ", rejected " << count("rejected") << ", expired " << count("expired") << ", lost "
            << count("lost") << "\n";
  if (report.contains("rejection_reasons") && report["rejection_reasons"].is_object()) {
    for (const auto& [reason, number] : report["rejection_reasons"].items()) {
      std::cout << "    rejected    " << number.dump() << " × " << reason << "\n";
    }
  }
  std::cout << "  checked       " << checked_transactions << " committed transactions and " << common
            << " heights on " << network.size() << " nodes\n"
            << "  heights       ";
  for (std::size_t i = 0; i < network.size(); ++i) std::cout << (i ? ", " : "") << final_heights[i];
  std::cout << "\n  result        " << (violations.empty() ? "PASS" : "FAIL") << "\n";
  for (std::size_t i = 0; i < violations.size() && i < kMaxViolationsShown; ++i) {
    std::cout << "  violation: " << violations[i] << "\n";
  }
  if (violations.size() > kMaxViolationsShown) {
    std::cout << "  ... and " << violations.size() - kMaxViolationsShown << " more violations\n";
  }
  created->reset();
  if (violations.empty() && !options.keep) {
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
  } else {
    std::cout << "  folder        " << directory.string() << " (node logs, load report)\n";
  }
  return violations.empty() ? 0 : kExitViolation;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"rightchain-soak-net: chaos soak of a consortium in network namespaces (needs root)"};
  Options options;
  app.add_option("--minutes", options.minutes, "how long to inject faults under load")->capture_default_str();
  app.add_option("--seed", options.seed, "the fault schedule's seed (default: random, printed)")
      ->each([&](const std::string&) { options.seed_given = true; });
  app.add_option("--validators", options.validators)->capture_default_str();
  app.add_option("--observers", options.observers)->capture_default_str();
  app.add_option("--suite", options.suite, "sm or std")->capture_default_str();
  app.add_option("--rate", options.rate_per_second, "load in transactions per second")->capture_default_str();
  app.add_option("--dir", options.directory, "working folder (default: a new temporary one)");
  app.add_option("--rightchaind", options.rightchaind)->capture_default_str();
  app.add_option("--rightchain", options.rightchain)->capture_default_str();
  app.add_flag("--keep", options.keep, "keep the folder even when the soak passes");
  CLI11_PARSE(app, argc, argv);
  if (options.minutes <= 0 || options.minutes > 24 * 60) {
    std::cerr << "soak-net: --minutes must be in (0, 1440]\n";
    return kExitSetup;
  }
  return RunSoak(options);
}
