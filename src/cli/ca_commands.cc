#include "cli/ca_commands.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

#include "base/file.h"
#include "cli/network.h"
#include "client/node_client.h"
#include "node/genesis_file.h"
#include "node/node_config.h"
#include "pki/authority.h"
#include "pki/certificate_request.h"
#include "pki/verify.h"

namespace rightchain::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kCaCertificateFile = "ca.crt";
constexpr std::string_view kCaKeyFile = "ca.key";
constexpr std::string_view kRevocationListFile = "ca.crl";
constexpr std::string_view kGenesisFile = "genesis.json";
constexpr std::string_view kNodeConfigFile = "node.toml";
// Where `ca issue` puts a new member's files by default: not D/NAME, which `net up` would take
// for a node folder without a configuration.
constexpr std::string_view kIssuedDirectory = "members";

bool IsMemberNameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

// A member name becomes a certificate CN and a folder name: keep it short and path-safe.
Status CheckMemberName(const std::string& name) {
  if (name.empty() || name.size() > pki::kMaxCommonNameSize || name == "." || name == ".." ||
      !std::all_of(name.begin(), name.end(), IsMemberNameCharacter)) {
    return Status::InvalidArgument("--name must be 1.." + std::to_string(pki::kMaxCommonNameSize) +
                                   " characters of [A-Za-z0-9._-]");
  }
  return Status::Ok();
}

Result<pki::CertificateAuthority> LoadAuthority(const fs::path& directory) {
  Result<pki::CertificateAuthority> authority = pki::CertificateAuthority::LoadFiles(
      (directory / kCaCertificateFile).string(), (directory / kCaKeyFile).string());
  if (!authority.ok()) return authority.status().WithContext("the CA of " + directory.string());
  return authority;
}

// The certificate a member of D uses now: the one D/NAME/node.toml names, else
// D/NAME/transport.crt, else the one `ca issue` wrote to D/members/NAME.
Result<fs::path> MemberCertificateFile(const fs::path& directory, const std::string& name) {
  const fs::path config_file = directory / name / kNodeConfigFile;
  std::error_code error;
  if (fs::exists(config_file, error)) {
    RC_ASSIGN_OR_RETURN(const node::NodeConfig config, node::LoadNodeConfig(config_file));
    return config.transport_certificate_file;
  }
  for (const fs::path& certificate_file :
       {directory / name / "transport.crt", directory / kIssuedDirectory / name / "transport.crt"}) {
    if (fs::exists(certificate_file, error)) return certificate_file;
  }
  return Status::NotFound("no certificate of '" + name + "' in " + directory.string() +
                          " (give it with --certificate)");
}

// The CRL paths the nodes of D read: D/ca.crl, plus any other `transport.crl` they configure.
std::set<fs::path> RevocationListPaths(const fs::path& directory) {
  std::set<fs::path> paths{directory / kRevocationListFile};
  Result<std::vector<NetworkNode>> nodes = LoadNetwork(directory);
  if (!nodes.ok()) return paths;
  for (const NetworkNode& node : *nodes) {
    if (!node.config.crl_file.empty()) paths.insert(node.config.crl_file.lexically_normal());
  }
  return paths;
}

struct VotingMember {
  std::string name;
  std::uint64_t voting_power = 0;
};

// The members and their voting power now: as a running node of D reports them (governance may
// have changed them since genesis), else as genesis has them.
std::vector<VotingMember> CurrentVotingMembers(const fs::path& directory, const exec::Genesis& genesis) {
  if (Result<std::vector<NetworkNode>> nodes = LoadNetwork(directory); nodes.ok()) {
    client::HttpRequestOptions quick;
    quick.timeout_milliseconds = 1000;
    for (const NetworkNode& node : *nodes) {
      const Result<std::string> text = client::NodeClient(node.api_url, quick).GetJsonText("/v1/governance");
      if (!text.ok()) continue;
      const nlohmann::json governance = nlohmann::json::parse(*text, nullptr, false);
      if (!governance.is_object() || !governance.contains("members") || !governance["members"].is_array())
        continue;
      std::vector<VotingMember> members;
      for (const nlohmann::json& member : governance["members"]) {
        if (!member.is_object()) continue;
        members.push_back({member.value("name", ""), member.value("voting_power", std::uint64_t{0})});
      }
      if (!members.empty()) return members;
    }
  }
  std::vector<VotingMember> members;
  for (const exec::GenesisMember& member : genesis.members)
    members.push_back({member.name, member.voting_power});
  return members;
}

