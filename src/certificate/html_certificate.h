// The certificate as one self-contained HTML page (no external resources): the same fields as the
// PDF, the QR code as inline SVG, and the proof bundle as a downloadable data: link. Every
// user-controlled text (titles, author names, chain ids, URLs) is escaped.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "certificate/certificate_content.h"

namespace rightchain::certificate {

// &, <, >, " and ' as character references: safe in element text and in quoted attributes.
std::string EscapeHtml(std::string_view text);

Result<std::string> RenderHtmlCertificate(const CertificateContent& content);

}  // namespace rightchain::certificate
