#include "node/node_config.h"
#include "base/file.h"

#include <toml++/toml.h>
#include <set>
#include <sstream>

#include "node/genesis_file.h"

namespace rightchain::node {
namespace {

Status CheckKeys(const toml::table& table, std::string_view where, const std::set<std::string>& allowed) {
  for (const auto& [key, value] : table) {
    if (allowed.count(std::string(key.str())) == 0) {
      return Status::InvalidArgument("config: unknown key '" + std::string(where) + std::string(key.str()) +
                                     "'");
    }
  }
  return Status::Ok();
}

Result<std::string> GetString(const toml::table& table, std::string_view key, std::string_view where,
                              bool required) {
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    if (required)
      return Status::InvalidArgument("config: '" + std::string(where) + std::string(key) + "' is missing");
    return std::string();
  }
  const auto value = node->value<std::string>();
  if (!value.has_value())
    return Status::InvalidArgument("config: '" + std::string(where) + std::string(key) +
                                   "' must be a string");
  return *value;
}

Result<std::uint16_t> GetPort(const toml::table& table, std::string_view key, std::string_view where,
                              std::uint16_t fallback) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return fallback;
  const auto value = node->value<std::int64_t>();
  if (!value.has_value() || *value < 1 || *value > 65535) {
    return Status::InvalidArgument("config: '" + std::string(where) + std::string(key) +
                                   "' must be a port 1..65535");
  }
  return static_cast<std::uint16_t>(*value);
}

Result<std::vector<std::string>> GetStrings(const toml::table& table, std::string_view key,
                                            std::string_view where) {
  std::vector<std::string> strings;
  const toml::node* node = table.get(key);
  if (node == nullptr) return strings;
  const toml::array* array = node->as_array();
  if (array == nullptr)
    return Status::InvalidArgument("config: '" + std::string(where) + std::string(key) +
                                   "' must be an array");
  for (const toml::node& element : *array) {
    const auto value = element.value<std::string>();
    if (!value.has_value())
      return Status::InvalidArgument("config: '" + std::string(where) + std::string(key) +
                                     "' must hold strings");
    strings.push_back(*value);
  }
  return strings;
}

std::filesystem::path Resolve(const std::filesystem::path& base, const std::string& value) {
  if (value.empty()) return {};
  const std::filesystem::path path(value);
  return path.is_absolute() ? path : (base / path).lexically_normal();
}

std::string Relative(const std::filesystem::path& path, const std::filesystem::path& base) {
  if (path.empty()) return {};
  return path.lexically_relative(base).string();
}

}  // namespace

Result<PeerAddress> ParsePeerAddress(std::string_view text) {
  PeerAddress address;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return Status::InvalidArgument("peer address '" + std::string(text) + "' must be [ipv6]:port");
    }
    address.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || text.find(':') != colon) {
      return Status::InvalidArgument("peer address '" + std::string(text) + "' must be host:port");
    }
    address.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
  }
  if (!IsPeerHost(address.host)) {
    return Status::InvalidArgument("peer address '" + std::string(text) +
                                   "' must name a host name or an IP address");
  }
  std::uint32_t port = 0;
  if (port_text.empty() || port_text.size() > 5)
    return Status::InvalidArgument("peer address has a bad port");
  for (const char c : port_text) {
    if (c < '0' || c > '9') return Status::InvalidArgument("peer address has a bad port");
    port = port * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (port == 0 || port > 65535) return Status::InvalidArgument("peer address port must be 1..65535");
  address.port = static_cast<std::uint16_t>(port);
  return address;
}

std::string FormatPeerAddress(const PeerAddress& address) {
  const bool v6 = address.host.find(':') != std::string::npos;
  return (v6 ? "[" + address.host + "]" : address.host) + ":" + std::to_string(address.port);
}

