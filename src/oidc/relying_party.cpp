#include "oidc/relying_party.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "base/crypto.h"
#include "base/ids.h"
#include "base/log.h"
#include "text/utf8.h"

namespace odp::oidc {
namespace {

using json = nlohmann::json;

constexpr const char* kSettingKey = "oidc_settings";

Status Refused(const std::string& why) {
  return Status::Unauthenticated(
      "OpenID Connect sign-in refused: " + why,
      "Không xác minh được thông tin đăng nhập từ nhà cung cấp danh tính");
}

Status ProviderDown(const std::string& why) {
  return {StatusCode::kUnavailable, "identity provider unavailable: " + why,
          "Chưa kết nối được với Cổng dịch vụ công; hãy thử lại sau ít phút"};
}

json ToJson(const OidcSettings& s) {
  return {{"enabled", s.enabled},
          {"issuer", s.issuer},
          {"client_id", s.client_id},
          {"client_secret", s.client_secret},
          {"label_vi", s.label_vi},
          {"label_en", s.label_en},
          {"role_claim", s.mapping.claim},
          {"role_value", s.mapping.value},
          {"role_organization", s.mapping.organization},
          {"role", s.mapping.role}};
}

std::string Str(const json& j, const char* key, const std::string& fallback = "") {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

OidcSettings FromJson(const json& j) {
  OidcSettings s;
  auto enabled = j.find("enabled");
  s.enabled = enabled != j.end() && enabled->is_boolean() && enabled->get<bool>();
  s.issuer = Str(j, "issuer");
  s.client_id = Str(j, "client_id");
  s.client_secret = Str(j, "client_secret");
  s.label_vi = Str(j, "label_vi", s.label_vi);
  s.label_en = Str(j, "label_en", s.label_en);
  s.mapping.claim = Str(j, "role_claim");
  s.mapping.value = Str(j, "role_value");
  s.mapping.organization = Str(j, "role_organization");
  s.mapping.role = Str(j, "role", "member");
  return s;
}

std::optional<OidcSettings> Stored(store::SettingsStore& store) {
  auto text = store.GetSetting(kSettingKey);
  if (!text.ok() || text->empty()) return std::nullopt;
  json j = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  return FromJson(j);
}

bool PrintableAscii(const std::string& s, size_t max) {
  return s.size() <= max && std::all_of(s.begin(), s.end(), [](char c) {
           auto u = static_cast<unsigned char>(c);
           return u > 0x20 && u < 0x7f;
         });
}

bool Label(const std::string& s) {
  return s.size() <= 100 && text::IsValidUtf8(s) && !text::HasControlCharacters(s);
}

// A JSON object from a provider's answer: bounded depth, an object, else null.
json ProviderObject(const std::string& body) {
  if (JsonTooDeep(body, kMaxJsonDepth)) return nullptr;
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  return j.is_object() ? j : json(nullptr);
}

// A provider's word as it may appear in a log line.
std::string ForLog(const std::string& s) {
  std::string out;
  for (char c : s.substr(0, 120)) {
    auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u >= 0x7f || c == '"') ? '?' : c;
  }
  return out;
}

// Standard base64 with padding (HTTP Basic credentials).
std::string Base64Encode(const std::string& data) {
  std::string out(sodium_base64_ENCODED_LEN(data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()),
                    data.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

}  // namespace

bool AllowedProviderUrl(const std::string& url) {
  if (url.size() > 1000 || text::HasControlCharacters(url) ||
      url.find_first_of(" \"<>\\^`{|}") != std::string::npos)
    return false;
  std::string rest;
  bool https = url.rfind("https://", 0) == 0;
  if (https) {
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    return false;
  }
  std::string authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.empty() || authority.find('@') != std::string::npos) return false;
  if (https) return true;
  std::string host = authority;
  if (host.front() == '[') {
    host = host.substr(0, host.find(']') + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  return host == "localhost" || host == "127.0.0.1" || host == "[::1]";
}

Status ValidateOidcSettings(const OidcSettings& s) {
  Status bad = Status::InvalidArgument("invalid OpenID Connect settings",
                                       "Thiết lập đăng nhập qua Cổng dịch vụ công không hợp lệ");
  bool invalid = false;
  auto wrong = [&](const char* field, const char* vi) {
    bad.WithField(field, vi);
    invalid = true;
  };
  if (!s.issuer.empty() &&
      (!AllowedProviderUrl(s.issuer) || s.issuer.find_first_of("?#") != std::string::npos))
    wrong("oidc_issuer", "Địa chỉ nhà cung cấp phải là https:// (http:// chỉ cho máy cục bộ)");
  if (s.enabled && s.issuer.empty()) wrong("oidc_issuer", "Cần địa chỉ nhà cung cấp danh tính");
  if (!PrintableAscii(s.client_id, 200)) wrong("oidc_client_id", "Mã ứng dụng không hợp lệ");
  if (s.enabled && s.client_id.empty()) wrong("oidc_client_id", "Cần mã ứng dụng (client id)");
  if (!PrintableAscii(s.client_secret, 200))
    wrong("oidc_client_secret", "Khoá bí mật không hợp lệ");
  if (!Label(s.label_vi) || s.label_vi.empty())
    wrong("oidc_label_vi", "Nhãn nút (tiếng Việt) gồm 1–100 byte, không có ký tự điều khiển");
  if (!Label(s.label_en) || s.label_en.empty())
    wrong("oidc_label_en", "Nhãn nút (tiếng Anh) gồm 1–100 byte, không có ký tự điều khiển");
  const RoleMapping& m = s.mapping;
  if (!PrintableAscii(m.claim, 100)) wrong("oidc_role_claim", "Tên trường (claim) không hợp lệ");
  if (!Label(m.value) || (m.set() && m.value.empty()))
    wrong("oidc_role_value", "Cần giá trị của trường (claim)");
  if (!PrintableAscii(m.organization, 200) || (m.set() && m.organization.empty()))
    wrong("oidc_role_organization", "Cần cơ quan được gán vai trò");
  if (m.role != "member" && m.role != "editor" && m.role != "admin")
    wrong("oidc_role", "Vai trò là thành viên, biên tập viên hoặc quản trị viên");
  return invalid ? bad : Status::Ok();
}

RelyingParty::RelyingParty(store::SettingsStore& settings, store::ExternalIdentityStore& identities,
                           OidcSettings defaults, std::string redirect_uri,
                           std::unique_ptr<HttpClient> http)
    : settings_(settings),
      identities_(identities),
      defaults_(std::move(defaults)),
      redirect_uri_(std::move(redirect_uri)),
      http_(std::move(http)) {}

OidcSettings RelyingParty::Settings() const {
  auto stored = Stored(settings_);
  return stored ? *stored : defaults_;
}

OidcSettingsView RelyingParty::View() const {
  OidcSettingsView v;
  auto stored = Stored(settings_);
  v.from_store = stored.has_value();
  v.settings = stored ? *stored : defaults_;
  v.secret_set = !v.settings.client_secret.empty();
  v.settings.client_secret.clear();
  return v;
}

Status RelyingParty::Save(OidcSettings s, bool clear_secret) {
  while (!s.issuer.empty() && s.issuer.back() == '/') s.issuer.pop_back();
  ODP_RETURN_IF_ERROR(ValidateOidcSettings(s));
  if (s.client_secret.empty() && !clear_secret) s.client_secret = Settings().client_secret;
  ODP_RETURN_IF_ERROR(settings_.PutSetting(kSettingKey, ToJson(s).dump()));
  {
    std::lock_guard lock(mu_);
    metadata_ = {};
    keys_ = {};
  }
  LogInfo(fmt::format("OpenID Connect settings saved: {} ({})", ForLog(s.issuer),
                      s.enabled ? "on" : "off"));
  return Status::Ok();
}

Result<RelyingParty::Metadata> RelyingParty::Discover(const std::string& issuer, Micros now) {
  {
    std::lock_guard lock(mu_);
    if (metadata_.fetched != 0 && metadata_.issuer == issuer &&
        now - metadata_.fetched < kDiscoveryLifetime)
      return metadata_;
  }
  const std::string url = issuer + "/.well-known/openid-configuration";
  auto answer = http_->Get(url, {"Accept: application/json"});
  if (!answer.ok()) return ProviderDown(answer.status().message());
  if (answer->status != 200) return ProviderDown(fmt::format("{}: HTTP {}", url, answer->status));
  json j = ProviderObject(answer->body);
  if (j.is_null()) return ProviderDown(url + ": not a JSON object");
  Metadata m;
  m.issuer = Str(j, "issuer");
  m.authorization_endpoint = Str(j, "authorization_endpoint");
  m.token_endpoint = Str(j, "token_endpoint");
  m.userinfo_endpoint = Str(j, "userinfo_endpoint");
  m.jwks_uri = Str(j, "jwks_uri");
  if (m.issuer != issuer) return ProviderDown(url + ": names another issuer");
  for (const std::string* u : {&m.authorization_endpoint, &m.token_endpoint, &m.jwks_uri}) {
    if (!AllowedProviderUrl(*u)) return ProviderDown(url + ": missing or unsafe endpoint");
  }
  if (!m.userinfo_endpoint.empty() && !AllowedProviderUrl(m.userinfo_endpoint))
    return ProviderDown(url + ": unsafe userinfo endpoint");
  // PKCE S256 is always used; a provider that says it supports other methods only is refused.
  if (auto methods = j.find("code_challenge_methods_supported");
      methods != j.end() && methods->is_array() &&
      std::find(methods->begin(), methods->end(), "S256") == methods->end())
    return ProviderDown(url + ": no PKCE S256");
  m.fetched = now;
  std::lock_guard lock(mu_);
  metadata_ = m;
  return m;
}

Result<std::vector<RsaJwk>> RelyingParty::FetchKeys(const std::string& jwks_uri) {
  auto answer = http_->Get(jwks_uri, {"Accept: application/json"});
  if (!answer.ok()) return ProviderDown(answer.status().message());
  if (answer->status != 200)
    return ProviderDown(fmt::format("{}: HTTP {}", jwks_uri, answer->status));
  auto keys = ParseJwks(answer->body);
  if (!keys.ok()) return ProviderDown(jwks_uri + ": " + keys.status().message());
  return keys;
}

Result<std::vector<RsaJwk>> RelyingParty::Keys(const Metadata& m, const std::string& kid,
                                               Micros now) {
  bool have_kid = false;
  {
    std::lock_guard lock(mu_);
    const bool fresh =
        keys_.fetched != 0 && keys_.jwks_uri == m.jwks_uri && now - keys_.fetched < kKeysLifetime;
    if (fresh) {
      for (const RsaJwk& k : keys_.keys) have_kid = have_kid || k.kid == kid;
      // A kid the set lacks (or no kid) with the set fetched recently: answer with what there is.
      if (have_kid || now - last_key_fetch_ < kKeysRefetchInterval) return keys_.keys;
    } else if (last_key_fetch_ != 0 && keys_.jwks_uri == m.jwks_uri &&
               now - last_key_fetch_ < kKeysRefetchInterval) {
      return keys_.keys;
    }
    last_key_fetch_ = now;
  }
  ODP_ASSIGN_OR_RETURN(auto keys, FetchKeys(m.jwks_uri));
  std::lock_guard lock(mu_);
  keys_ = {m.jwks_uri, keys, now};
  return keys;
}

Result<Authorization> RelyingParty::Begin(const SignInRequest& request, Micros now) {
  OidcSettings s = Settings();
  if (!s.ready()) {
    return Status(StatusCode::kUnavailable, "OpenID Connect sign-in is off",
                  "Chưa bật đăng nhập bằng tài khoản Cổng dịch vụ công");
  }
  ODP_ASSIGN_OR_RETURN(Metadata m, Discover(s.issuer, now));
  (void)identities_.DeleteExpiredSignInStates(now);
  SignInState st;
  const std::string state = RandomToken(32);
  st.state_hash = Sha256Hex(state);
  st.issuer = s.issuer;
  st.nonce = RandomToken(32);
  st.code_verifier = RandomToken(48);  // 64 characters of [A-Za-z0-9_-]: RFC 7636 §4.1
  st.return_to = request.return_to;
  st.link_user_id = request.link_user_id;
  st.lang = request.lang == "en" ? "en" : "vi";
  st.created = now;
  st.expires = now + kSignInLifetime;
  ODP_RETURN_IF_ERROR(identities_.InsertSignInState(st));
  std::string url = m.authorization_endpoint;
  url += m.authorization_endpoint.find('?') == std::string::npos ? '?' : '&';
  url += "response_type=code&client_id=" + FormEncode(s.client_id) +
         "&redirect_uri=" + FormEncode(redirect_uri_) +
         "&scope=" + FormEncode("openid email profile") + "&state=" + FormEncode(state) +
         "&nonce=" + FormEncode(st.nonce) +
         "&code_challenge=" + FormEncode(PkceChallenge(st.code_verifier)) +
         "&code_challenge_method=S256&ui_locales=" + st.lang;
  return Authorization{url, state};
}

Result<VerifiedIdentity> RelyingParty::Complete(const std::string& state,
                                                const std::string& state_cookie,
                                                const std::string& code, Micros now) {
  if (state.empty() || state.size() > 100 || state_cookie.empty() ||
      !SecretsEqual(state, state_cookie))
    return Refused("state missing or not the browser's");
  if (code.empty() || code.size() > 2048) return Refused("no authorization code");
  auto taken = identities_.TakeSignInState(Sha256Hex(state));
  if (!taken.ok()) return Refused("unknown or already used state");
  SignInState st = *taken;
  if (st.expires <= now) return Refused("sign-in took too long");
  OidcSettings s = Settings();
  if (!s.ready() || s.issuer != st.issuer) return Refused("the provider changed meanwhile");
  ODP_ASSIGN_OR_RETURN(Metadata m, Discover(s.issuer, now));

  // The code for tokens (RFC 6749 §4.1.3, client_secret_basic §2.3.1, PKCE RFC 7636 §4.5).
  std::string form = "grant_type=authorization_code&code=" + FormEncode(code) +
                     "&redirect_uri=" + FormEncode(redirect_uri_) +
                     "&code_verifier=" + FormEncode(st.code_verifier);
  std::vector<std::string> headers = {"Accept: application/json"};
  // A confidential client authenticates with HTTP Basic only; a public one names itself.
  if (s.client_secret.empty()) {
    form += "&client_id=" + FormEncode(s.client_id);
  } else {
    const std::string basic = FormEncode(s.client_id) + ":" + FormEncode(s.client_secret);
    headers.push_back("Authorization: Basic " + Base64Encode(basic));
  }
  auto answer = http_->PostForm(m.token_endpoint, form, headers);
  if (!answer.ok()) return ProviderDown(answer.status().message());
  json tokens = ProviderObject(answer->body);
  if (answer->status != 200 || tokens.is_null()) {
    return Refused(fmt::format("token endpoint answered HTTP {} ({})", answer->status,
                               ForLog(tokens.is_null() ? "" : Str(tokens, "error"))));
  }
  const std::string id_token = Str(tokens, "id_token");
  if (id_token.empty()) return Refused("no ID token");
  ODP_ASSIGN_OR_RETURN(std::string kid, IdTokenKeyId(id_token));
  ODP_ASSIGN_OR_RETURN(auto keys, Keys(m, kid, now));
  ODP_ASSIGN_OR_RETURN(IdTokenClaims claims,
                       VerifyIdToken(id_token, keys, {s.issuer, s.client_id, st.nonce, now}));

  VerifiedIdentity out;
  json merged = json::parse(claims.claims_json, nullptr, /*allow_exceptions=*/false);
  // Userinfo (Core §5.3): claims the ID token may not carry (e-mail, name), kept only when it
  // speaks of the same subject.
  const std::string access_token = Str(tokens, "access_token");
  if (!m.userinfo_endpoint.empty() && !access_token.empty() && access_token.size() < 4096 &&
      PrintableAscii(access_token, 4096)) {
    auto info = http_->Get(m.userinfo_endpoint,
                           {"Accept: application/json", "Authorization: Bearer " + access_token});
    json u = info.ok() && info->status == 200 ? ProviderObject(info->body) : json(nullptr);
    if (!u.is_null()) {
      if (Str(u, "sub") != claims.subject) return Refused("userinfo names another subject");
      for (auto& [k, v] : u.items()) {
        if (!merged.contains(k)) merged[k] = v;
      }
      if (claims.email.empty()) {
        claims.email = Str(u, "email");
        auto verified = u.find("email_verified");
        claims.email_verified =
            verified != u.end() && verified->is_boolean() && verified->get<bool>();
      }
      if (claims.name.empty()) claims.name = Str(u, "name");
      if (claims.preferred_username.empty())
        claims.preferred_username = Str(u, "preferred_username");
    } else {
      LogWarn("OpenID Connect: userinfo not read: " +
              (info.ok() ? fmt::format("HTTP {}", info->status) : info.status().message()));
    }
  }
  out.claims = std::move(claims);
  out.claims_json = merged.dump();
  out.request = std::move(st);
  return out;
}

}  // namespace odp::oidc
