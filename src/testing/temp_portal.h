// Test support: a real store (SQLite, or PostgreSQL under ODP_TEST_PG), blob store and services in
// a fresh temporary directory.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "access/accounts.h"
#include "base/crypto.h"
#include "base/ids.h"
#include "catalog/catalog.h"
#include "catalog/seed.h"
#include "catalog/settings.h"
#include "store/blob_store.h"
#include "store/store.h"
#include "testing/test_db.h"

namespace odp::testing {

class TempPortal {
 public:
  TempPortal() {
    (void)InitCrypto();
    dir_ = (std::filesystem::temp_directory_path() / ("odp-test-" + NewUuid())).string();
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<TestDatabase>(dir_);
    store = std::move(store::OpenStore(db_->url()).value());
    blobs = std::move(store::BlobStore::Open(dir_ + "/blobs").value());
    // One Store plays every role, as in the portal (app/commands.cpp).
    (void)catalog::SeedTaxonomy(*store, *store);
    catalog = std::move(catalog::CatalogService::Open(*store, *store, *store, *blobs).value());
    accounts = std::make_unique<access::AccountService>(*store, *store);
    settings = std::make_unique<catalog::SettingsService>(*store, *catalog);
  }
  ~TempPortal() {
    settings.reset();
    catalog.reset();
    accounts.reset();
    store.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  const std::string& dir() const { return dir_; }

  static access::Principal Sysadmin() {
    access::Principal p;
    p.user_id = "root";
    p.username = "root";
    p.sysadmin = true;
    return p;
  }

  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::BlobStore> blobs;
  std::unique_ptr<catalog::CatalogService> catalog;
  std::unique_ptr<access::AccountService> accounts;
  std::unique_ptr<catalog::SettingsService> settings;

 private:
  std::string dir_;
  std::unique_ptr<TestDatabase> db_;
};

}  // namespace odp::testing
