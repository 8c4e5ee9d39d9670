#include "catalog/search_index.h"

#include <algorithm>

#include "text/vietnamese.h"

namespace odp::catalog {
namespace {

constexpr float kTitleWeight = 10;
constexpr float kTagWeight = 5;
constexpr float kContextWeight = 3;
constexpr float kDescriptionWeight = 1;
constexpr float kExactBonus = 0.5;  // share of the field weight added for an exact-tone match

}  // namespace

void SearchIndex::Upsert(IndexDoc doc) {
  Remove(doc.id);
  Slot slot;
  slot.live = true;
  auto add = [&](const std::string& text, float weight) {
    for (const std::string& tok : text::Tokenize(text)) {
      std::string folded = text::FoldVietnamese(tok);
      float& w = slot.folded[folded];
      w = std::max(w, weight);
      slot.exact.insert(text::LowerExact(tok));
    }
  };
  add(doc.title, kTitleWeight);
  add(doc.tags, kTagWeight);
  add(doc.context, kContextWeight);
  add(doc.description, kDescriptionWeight);
  auto index = static_cast<uint32_t>(slots_.size());
  for (const auto& [tok, w] : slot.folded) postings_[tok].push_back(index);
  by_id_[doc.id] = index;
  slot.doc = std::move(doc);
  slots_.push_back(std::move(slot));
}

void SearchIndex::Remove(const std::string& id) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  Slot& s = slots_[it->second];
  s.live = false;
  s.doc.ref.reset();
  by_id_.erase(it);
  if (++dead_ > 64 && dead_ * 2 > slots_.size()) Compact();
}

void SearchIndex::Compact() {
  std::vector<Slot> old;
  old.swap(slots_);
  by_id_.clear();
  postings_.clear();
  dead_ = 0;
  for (Slot& s : old) {
    if (!s.live) continue;
    auto index = static_cast<uint32_t>(slots_.size());
    for (const auto& [tok, w] : s.folded) postings_[tok].push_back(index);
    by_id_[s.doc.id] = index;
    slots_.push_back(std::move(s));
  }
}

IndexResult SearchIndex::Search(const IndexQuery& q) const {
  IndexResult out;
  // Query tokens: folded for matching, exact for the ranking bonus.
  std::vector<std::string> folded, exact;
  for (const std::string& tok : text::Tokenize(q.q)) {
    folded.push_back(text::FoldVietnamese(tok));
    exact.push_back(text::LowerExact(tok));
  }

  // Candidate slots: the shortest posting list when there is text, else every slot.
  std::vector<uint32_t> candidates;
  if (!folded.empty()) {
    const std::vector<uint32_t>* shortest = nullptr;
    for (const auto& t : folded) {
      auto it = postings_.find(t);
      if (it == postings_.end()) return out;  // a token nobody has: no results
      if (!shortest || it->second.size() < shortest->size()) shortest = &it->second;
    }
    candidates = *shortest;
  } else {
    candidates.resize(slots_.size());
    for (uint32_t i = 0; i < slots_.size(); ++i) candidates[i] = i;
  }

  struct Hit {
    uint32_t slot;
    float score;
  };
  std::vector<Hit> hits;
  std::map<std::string, std::unordered_map<std::string, int>> counts;
  for (uint32_t idx : candidates) {
    const Slot& s = slots_[idx];
    if (!s.live) continue;
    float score = 0;
    bool match = true;
    for (size_t i = 0; i < folded.size(); ++i) {
      auto it = s.folded.find(folded[i]);
      if (it == s.folded.end()) {
        match = false;
        break;
      }
      score += it->second;
      if (s.exact.count(exact[i])) score += it->second * kExactBonus;
    }
    if (!match) continue;
    bool pass = true;
    for (const auto& [field, wanted] : q.filters) {
      if (wanted.empty()) continue;
      auto fit = s.doc.facets.find(field);
      if (fit == s.doc.facets.end()) {
        pass = false;
        break;
      }
      bool any = false;
      for (const auto& v : fit->second) {
        if (std::find(wanted.begin(), wanted.end(), v) != wanted.end()) {
          any = true;
          break;
        }
      }
      if (!any) {
        pass = false;
        break;
      }
    }
    if (!pass) continue;
    if (q.visible && !q.visible(s.doc)) continue;
    hits.push_back({idx, score});
    for (const auto& field : q.facet_fields) {
      auto fit = s.doc.facets.find(field);
      if (fit == s.doc.facets.end()) continue;
      auto& c = counts[field];
      for (const auto& v : fit->second) ++c[v];
    }
  }

  out.total = static_cast<int>(hits.size());
  auto cmp = [&](const Hit& a, const Hit& b) {
    const IndexDoc& x = slots_[a.slot].doc;
    const IndexDoc& y = slots_[b.slot].doc;
    switch (q.sort) {
      case SortOrder::kRelevance:
        if (a.score != b.score) return a.score > b.score;
        if (x.modified != y.modified) return x.modified > y.modified;
        break;
      case SortOrder::kNewest:
        if (x.created != y.created) return x.created > y.created;
        break;
      case SortOrder::kOldest:
        if (x.created != y.created) return x.created < y.created;
        break;
      case SortOrder::kUpdated:
        if (x.modified != y.modified) return x.modified > y.modified;
        break;
      case SortOrder::kTitleAsc:
        if (x.title_sort_key != y.title_sort_key) return x.title_sort_key < y.title_sort_key;
        break;
      case SortOrder::kTitleDesc:
        if (x.title_sort_key != y.title_sort_key) return x.title_sort_key > y.title_sort_key;
        break;
      case SortOrder::kNameAsc:
        if (x.name != y.name) return x.name < y.name;
        break;
      case SortOrder::kNameDesc:
        if (x.name != y.name) return x.name > y.name;
        break;
    }
    return x.id < y.id;
  };
  size_t offset = static_cast<size_t>(std::max(0, q.offset));
  size_t end = std::min(hits.size(), offset + static_cast<size_t>(std::max(0, q.limit)));
  if (offset < end) {
    std::partial_sort(hits.begin(), hits.begin() + static_cast<ptrdiff_t>(end), hits.end(), cmp);
    for (size_t i = offset; i < end; ++i) out.hits.push_back(&slots_[hits[i].slot].doc);
  }

  for (const auto& field : q.facet_fields) {
    auto& list = out.facets[field];
    for (const auto& [value, n] : counts[field]) {
      if (n >= q.facet_mincount) list.push_back({value, n});
    }
    std::sort(list.begin(), list.end(), [](const FacetCount& a, const FacetCount& b) {
      return a.count != b.count ? a.count > b.count : a.value < b.value;
    });
    if (q.facet_limit >= 0 && list.size() > static_cast<size_t>(q.facet_limit)) {
      list.resize(static_cast<size_t>(q.facet_limit));
    }
  }
  return out;
}

}  // namespace odp::catalog
