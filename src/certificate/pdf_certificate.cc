#include "certificate/pdf_certificate.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFEFStreamObjectHelper.hh>
#include <qpdf/QPDFEmbeddedFileDocumentHelper.hh>
#include <qpdf/QPDFFileSpecObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <algorithm>
#include <exception>
#include <memory>

#include "certificate/qr_code.h"

namespace rightchain::certificate {
namespace {

// A4 in points (1/72 inch).
constexpr double kPageWidth = 595.276;
constexpr double kPageHeight = 841.890;
constexpr double kMargin = 42.0;
constexpr double kLabelWidth = 135.0;
constexpr double kColumnGap = 10.0;
constexpr double kRowPadding = 4.0;
constexpr double kQrSide = 96.0;  // points, quiet zone included
// WenQuanYi Micro Hei (TrueType): cairo subsets it to a few tens of kilobytes, where the CFF
// Noto Sans CJK fonts stay near 1 MB (docs/certificate.md). Without it fontconfig falls back.
constexpr const char* kTextFont = "WenQuanYi Micro Hei";
constexpr const char* kMonoFont = "WenQuanYi Micro Hei Mono";

using LayoutPtr = std::unique_ptr<PangoLayout, decltype(&g_object_unref)>;

struct Page {
  cairo_t* cr = nullptr;
  double y = kMargin;
};

LayoutPtr MakeLayout(cairo_t* cr, std::string_view text, const char* family, double size_points, bool bold,
                     double width_points) {
  LayoutPtr layout(pango_cairo_create_layout(cr), &g_object_unref);
  PangoFontDescription* font = pango_font_description_new();
  pango_font_description_set_family(font, family);
  pango_font_description_set_absolute_size(font, size_points * PANGO_SCALE);
  if (bold) pango_font_description_set_weight(font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description(layout.get(), font);
  pango_font_description_free(font);
  pango_layout_set_width(layout.get(), static_cast<int>(width_points * PANGO_SCALE));
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
  return layout;
}

double LayoutHeight(PangoLayout* layout) {
  int width = 0;
  int height = 0;
  pango_layout_get_size(layout, &width, &height);
  return static_cast<double>(height) / PANGO_SCALE;
}

void Show(cairo_t* cr, PangoLayout* layout, double x, double y, double gray) {
  cairo_set_source_rgb(cr, gray, gray, gray);
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, layout);
}

// Starts a new page when `height` does not fit below the current position.
void Reserve(Page& page, double height) {
  if (page.y + height <= kPageHeight - kMargin) return;
  cairo_show_page(page.cr);
  page.y = kMargin;
}

void DrawQr(cairo_t* cr, const QrCode& qr, double x, double y) {
  const double module = kQrSide / static_cast<double>(qr.width + 2 * kQrQuietZoneModules);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, x, y, kQrSide, kQrSide);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (std::size_t row = 0; row < qr.width; ++row) {
    for (std::size_t column = 0; column < qr.width; ++column) {
      if (!qr.Dark(column, row)) continue;
      cairo_rectangle(cr, x + module * static_cast<double>(column + kQrQuietZoneModules),
                      y + module * static_cast<double>(row + kQrQuietZoneModules), module, module);
    }
  }
  cairo_fill(cr);
}

void DrawHeading(Page& page, const CertificateContent& content, const QrCode& qr) {
  cairo_t* cr = page.cr;
  const double text_width = kPageWidth - 2 * kMargin - kQrSide - kColumnGap;
  DrawQr(cr, qr, kPageWidth - kMargin - kQrSide, page.y);
  const LayoutPtr zh = MakeLayout(cr, content.heading_zh, kTextFont, 22, true, text_width);
  pango_layout_set_alignment(zh.get(), PANGO_ALIGN_CENTER);
  Show(cr, zh.get(), kMargin, page.y + 14, 0);
  const double zh_height = LayoutHeight(zh.get());
  const LayoutPtr en = MakeLayout(cr, content.heading_en, kTextFont, 13, false, text_width);
  pango_layout_set_alignment(en.get(), PANGO_ALIGN_CENTER);
  Show(cr, en.get(), kMargin, page.y + 14 + zh_height + 4, 0.2);
  page.y += kQrSide + 12;
}

void DrawField(Page& page, const Field& field) {
  cairo_t* cr = page.cr;
  const double value_width = kPageWidth - 2 * kMargin - kLabelWidth - kColumnGap;
  const LayoutPtr zh = MakeLayout(cr, field.label_zh, kTextFont, 9, true, kLabelWidth);
  const LayoutPtr en = MakeLayout(cr, field.label_en, kTextFont, 7.5, false, kLabelWidth);
  const LayoutPtr value = MakeLayout(cr, field.value, field.monospace ? kMonoFont : kTextFont,
                                     field.monospace ? 8.0 : 8.5, false, value_width);
  const double label_height = LayoutHeight(zh.get()) + LayoutHeight(en.get());
  const double row_height = std::max(label_height, LayoutHeight(value.get())) + 2 * kRowPadding;
  Reserve(page, row_height);
  const double top = page.y + kRowPadding;
  Show(cr, zh.get(), kMargin, top, 0);
  Show(cr, en.get(), kMargin, top + LayoutHeight(zh.get()), 0.35);
  Show(cr, value.get(), kMargin + kLabelWidth + kColumnGap, top, 0);
  page.y += row_height;
  cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
  cairo_set_line_width(cr, 0.5);
  cairo_move_to(cr, kMargin, page.y);
  cairo_line_to(cr, kPageWidth - kMargin, page.y);
  cairo_stroke(cr);
}

void DrawParagraphs(Page& page, std::string_view heading, const std::vector<std::string>& paragraphs) {
  cairo_t* cr = page.cr;
  const double width = kPageWidth - 2 * kMargin;
  const LayoutPtr title = MakeLayout(cr, heading, kTextFont, 11, true, width);
  Reserve(page, LayoutHeight(title.get()) + 20);
  page.y += 10;
  Show(cr, title.get(), kMargin, page.y, 0);
  page.y += LayoutHeight(title.get()) + 3;
  for (const std::string& paragraph : paragraphs) {
    const LayoutPtr text = MakeLayout(cr, paragraph, kTextFont, 8.5, false, width);
    Reserve(page, LayoutHeight(text.get()) + 3);
    Show(cr, text.get(), kMargin, page.y, 0);
    page.y += LayoutHeight(text.get()) + 3;
  }
}

cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

Result<std::string> RenderPages(const CertificateContent& content, const QrCode& qr) {
  std::string pdf;
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(&AppendToString, &pdf, kPageWidth, kPageHeight);
  const std::string title = content.heading_en + " — " + content.title;
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "rightchain certificate");
  cairo_t* cr = cairo_create(surface);
  Page page{cr, kMargin};
  DrawHeading(page, content, qr);
  for (const Field& field : content.fields) DrawField(page, field);
  DrawParagraphs(page, "如何验证", content.how_to_verify_zh);
  DrawParagraphs(page, "How to verify", content.how_to_verify_en);
  const cairo_status_t drawing = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t finishing = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (drawing != CAIRO_STATUS_SUCCESS || finishing != CAIRO_STATUS_SUCCESS) {
    return Status::Internal(std::string("cairo could not write the PDF: ") +
                            cairo_status_to_string(drawing != CAIRO_STATUS_SUCCESS ? drawing : finishing));
  }
  return pdf;
}

}  // namespace

