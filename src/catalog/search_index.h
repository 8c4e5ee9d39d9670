// SearchIndex: the in-memory full-text and facet index over datasets.
//
// Text is indexed twice: tone-folded tokens ("giao", "duc") for matching, and exact lowercase
// tokens ("giáo", "dục") so that a query typed with tone marks ranks exact matches first.
// Fields carry weights: title 10, tags 5, organization/sectors/topics 3, description 1, plus 2.5
// when a query word also matches the title or tags with its tone marks (`mưa` ranks above `mua`).
// Query words are AND-ed and match whole words; values of one facet field are OR-ed, different
// fields AND-ed. A visibility callback from CatalogService applies the access policy (published
// `public` datasets skip it); hidden datasets are missing from both hits and facet counts.
// Layout: tokens and facet values are interned, and every document's token and facet ids sit in
// three flat arrays (one allocation, scanned in order), with a small fixed Slot per document.
// Not thread-safe: CatalogService guards it with its lock.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/time.h"

namespace odp::catalog {

// What the index needs to know about one dataset. `ref` is handed back in results.
struct IndexDoc {
  std::string id;
  std::string name;         // slug, for name ordering
  std::string title;        // Vietnamese and English titles, joined
  std::string tags;         // tags joined by spaces
  std::string context;      // organization, sector and topic titles
  std::string description;  // both descriptions
  std::string title_sort_key;
  Micros created = 0;
  Micros modified = 0;
  // True when every caller may see the document (published and public); such documents skip
  // the query's `visible` test, which keeps anonymous searches cheap.
  bool world_readable = false;
  // Facet field -> values ("organization" -> {"so-y-te"}, "tags" -> {...}).
  std::map<std::string, std::vector<std::string>> facets;
};

// What the index keeps of a document once it is indexed: what results and sorting need.
struct IndexedDoc {
  std::string id;
  std::string name;
  std::string title_sort_key;
  Micros created = 0;
  Micros modified = 0;
};

enum class SortOrder {
  kRelevance,
  kNewest,
  kOldest,
  kUpdated,
  kTitleAsc,
  kTitleDesc,
  kNameAsc,
  kNameDesc
};

struct IndexQuery {
  std::string q;  // free text; empty matches everything
  // Facet field -> accepted values. Values of one field are OR-ed; fields are AND-ed.
  std::map<std::string, std::vector<std::string>> filters;
  std::vector<std::string> facet_fields;
  int facet_limit = 50;  // < 0: unlimited
  int facet_mincount = 1;
  SortOrder sort = SortOrder::kRelevance;
  int offset = 0;
  int limit = 10;
  // Extra per-document visibility test (permissions) for documents that are not
  // world-readable; documents failing it are invisible, also to facet counts.
  std::function<bool(const IndexedDoc&)> visible;
};

struct FacetCount {
  std::string value;
  int count = 0;
};

struct IndexResult {
  int total = 0;
  std::vector<const IndexedDoc*> hits;  // valid until the index changes
  std::map<std::string, std::vector<FacetCount>> facets;
};

class SearchIndex {
 public:
  // Indexes `doc` (replacing a document with the same id); keeps an IndexedDoc of it.
  void Upsert(IndexDoc doc);
  void Remove(const std::string& id);
  size_t size() const { return by_id_.size(); }
  // Bulk loading: room for `n` documents up front, and spare capacity released afterwards.
  void Reserve(size_t n);
  void ShrinkToFit();
  // Approximate heap bytes held by the index (for logs and metrics).
  size_t ApproxBytes() const;
  IndexResult Search(const IndexQuery& q) const;

 private:
  // The hot part of a document, scanned by every search; its tokens and facets live in the
  // shared arrays below (one allocation for all documents, read sequentially).
  struct Slot {
    uint32_t folded_begin = 0, folded_end = 0;  // in folded_
    uint32_t exact_begin = 0, exact_end = 0;    // in exact_
    uint32_t facets_begin = 0, facets_end = 0;  // in facets_
    bool live = false;
    bool world_readable = false;
  };
  uint32_t TokenId(const std::string& token);
  std::optional<uint32_t> FindToken(const std::string& token) const;
  uint16_t FieldId(const std::string& field);
  uint32_t ValueId(uint16_t field, const std::string& value);
  void Compact();

  std::vector<Slot> slots_;
  std::vector<IndexedDoc> docs_;  // parallel to slots_
  // Folded token ids, sorted per document, each with its best field in the low 2 bits:
  // (token id << 2) | field, field 3 = title, 2 = tags, 1 = context, 0 = description.
  std::vector<uint32_t> folded_;
  std::vector<uint32_t> exact_;   // token ids with tone marks (title and tags), sorted per doc
  std::vector<uint32_t> facets_;  // (field id << 24) | value id, sorted per doc
  std::unordered_map<std::string, uint32_t> by_id_;
  // Interned strings keep each slot small: tokens and facet values are stored once.
  std::unordered_map<std::string, uint32_t> token_ids_;
  std::vector<std::vector<uint32_t>> postings_;  // folded token id -> slots
  std::unordered_map<std::string, uint16_t> field_ids_;
  std::vector<std::string> field_names_;
  std::vector<std::unordered_map<std::string, uint32_t>> value_ids_;  // per field
  std::vector<std::vector<std::string>> values_;                      // per field
  size_t dead_ = 0;
};

}  // namespace odp::catalog