// Describes what revoking `name` does to the quorum (> 2/3 of voting power, docs/consensus.md),
// counting validators whose certificates `crl` already revokes as gone. Empty for a non-validator.
std::string QuorumWarning(const fs::path& directory, const exec::Genesis& genesis, const std::string& name,
                          const std::optional<pki::RevocationList>& crl) {
  std::uint64_t total = 0;
  std::uint64_t revoked_power = 0;
  std::uint64_t own_power = 0;
  for (const VotingMember& member : CurrentVotingMembers(directory, genesis)) {
    total += member.voting_power;
    if (member.name == name) {
      own_power = member.voting_power;
      continue;
    }
    if (member.voting_power == 0 || !crl.has_value()) continue;
    const Result<fs::path> file = MemberCertificateFile(directory, member.name);
    if (!file.ok()) continue;
    const Result<pki::Certificate> certificate = pki::Certificate::LoadFile(file->string());
    if (certificate.ok() && crl->IsRevoked(*certificate)) revoked_power += member.voting_power;
  }
  if (own_power == 0) return {};
  const std::uint64_t quorum = total * 2 / 3 + 1;
  const std::uint64_t reachable_before = total - revoked_power;
  const std::uint64_t reachable_after = reachable_before - own_power;
  std::string warning = "warning: '" + name + "' is a current validator (voting power " +
                        std::to_string(own_power) + " of " + std::to_string(total) +
                        "); revoking its certificate disconnects it and lowers the quorum's margin: ";
  const auto margin = [quorum](std::uint64_t reachable) {
    return reachable >= quorum ? std::to_string(reachable - quorum) + " voting power may fail"
                               : std::string("no quorum");
  };
  warning += margin(reachable_before) + " before, " + margin(reachable_after) + " after (a quorum needs " +
             std::to_string(quorum) + ").";
  if (reachable_after < quorum) warning += " The chain stops committing.";
  return warning + " Removing a validator is a governance decision.";
}

constexpr std::size_t kMaxRequestFileBytes = 64 * 1024;

// The request's own key is certified; its CN must be the member's name.
Status IssueFromRequest(const CaIssueOptions& options, const pki::CertificateAuthority& authority,
                        const pki::CertificateProfile& profile, const fs::path& certificate_file,
                        std::ostream& out) {
  RC_ASSIGN_OR_RETURN(const std::string pem, ReadFile(options.request_file, kMaxRequestFileBytes));
  RC_ASSIGN_OR_RETURN(const pki::CertificateRequest request, pki::CertificateRequest::FromPem(pem));
  if (request.SubjectCommonName() != options.name) {
    return Status::InvalidArgument(options.request_file.string() + " asks for '" +
                                   request.SubjectCommonName() + "', not '" + options.name + "'");
  }
  RC_ASSIGN_OR_RETURN(const pki::Certificate certificate, authority.IssueFromRequest(request, profile));
  std::error_code error;
  fs::create_directories(certificate_file.parent_path(), error);
  if (error)
    return Status::IoError("cannot create " + certificate_file.parent_path().string() + ": " +
                           error.message());
  RC_RETURN_IF_ERROR(certificate.SaveFile(certificate_file.string()));
  out << "issued a transport certificate for " << options.name << " (serial " << certificate.SerialHex()
      << ", valid " << kNodeCertificateValidityDays << " days) for the key of "
      << options.request_file.string() << "\n  certificate: " << certificate_file.string() << "\n";
  return Status::Ok();
}

}  // namespace

Status IssueMemberCertificate(const CaIssueOptions& options, std::ostream& out) {
  RC_RETURN_IF_ERROR(CheckMemberName(options.name));
  RC_ASSIGN_OR_RETURN(const pki::CertificateAuthority authority, LoadAuthority(options.directory));
  const fs::path out_directory = options.out_directory.empty()
                                     ? options.directory / kIssuedDirectory / options.name
                                     : options.out_directory;
  const fs::path certificate_file = out_directory / "transport.crt";
  const fs::path key_file = out_directory / "transport.key";
  std::error_code error;
  if (!options.force && (fs::exists(certificate_file, error) ||
                         (options.request_file.empty() && fs::exists(key_file, error)))) {
    return Status::AlreadyExists(certificate_file.string() + " or " + key_file.string() +
                                 " exists (use --force to replace them)");
  }
  const pki::CertificateProfile profile =
      pki::NodeCertificateProfile(options.name, kNodeCertificateValidityDays);
  if (!options.request_file.empty())
    return IssueFromRequest(options, authority, profile, certificate_file, out);
  RC_ASSIGN_OR_RETURN(const pki::IssuedCertificate issued, authority.IssueWithNewKey(profile));
  fs::create_directories(out_directory, error);
  if (error) return Status::IoError("cannot create " + out_directory.string() + ": " + error.message());
  RC_RETURN_IF_ERROR(issued.private_key.SaveFile(key_file.string()));
  RC_RETURN_IF_ERROR(issued.certificate.SaveFile(certificate_file.string()));
  out << "issued a transport certificate for " << options.name << " (serial "
      << issued.certificate.SerialHex() << ", valid " << kNodeCertificateValidityDays << " days)\n"
      << "  certificate: " << certificate_file.string() << "\n"
      << "  key:         " << key_file.string() << "\n";
  return Status::Ok();
}

