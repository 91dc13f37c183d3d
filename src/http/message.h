// HTTP requests and responses as plain values, free of any HTTP library's types.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rightchain::http {

struct Request {
  std::string method;                          // "GET", "POST", ...
  std::string path;                            // the target without its query, percent-decoding not applied
  std::string query;                           // the part after '?', without the '?'
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string remote_address;
  std::map<std::string, std::string> path_parameters;  // filled by the Router from "{name}" segments

  // The header's value, or "" when absent. `name` must be lower case.
  std::string_view Header(std::string_view name) const;
  // The value of `name` in the query string ("a=1&b=2"), percent-decoded; "" when absent.
  std::string QueryParameter(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// The API's error body: {"code": ..., "message": ..., "details": {...}} with the given status.
// `details_json` must be a JSON object's text (or empty for {}).
Response ErrorResponse(int status, std::string_view code, std::string_view message,
                       std::string_view details_json = {});

// Escapes text for inclusion inside a JSON string literal (without the quotes). Each byte that
// does not begin a well-formed UTF-8 sequence becomes \ufffd, so the result is always valid JSON.
std::string JsonEscape(std::string_view text);

}  // namespace rightchain::http
