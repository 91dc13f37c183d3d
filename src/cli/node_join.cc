#include "cli/node_join.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "cli/chain_session.h"
#include "cli/keygen.h"
#include "cli/network.h"
#include "crypto/private_key.h"
#include "node/genesis_file.h"
#include "node/node_config.h"
#include "pki/certificate.h"
#include "pki/certificate_request.h"
#include "pki/private_key.h"
#include "pki/revocation_list.h"

namespace rightchain::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr std::string_view kJoinRequestFile = "join-request.json";

Status CheckName(const std::string& name) {
  const bool well_formed =
      !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      });
  if (!well_formed) return Status::InvalidArgument("--name must be 1..64 characters of [a-z0-9-]");
  return Status::Ok();
}

Result<std::vector<node::PeerAddress>> PeerAddresses(const NodeJoinOptions& options,
                                                     const ChainSession& session) {
  std::vector<node::PeerAddress> peers;
  for (const std::string& text : options.peers) {
    RC_ASSIGN_OR_RETURN(const node::PeerAddress peer, node::ParsePeerAddress(text));
    peers.push_back(peer);
  }
  if (!peers.empty()) return peers;
  RC_ASSIGN_OR_RETURN(const std::string status_text, session.node.GetJsonText("/v1/status"));
  const Json status = Json::parse(status_text, nullptr, false);
  if (!status.is_object() || !status.contains("transport_address") ||
      !status["transport_address"].is_string()) {
    return Status::NotFound("the node at " + options.from_url +
                            " does not say where its peers reach it: give --peer HOST:PORT");
  }
  RC_ASSIGN_OR_RETURN(const node::PeerAddress peer,
                      node::ParsePeerAddress(status["transport_address"].get<std::string>()));
  peers.push_back(peer);
  return peers;
}

}  // namespace

