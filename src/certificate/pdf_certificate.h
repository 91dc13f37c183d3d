// The certificate as an A4 PDF: pangocairo lays out the fields (fonts subset and embedded, so
// Chinese text prints anywhere), the QR code is drawn as cairo rectangles, and QPDF attaches the
// proof bundle as an embedded file (pdfdetach -saveall extracts it).
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "certificate/certificate_content.h"

namespace rightchain::certificate {

// The PDF's bytes.
Result<std::string> RenderPdfCertificate(const CertificateContent& content);

// Adds `attachment` to the PDF `pdf` as an embedded file named `name` (MIME type `mime_type`).
Result<std::string> AttachFileToPdf(std::string_view pdf, std::string_view name, std::string_view mime_type,
                                    std::string_view description, std::string_view attachment);

}  // namespace rightchain::certificate
