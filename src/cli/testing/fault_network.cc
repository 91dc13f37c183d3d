#include "cli/testing/fault_network.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "base/assert.h"
#include "base/bytes.h"
#include "base/file.h"
#include "cli/note.h"
#include "crypto/public_key.h"
#include "node/genesis_file.h"

namespace rightchain::cli::testing {
namespace {

constexpr std::string_view kNamespacePrefix = "rcf";
constexpr std::string_view kNetnsDirectory = "/run/netns/";
constexpr std::size_t kMaxCommandOutputBytes = 64 * 1024;
constexpr std::uint32_t kApiTimeoutMilliseconds = 3000;

std::string TransportAddress(std::size_t index) {
  return "10.77.0." + std::to_string(index + 1);
}
std::string ApiAddress(std::size_t index) {
  return "10.78.0." + std::to_string(index + 1);
}
constexpr std::string_view kOperatorAddress = "10.78.0.254";

// Runs `command` and returns its exit status and combined output.
std::pair<int, std::string> Capture(const std::string& command) {
  std::string output;
  // In a subshell, so that redirections inside `command` still apply.
  FILE* pipe = popen(("( " + command + " ) 2>&1").c_str(), "r");
  if (pipe == nullptr) return {-1, std::string("popen failed: ") + std::strerror(errno)};
  std::array<char, 4096> buffer{};
  std::size_t got = 0;
  while ((got = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    if (output.size() < kMaxCommandOutputBytes) output.append(buffer.data(), got);
  }
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

bool ProcessAlive(int pid) {
  return kill(pid, 0) == 0 || errno == EPERM;
}

// Namespaces named rcf<pid>-* whose pid no longer runs: their processes are killed and the
// namespaces deleted (what a crashed earlier run left behind).
void RemoveStaleNamespaces() {
  const auto [code, listing] = Capture("ip netns list");
  if (code != 0) return;
  std::istringstream lines(listing);
  for (std::string line; std::getline(lines, line);) {
    const std::string name = line.substr(0, line.find(' '));
    if (name.rfind(kNamespacePrefix, 0) != 0) continue;
    const std::size_t dash = name.find('-');
    if (dash == std::string::npos) continue;
    const std::string digits = name.substr(kNamespacePrefix.size(), dash - kNamespacePrefix.size());
    if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
      continue;
    if (ProcessAlive(std::stoi(digits))) continue;
    (void)Capture("ip netns pids " + name + " | xargs -r kill -9");
    (void)Capture("ip netns del " + name);
  }
}

Status EnterNetworkNamespace(const std::string& name) {
  const std::string path = std::string(kNetnsDirectory) + name;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError("cannot open " + path + ": " + std::strerror(errno));
  const int entered = setns(fd, CLONE_NEWNET);
  const int setns_errno = errno;
  close(fd);
  if (entered != 0) return Status::IoError("setns " + name + ": " + std::strerror(setns_errno));
  return Status::Ok();
}

std::string Ip(const std::string& ns, const std::string& arguments) {
  return "ip -n " + ns + " " + arguments;
}

}  // namespace

Status RunShell(const std::string& command) {
  const auto [code, output] = Capture(command);
  if (code != 0) {
    return Status::IoError("`" + command + "` failed (exit " + std::to_string(code) + "): " + output);
  }
  return Status::Ok();
}

Status RunInNetworkNamespace(const std::string& name, const std::function<void()>& task) {
  Status entered;
  std::thread worker([&] {
    entered = EnterNetworkNamespace(name);
    if (entered.ok()) task();
  });
  worker.join();
  return entered;
}

bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

Result<std::unique_ptr<FaultNetwork>> FaultNetwork::Create(const FaultNetworkOptions& options) {
  const std::size_t count = options.validators + options.observers;
  if (count < 2 || count > kMaxFaultNetworkNodes) {
    return Status::InvalidArgument("a fault network has 2.." + std::to_string(kMaxFaultNetworkNodes) +
                                   " nodes");
  }
  if (geteuid() != 0) {
    return Status::PermissionDenied(
        "fault tests put nodes in Linux network namespaces joined by veth links: they must run as root "
        "(CAP_NET_ADMIN and CAP_SYS_ADMIN); this process runs as uid " +
        std::to_string(geteuid()));
  }
  RC_RETURN_IF_ERROR(RunShell("ip -V"));
  RemoveStaleNamespaces();

  std::unique_ptr<FaultNetwork> network(new FaultNetwork());
  network->options_ = options;
  network->prefix_ = std::string(kNamespacePrefix) + std::to_string(getpid());
  network->operator_namespace_ = network->prefix_ + "-m";
  network->pids_.assign(count, 0);
  network->link_up_.assign(count, std::vector<bool>(count, true));
  network->proxies_.resize(count);

  NetInitOptions init;
  init.directory = options.directory;
  init.validators = options.validators;
  init.observers = options.observers;
  init.suite = options.suite;
  init.chain_id = "rightchain-faults";
  init.base_port = kFaultNetworkTransportPort;
  init.api_base_port = kFaultNetworkApiPort;
  init.block_interval_milliseconds = options.block_interval_milliseconds;
  std::ostringstream ignored;
  RC_RETURN_IF_ERROR(InitNetwork(init, ignored));
  RC_ASSIGN_OR_RETURN(network->nodes_, LoadNetwork(options.directory));
  RC_ASSIGN_OR_RETURN(const exec::Genesis genesis,
                      node::LoadGenesisFile(network->nodes_[0].config.genesis_file));
  for (const exec::GenesisMember& member : genesis.members) {
    RC_ASSIGN_OR_RETURN(
        const crypto::KeyId key_id,
        crypto::ComputeKeyId(crypto::GetSuite(genesis.suite).signature, member.consensus_public_key));
    network->key_ids_.push_back(HexEncode(key_id));
  }
  if (Status built = network->BuildTopology(); !built.ok()) {
    return built.WithContext("making the network namespaces (fault tests need root and iproute2)");
  }
  RC_RETURN_IF_ERROR(network->WriteConfigs());
  if (options.ingress_proxies) RC_RETURN_IF_ERROR(network->StartProxies());
  return network;
}

FaultNetwork::~FaultNetwork() {
  Teardown();
}

void FaultNetwork::Teardown() {
  for (std::size_t i = 0; i < pids_.size(); ++i) {
    if (pids_[i] <= 0) continue;
    kill(pids_[i], SIGCONT);
    kill(pids_[i], SIGKILL);
    waitpid(pids_[i], nullptr, 0);
    pids_[i] = 0;
  }
  for (auto& proxy : proxies_) {
    if (proxy) proxy->Stop();
    proxy.reset();
  }
  for (const std::string& name : namespaces_made_) (void)Capture("ip netns del " + name);
  namespaces_made_.clear();
}

std::string FaultNetwork::node_namespace(std::size_t index) const {
  return prefix_ + "-" + std::to_string(index);
}

Status FaultNetwork::BuildTopology() {
  const std::size_t count = nodes_.size();
  const auto add_namespace = [&](const std::string& name, std::string_view address) -> Status {
    RC_RETURN_IF_ERROR(RunShell("ip netns add " + name));
    namespaces_made_.push_back(name);
    RC_RETURN_IF_ERROR(RunShell(Ip(name, "link set lo up")));
    return RunShell(Ip(name, "addr add " + std::string(address) + "/32 dev lo"));
  };
  RC_RETURN_IF_ERROR(add_namespace(operator_namespace_, kOperatorAddress));
  for (std::size_t i = 0; i < count; ++i) {
    const std::string ns = node_namespace(i);
    RC_RETURN_IF_ERROR(add_namespace(ns, TransportAddress(i)));
    RC_RETURN_IF_ERROR(RunShell(Ip(ns, "addr add " + ApiAddress(i) + "/32 dev lo")));
    // The operator's link.
    const std::string operator_end = "n" + std::to_string(i);
    RC_RETURN_IF_ERROR(RunShell(
        Ip(operator_namespace_, "link add " + operator_end + " type veth peer name mgmt netns " + ns)));
    RC_RETURN_IF_ERROR(RunShell(Ip(operator_namespace_, "link set " + operator_end + " up")));
    RC_RETURN_IF_ERROR(RunShell(Ip(ns, "link set mgmt up")));
    RC_RETURN_IF_ERROR(
        RunShell(Ip(operator_namespace_, "route add " + ApiAddress(i) + "/32 dev " + operator_end + " src " +
                                             std::string(kOperatorAddress))));
    RC_RETURN_IF_ERROR(
        RunShell(Ip(ns, "route add " + std::string(kOperatorAddress) + "/32 dev mgmt src " + ApiAddress(i))));
  }
  for (std::size_t a = 0; a < count; ++a) {
    for (std::size_t b = a + 1; b < count; ++b) {
      RC_RETURN_IF_ERROR(
          RunShell(Ip(node_namespace(a), "link add p" + std::to_string(b) + " type veth peer name p" +
                                             std::to_string(a) + " netns " + node_namespace(b))));
      RC_RETURN_IF_ERROR(SetLink(a, b, true));
    }
  }
  return Status::Ok();
}

Status FaultNetwork::SetLink(std::size_t a, std::size_t b, bool up) {
  RC_ASSERT(a != b && a < nodes_.size() && b < nodes_.size());
  for (const auto& [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
    RC_RETURN_IF_ERROR(
        RunShell(Ip(node_namespace(from), "link set p" + std::to_string(to) + (up ? " up" : " down"))));
  }
  if (up) {
    // Taking a link down removed its route; put it back.
    for (const auto& [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
      RC_RETURN_IF_ERROR(
          RunShell(Ip(node_namespace(from), "route replace " + TransportAddress(to) + "/32 dev p" +
                                                std::to_string(to) + " src " + TransportAddress(from))));
    }
  }
  link_up_[a][b] = link_up_[b][a] = up;
  return Status::Ok();
}

Status FaultNetwork::WriteConfigs() {
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    NetworkNode& network_node = nodes_[i];
    node::NodeConfig& config = network_node.config;
    if (options_.ingress_proxies) {
      config.listen_addresses = {"127.0.0.1"};
      config.port = kFaultNetworkProxiedNodePort;
    } else {
      config.listen_addresses = {TransportAddress(i)};
      config.port = kFaultNetworkTransportPort;
    }
    config.peers.clear();
    for (std::size_t j = 0; j < nodes_.size(); ++j) {
      if (j != i) config.peers.push_back({TransportAddress(j), kFaultNetworkTransportPort});
    }
    config.api_address = ApiAddress(i);
    config.api_port = kFaultNetworkApiPort;
    network_node.api_url = ApiBaseUrl(config);
    RC_RETURN_IF_ERROR(WriteFile(network_node.directory / "node.toml",
                                 node::NodeConfigToToml(config, network_node.directory), 0644));
  }
  return Status::Ok();
}

Status FaultNetwork::StartProxies() {
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    Result<std::unique_ptr<net::FaultProxy>> proxy = Status::Internal("not started");
    RC_RETURN_IF_ERROR(RunInNetworkNamespace(node_namespace(i), [&] {
      proxy = net::FaultProxy::Start(TransportAddress(i), kFaultNetworkTransportPort, "127.0.0.1",
                                     kFaultNetworkProxiedNodePort, net::FaultPlan{});
    }));
    if (!proxy.ok()) return proxy.status().WithContext("ingress proxy of " + nodes_[i].name);
    proxies_[i] = std::move(proxy).value();
  }
  return Status::Ok();
}

Status FaultNetwork::StartNode(std::size_t index) {
  RC_ASSERT(index < nodes_.size());
  if (pids_[index] > 0) return Status::Ok();
  const NetworkNode& network_node = nodes_[index];
  const std::filesystem::path log_path = network_node.directory / "node.log";
  const std::string program = options_.rightchaind.string();
  const std::string config = (network_node.directory / "node.toml").string();
  const std::string ns_path = std::string(kNetnsDirectory) + node_namespace(index);
  const int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return Status::IoError("cannot open " + log_path.string() + ": " + std::strerror(errno));
  const int ns_fd = open(ns_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (ns_fd < 0) {
    close(log_fd);
    return Status::IoError("cannot open " + ns_path + ": " + std::strerror(errno));
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    close(log_fd);
    close(ns_fd);
    return Status::IoError(std::string("fork failed: ") + std::strerror(errno));
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec. Dies with the thread that started it.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);
    if (setns(ns_fd, CLONE_NEWNET) != 0) _exit(125);
    setsid();
    const int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    char* const argv[] = {const_cast<char*>(program.c_str()), const_cast<char*>("--config"),
                          const_cast<char*>(config.c_str()), nullptr};
    execv(program.c_str(), argv);
    _exit(127);
  }
  close(log_fd);
  close(ns_fd);
  pids_[index] = pid;
  return WriteFile(network_node.directory / "rightchaind.pid", std::to_string(pid) + "\n", 0644);
}

Status FaultNetwork::StartAll() {
  for (std::size_t i = 0; i < nodes_.size(); ++i) RC_RETURN_IF_ERROR(StartNode(i));
  return Status::Ok();
}

Status FaultNetwork::KillNode(std::size_t index) {
  RC_ASSERT(index < nodes_.size());
  if (pids_[index] <= 0) return Status::Unavailable(nodes_[index].name + " is not running");
  kill(pids_[index], SIGKILL);
  waitpid(pids_[index], nullptr, 0);
  pids_[index] = 0;
  std::error_code ignored;
  std::filesystem::remove(nodes_[index].directory / "rightchaind.pid", ignored);
  return Status::Ok();
}

Status FaultNetwork::PauseNode(std::size_t index) {
  RC_ASSERT(index < nodes_.size());
  if (pids_[index] <= 0 || kill(pids_[index], SIGSTOP) != 0)
    return Status::Unavailable(nodes_[index].name + " is not running");
  return Status::Ok();
}

Status FaultNetwork::ResumeNode(std::size_t index) {
  RC_ASSERT(index < nodes_.size());
  if (pids_[index] <= 0 || kill(pids_[index], SIGCONT) != 0)
    return Status::Unavailable(nodes_[index].name + " is not running");
  return Status::Ok();
}

Status FaultNetwork::CutLink(std::size_t a, std::size_t b) {
  return SetLink(a, b, false);
}
Status FaultNetwork::HealLink(std::size_t a, std::size_t b) {
  return SetLink(a, b, true);
}

Status FaultNetwork::Isolate(std::size_t index) {
  for (std::size_t other = 0; other < nodes_.size(); ++other) {
    if (other != index && link_up_[index][other]) RC_RETURN_IF_ERROR(CutLink(index, other));
  }
  return Status::Ok();
}

Status FaultNetwork::Partition(const std::vector<std::set<std::size_t>>& groups) {
  std::vector<int> group_of(nodes_.size(), -1);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (const std::size_t member : groups[g]) {
      if (member >= nodes_.size() || group_of[member] != -1)
        return Status::InvalidArgument("partition: node " + std::to_string(member) +
                                       " out of range or twice");
      group_of[member] = static_cast<int>(g);
    }
  }
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (group_of[i] == -1)
      return Status::InvalidArgument("partition: node " + std::to_string(i) + " in no group");
  }
  for (std::size_t a = 0; a < nodes_.size(); ++a) {
    for (std::size_t b = a + 1; b < nodes_.size(); ++b) {
      if (group_of[a] != group_of[b] && link_up_[a][b]) RC_RETURN_IF_ERROR(CutLink(a, b));
    }
  }
  return Status::Ok();
}

Status FaultNetwork::HealAllLinks() {
  for (std::size_t a = 0; a < nodes_.size(); ++a) {
    for (std::size_t b = a + 1; b < nodes_.size(); ++b) {
      if (!link_up_[a][b]) RC_RETURN_IF_ERROR(HealLink(a, b));
    }
  }
  return Status::Ok();
}

std::size_t FaultNetwork::links_down() const {
  std::size_t down = 0;
  for (std::size_t a = 0; a < nodes_.size(); ++a) {
    for (std::size_t b = a + 1; b < nodes_.size(); ++b) down += link_up_[a][b] ? 0 : 1;
  }
  return down;
}

Status FaultNetwork::SetProxyPlan(std::size_t index, const net::FaultPlan& plan) {
  RC_ASSERT(index < nodes_.size());
  if (!proxies_[index]) return Status::Unavailable("the network has no ingress proxies");
  proxies_[index]->SetPlan(plan);
  return Status::Ok();
}

std::uint64_t FaultNetwork::proxy_connections(std::size_t index) const {
  return proxies_[index] ? proxies_[index]->connections_accepted() : 0;
}

Result<client::NodeStatus> FaultNetwork::GetStatus(std::size_t index) const {
  Result<client::NodeStatus> status = Status::Internal("not asked");
  client::HttpRequestOptions http;
  http.timeout_milliseconds = kApiTimeoutMilliseconds;
  RC_RETURN_IF_ERROR(RunInNetworkNamespace(
      operator_namespace_, [&] { status = client::NodeClient(nodes_[index].api_url, http).GetStatus(); }));
  return status;
}

std::uint64_t FaultNetwork::HeightOf(std::size_t index) const {
  const Result<client::NodeStatus> status = GetStatus(index);
  return status.ok() ? status->height : 0;
}

Result<BlockView> FaultNetwork::Block(std::size_t index, std::uint64_t height) const {
  Result<std::string> body = Status::Internal("not asked");
  client::HttpRequestOptions http;
  http.timeout_milliseconds = kApiTimeoutMilliseconds;
  RC_RETURN_IF_ERROR(RunInNetworkNamespace(operator_namespace_, [&] {
    body = client::NodeClient(nodes_[index].api_url, http).GetBlockJson(height);
  }));
  if (!body.ok()) return body.status();
  const nlohmann::json json = nlohmann::json::parse(*body, nullptr, false);
  if (!json.is_object()) return Status::Corruption("block " + std::to_string(height) + ": not a JSON object");
  // The header fields may be at the top or under "header".
  const nlohmann::json& header =
      json.contains("header") && json["header"].is_object() ? json["header"] : json;
  BlockView view;
  view.hash = header.value("hash", "");
  view.log_root = header.value("log_root", "");
  view.proposer_key_id = header.value("proposer_key_id", "");
  if (view.hash.empty())
    return Status::Corruption("block " + std::to_string(height) + " has no hash: " + *body);
  return view;
}

Result<client::TransactionStatus> FaultNetwork::Transaction(std::size_t index, const std::string& id) const {
  Result<client::TransactionStatus> state = Status::Internal("not asked");
  client::HttpRequestOptions http;
  http.timeout_milliseconds = kApiTimeoutMilliseconds;
  RC_RETURN_IF_ERROR(RunInNetworkNamespace(operator_namespace_, [&] {
    state = client::NodeClient(nodes_[index].api_url, http).GetTransaction(id);
  }));
  return state;
}

Result<std::string> FaultNetwork::SubmitNote(std::size_t index, const std::string& text) const {
  NoteOptions note;
  note.node_url = nodes_[index].api_url;
  note.text = text;
  std::ostringstream out;
  Status submitted = Status::Internal("not asked");
  RC_RETURN_IF_ERROR(
      RunInNetworkNamespace(operator_namespace_, [&] { submitted = cli::SubmitNote(note, out); }));
  RC_RETURN_IF_ERROR(submitted);
  const std::string id = out.str().substr(0, out.str().find('\n'));
  if (id.size() != 64) return Status::Corruption("unexpected note output: " + out.str());
  return id;
}

std::optional<std::size_t> FaultNetwork::MemberOfKeyId(const std::string& key_id_hex) const {
  for (std::size_t i = 0; i < key_ids_.size(); ++i) {
    if (key_ids_[i] == key_id_hex) return i;
  }
  return std::nullopt;
}

Status FaultNetwork::RunInOperatorNamespace(const std::string& command) const {
  return RunShell("ip netns exec " + operator_namespace_ + " " + command);
}

}  // namespace rightchain::cli::testing