Result<std::string> AttachFileToPdf(std::string_view pdf, std::string_view name, std::string_view mime_type,
                                    std::string_view description, std::string_view attachment) {
  // QPDF reports errors as exceptions: they stop here.
  try {
    QPDF document;
    document.processMemoryFile("certificate.pdf", pdf.data(), pdf.size());
    QPDFEmbeddedFileDocumentHelper files(document);
    QPDFEFStreamObjectHelper stream =
        QPDFEFStreamObjectHelper::createEFStream(document, std::string(attachment));
    stream.setSubtype(std::string(mime_type));
    QPDFFileSpecObjectHelper spec =
        QPDFFileSpecObjectHelper::createFileSpec(document, std::string(name), stream);
    spec.setDescription(std::string(description));
    files.replaceEmbeddedFile(std::string(name), spec);
    QPDFWriter writer(document);
    writer.setOutputMemory();
    writer.setStaticID(false);
    writer.write();
    const std::unique_ptr<Buffer> buffer(writer.getBuffer());
    return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
  } catch (const std::exception& error) {
    return Status::Internal(std::string("QPDF could not attach the bundle: ") + error.what());
  }
}

Result<std::string> RenderPdfCertificate(const CertificateContent& content) {
  RC_ASSIGN_OR_RETURN(const QrCode qr, EncodeQr(content.verification_url));
  RC_ASSIGN_OR_RETURN(const std::string pages, RenderPages(content, qr));
  return AttachFileToPdf(pages, content.attachment_name, "application/json",
                         "Rightchain proof bundle (rightchain verify --bundle FILE --trust trust.json)",
                         content.attachment);
}

}  // namespace rightchain::certificate