Result<NodeConfig> ParseNodeConfig(std::string_view text, const std::filesystem::path& base) {
  // This toml++ build reports parse errors by exception: they stop here, as a Status.
  toml::table root;
  try {
    root = toml::parse(text);
  } catch (const toml::parse_error& error) {
    std::ostringstream message;
    message << "config is not valid TOML: " << error.description() << " (line " << error.source().begin.line
            << ")";
    return Status::InvalidArgument(message.str());
  }
  RC_RETURN_IF_ERROR(CheckKeys(root, "", {"node", "transport", "api", "tsa", "log"}));
  const toml::table empty;
  const auto section = [&](std::string_view name) -> Result<const toml::table*> {
    const toml::node* node = root.get(name);
    if (node == nullptr) return &empty;
    if (!node->is_table())
      return Status::InvalidArgument("config: [" + std::string(name) + "] must be a table");
    return node->as_table();
  };
  NodeConfig config;
  RC_ASSIGN_OR_RETURN(const toml::table* node, section("node"));
  RC_RETURN_IF_ERROR(CheckKeys(*node, "node.",
                               {"name", "data_dir", "genesis", "consensus_key",
                                "consensus_key_passphrase_file", "passive_exit_heights"}));
  if (const toml::node* passive = node->get("passive_exit_heights")) {
    const auto value = passive->value<std::int64_t>();
    if (!value.has_value() || *value < 1) {
      return Status::InvalidArgument(
          "config: 'node.passive_exit_heights' must be a positive number of heights");
    }
    config.passive_exit_heights = static_cast<std::uint64_t>(*value);
  }
  RC_ASSIGN_OR_RETURN(config.name, GetString(*node, "name", "node.", true));
  RC_ASSIGN_OR_RETURN(const std::string data_dir, GetString(*node, "data_dir", "node.", true));
  config.data_directory = Resolve(base, data_dir);
  RC_ASSIGN_OR_RETURN(const std::string genesis, GetString(*node, "genesis", "node.", true));
  config.genesis_file = Resolve(base, genesis);
  RC_ASSIGN_OR_RETURN(const std::string key, GetString(*node, "consensus_key", "node.", true));
  config.consensus_key_file = Resolve(base, key);
  RC_ASSIGN_OR_RETURN(const std::string passphrase,
                      GetString(*node, "consensus_key_passphrase_file", "node.", true));
  config.consensus_key_passphrase_file = Resolve(base, passphrase);

  RC_ASSIGN_OR_RETURN(const toml::table* transport, section("transport"));
  RC_RETURN_IF_ERROR(CheckKeys(*transport, "transport.",
                               {"certificate", "private_key", "ca", "crl", "listen", "port", "peers"}));
  RC_ASSIGN_OR_RETURN(const std::string certificate,
                      GetString(*transport, "certificate", "transport.", true));
  config.transport_certificate_file = Resolve(base, certificate);
  RC_ASSIGN_OR_RETURN(const std::string private_key,
                      GetString(*transport, "private_key", "transport.", true));
  config.transport_key_file = Resolve(base, private_key);
  RC_ASSIGN_OR_RETURN(const std::string ca, GetString(*transport, "ca", "transport.", true));
  config.ca_certificate_file = Resolve(base, ca);
  RC_ASSIGN_OR_RETURN(const std::string crl, GetString(*transport, "crl", "transport.", false));
  config.crl_file = Resolve(base, crl);
  RC_ASSIGN_OR_RETURN(std::vector<std::string> listen, GetStrings(*transport, "listen", "transport."));
  if (!listen.empty()) config.listen_addresses = std::move(listen);
  RC_ASSIGN_OR_RETURN(config.port, GetPort(*transport, "port", "transport.", config.port));
  RC_ASSIGN_OR_RETURN(const std::vector<std::string> peers, GetStrings(*transport, "peers", "transport."));
  for (const std::string& peer : peers) {
    RC_ASSIGN_OR_RETURN(PeerAddress address, ParsePeerAddress(peer));
    config.peers.push_back(std::move(address));
  }

  RC_ASSIGN_OR_RETURN(const toml::table* api, section("api"));
  RC_RETURN_IF_ERROR(CheckKeys(*api, "api.", {"listen", "port"}));
  RC_ASSIGN_OR_RETURN(std::string api_address, GetString(*api, "listen", "api.", false));
  if (!api_address.empty()) config.api_address = std::move(api_address);
  RC_ASSIGN_OR_RETURN(config.api_port, GetPort(*api, "port", "api.", config.api_port));

  if (root.get("tsa") != nullptr) {
    RC_ASSIGN_OR_RETURN(const toml::table* tsa, section("tsa"));
    RC_RETURN_IF_ERROR(CheckKeys(
        *tsa, "tsa.", {"certificate", "private_key", "account_key", "account_key_passphrase_file"}));
    TimeStampAuthorityConfig authority;
    const std::pair<std::string_view, std::filesystem::path*> fields[] = {
        {"certificate", &authority.certificate_file},
        {"private_key", &authority.key_file},
        {"account_key", &authority.account_key_file},
        {"account_key_passphrase_file", &authority.account_key_passphrase_file}};
    for (const auto& [field, path] : fields) {
      RC_ASSIGN_OR_RETURN(const std::string value, GetString(*tsa, field, "tsa.", true));
      *path = Resolve(base, value);
    }
    config.time_stamp_authority = std::move(authority);
  }

  RC_ASSIGN_OR_RETURN(const toml::table* log, section("log"));
  RC_RETURN_IF_ERROR(CheckKeys(*log, "log.", {"level", "json"}));
  RC_ASSIGN_OR_RETURN(std::string level, GetString(*log, "level", "log.", false));
  if (!level.empty()) config.log_level = std::move(level);
  if (const toml::node* json = log->get("json")) {
    const auto value = json->value<bool>();
    if (!value.has_value()) return Status::InvalidArgument("config: 'log.json' must be true or false");
    config.log_json = *value;
  }
  return config;
}

