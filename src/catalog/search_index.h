// SearchIndex: the in-memory full-text and facet index over datasets.
//
// Text is indexed twice: tone-folded tokens ("giao", "duc") for matching, and exact lowercase
// tokens ("giáo", "dục") so that a query typed with tone marks ranks exact matches first.
// Fields carry weights: title > tags > organization/sectors/topics > description.
// Not thread-safe: CatalogService guards it with its lock.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
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
  // Facet field -> values ("organization" -> {"so-y-te"}, "tags" -> {...}).
  std::map<std::string, std::vector<std::string>> facets;
  std::shared_ptr<const void> ref;
};

enum class SortOrder { kRelevance, kNewest, kOldest, kUpdated, kTitleAsc, kTitleDesc, kNameAsc, kNameDesc };

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
  // Extra per-document visibility test (permissions); documents failing it are invisible,
  // also to facet counts.
  std::function<bool(const IndexDoc&)> visible;
};

struct FacetCount {
  std::string value;
  int count = 0;
};

struct IndexResult {
  int total = 0;
  std::vector<const IndexDoc*> hits;  // valid until the index changes
  std::map<std::string, std::vector<FacetCount>> facets;
};

class SearchIndex {
 public:
  void Upsert(IndexDoc doc);
  void Remove(const std::string& id);
  size_t size() const { return by_id_.size(); }
  IndexResult Search(const IndexQuery& q) const;

 private:
  struct Slot {
    IndexDoc doc;
    bool live = false;
    // folded token -> field weight (the highest among the fields holding it)
    std::unordered_map<std::string, float> folded;
    std::unordered_set<std::string> exact;
  };
  void Compact();

  std::vector<Slot> slots_;
  std::unordered_map<std::string, uint32_t> by_id_;
  std::unordered_map<std::string, std::vector<uint32_t>> postings_;  // folded token -> slots
  size_t dead_ = 0;
};

}  // namespace odp::catalog