Status RevokeMemberCertificate(const CaRevokeOptions& options, std::ostream& out, std::ostream& warnings) {
  RC_RETURN_IF_ERROR(CheckMemberName(options.name));
  RC_ASSIGN_OR_RETURN(const pki::CertificateAuthority authority, LoadAuthority(options.directory));
  fs::path certificate_file = options.certificate_file;
  if (certificate_file.empty()) {
    RC_ASSIGN_OR_RETURN(certificate_file, MemberCertificateFile(options.directory, options.name));
  }
  RC_ASSIGN_OR_RETURN(const pki::Certificate certificate,
                      pki::Certificate::LoadFile(certificate_file.string()));
  if (certificate.SubjectCommonName() != options.name) {
    return Status::InvalidArgument(certificate_file.string() + " belongs to '" +
                                   certificate.SubjectCommonName() + "', not '" + options.name + "'");
  }
  // Expired certificates may still be revoked; a certificate of another CA may not.
  pki::VerifyOptions at_issue;
  at_issue.at_unix_seconds = certificate.NotBeforeUnixSeconds();
  if (Status issued = pki::VerifyCertificate(certificate, authority.certificate(), at_issue); !issued.ok()) {
    return issued.WithContext(certificate_file.string());
  }

  const fs::path crl_file = options.directory / kRevocationListFile;
  std::optional<pki::RevocationList> existing;
  std::error_code error;
  if (fs::exists(crl_file, error)) {
    RC_ASSIGN_OR_RETURN(existing, pki::RevocationList::LoadFile(crl_file.string()));
  }
  if (existing.has_value() && existing->IsRevoked(certificate)) {
    out << "certificate of " << options.name << " (serial " << certificate.SerialHex()
        << ") is already revoked in " << crl_file.string() << "\n";
    return Status::Ok();
  }

  Result<exec::Genesis> genesis = node::LoadGenesisFile(options.directory / kGenesisFile);
  if (!genesis.ok()) return genesis.status().WithContext((options.directory / kGenesisFile).string());
  const std::string warning = QuorumWarning(options.directory, *genesis, options.name, existing);
  if (!warning.empty()) {
    warnings << warning << "\n";
    if (!options.force) {
      return Status::PermissionDenied("refusing to revoke the certificate of validator '" + options.name +
                                      "' without --force");
    }
  }

  Result<pki::RevocationList> updated =
      existing.has_value()
          ? authority.Revoke(*existing, certificate.SerialHex(), kRevocationListValidityDays)
          : authority.IssueRevocationList({certificate.SerialHex()}, kRevocationListValidityDays);
  if (!updated.ok()) return updated.status().WithContext("signing the revocation list");
  for (const fs::path& path : RevocationListPaths(options.directory)) {
    RC_RETURN_IF_ERROR(updated->SaveFile(path.string()));
  }
  out << "revoked the certificate of " << options.name << " (serial " << certificate.SerialHex() << ") in "
      << crl_file.string() << " (CRL number " << updated->Number().value_or(0) << ", "
      << updated->RevokedSerialsHex().size() << " revoked); running nodes reload it within a second\n";
  return Status::Ok();
}

namespace {

struct CaCommandOptions {
  CaIssueOptions issue;
  CaRevokeOptions revoke;
};

}  // namespace

std::shared_ptr<void> AddCaCommands(CLI::App& app, std::optional<Status>& outcome) {
  auto options = std::make_shared<CaCommandOptions>();
  CLI::App* ca = app.add_subcommand("ca", "issue and revoke members' transport certificates");
  ca->require_subcommand(1);

  CLI::App* issue = ca->add_subcommand("issue", "issue a transport certificate and key for a member");
  issue->add_option("--dir", options->issue.directory, "network directory (ca.crt, ca.key)")->required();
  issue->add_option("--name", options->issue.name, "member name (the certificate's CN)")->required();
  issue->add_option("--out", options->issue.out_directory,
                    "where to write transport.crt/.key (default: DIR/members/NAME)");
  issue->add_flag("--force", options->issue.force, "replace an existing transport.crt and transport.key");
  issue->add_option("--csr", options->issue.request_file,
                    "certify the key of this request (from rightchain node join) instead of a new one");
  issue->callback([&outcome, options] { outcome = IssueMemberCertificate(options->issue, std::cout); });

  CLI::App* revoke = ca->add_subcommand("revoke", "revoke a member's transport certificate (DIR/ca.crl)");
  revoke->add_option("--dir", options->revoke.directory, "network directory (ca.crt, ca.key, genesis.json)")
      ->required();
  revoke->add_option("--name", options->revoke.name, "member name")->required();
  revoke->add_option("--certificate", options->revoke.certificate_file,
                     "the certificate to revoke (default: the one DIR/NAME uses)");
  revoke->add_flag("--force", options->revoke.force, "also revoke a current validator's certificate");
  revoke->callback(
      [&outcome, options] { outcome = RevokeMemberCertificate(options->revoke, std::cout, std::cerr); });
  return options;
}

}  // namespace rightchain::cli
