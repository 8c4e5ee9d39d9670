#include "catalog/search_index.h"

#include <algorithm>

#include "text/vietnamese.h"

namespace odp::catalog {
namespace {

// Field weights by field level (the low 2 bits of a folded entry).
constexpr float kFieldWeight[4] = {1, 3, 5, 10};  // description, context, tags, title
constexpr float kExactBonus = 2.5;  // for each query word found with its exact tone marks
constexpr uint32_t kValueBits = 24;
constexpr uint32_t kValueMask = (1u << kValueBits) - 1;

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
  slot.world_readable = doc.world_readable;
  std::unordered_map<uint32_t, uint32_t> folded;  // token id -> best field level
  std::vector<uint32_t> exact;
  auto add = [&](const std::string& text, uint32_t level) {
    // One ICU pass per field and form, then plain tokenising.
    for (const std::string& tok : text::Tokenize(text::FoldVietnamese(text))) {
      uint32_t& l = folded[TokenId(tok)];
      l = std::max(l, level);
    }
    // Exact forms rank matches typed with tone marks; title and tags carry that signal.
    if (level >= 2) {
      for (const std::string& tok : text::Tokenize(text::LowerExact(text)))
        exact.push_back(TokenId(tok));
    }
  };
  add(doc.title, 3);
  add(doc.tags, 2);
  add(doc.context, 1);
  add(doc.description, 0);
  const auto index = static_cast<uint32_t>(slots_.size());

  slot.folded_begin = static_cast<uint32_t>(folded_.size());
  for (const auto& [tok, level] : folded) folded_.push_back(tok << 2 | level);
  slot.folded_end = static_cast<uint32_t>(folded_.size());
  std::sort(folded_.begin() + slot.folded_begin, folded_.end());
  for (uint32_t i = slot.folded_begin; i < slot.folded_end; ++i)
    postings_[folded_[i] >> 2].push_back(index);

  std::sort(exact.begin(), exact.end());
  exact.erase(std::unique(exact.begin(), exact.end()), exact.end());
  slot.exact_begin = static_cast<uint32_t>(exact_.size());
  exact_.insert(exact_.end(), exact.begin(), exact.end());
  slot.exact_end = static_cast<uint32_t>(exact_.size());

  std::vector<uint32_t> facets;
  for (const auto& [field, values] : doc.facets) {
    uint16_t f = FieldId(field);
    for (const auto& v : values)
      facets.push_back(static_cast<uint32_t>(f) << kValueBits | ValueId(f, v));
  }
  std::sort(facets.begin(), facets.end());
  facets.erase(std::unique(facets.begin(), facets.end()), facets.end());
  slot.facets_begin = static_cast<uint32_t>(facets_.size());
  facets_.insert(facets_.end(), facets.begin(), facets.end());
  slot.facets_end = static_cast<uint32_t>(facets_.size());

  by_id_[doc.id] = index;
  slots_.push_back(slot);
  docs_.push_back(IndexedDoc{std::move(doc.id), std::move(doc.name), std::move(doc.title_sort_key),
                             doc.created, doc.modified});
}

void SearchIndex::Reserve(size_t n) {
  slots_.reserve(n);
  docs_.reserve(n);
  by_id_.reserve(n);
}

void SearchIndex::ShrinkToFit() {
  for (auto& p : postings_) p.shrink_to_fit();
  postings_.shrink_to_fit();
  slots_.shrink_to_fit();
  docs_.shrink_to_fit();
  folded_.shrink_to_fit();
  exact_.shrink_to_fit();
  facets_.shrink_to_fit();
}

size_t SearchIndex::ApproxBytes() const {
  size_t n = slots_.capacity() * sizeof(Slot) + docs_.capacity() * sizeof(IndexedDoc) +
             (folded_.capacity() + exact_.capacity() + facets_.capacity()) * sizeof(uint32_t);
  for (const IndexedDoc& d : docs_)
    n += d.id.capacity() + d.name.capacity() + d.title_sort_key.capacity();
  // NOLINTNEXTLINE(bugprone-sizeof-container): counts the vector object itself, on purpose.
  for (const auto& p : postings_) n += p.capacity() * sizeof(uint32_t) + sizeof(p);
  for (const auto& [k, v] : token_ids_) n += k.capacity() + 64;
  n += by_id_.size() * 96;
  return n;
}

void SearchIndex::Remove(const std::string& id) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  slots_[it->second].live = false;
  by_id_.erase(it);
  if (++dead_ > 64 && dead_ * 2 > slots_.size()) Compact();
}