Status JoinNode(const NodeJoinOptions& options, std::ostream& out) {
  RC_RETURN_IF_ERROR(CheckName(options.name));
  if (options.directory.empty()) return Status::InvalidArgument("--dir must name a directory");
  std::error_code error;
  const fs::path config_file = options.directory / "node.toml";
  if (fs::exists(config_file, error)) {
    return Status::AlreadyExists(config_file.string() + " exists: this directory already holds a node");
  }
  RC_ASSIGN_OR_RETURN(const pki::Certificate authority, pki::Certificate::LoadFile(options.ca_file.string()));
  // A node does not start without the consortium's CRL: it must be the CA's, and numbered.
  const fs::path crl_file =
      options.crl_file.empty() ? options.ca_file.parent_path() / "ca.crl" : options.crl_file;
  if (!fs::exists(crl_file, error)) {
    return Status::NotFound("revocation list file " + crl_file.string() +
                            " does not exist: give the consortium's CRL with --crl");
  }
  RC_ASSIGN_OR_RETURN(const pki::RevocationList revocation_list,
                      pki::RevocationList::LoadFile(crl_file.string()));
  if (Status issued = revocation_list.CheckIssuedBy(authority); !issued.ok()) {
    return issued.WithContext(crl_file.string());
  }
  if (Status numbered = revocation_list.CheckHasNumber(); !numbered.ok()) {
    return numbered.WithContext(crl_file.string());
  }
  RC_ASSIGN_OR_RETURN(const ChainSession session, ConnectChain(options.from_url));
  RC_ASSIGN_OR_RETURN(const std::string genesis_json, session.node.GetJsonText("/v1/genesis"));
  RC_ASSIGN_OR_RETURN(const exec::Genesis genesis, node::GenesisFromJson(genesis_json));
  if (genesis.chain_id != session.chain_id) {
    return Status::VerificationFailed("the node's genesis is of chain '" + genesis.chain_id + "', not '" +
                                      session.chain_id + "'");
  }
  for (const exec::GenesisMember& member : genesis.members) {
    if (member.name == options.name) {
      return Status::AlreadyExists("'" + options.name + "' is a genesis member: choose another name");
    }
  }
  RC_ASSIGN_OR_RETURN(const std::vector<node::PeerAddress> peers, PeerAddresses(options, session));

  // Keys: the consensus key of the chain's scheme, the transport key with its request.
  RC_ASSIGN_OR_RETURN(const crypto::PrivateKey consensus_key,
                      crypto::PrivateKey::Generate(crypto::GetSuite(genesis.suite).signature));
  RC_ASSIGN_OR_RETURN(const std::string passphrase, RandomPassphrase());
  RC_ASSIGN_OR_RETURN(const std::string consensus_pem, consensus_key.ToPem(passphrase));
  RC_ASSIGN_OR_RETURN(const pki::PrivateKey transport_key, pki::PrivateKey::GenerateP256());
  RC_ASSIGN_OR_RETURN(const pki::CertificateRequest request,
                      pki::CertificateRequest::Create(transport_key, options.name));

  node::NodeConfig config;
  config.name = options.name;
  config.data_directory = options.directory / "data";
  config.genesis_file = options.directory / "genesis.json";
  config.consensus_key_file = options.directory / "consensus-key.pem";
  config.consensus_key_passphrase_file = options.directory / "consensus-key.pass";
  config.transport_certificate_file = options.directory / "transport.crt";
  config.transport_key_file = options.directory / "transport.key";
  config.ca_certificate_file = options.directory / "ca.crt";
  config.listen_addresses = {options.host};
  config.port = options.port;
  config.peers = peers;
  config.api_address = options.host;
  config.api_port = options.api_port;

  fs::create_directories(options.directory, error);
  if (error) return Status::IoError("cannot create " + options.directory.string() + ": " + error.message());
  RC_RETURN_IF_ERROR(WriteFile(config.genesis_file, node::GenesisToJson(genesis), 0644));
  RC_RETURN_IF_ERROR(authority.SaveFile(config.ca_certificate_file.string()));
  RC_RETURN_IF_ERROR(revocation_list.SaveFile((options.directory / "ca.crl").string()));
  RC_RETURN_IF_ERROR(WriteFile(config.consensus_key_file, consensus_pem, 0600));
  RC_RETURN_IF_ERROR(WriteFile(config.consensus_key_passphrase_file, passphrase, 0600));
  RC_RETURN_IF_ERROR(transport_key.SaveFile(config.transport_key_file.string()));
  const fs::path request_file = options.directory / "transport.csr";
  RC_RETURN_IF_ERROR(WriteFile(request_file, request.ToPem(), 0644));
  const ByteView public_key = consensus_key.public_key().raw();
  const Json join_request{{"chain_id", genesis.chain_id},
                          {"name", options.name},
                          {"consensus_public_key", HexEncode(public_key)},
                          {"transport_certificate_request", request.ToPem()}};
  const fs::path join_file = options.directory / kJoinRequestFile;
  RC_RETURN_IF_ERROR(WriteFile(join_file, join_request.dump(2) + "\n", 0644));
  RC_RETURN_IF_ERROR(WriteFile(config_file, node::NodeConfigToToml(config, options.directory), 0644));

  out << "prepared node '" << options.name << "' in " << options.directory.string() << " for chain "
      << genesis.chain_id << " (genesis " << HexEncode(exec::GenesisHash(genesis)) << ")\n"
      << "  consensus key " << HexEncode(public_key) << "\n"
      << "next:\n"
      << "  1. the CA certifies its transport key:  rightchain ca issue --dir NETWORK --name " << options.name
      << " --csr " << request_file.string() << " --out " << options.directory.string() << "\n"
      << "  2. a member proposes it, others approve: rightchain gov propose add-member --request "
      << join_file.string() << " --role observer|consensus [--power P] --key MEMBER_KEY\n"
      << "  3. start it:                              rightchaind --config " << config_file.string() << "\n"
      << "compare the genesis hash with the one the consortium publishes before trusting it.\n";
  return Status::Ok();
}

std::shared_ptr<void> AddNodeJoinCommand(CLI::App& app, std::optional<Status>& outcome) {
  auto options = std::make_shared<NodeJoinOptions>();
  CLI::App* node = app.add_subcommand("node", "a node of the consortium");
  node->require_subcommand(1);
  CLI::App* join = node->add_subcommand("join", "prepare a new node that governance then admits");
  join->add_option("--dir", options->directory, "the new node's directory")->required();
  join->add_option("--from", options->from_url, "a member node's API URL")->required();
  join->add_option("--name", options->name, "its member name (the certificate's CN)")->required();
  join->add_option("--ca", options->ca_file, "the consortium CA certificate")->required();
  join->add_option("--crl", options->crl_file,
                   "the consortium's revocation list (default: ca.crl beside --ca)");
  join->add_option("--host", options->host, "listen and API address")->capture_default_str();
  join->add_option("--port", options->port, "transport port")->capture_default_str();
  join->add_option("--api-port", options->api_port, "API port")->capture_default_str();
  join->add_option("--peer", options->peers, "HOST:PORT of a member (repeatable; default: the --from node)");
  join->callback([&outcome, options] { outcome = JoinNode(*options, std::cout); });
  return options;
}

}  // namespace rightchain::cli
