// How the portal is found and shared: the XML of the sitemap and of the Atom feeds, and the text
// of the page head's description. Pure functions of their arguments (no clock, no I/O); safe from
// any thread. The routes that serve them are in discovery_pages.cpp; the head itself is built
// once per page in Page::View (page.cpp) and rendered by layout.mustache.
//
// Sitemap. `/sitemap.xml` is a sitemap index (sitemaps.org 0.9) of `/sitemap-1.xml` …
// `/sitemap-N.xml`, each with at most `page_size` URLs (50,000 by the protocol's limit). Every
// page is listed once per language (the Vietnamese address and its `/en` twin), each entry with
// `xhtml:link rel="alternate" hreflang` links to both and `x-default` (the Vietnamese one), and a
// `lastmod` when it is known.
//
// Atom. A feed is Atom 1.0 (RFC 4287): feed id, title, updated, self and alternate links, and one
// entry per dataset (id, title, updated, published, alternate link, summary, author). Every text
// is XML-escaped and characters XML 1.0 forbids (C0 controls but tab, CR and LF, U+FFFE, U+FFFF
// and broken UTF-8) are dropped, so any title or description makes a well-formed document.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"

namespace odp::web {

// `text` with &, <, >, " and ' written as entities and characters XML 1.0 cannot carry dropped.
std::string XmlEscape(std::string_view text);

// The first sentence of a Markdown text as plain text, for a meta description: links and
// images become their text, emphasis, headings, code marks and HTML tags are removed, spaces
// collapse; cut after the first ".", "!" or "?" followed by a space (or at the first blank line),
// and at most `max` bytes, cut at a word and never inside a UTF-8 character ("…" added).
std::string FirstSentence(std::string_view markdown, size_t max = 200);

// One page of the site in both languages. `path` is the Vietnamese address ("/datasets/ho-ngheo",
// "/"); its English twin is "/en" + path ("/en/" for "/").
struct SitemapEntry {
  std::string path;
  Micros lastmod = 0;   // 0: not known, no <lastmod>
  std::string en_path;  // "": EnglishPath(path)
};

inline constexpr size_t kSitemapPageSize = 50000;

// The English twin of a Vietnamese path.
std::string EnglishPath(const std::string& path);

// How many sitemap files `entries` fill when each holds `page_size` URLs (two per entry, one per
// language); at least 1, so that an empty catalogue still has a valid, empty sitemap-1.xml.
// REQUIRES: page_size >= 2.
size_t SitemapFileCount(size_t entries, size_t page_size = kSitemapPageSize);

// The sitemap index: one <sitemap> per file, `site_url` + "/sitemap-N.xml", with the newest
// lastmod of its entries.
std::string SitemapIndexXml(const std::string& site_url, const std::vector<SitemapEntry>& entries,
                            size_t page_size = kSitemapPageSize);

// File `n` (1-based) of the sitemap: the URLs from (n-1)·page_size on, at most page_size. Empty
// when `n` is beyond the last file (the caller answers 404).
std::string SitemapXml(const std::string& site_url, const std::vector<SitemapEntry>& entries,
                       size_t n, size_t page_size = kSitemapPageSize);

struct AtomEntry {
  std::string id;     // a URI, e.g. "urn:uuid:…" or the dataset's address
  std::string title;  // plain text
  std::string url;    // absolute
  std::string summary;
  std::string author;  // the agency
  Micros updated = 0;
  Micros published = 0;  // 0: left out
};

struct AtomFeed {
  std::string id;        // absolute URL of the feed
  std::string title;     // plain text
  std::string subtitle;  // may be empty
  std::string self_url;  // absolute
  std::string html_url;  // absolute: the page the feed follows
  std::string language;  // "vi" or "en", as xml:lang
  std::string author;    // the site's owner; "" falls back to the title
  Micros updated = 0;    // the newest entry's, or the caller's when there is none
  std::vector<AtomEntry> entries;
};

// RFC 3339 in UTC, "2026-12-07T10:20:30Z".
std::string Rfc3339(Micros t);
std::string AtomXml(const AtomFeed& feed);

}  // namespace odp::web