void SearchIndex::Compact() {
  std::vector<Slot> old_slots;
  std::vector<IndexedDoc> old_docs;
  std::vector<uint32_t> old_folded, old_exact, old_facets;
  old_slots.swap(slots_);
  old_docs.swap(docs_);
  old_folded.swap(folded_);
  old_exact.swap(exact_);
  old_facets.swap(facets_);
  by_id_.clear();
  for (auto& p : postings_) p.clear();
  dead_ = 0;
  auto copy = [](const std::vector<uint32_t>& from, uint32_t b, uint32_t e,
                 std::vector<uint32_t>& to, uint32_t& nb, uint32_t& ne) {
    nb = static_cast<uint32_t>(to.size());
    to.insert(to.end(), from.begin() + b, from.begin() + e);
    ne = static_cast<uint32_t>(to.size());
  };
  for (size_t i = 0; i < old_slots.size(); ++i) {
    const Slot& s = old_slots[i];
    if (!s.live) continue;
    const auto index = static_cast<uint32_t>(slots_.size());
    Slot n = s;
    copy(old_folded, s.folded_begin, s.folded_end, folded_, n.folded_begin, n.folded_end);
    copy(old_exact, s.exact_begin, s.exact_end, exact_, n.exact_begin, n.exact_end);
    copy(old_facets, s.facets_begin, s.facets_end, facets_, n.facets_begin, n.facets_end);
    for (uint32_t k = n.folded_begin; k < n.folded_end; ++k)
      postings_[folded_[k] >> 2].push_back(index);
    by_id_[old_docs[i].id] = index;
    slots_.push_back(n);
    docs_.push_back(std::move(old_docs[i]));
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

  // Filters as packed (field, value) entries per field; a value nobody has matches nothing.
  std::vector<std::vector<uint32_t>> filters;
  for (const auto& [field, wanted] : q.filters) {
    if (wanted.empty()) continue;
    auto f = field_ids_.find(field);
    if (f == field_ids_.end()) return out;
    std::vector<uint32_t> ids;
    for (const auto& v : wanted) {
      auto it = value_ids_[f->second].find(v);
      if (it != value_ids_[f->second].end())
        ids.push_back(static_cast<uint32_t>(f->second) << kValueBits | it->second);
    }
    if (ids.empty()) return out;
    filters.push_back(std::move(ids));
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
  const uint32_t* fac = facets_.data();
  for (size_t c = 0; c < n; ++c) {
    uint32_t idx = shortest ? (*shortest)[c] : static_cast<uint32_t>(c);
    const Slot& s = slots_[idx];
    if (!s.live) continue;
    bool pass = true;
    for (const auto& ids : filters) {
      bool any = false;
      for (uint32_t k = s.facets_begin; k < s.facets_end && !any; ++k) {
        any = std::find(ids.begin(), ids.end(), fac[k]) != ids.end();
      }
      if (!any) {
        pass = false;
        break;
      }
    }
    if (!pass) continue;
    float score = 0;
    if (!folded.empty()) {
      const uint32_t* begin = folded_.data() + s.folded_begin;
      const uint32_t* end = folded_.data() + s.folded_end;
      bool match = true;
      for (uint32_t t : folded) {
        const uint32_t* it = std::lower_bound(begin, end, t << 2);
        if (it == end || (*it >> 2) != t) {
          match = false;
          break;
        }
        score += kFieldWeight[*it & 3];
      }
      if (!match) continue;
      for (uint32_t t : exact) {
        if (std::binary_search(exact_.data() + s.exact_begin, exact_.data() + s.exact_end, t))
          score += kExactBonus;
      }
    }
    if (!s.world_readable && q.visible && !q.visible(docs_[idx])) continue;
    hits.push_back({idx, score});
    if (!counts.empty()) {
      for (uint32_t k = s.facets_begin; k < s.facets_end; ++k) {
        int slot = facet_slot[fac[k] >> kValueBits];
        if (slot >= 0) ++counts[static_cast<size_t>(slot)][fac[k] & kValueMask];
      }
    }
  }

  out.total = static_cast<int>(hits.size());
  auto cmp = [&](const Hit& a, const Hit& b) {
    const IndexedDoc& x = docs_[a.slot];
    const IndexedDoc& y = docs_[b.slot];
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
    for (size_t i = offset; i < end; ++i) out.hits.push_back(&docs_[hits[i].slot]);
  }

  for (size_t k = 0; k < counts.size(); ++k) {
    uint16_t f = field_ids_.at(facet_names[k]);
    auto& list = out.facets[facet_names[k]];
    for (size_t v = 0; v < counts[k].size(); ++v) {
      if (counts[k][v] >= q.facet_mincount && counts[k][v] > 0)
        list.push_back({values_[f][v], counts[k][v]});
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