Result<NodeConfig> LoadNodeConfig(const std::filesystem::path& path) {
  RC_ASSIGN_OR_RETURN(const std::string text, ReadFile(path, 1u << 20));
  Result<NodeConfig> config = ParseNodeConfig(text, std::filesystem::absolute(path).parent_path());
  if (!config.ok()) return config.status().WithContext(path.string());
  return config;
}

std::string NodeConfigToToml(const NodeConfig& config, const std::filesystem::path& base) {
  toml::array listen;
  for (const std::string& address : config.listen_addresses) listen.push_back(address);
  toml::array peers;
  for (const PeerAddress& peer : config.peers) peers.push_back(FormatPeerAddress(peer));
  toml::table transport{{"certificate", Relative(config.transport_certificate_file, base)},
                        {"private_key", Relative(config.transport_key_file, base)},
                        {"ca", Relative(config.ca_certificate_file, base)},
                        {"listen", listen},
                        {"port", config.port},
                        {"peers", peers}};
  if (!config.crl_file.empty()) transport.insert("crl", Relative(config.crl_file, base));
  toml::table root{
      {"node",
       toml::table{{"name", config.name},
                   {"data_dir", Relative(config.data_directory, base)},
                   {"genesis", Relative(config.genesis_file, base)},
                   {"consensus_key", Relative(config.consensus_key_file, base)},
                   {"consensus_key_passphrase_file", Relative(config.consensus_key_passphrase_file, base)},
                   {"passive_exit_heights", static_cast<std::int64_t>(config.passive_exit_heights)}}},
      {"transport", transport},
      {"api", toml::table{{"listen", config.api_address}, {"port", config.api_port}}},
      {"log", toml::table{{"level", config.log_level}, {"json", config.log_json}}},
  };
  if (const auto& tsa = config.time_stamp_authority) {
    root.insert("tsa", toml::table{{"certificate", Relative(tsa->certificate_file, base)},
                                   {"private_key", Relative(tsa->key_file, base)},
                                   {"account_key", Relative(tsa->account_key_file, base)},
                                   {"account_key_passphrase_file",
                                    Relative(tsa->account_key_passphrase_file, base)}});
  }
  std::ostringstream out;
  out << root << "\n";
  return out.str();
}

}  // namespace rightchain::node
