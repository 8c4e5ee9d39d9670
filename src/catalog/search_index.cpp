#include "catalog/search_index.h"

#include <algorithm>

#include "text/vietnamese.h"

namespace odp::catalog {
namespace {

// Field weights by field level (the low 2 bits of a folded entry).
constexpr float kFieldWeight[4] = {1, 3, 5, 10};  // description, context, tags, title
constexpr float kExactBonus = 2.5;  // for each query word found with its exact tone marks

}  // namespace

uint32_t SearchIndex::TokenId(const std::string& token) {
  if (auto it = token_ids_.find(token); it != token_ids_.end()) return it->second;
  auto id = static_cast<uint32_t>(token_ids_.size());
  token_ids_.emplace(token, id);
  postings_.emplace_back();
  return id;
}

std::optional<uint32_t> SearchIndex::FindToken(const std::string& token) const {
  auto it = token_ids_.find(token);
  if (it == token_ids_.end()) return std::nullopt;
  return it->second;
}

uint16_t SearchIndex::FieldId(const std::string& field) {
  auto [it, inserted] = field_ids_.emplace(field, static_cast<uint16_t>(field_names_.size()));
  if (inserted) {
    field_names_.push_back(field);
    value_ids_.emplace_back();
    values_.emplace_back();
  }
  return it->second;
}

uint32_t SearchIndex::ValueId(uint16_t field, const std::string& value) {
  auto& ids = value_ids_[field];
  auto [it, inserted] = ids.emplace(value, static_cast<uint32_t>(values_[field].size()));
  if (inserted) values_[field].push_back(value);
  return it->second;
}

void SearchIndex::Upsert(IndexDoc doc) {
  Remove(doc.id);
  Slot slot;
  slot.live = true;
  std::unordered_map<uint32_t, uint32_t> folded;  // token id -> best field level
  auto add = [&](const std::string& text, uint32_t level) {
    // One ICU pass per field and form, then plain tokenising.
    for (const std::string& tok : text::Tokenize(text::FoldVietnamese(text))) {
      uint32_t& l = folded[TokenId(tok)];
      l = std::max(l, level);
    }
    // Exact forms rank matches typed with tone marks; title and tags carry that signal.
    if (level >= 2) {
      for (const std::string& tok : text::Tokenize(text::LowerExact(text))) slot.exact.push_back(TokenId(tok));
    }
  };
  add(doc.title, 3);
  add(doc.tags, 2);
  add(doc.context, 1);
  add(doc.description, 0);
  slot.folded.reserve(folded.size());
  for (const auto& [tok, level] : folded) slot.folded.push_back(tok << 2 | level);
  std::sort(slot.folded.begin(), slot.folded.end());
  std::sort(slot.exact.begin(), slot.exact.end());
  slot.exact.erase(std::unique(slot.exact.begin(), slot.exact.end()), slot.exact.end());
  for (const auto& [field, values] : doc.facets) {
    uint16_t f = FieldId(field);
    for (const auto& v : values) slot.facets.emplace_back(f, ValueId(f, v));
  }
  std::sort(slot.facets.begin(), slot.facets.end());
  slot.facets.erase(std::unique(slot.facets.begin(), slot.facets.end()), slot.facets.end());
  slot.folded.shrink_to_fit();
  slot.exact.shrink_to_fit();
  slot.facets.shrink_to_fit();
  // The text is indexed; the stored document keeps only what results and sorting need.
  doc.title.clear();
  doc.title.shrink_to_fit();
  doc.tags = std::string();
  doc.context = std::string();
  doc.description = std::string();
  doc.facets.clear();
  auto index = static_cast<uint32_t>(slots_.size());
  for (uint32_t e : slot.folded) postings_[e >> 2].push_back(index);
  by_id_[doc.id] = index;
  slot.doc = std::move(doc);
  slots_.push_back(std::move(slot));
}

void SearchIndex::Reserve(size_t n) {
  slots_.reserve(n);
  by_id_.reserve(n);
}

void SearchIndex::ShrinkToFit() {
  for (auto& p : postings_) p.shrink_to_fit();
  postings_.shrink_to_fit();
  slots_.shrink_to_fit();
}

size_t SearchIndex::ApproxBytes() const {
  size_t n = slots_.capacity() * sizeof(Slot);
  for (const Slot& s : slots_) {
    n += s.folded.capacity() * sizeof(uint32_t) + s.exact.capacity() * sizeof(uint32_t) +
         s.facets.capacity() * sizeof(s.facets[0]) + s.doc.id.capacity() + s.doc.name.capacity() +
         s.doc.title_sort_key.capacity();
  }
  for (const auto& p : postings_) n += p.capacity() * sizeof(uint32_t) + sizeof(p);
  for (const auto& [k, v] : token_ids_) n += k.capacity() + 64;
  n += by_id_.size() * 96;
  return n;
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
  for (auto& p : postings_) p.clear();
  dead_ = 0;
  for (Slot& s : old) {
    if (!s.live) continue;
    auto index = static_cast<uint32_t>(slots_.size());
    for (uint32_t e : s.folded) postings_[e >> 2].push_back(index);
    by_id_[s.doc.id] = index;
    slots_.push_back(std::move(s));
  }
}

IndexResult SearchIndex::Search(const IndexQuery& q) const {
  IndexResult out;
  // Query tokens: folded for matching, exact (with tones) for the ranking bonus.
  std::vector<uint32_t> folded;
  for (const std::string& tok : text::Tokenize(text::FoldVietnamese(q.q))) {
    auto id = FindToken(tok);
    if (!id) return out;  // a word nobody has: no results
    folded.push_back(*id);
  }
  std::vector<uint32_t> exact;
  for (const std::string& tok : text::Tokenize(text::LowerExact(q.q))) {
    if (auto id = FindToken(tok)) exact.push_back(*id);
  }

  // Filters as value ids per field; a value nobody has matches nothing.
  std::vector<std::pair<uint16_t, std::vector<uint32_t>>> filters;
  for (const auto& [field, wanted] : q.filters) {
    if (wanted.empty()) continue;
    auto f = field_ids_.find(field);
    if (f == field_ids_.end()) return out;
    std::vector<uint32_t> ids;
    for (const auto& v : wanted) {
      auto it = value_ids_[f->second].find(v);
      if (it != value_ids_[f->second].end()) ids.push_back(it->second);
    }
    if (ids.empty()) return out;
    filters.emplace_back(f->second, std::move(ids));
  }
  // Requested facet fields -> index into `counts`.
  std::vector<int> facet_slot(field_names_.size(), -1);
  std::vector<std::vector<int>> counts;
  std::vector<std::string> facet_names;
  for (const auto& field : q.facet_fields) {
    auto f = field_ids_.find(field);
    out.facets[field];  // present even when empty
    if (f == field_ids_.end() || facet_slot[f->second] >= 0) continue;
    facet_slot[f->second] = static_cast<int>(counts.size());
    counts.emplace_back(values_[f->second].size(), 0);
    facet_names.push_back(field);
  }

  // Candidates: the shortest posting list when there is text, else every slot.
  const std::vector<uint32_t>* shortest = nullptr;
  for (uint32_t t : folded) {
    if (!shortest || postings_[t].size() < shortest->size()) shortest = &postings_[t];
  }
  const size_t n = shortest ? shortest->size() : slots_.size();

  struct Hit {
    uint32_t slot;
    float score;
  };
  std::vector<Hit> hits;
  hits.reserve(n);
  for (size_t c = 0; c < n; ++c) {
    uint32_t idx = shortest ? (*shortest)[c] : static_cast<uint32_t>(c);
    const Slot& s = slots_[idx];
    if (!s.live) continue;
    float score = 0;
    bool match = true;
    for (uint32_t t : folded) {
      auto it = std::lower_bound(s.folded.begin(), s.folded.end(), t << 2);
      if (it == s.folded.end() || (*it >> 2) != t) {
        match = false;
        break;
      }
      score += kFieldWeight[*it & 3];
    }
    if (!match) continue;
    bool pass = true;
    for (const auto& [field, ids] : filters) {
      bool any = false;
      for (const auto& [f, v] : s.facets) {
        if (f == field && std::find(ids.begin(), ids.end(), v) != ids.end()) {
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
    if (!s.doc.world_readable && q.visible && !q.visible(s.doc)) continue;
    for (uint32_t t : exact) {
      if (std::binary_search(s.exact.begin(), s.exact.end(), t)) score += kExactBonus;
    }
    hits.push_back({idx, score});
    if (!counts.empty()) {
      for (const auto& [f, v] : s.facets) {
        int k = facet_slot[f];
        if (k >= 0) ++counts[static_cast<size_t>(k)][v];
      }
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

  for (size_t k = 0; k < counts.size(); ++k) {
    uint16_t f = field_ids_.at(facet_names[k]);
    auto& list = out.facets[facet_names[k]];
    for (size_t v = 0; v < counts[k].size(); ++v) {
      if (counts[k][v] >= q.facet_mincount && counts[k][v] > 0) list.push_back({values_[f][v], counts[k][v]});
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
