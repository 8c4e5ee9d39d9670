#include "web/discovery.h"

#include <algorithm>

namespace odp::web {
namespace {

// The length of the UTF-8 sequence starting at s[i] when it is well formed and a character XML
// 1.0 may carry; 0 otherwise.
size_t XmlCharLength(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') ? 1 : 0;
  size_t n = 0;
  uint32_t cp = 0;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  // Overlong forms, surrogates, beyond Unicode, and the two non-characters XML excludes.
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE ||
      cp == 0xFFFF)
    return 0;
  return n;
}

// Cuts `s` to at most `max` bytes at a space when one is in the second half, never inside a
// UTF-8 character, and marks the cut with "…".
std::string Shorten(std::string s, size_t max) {
  if (s.size() <= max) return s;
  s.resize(max);
  size_t space = s.rfind(' ');
  if (space != std::string::npos && space > max / 2) s.resize(space);
  while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
  if (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0xC0) s.pop_back();
  while (!s.empty() && (s.back() == ' ' || s.back() == ',' || s.back() == ';')) s.pop_back();
  return s + "…";
}

void AppendAlternates(std::string& out, const std::string& vi, const std::string& en) {
  out += "<xhtml:link rel=\"alternate\" hreflang=\"vi\" href=\"" + XmlEscape(vi) + "\"/>";
  out += "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"" + XmlEscape(en) + "\"/>";
  out += "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"" + XmlEscape(vi) + "\"/>";
}

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (size_t i = 0; i < text.size();) {
    const size_t n = XmlCharLength(text, i);
    if (n == 0) {
      ++i;  // dropped: XML cannot carry it
      continue;
    }
    if (n == 1) {
      switch (text[i]) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default: out += text[i];
      }
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string FirstSentence(std::string_view md, size_t max) {
  std::string out;
  bool space = false;
  int newlines = 0;
  auto put = [&](char c) {
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  };
  for (size_t i = 0; i < md.size(); ++i) {
    const char c = md[i];
    if (c == '\n') {
      // A blank line ends the first paragraph once there is text.
      if (++newlines >= 2 && !out.empty()) break;
      space = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      space = true;
      continue;
    }
    newlines = 0;
    if (c == '<') {  // an HTML tag: left out whole
      size_t end = md.find('>', i);
      if (end != std::string_view::npos) {
        i = end;
        space = true;
        continue;
      }
    }
    if (c == ']' && i + 1 < md.size() && md[i + 1] == '(') {  // "[text](url)": keep the text
      size_t end = md.find(')', i);
      if (end != std::string_view::npos) {
        i = end;
        continue;
      }
    }
    if (c == '#' || c == '*' || c == '_' || c == '`' || c == '>' || c == '[' || c == ']' ||
        (c == '!' && i + 1 < md.size() && md[i + 1] == '[') || (c == '-' && out.empty()) ||
        (c == '|')) {
      continue;
    }
    put(c);
    if ((c == '.' || c == '!' || c == '?') &&
        (i + 1 == md.size() || md[i + 1] == ' ' || md[i + 1] == '\n' || md[i + 1] == '\r') &&
        out.size() > 1) {
      break;
    }
    if (out.size() > max + 8) break;
  }
  return Shorten(std::move(out), max);
}

std::string EnglishPath(const std::string& path) { return path == "/" ? "/en/" : "/en" + path; }

size_t SitemapFileCount(size_t entries, size_t page_size) {
  const size_t urls = entries * 2;
  return std::max<size_t>(1, (urls + page_size - 1) / page_size);
}

std::string SitemapIndexXml(const std::string& site_url, const std::vector<SitemapEntry>& entries,
                            size_t page_size) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
  const size_t files = SitemapFileCount(entries.size(), page_size);
  for (size_t n = 1; n <= files; ++n) {
    // URL k (0-based) is entry k / 2; file n holds URLs [(n-1)·size, n·size).
    const size_t first = (n - 1) * page_size / 2;
    const size_t last = std::min(entries.size(), (n * page_size + 1) / 2);
    Micros newest = 0;
    for (size_t i = first; i < last; ++i) newest = std::max(newest, entries[i].lastmod);
    out += "<sitemap><loc>" + XmlEscape(site_url + "/sitemap-" + std::to_string(n) + ".xml") +
           "</loc>";
    if (newest > 0) out += "<lastmod>" + Rfc3339(newest) + "</lastmod>";
    out += "</sitemap>\n";
  }
  out += "</sitemapindex>\n";
  return out;
}

std::string SitemapXml(const std::string& site_url, const std::vector<SitemapEntry>& entries,
                       size_t n, size_t page_size) {
  if (n < 1 || n > SitemapFileCount(entries.size(), page_size)) return "";
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
      "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
  const size_t begin = (n - 1) * page_size;
  const size_t end = std::min(entries.size() * 2, n * page_size);
  for (size_t k = begin; k < end; ++k) {
    const SitemapEntry& e = entries[k / 2];
    const std::string vi = site_url + e.path;
    const std::string en = site_url + (e.en_path.empty() ? EnglishPath(e.path) : e.en_path);
    out += "<url><loc>" + XmlEscape(k % 2 == 0 ? vi : en) + "</loc>";
    if (e.lastmod > 0) out += "<lastmod>" + Rfc3339(e.lastmod) + "</lastmod>";
    AppendAlternates(out, vi, en);
    out += "</url>\n";
  }
  out += "</urlset>\n";
  return out;
}

std::string Rfc3339(Micros t) { return FormatIsoSeconds(t); }

std::string AtomXml(const AtomFeed& f) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"";
  if (!f.language.empty()) out += " xml:lang=\"" + XmlEscape(f.language) + "\"";
  out += ">\n";
  out += "<id>" + XmlEscape(f.id) + "</id>\n";
  out += "<title>" + XmlEscape(f.title) + "</title>\n";
  if (!f.subtitle.empty()) out += "<subtitle>" + XmlEscape(f.subtitle) + "</subtitle>\n";
  Micros updated = f.updated;
  for (const auto& e : f.entries) updated = std::max(updated, e.updated);
  out += "<updated>" + Rfc3339(updated) + "</updated>\n";
  out +=
      "<link rel=\"self\" type=\"application/atom+xml\" href=\"" + XmlEscape(f.self_url) + "\"/>\n";
  out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + XmlEscape(f.html_url) + "\"/>\n";
  out += "<author><name>" + XmlEscape(f.author.empty() ? f.title : f.author) + "</name></author>\n";
  out += "<generator>ODP</generator>\n";
  for (const auto& e : f.entries) {
    out += "<entry>\n";
    out += "<id>" + XmlEscape(e.id) + "</id>\n";
    out += "<title type=\"text\">" + XmlEscape(e.title) + "</title>\n";
    out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + XmlEscape(e.url) + "\"/>\n";
    out += "<updated>" + Rfc3339(e.updated) + "</updated>\n";
    if (e.published > 0) out += "<published>" + Rfc3339(e.published) + "</published>\n";
    if (!e.author.empty()) out += "<author><name>" + XmlEscape(e.author) + "</name></author>\n";
    if (!e.summary.empty())
      out += "<summary type=\"text\">" + XmlEscape(e.summary) + "</summary>\n";
    out += "</entry>\n";
  }
  out += "</feed>\n";
  return out;
}

}  // namespace odp::web
