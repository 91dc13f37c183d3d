#include "cli/network.h"
#include "base/file.h"

#include <algorithm>
#include <chrono>
#include <iomanip>
#include <map>
#include <optional>
#include <ostream>
#include <system_error>

#include "cli/keygen.h"
#include "cli/process.h"
#include "crypto/private_key.h"
#include "exec/account.h"
#include "node/genesis_file.h"
#include "pki/authority.h"

namespace rightchain::cli {
namespace {

constexpr std::string_view kNodePrefix = "node-";
constexpr std::string_view kConfigFileName = "node.toml";
constexpr std::uint32_t kHeartbeatIntervalMilliseconds = 2000;

std::string NodeName(std::size_t index) {
  return std::string(kNodePrefix) + std::to_string(index);
}

bool IsChainIdCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

// The index of a folder named node-<digits>, or nothing.
std::optional<std::size_t> NodeIndex(const std::string& folder_name) {
  if (folder_name.rfind(kNodePrefix, 0) != 0) return std::nullopt;
  const std::string digits = folder_name.substr(kNodePrefix.size());
  if (digits.empty() || digits.size() > 3 || (digits.size() > 1 && digits[0] == '0')) return std::nullopt;
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return static_cast<std::size_t>(std::stoul(digits));
}

// Node folders of `directory` by index.
Result<std::map<std::size_t, std::filesystem::path>> NodeDirectories(const std::filesystem::path& directory) {
  std::map<std::size_t, std::filesystem::path> folders;
  std::error_code error;
  std::filesystem::directory_iterator it(directory, error);
  if (error) return Status::IoError("cannot read " + directory.string() + ": " + error.message());
  for (const auto& entry : it) {
    const auto index = NodeIndex(entry.path().filename().string());
    if (index && entry.is_directory(error)) folders[*index] = entry.path();
  }
  return folders;
}

struct NodeMaterial {
  std::string name;
  std::string consensus_key_pem;
  std::string passphrase;
  std::optional<pki::IssuedCertificate> transport;  // always set by MakeNode
  // The node's RFC 3161 authority: its TSA certificate and the chain account that signs
  // time-stamp records (a genesis account, so time-stamping works from the first block).
  std::optional<pki::IssuedCertificate> time_stamping;
  std::string time_stamp_account_pem;
  std::string time_stamp_account_passphrase;
  Bytes time_stamp_account_public_key;
  node::NodeConfig config;
};

Status PrepareDirectory(const NetInitOptions& options) {
  const std::filesystem::path& directory = options.directory;
  std::error_code error;
  if (!std::filesystem::exists(directory, error)) {
    std::filesystem::create_directories(directory, error);
    if (error) return Status::IoError("cannot create " + directory.string() + ": " + error.message());
    return Status::Ok();
  }
  if (!std::filesystem::is_directory(directory, error)) {
    return Status::InvalidArgument(directory.string() + " exists and is not a directory");
  }
  if (std::filesystem::is_empty(directory, error)) return Status::Ok();
  if (!options.force) {
    return Status::AlreadyExists("directory " + directory.string() +
                                 " is not empty (use --force to overwrite)");
  }
  RC_ASSIGN_OR_RETURN(const auto folders, NodeDirectories(directory));
  for (const auto& [index, folder] : folders) {
    if (const auto pid = RunningNodePid(folder)) {
      return Status::PermissionDenied(NodeName(index) + " of " + directory.string() + " is running (pid " +
                                      std::to_string(*pid) + "); run `rightchain net down` first");
    }
  }
  for (const auto& [index, folder] : folders) {
    std::filesystem::remove_all(folder, error);
    if (error) return Status::IoError("cannot remove " + folder.string() + ": " + error.message());
  }
  std::filesystem::remove_all(directory / "members", error);  // certificates from `ca issue`
  if (error)
    return Status::IoError("cannot remove " + (directory / "members").string() + ": " + error.message());
  for (const char* file : {"ca.crt", "ca.key", "ca.crl", "genesis.json"}) {
    std::filesystem::remove(directory / file, error);
    if (error)
      return Status::IoError("cannot remove " + (directory / file).string() + ": " + error.message());
  }
  return Status::Ok();
}

Result<NodeMaterial> MakeNode(const NetInitOptions& options, std::size_t index, std::size_t node_count,
                              const pki::CertificateAuthority& authority) {
  NodeMaterial material;
  material.name = NodeName(index);
  const crypto::SignatureScheme scheme = crypto::GetSuite(options.suite).signature;
  RC_ASSIGN_OR_RETURN(const crypto::PrivateKey consensus_key, crypto::PrivateKey::Generate(scheme));
  RC_ASSIGN_OR_RETURN(material.passphrase, RandomPassphrase());
  RC_ASSIGN_OR_RETURN(material.consensus_key_pem, consensus_key.ToPem(material.passphrase));
  RC_ASSIGN_OR_RETURN(pki::IssuedCertificate transport, authority.IssueWithNewKey(pki::NodeCertificateProfile(
                                                            material.name, kNodeCertificateValidityDays)));
  material.transport = std::move(transport);
  RC_ASSIGN_OR_RETURN(pki::IssuedCertificate time_stamping,
                      authority.IssueWithNewKey(pki::TimeStampingCertificateProfile(
                          material.name + " time-stamping authority", kNodeCertificateValidityDays)));
  material.time_stamping = std::move(time_stamping);
  RC_ASSIGN_OR_RETURN(const crypto::PrivateKey account_key, crypto::PrivateKey::Generate(scheme));
  RC_ASSIGN_OR_RETURN(material.time_stamp_account_passphrase, RandomPassphrase());
  RC_ASSIGN_OR_RETURN(material.time_stamp_account_pem,
                      account_key.ToPem(material.time_stamp_account_passphrase));
  const ByteView account_raw = account_key.public_key().raw();
  material.time_stamp_account_public_key.assign(account_raw.begin(), account_raw.end());

  const std::filesystem::path node_directory = options.directory / material.name;
  node::NodeConfig& config = material.config;
  config.name = material.name;
  config.data_directory = node_directory / "data";
  config.genesis_file = options.directory / "genesis.json";
  config.consensus_key_file = node_directory / "consensus-key.pem";
  config.consensus_key_passphrase_file = node_directory / "consensus-key.pass";
  config.transport_certificate_file = node_directory / "transport.crt";
  config.transport_key_file = node_directory / "transport.key";
  config.ca_certificate_file = options.directory / "ca.crt";
  config.time_stamp_authority =
      node::TimeStampAuthorityConfig{node_directory / "tsa.crt", node_directory / "tsa.key",
                                     node_directory / "tsa-account.key", node_directory / "tsa-account.pass"};
  // Both loopbacks; the first is the address the node announces to its peers.
  config.listen_addresses = options.host == "::1" ? std::vector<std::string>{"::1", "127.0.0.1"}
                                                  : std::vector<std::string>{"127.0.0.1", "::1"};
  config.port = static_cast<std::uint16_t>(options.base_port + index);
  for (std::size_t peer = 0; peer < node_count; ++peer) {
    if (peer == index) continue;
    config.peers.push_back({options.host, static_cast<std::uint16_t>(options.base_port + peer)});
  }
  config.api_address = options.host;
  config.api_port = static_cast<std::uint16_t>(options.api_base_port + index);
  return material;
}

// A record account's key as net init writes it: KEY (encrypted PKCS#8), KEY.pass, KEY.pub.
struct AccountKeyFiles {
  Bytes public_key;  // raw, for genesis
  std::string passphrase;
  std::string pem;
  std::string public_pem;
};

Result<AccountKeyFiles> MakeAccountKey(crypto::SuiteId suite) {
  RC_ASSIGN_OR_RETURN(const crypto::PrivateKey key,
                      crypto::PrivateKey::Generate(crypto::GetSuite(suite).signature));
  AccountKeyFiles files;
  const ByteView raw = key.public_key().raw();
  files.public_key.assign(raw.begin(), raw.end());
  RC_ASSIGN_OR_RETURN(files.passphrase, RandomPassphrase());
  RC_ASSIGN_OR_RETURN(files.pem, key.ToPem(files.passphrase));
  RC_ASSIGN_OR_RETURN(files.public_pem, key.public_key().ToPem());
  return files;
}

Status WriteAccountKey(const AccountKeyFiles& files, const std::filesystem::path& key_file) {
  RC_RETURN_IF_ERROR(WriteFile(key_file.string() + ".pass", files.passphrase, 0600));
  RC_RETURN_IF_ERROR(WriteFile(key_file, files.pem, 0600));
  return WriteFile(key_file.string() + ".pub", files.public_pem, 0644);
}

Status WriteNode(const NodeMaterial& material, const std::filesystem::path& node_directory) {
  std::error_code error;
  std::filesystem::create_directories(node_directory, error);
  if (error) return Status::IoError("cannot create " + node_directory.string() + ": " + error.message());
  const node::NodeConfig& config = material.config;
  RC_RETURN_IF_ERROR(WriteFile(config.consensus_key_file, material.consensus_key_pem, 0600));
  RC_RETURN_IF_ERROR(WriteFile(config.consensus_key_passphrase_file, material.passphrase, 0600));
  RC_RETURN_IF_ERROR(material.transport->certificate.SaveFile(config.transport_certificate_file.string()));
  RC_RETURN_IF_ERROR(material.transport->private_key.SaveFile(config.transport_key_file.string()));
  const node::TimeStampAuthorityConfig& tsa = *config.time_stamp_authority;
  RC_RETURN_IF_ERROR(material.time_stamping->certificate.SaveFile(tsa.certificate_file.string()));
  RC_RETURN_IF_ERROR(material.time_stamping->private_key.SaveFile(tsa.key_file.string()));
  RC_RETURN_IF_ERROR(WriteFile(tsa.account_key_file, material.time_stamp_account_pem, 0600));
  RC_RETURN_IF_ERROR(
      WriteFile(tsa.account_key_passphrase_file, material.time_stamp_account_passphrase, 0600));
  RC_RETURN_IF_ERROR(
      WriteFile(node_directory / kConfigFileName, node::NodeConfigToToml(config, node_directory), 0644));
  return Status::Ok();
}

}  // namespace

Status ValidateNetInitOptions(const NetInitOptions& options) {
  if (options.directory.empty()) return Status::InvalidArgument("--dir must name a directory");
  if (options.validators < 1) return Status::InvalidArgument("--validators must be at least 1");
  const std::size_t node_count = options.validators + options.observers;
  if (options.observers > kMaxNetworkNodes || node_count > kMaxNetworkNodes) {
    return Status::InvalidArgument("--validators plus --observers must be at most " +
                                   std::to_string(kMaxNetworkNodes));
  }
  if (options.chain_id.empty() || options.chain_id.size() > 64 ||
      !std::all_of(options.chain_id.begin(), options.chain_id.end(), IsChainIdCharacter)) {
    return Status::InvalidArgument("--chain-id must be 1..64 characters of [a-z0-9._-]");
  }
  if (options.host != "127.0.0.1" && options.host != "::1") {
    return Status::InvalidArgument("--host must be 127.0.0.1 or ::1 (a local network runs on loopback)");
  }
  if (options.block_interval_milliseconds < 100 || options.block_interval_milliseconds > 10'000) {
    return Status::InvalidArgument("--block-interval-ms must be 100..10000");
  }
  const auto check_ports = [&](std::uint32_t base, std::string_view flag) -> Status {
    if (base < 1 || base + node_count - 1 > 65535) {
      return Status::InvalidArgument(std::string(flag) + " must leave room for " +
                                     std::to_string(node_count) + " ports below 65536");
    }
    return Status::Ok();
  };
  RC_RETURN_IF_ERROR(check_ports(options.base_port, "--base-port"));
  RC_RETURN_IF_ERROR(check_ports(options.api_base_port, "--api-base-port"));
  const std::uint32_t transport_end = std::uint32_t{options.base_port} + node_count;
  const std::uint32_t api_end = std::uint32_t{options.api_base_port} + node_count;
  if (options.base_port < api_end && options.api_base_port < transport_end) {
    return Status::InvalidArgument("--base-port and --api-base-port ranges overlap");
  }
  return Status::Ok();
}

Status InitNetwork(const NetInitOptions& input, std::ostream& out) {
  RC_RETURN_IF_ERROR(ValidateNetInitOptions(input));
  NetInitOptions options = input;
  options.directory = std::filesystem::absolute(input.directory).lexically_normal();
  if (!options.directory.has_filename()) options.directory = options.directory.parent_path();
  const std::size_t node_count = options.validators + options.observers;

  // Generate and check everything in memory first: a failure leaves no half-written folder.
  RC_ASSIGN_OR_RETURN(
      const pki::CertificateAuthority authority,
      pki::CertificateAuthority::Create(options.chain_id + " consortium CA", kCaValidityDays));
  // The CRL every node checks its peers against: empty, CRL number 1 (`ca revoke` adds to it).
  RC_ASSIGN_OR_RETURN(const pki::RevocationList revocation_list,
                      authority.IssueRevocationList({}, kRevocationListValidityDays));
  std::vector<NodeMaterial> nodes;
  exec::Genesis genesis;
  genesis.chain_id = options.chain_id;
  genesis.suite = options.suite;
  genesis.genesis_time_milliseconds = std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count();
  genesis.parameters.target_block_interval_milliseconds = options.block_interval_milliseconds;
  genesis.parameters.create_empty_blocks = false;
  genesis.parameters.heartbeat_interval_milliseconds = kHeartbeatIntervalMilliseconds;
  for (std::size_t index = 0; index < node_count; ++index) {
    RC_ASSIGN_OR_RETURN(NodeMaterial material, MakeNode(options, index, node_count, authority));
    RC_ASSIGN_OR_RETURN(const crypto::PrivateKey key,
                        crypto::PrivateKey::FromPem(material.consensus_key_pem, material.passphrase));
    exec::GenesisMember member;
    member.name = material.name;
    const bool observer = index >= options.validators;
    member.role = index == 0 ? exec::NodeRole::kRegulatorConsensus
                             : (observer ? exec::NodeRole::kObserver : exec::NodeRole::kConsensus);
    member.voting_power = observer ? 0 : kValidatorVotingPower;
    const ByteView raw = key.public_key().raw();
    member.consensus_public_key.assign(raw.begin(), raw.end());
    genesis.members.push_back(std::move(member));
    genesis.accounts.push_back(
        {material.name + " time-stamping", exec::kOrganisationKind, material.time_stamp_account_public_key});
    nodes.push_back(std::move(material));
  }
  // The first record authority: the regulator's account key, which grants kinds to everyone else;
  // and the local sign-up platform, which sponsors the accounts `account create` makes.
  RC_ASSIGN_OR_RETURN(const AccountKeyFiles regulator, MakeAccountKey(options.suite));
  RC_ASSIGN_OR_RETURN(const AccountKeyFiles sponsor, MakeAccountKey(options.suite));
  genesis.accounts.push_back({"regulator", exec::kRegulatorKind, regulator.public_key});
  genesis.accounts.push_back({"local sign-up", exec::kPlatformKind, sponsor.public_key});
  if (Status valid = exec::ValidateGenesis(genesis); !valid.ok()) return valid.WithContext("genesis");

  RC_RETURN_IF_ERROR(PrepareDirectory(options));
  const std::filesystem::path accounts = options.directory / "accounts";
  std::error_code made;
  std::filesystem::create_directories(accounts, made);
  if (made) return Status::IoError("cannot create " + accounts.string() + ": " + made.message());
  RC_RETURN_IF_ERROR(WriteAccountKey(regulator, accounts / "regulator.key"));
  RC_RETURN_IF_ERROR(WriteAccountKey(sponsor, accounts / "sponsor.key"));
  RC_RETURN_IF_ERROR(
      authority.SaveFiles((options.directory / "ca.crt").string(), (options.directory / "ca.key").string()));
  RC_RETURN_IF_ERROR(revocation_list.SaveFile((options.directory / "ca.crl").string()));
  RC_RETURN_IF_ERROR(WriteFile(options.directory / "genesis.json", node::GenesisToJson(genesis), 0644));
  for (const NodeMaterial& material : nodes) {
    RC_RETURN_IF_ERROR(WriteNode(material, options.directory / material.name));
  }

  out << "created " << options.directory.string() << ": chain " << options.chain_id << ", suite "
      << crypto::SuiteName(options.suite) << ", " << options.validators << " validators, "
      << options.observers << " observers\n"
      << "  regulator account key: " << (accounts / "regulator.key").string() << "\n"
      << "  sign-up sponsor key:   " << (accounts / "sponsor.key").string() << "\n";
  for (std::size_t index = 0; index < node_count; ++index) {
    const node::NodeConfig& config = nodes[index].config;
    out << "  " << std::left << std::setw(8) << config.name << std::setw(21)
        << exec::NodeRoleName(genesis.members[index].role) << "port " << std::setw(7) << config.port << "api "
        << ApiBaseUrl(config) << "\n";
  }
  return Status::Ok();
}

std::string ApiBaseUrl(const node::NodeConfig& config) {
  std::string host = config.api_address;
  if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
  if (host == "::") host = "::1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(config.api_port);
}

Result<std::vector<NetworkNode>> LoadNetwork(const std::filesystem::path& input_directory) {
  const std::filesystem::path directory = std::filesystem::absolute(input_directory).lexically_normal();
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error)) {
    return Status::NotFound("network directory " + directory.string() + " does not exist");
  }
  RC_ASSIGN_OR_RETURN(const auto folders, NodeDirectories(directory));
  if (folders.empty()) {
    return Status::NotFound(directory.string() +
                            " has no node-* directories (run `rightchain net init` first)");
  }
  std::vector<NetworkNode> nodes;
  std::optional<exec::Genesis> genesis;
  for (const auto& [index, folder] : folders) {
    NetworkNode network_node;
    network_node.directory = folder;
    RC_ASSIGN_OR_RETURN(network_node.config, node::LoadNodeConfig(folder / kConfigFileName));
    network_node.name = network_node.config.name;
    if (!genesis) {
      Result<exec::Genesis> loaded = node::LoadGenesisFile(network_node.config.genesis_file);
      if (!loaded.ok()) return loaded.status().WithContext(network_node.config.genesis_file.string());
      genesis = std::move(loaded).value();
    }
    const auto member =
        std::find_if(genesis->members.begin(), genesis->members.end(),
                     [&](const exec::GenesisMember& m) { return m.name == network_node.name; });
    if (member == genesis->members.end()) {
      return Status::InvalidArgument((folder / kConfigFileName).string() + ": node name '" +
                                     network_node.name + "' is not a member of the genesis");
    }
    network_node.role = member->role;
    network_node.api_url = ApiBaseUrl(network_node.config);
    nodes.push_back(std::move(network_node));
  }
  return nodes;
}

}  // namespace rightchain::cli
