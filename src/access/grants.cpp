#include "access/grants.h"

#include <algorithm>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "base/ids.h"

namespace odp::access {

namespace {

Status NotFoundGrant(const std::string& id) { return Status::NotFound("grant", id); }

std::string ColumnsText(const std::vector<std::string>& columns) {
  return columns.empty() ? "" : nlohmann::json(columns).dump();
}

void CheckLimits(int64_t per_day, int64_t rows, int64_t per_minute, Status& bad, bool& any) {
  for (auto [name, v] : {std::pair{"requests_per_day", per_day}, std::pair{"rows_per_day", rows},
                         std::pair{"requests_per_minute", per_minute}}) {
    if (v < 0 || v > kMaxQuota) {
      bad.WithField(name, "Phải là số nguyên không âm (0: không giới hạn)");
      any = true;
    }
  }
}

// Whether limit `to` is no higher than `from` (0 means no limit).
bool NotHigher(int64_t from, int64_t to) { return from == 0 ? true : (to != 0 && to <= from); }

}  // namespace

std::vector<std::string> GrantColumns(const Grant& g) {
  if (g.columns.empty()) return {};
  auto j = nlohmann::json::parse(g.columns, nullptr, false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& c : j) {
    if (c.is_string()) out.push_back(c.get<std::string>());
  }
  return out;
}

ColumnMasks GrantMasks(const Grant& g) {
  auto m = MasksFromText(g.masks);
  return m.ok() ? *m : ColumnMasks{};
}

std::string GrantAuditDetails(const Grant& g) {
  nlohmann::json masks = nlohmann::json::object();
  for (const auto& [column, m] : GrantMasks(g)) masks[column] = MaskToJson(m);
  nlohmann::json d = {{"consumer_id", g.consumer_id},
                      {"dataset_id", g.dataset_id},
                      {"resource_id", g.resource_id},
                      {"columns", GrantColumns(g)},
                      {"row_filter", g.row_filter},
                      {"masks", masks},
                      {"valid_from", g.valid_from},
                      {"valid_to", g.valid_to},
                      {"requests_per_day", g.requests_per_day},
                      {"rows_per_day", g.rows_per_day},
                      {"requests_per_minute", g.requests_per_minute},
                      {"state", g.state},
                      {"reason", g.reason}};
  if (g.request_id) d["request_id"] = *g.request_id;
  if (g.service_id) d["service_id"] = *g.service_id;
  return d.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void GrantService::Audit(const std::string& kind, const Principal& who, const Grant& g) {
  if (audit_ == nullptr) return;
  audit_->Record(
      store::AuditEvent(kind, who.AuditActor(), g.organization_id, g.id, GrantAuditDetails(g)));
}

Status GrantService::CheckCanGrant(const Principal& who, const std::string& resource_id) {
  auto resource = catalog_.GetResource(resource_id);
  if (!resource.ok()) return Status::NotFound("resource", resource_id);
  auto dataset = catalog_.GetDataset(resource->dataset_id);
  if (!dataset.ok() || !CanRead(who, *dataset)) return Status::NotFound("resource", resource_id);
  if (!Allowed(who, Action::kManageGrant,
               {dataset->organization_id, dataset->access, dataset->state, dataset->id})) {
    return Status::PermissionDenied("only the dataset's organization admins may grant it",
                                    "Chỉ quản trị viên của đơn vị sở hữu dữ liệu được cấp quyền");
  }
  if (dataset->state == DatasetState::kDeleted) {
    return Status::Conflict("the dataset is deleted", "Bộ dữ liệu đã bị xoá");
  }
  return Status::Ok();
}

Result<Grant> GrantService::ForChange(const Principal& who, const std::string& id) {
  return Visible(who, id, true);
}

Result<Grant> GrantService::Create(const Principal& who, const GrantInput& in) {
  ODP_ASSIGN_OR_RETURN(Grant g, Prepare(who, in));
  ODP_RETURN_IF_ERROR(grants_.InsertGrant(g));
  Audit("grant.created", who, g);
  return g;
}

Result<Grant> GrantService::Prepare(const Principal& who, const GrantInput& in) {
  ODP_RETURN_IF_ERROR(CheckCanGrant(who, in.resource_id));
  auto resource = catalog_.GetResource(in.resource_id);
  if (!resource.ok()) return Status::NotFound("resource", in.resource_id);
  ODP_ASSIGN_OR_RETURN(Dataset dataset, catalog_.GetDataset(resource->dataset_id));
  Status bad = Status::InvalidArgument("invalid grant", "Quyền chia sẻ không hợp lệ");
  bool any = false;
  auto system = consumers_.GetConsumerSystem(in.consumer_id);
  if (!system.ok() || system->state != "approved") {
    bad.WithField("consumer_id", "Hệ thống kết nối không tồn tại hoặc chưa được duyệt");
    any = true;
  }
  std::set<std::string> seen;
  for (const auto& c : in.columns) {
    if (c.empty() || !seen.insert(c).second) {
      bad.WithField("columns", "Cột trống hoặc lặp lại: " + c);
      any = true;
    }
  }
  for (const auto& [column, mask] : in.masks) {
    if (!in.columns.empty() && !seen.count(column)) {
      bad.WithField("masks", "Cột được che không nằm trong các cột được cấp: " + column);
      any = true;
    }
  }
  if (in.row_filter.size() > kMaxRowFilterBytes) {
    bad.WithField("row_filter", "Bộ lọc dòng quá dài");
    any = true;
  }
  if (in.valid_to != 0 && in.valid_to <= in.valid_from) {
    bad.WithField("valid_to", "Ngày hết hạn phải sau ngày bắt đầu");
    any = true;
  }
  for (const auto* text : {&in.service_id, &in.request_id}) {
    if (*text && text->value().size() > 200) {
      bad.WithField(text == &in.service_id ? "service_id" : "request_id", "Tối đa 200 ký tự");
      any = true;
    }
  }
  CheckLimits(in.requests_per_day, in.rows_per_day, in.requests_per_minute, bad, any);
  if (any) return bad;
  Grant g;
  g.id = NewUuid();
  g.consumer_id = in.consumer_id;
  g.organization_id = dataset.organization_id;
  g.dataset_id = dataset.id;
  g.resource_id = in.resource_id;
  g.service_id = in.service_id;
  g.request_id = in.request_id;
  g.columns = ColumnsText(in.columns);
  g.row_filter = in.row_filter;
  g.masks = in.masks.empty() ? "" : MasksToText(in.masks);
  g.created = g.modified = NowMicros();
  g.valid_from = in.valid_from != 0 ? in.valid_from : g.created;
  g.valid_to = in.valid_to;
  g.requests_per_day = in.requests_per_day;
  g.rows_per_day = in.rows_per_day;
  g.requests_per_minute = in.requests_per_minute;
  g.state = "active";
  g.created_by = g.modified_by = who.user_id;
  return g;
}

Result<Grant> GrantService::Visible(const Principal& who, const std::string& id, bool manage) {
  if (id.size() > 100) return NotFoundGrant(id.substr(0, 100));
  auto g = grants_.GetGrant(id);
  if (!g.ok()) {
    if (g.status().code() == StatusCode::kNotFound) return NotFoundGrant(id);
    return g.status();
  }
  const bool manager = Allowed(who, Action::kManageGrant, {g->organization_id});
  if (manage) {
    if (manager) return g;
    bool sees = who.consumer() ? who.consumer_id == g->consumer_id : false;
    if (!sees) {
      auto system = consumers_.GetConsumerSystem(g->consumer_id);
      sees = system.ok() && Allowed(who, Action::kManageConsumer, {system->organization_id});
    }
    if (!sees) return NotFoundGrant(id);
    return Status::PermissionDenied("only the providing organization's admins may change a grant",
                                    "Chỉ quản trị viên của đơn vị cung cấp được thay đổi quyền");
  }
  if (manager) return g;
  if (who.consumer() && !who.authenticated() && who.consumer_id == g->consumer_id) return g;
  auto system = consumers_.GetConsumerSystem(g->consumer_id);
  if (system.ok() && Allowed(who, Action::kManageConsumer, {system->organization_id})) return g;
  return NotFoundGrant(id);
}

Result<Grant> GrantService::Save(Grant g, Micros from_modified) {
  g.modified = std::max(NowMicros(), from_modified + 1);
  ODP_RETURN_IF_ERROR(grants_.UpdateGrant(g, from_modified));
  return g;
}

Result<Grant> GrantService::Narrow(const Principal& who, const std::string& id,
                                   const GrantNarrowing& n) {
  ODP_ASSIGN_OR_RETURN(Grant g, Visible(who, id, true));
  if (g.state == "revoked") {
    return Status::Conflict("grant " + id + " is revoked", "Quyền chia sẻ đã bị thu hồi");
  }
  Status bad =
      Status::InvalidArgument("a grant can only be narrowed; make a new grant to widen it",
                              "Chỉ được thu hẹp quyền chia sẻ; muốn mở rộng hãy cấp quyền mới");
  bool any = false;
  std::vector<std::string> columns = GrantColumns(g);
  if (n.columns) {
    if (n.columns->empty()) {
      bad.WithField("columns", "Phải còn ít nhất một cột");
      any = true;
    }
    for (const auto& c : *n.columns) {
      if (!columns.empty() && std::find(columns.begin(), columns.end(), c) == columns.end()) {
        bad.WithField("columns", "Cột ngoài quyền hiện có: " + c);
        any = true;
      }
    }
    columns = *n.columns;
  }
  if (n.row_filter && !n.row_filter->empty()) {
    std::string combined =
        g.row_filter.empty() ? *n.row_filter : g.row_filter + "&" + *n.row_filter;
    if (combined.size() > kMaxRowFilterBytes) {
      bad.WithField("row_filter", "Bộ lọc dòng quá dài");
      any = true;
    }
    g.row_filter = combined;
  }
  ColumnMasks masks = GrantMasks(g);
  if (n.masks) {
    for (const auto& [column, m] : *n.masks) {
      if (masks.count(column) && m.kind != MaskKind::kDrop) {
        bad.WithField("masks", "Cột đã được che; chỉ có thể bỏ hẳn (drop): " + column);
        any = true;
      }
      masks[column] = m;
    }
  }
  // Masks of columns no longer granted go with them.
  if (!columns.empty()) {
    for (auto it = masks.begin(); it != masks.end();) {
      it = std::find(columns.begin(), columns.end(), it->first) == columns.end() ? masks.erase(it)
                                                                                 : std::next(it);
    }
  }
  if (n.valid_to) {
    if (*n.valid_to == 0 ? g.valid_to != 0 : (g.valid_to != 0 && *n.valid_to > g.valid_to)) {
      bad.WithField("valid_to", "Không được kéo dài thời hạn");
      any = true;
    }
    g.valid_to = *n.valid_to;
  }
  for (auto [name, into, to] :
       {std::tuple{"requests_per_day", &g.requests_per_day, n.requests_per_day},
        std::tuple{"rows_per_day", &g.rows_per_day, n.rows_per_day},
        std::tuple{"requests_per_minute", &g.requests_per_minute, n.requests_per_minute}}) {
    if (!to) continue;
    if (*to < 0 || *to > kMaxQuota || !NotHigher(*into, *to)) {
      bad.WithField(name, "Chỉ được giảm hạn mức");
      any = true;
    }
    *into = *to;
  }
  if (any) return bad;
  const Micros from = g.modified;
  g.columns = ColumnsText(columns);
  g.masks = masks.empty() ? "" : MasksToText(masks);
  g.modified_by = who.user_id;
  ODP_ASSIGN_OR_RETURN(g, Save(std::move(g), from));
  Audit("grant.narrowed", who, g);
  return g;
}

Result<Grant> GrantService::Suspend(const Principal& who, const std::string& id,
                                    const std::string& reason) {
  ODP_ASSIGN_OR_RETURN(Grant g, Visible(who, id, true));
  if (reason.empty() || reason.size() > 2000) {
    return Status::InvalidArgument("a reason is required", "Cần nêu lý do")
        .WithField("reason", "Bắt buộc, tối đa 2000 ký tự");
  }
  if (g.state != "active") {
    return Status::Conflict("grant " + id + " is " + g.state,
                            "Quyền chia sẻ không ở trạng thái đang hiệu lực");
  }
  const Micros from = g.modified;
  g.state = "suspended";
  g.reason = reason;
  g.modified_by = who.user_id;
  ODP_ASSIGN_OR_RETURN(g, Save(std::move(g), from));
  Audit("grant.suspended", who, g);
  return g;
}

Result<Grant> GrantService::Resume(const Principal& who, const std::string& id) {
  ODP_ASSIGN_OR_RETURN(Grant g, Visible(who, id, true));
  if (g.state != "suspended") {
    return Status::Conflict("grant " + id + " is " + g.state,
                            "Quyền chia sẻ không ở trạng thái tạm dừng");
  }
  const Micros from = g.modified;
  g.state = "active";
  g.reason.clear();
  g.modified_by = who.user_id;
  ODP_ASSIGN_OR_RETURN(g, Save(std::move(g), from));
  Audit("grant.resumed", who, g);
  return g;
}

Result<Grant> GrantService::Revoke(const Principal& who, const std::string& id,
                                   const std::string& reason) {
  ODP_ASSIGN_OR_RETURN(Grant g, Visible(who, id, true));
  if (reason.empty() || reason.size() > 2000) {
    return Status::InvalidArgument("a reason is required", "Cần nêu lý do")
        .WithField("reason", "Bắt buộc, tối đa 2000 ký tự");
  }
  if (g.state == "revoked") {
    return Status::Conflict("grant " + id + " is already revoked", "Quyền chia sẻ đã bị thu hồi");
  }
  const Micros from = g.modified;
  g.state = "revoked";
  g.reason = reason;
  g.modified_by = who.user_id;
  ODP_ASSIGN_OR_RETURN(g, Save(std::move(g), from));
  Audit("grant.revoked", who, g);
  return g;
}

Result<Grant> GrantService::Get(const Principal& who, const std::string& id) {
  return Visible(who, id, false);
}

Result<std::vector<Grant>> GrantService::List(const Principal& who, const GrantFilter& filter) {
  std::vector<Grant> all;
  const bool sysadmin = who.sysadmin && who.authenticated();
  if (sysadmin) {
    ODP_ASSIGN_OR_RETURN(all, grants_.ListGrants(filter.consumer_id, "", filter.dataset_id));
  } else if (who.consumer() && !who.authenticated()) {
    ODP_ASSIGN_OR_RETURN(all, grants_.ListGrants(who.consumer_id, "", ""));
  } else if (who.authenticated()) {
    std::set<std::string> ids;
    for (const auto& [org, role] : who.roles) {
      if (!Allowed(who, Action::kManageGrant, {org})) continue;
      ODP_ASSIGN_OR_RETURN(auto provided, grants_.ListGrants("", org, ""));
      ODP_ASSIGN_OR_RETURN(auto systems, consumers_.ListConsumerSystems(org));
      for (const auto& s : systems) {
        ODP_ASSIGN_OR_RETURN(auto received, grants_.ListGrants(s.id, "", ""));
        provided.insert(provided.end(), received.begin(), received.end());
      }
      for (auto& g : provided) {
        if (ids.insert(g.id).second) all.push_back(std::move(g));
      }
    }
    std::sort(all.begin(), all.end(), [](const Grant& a, const Grant& b) {
      return a.created != b.created ? a.created > b.created : a.id < b.id;
    });
  }
  std::vector<Grant> out;
  for (auto& g : all) {
    if (!filter.consumer_id.empty() && g.consumer_id != filter.consumer_id) continue;
    if (!filter.dataset_id.empty() && g.dataset_id != filter.dataset_id) continue;
    if (!filter.state.empty() && g.state != filter.state) continue;
    out.push_back(std::move(g));
  }
  return out;
}

Result<std::vector<Grant>> GrantService::InEffect(const std::string& consumer_id, Micros now) {
  ODP_ASSIGN_OR_RETURN(auto all, grants_.ListGrants(consumer_id, "", ""));
  std::vector<Grant> out;
  for (auto& g : all) {
    if (GrantInEffect(g, now)) out.push_back(std::move(g));
  }
  return out;
}

}  // namespace odp::access
