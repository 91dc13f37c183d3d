#include "certificate/html_certificate.h"

#include "base/bytes.h"
#include "certificate/qr_code.h"

namespace rightchain::certificate {
namespace {

// Newlines of a multi-line value become <br>, after escaping.
std::string EscapeLines(std::string_view text) {
  std::string html;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find('\n', start);
    html +=
        EscapeHtml(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    html += "<br>";
    start = end + 1;
  }
  return html;
}

std::string QrSvg(const QrCode& qr) {
  const std::size_t side = qr.width + 2 * kQrQuietZoneModules;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 " +
                    std::to_string(side) + " " + std::to_string(side) +
                    "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR\">"
                    "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  for (std::size_t y = 0; y < qr.width; ++y) {
    for (std::size_t x = 0; x < qr.width; ++x) {
      if (qr.Dark(x, y)) {
        svg += "M" + std::to_string(x + kQrQuietZoneModules) + " " + std::to_string(y + kQrQuietZoneModules) +
               "h1v1h-1z";
      }
    }
  }
  return svg + "\"/></svg>";
}

constexpr std::string_view kStyle =
    "body{font-family:'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;max-width:52em;margin:2em auto;"
    "color:#111}h1{text-align:center;font-size:1.5em;margin:0}h2{text-align:center;font-size:1.1em;"
    "font-weight:normal;margin:.2em 0 1em}table{border-collapse:collapse;width:100%}th,td{border:1px solid "
    "#999;padding:.3em .5em;vertical-align:top;text-align:left}th{width:14em;background:#f3f3f3;"
    "font-weight:normal}th span{display:block;color:#555;font-size:.85em}td.mono{font-family:monospace;"
    "word-break:break-all}.qr{width:10em;height:10em;display:block;margin:1em auto}p.url{text-align:center;"
    "word-break:break-all}";

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      case '\'': escaped += "&#39;"; break;
      default: escaped += c;
    }
  }
  return escaped;
}

Result<std::string> RenderHtmlCertificate(const CertificateContent& content) {
  RC_ASSIGN_OR_RETURN(const QrCode qr, EncodeQr(content.verification_url));
  std::string html = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>";
  html += EscapeHtml(content.heading_zh + " / " + content.heading_en + " — " + content.title);
  html += "</title>\n<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
  html +=
      "<h1>" + EscapeHtml(content.heading_zh) + "</h1>\n<h2>" + EscapeHtml(content.heading_en) + "</h2>\n";
  html += "<table>\n";
  for (const Field& field : content.fields) {
    html += "<tr id=\"" + EscapeHtml(field.key) + "\"><th>" + EscapeHtml(field.label_zh) + "<span>" +
            EscapeHtml(field.label_en) + "</span></th><td" + (field.monospace ? " class=\"mono\"" : "") +
            ">" + EscapeLines(field.value) + "</td></tr>\n";
  }
  html += "</table>\n";
  html += QrSvg(qr) + "\n";
  html += "<p class=\"url\"><a href=\"" + EscapeHtml(content.verification_url) + "\">" +
          EscapeHtml(content.verification_url) + "</a></p>\n";
  html += "<p>证明包 / Proof bundle: <a download=\"" + EscapeHtml(content.attachment_name) +
          "\" href=\"data:application/json;base64," + Base64Encode(AsBytes(content.attachment)) + "\">" +
          EscapeHtml(content.attachment_name) + "</a></p>\n";
  html += "<h3>如何验证</h3>\n";
  for (const std::string& paragraph : content.how_to_verify_zh)
    html += "<p>" + EscapeHtml(paragraph) + "</p>\n";
  html += "<h3>How to verify</h3>\n";
  for (const std::string& paragraph : content.how_to_verify_en)
    html += "<p>" + EscapeHtml(paragraph) + "</p>\n";
  html += "</body>\n</html>\n";
  return html;
}

}  // namespace rightchain::certificate
