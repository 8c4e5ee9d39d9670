// The OpenAPI 3.1 document for REST API v1 (served at /api/v1/openapi.json).
//
// It describes every route that RegisterRestV1() in rest_v1.cpp adds, with the JSON shapes of
// json_shapes.cpp and the error body of context.cpp, plus /healthz, /readyz and /metrics. Keep it
// in step with those files: a route, parameter or field added there belongs here too.
// tests/integration/openapi.test.mjs validates the served document against the OpenAPI 3.1
// schema and checks that the main paths are present.
//
// The JSON is kept as adjacent raw string literals (each piece well under 64 KB).
#include <string>

#include "api/api.h"

namespace odp::api {

const std::string& OpenApiDocument() {
  static const std::string kDoc =
      R"OPENAPI({
  "openapi": "3.1.0",
  "info": {
    "title": "ODP — Cổng dữ liệu mở / Open Data Portal",
    "version": "1.0.0",
    "description": "**Tiếng Việt.** API REST phiên bản 1 của Cổng dữ liệu mở (ODP): tìm kiếm và đọc bộ dữ liệu, tải tệp tài nguyên, quản lý bộ dữ liệu và quy trình công bố (nháp → chờ duyệt → công bố), cơ quan, lĩnh vực, chủ đề, giấy phép và tài khoản. Mọi nội dung là JSON mã hoá UTF-8.\n\n- **Xác thực:** không cần để đọc dữ liệu công khai. Gửi khoá API trong tiêu đề `Authorization` (khoá thô hoặc `Bearer <khoá>`); khoá sai hoặc đã thu hồi trả về 401. Trình duyệt dùng cookie phiên `odp_session` sau khi đăng nhập; khi ghi (POST, PUT, PATCH, DELETE) bằng cookie phải gửi kèm tiêu đề `X-CSRF-Token`.\n- **Lỗi:** `{\"error\": {\"code\", \"message\", \"message_vi\", \"details\"}}`; `message_vi` là thông báo tiếng Việt, `details` chỉ ra trường bị lỗi.\n- Bộ dữ liệu người gọi không được xem được trả về 404, như khi không tồn tại.\n\n**English.** Version 1 of the Open Data Portal (ODP) REST API: search and read datasets, download resource files, manage datasets and their publishing workflow (draft → pending → published), organizations, sectors, topics, licences and accounts. All bodies are UTF-8 JSON.\n\n- **Authentication:** none is needed to read public data. Send an API token in the `Authorization` header (raw, or `Bearer <token>`); a wrong or revoked token is 401. Browsers use the `odp_session` cookie set by login; writes (POST, PUT, PATCH, DELETE) made with the cookie must carry the `X-CSRF-Token` header.\n- **Errors:** `{\"error\": {\"code\", \"message\", \"message_vi\", \"details\"}}`; `message_vi` is the Vietnamese message, `details` names the offending fields.\n- A dataset the caller may not read is 404, exactly like one that does not exist.\n- HEAD is accepted wherever GET is.\n"
  },
  "servers": [{"url": "/"}],
  "tags": [
    {"name": "datasets", "description": "Bộ dữ liệu / Datasets"},
    {"name": "workflow", "description": "Quy trình công bố / Publishing workflow"},
    {"name": "resources", "description": "Tài nguyên và tệp / Resources and files"},
    {"name": "organizations", "description": "Cơ quan / Organizations"},
    {"name": "taxonomies", "description": "Lĩnh vực và chủ đề / Sectors and topics"},
    {"name": "licenses", "description": "Giấy phép / Licences"},
    {"name": "accounts", "description": "Tài khoản và khoá API / Accounts and API tokens"},
    {"name": "system", "description": "Vận hành / Operations"}
  ],
  "security": [{}, {"apiKey": []}, {"cookieSession": []}],
  "paths": {
    "/api/v1/datasets": {
      "get": {
        "operationId": "searchDatasets",
        "tags": ["datasets"],
        "summary": "Search datasets",
        "description": "Full-text search with filters, sorting, paging and facet counts. Anonymous callers see published `public` datasets; logged-in callers also what their access allows.",
        "parameters": [
          {"$ref": "#/components/parameters/q"},
          {"$ref": "#/components/parameters/organization"},
          {"$ref": "#/components/parameters/sector"},
          {"$ref": "#/components/parameters/topic"},
          {"$ref": "#/components/parameters/tag"},
          {"$ref": "#/components/parameters/format"},
          {"$ref": "#/components/parameters/license"},
          {"$ref": "#/components/parameters/access"},
          {"$ref": "#/components/parameters/sort"},
          {"$ref": "#/components/parameters/limit"},
          {"$ref": "#/components/parameters/offset"},
          {"$ref": "#/components/parameters/page"},
          {"$ref": "#/components/parameters/facet_limit"},
          {"$ref": "#/components/parameters/include_unpublished"}
        ],
        "responses": {
          "200": {
            "description": "A page of results with facets.",
            "content": {
              "application/json": {"schema": {"$ref": "#/components/schemas/SearchResult"}}
            }
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"}
        }
      },
      "post": {
        "operationId": "createDataset",
        "tags": ["datasets"],
        "summary": "Create a dataset",
        "description": "Creates a draft in an organization where the caller is editor or admin.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/DatasetCreate"}}
          }
        },
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "201": {
            "description": "The new dataset (state `draft`).",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dataset"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "409": {"$ref": "#/components/responses/Conflict"}
        }
      }
    },
    "/api/v1/datasets/{id}": {
      "parameters": [{"$ref": "#/components/parameters/DatasetId"}],
      "get": {
        "operationId": "getDataset",
        "tags": ["datasets"],
        "summary": "Get a dataset",
        "responses": {
          "200": {
            "description": "The dataset with its resources.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dataset"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      },
      "patch": {
        "operationId": "updateDataset",
        "tags": ["datasets"],
        "summary": "Update a dataset",
        "description": "Sets the fields given; others keep their value. Editors and admins of the owning organization.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/DatasetInput"}}
          }
        },
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "200": {
            "description": "The updated dataset.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dataset"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"}
        }
      },
      "delete": {
        "operationId": "deleteDataset",
        "tags": ["datasets"],
        "summary": "Delete a dataset",
        "description": "Marks the dataset deleted. Editors may delete drafts and rejected datasets; admins any.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "204": {"$ref": "#/components/responses/NoContent"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/datasets/{id}/submit": {
      "parameters": [{"$ref": "#/components/parameters/DatasetId"}],
      "post": {
        "operationId": "submitDataset",
        "tags": ["workflow"],
        "summary": "Submit for review",
        "description": "draft, rejected or withdrawn → pending. Editors and admins. 409 when the current state does not allow it.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/TransitionInput"}}
          }
        },
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "200": {
            "description": "The dataset in its new state.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dataset"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"}
        }
      }
    },
    "/api/v1/datasets/{id}/publish": {
      "parameters": [{"$ref": "#/components/parameters/DatasetId"}],
      "post": {
        "operationId": "publishDataset",
        "tags": ["workflow"],
        "summary": "Publish",
        "description": "pending, draft or withdrawn → published. Organization admins. 409 when the current state does not allow it.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/TransitionInput"}}
          }
        },
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "200": {
            "description": "The dataset in its new state.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dataset"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"}
        }
      }
    },
    "/api/v1/datasets/{id}/reject": {
      "parameters": [{"$ref": "#/components/parameters/DatasetId"}],
      "post": {
        "operationId": "rejectDataset",
        "tags": ["workflow"],
        "summary": "Reject",
        "description": "pending → rejected; `reason` is required. Organization admins. 409 when the current state does not allow it.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/TransitionInput"}}
          }
        },
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "200": {
            "description": "The dataset in its new state.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dataset"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"}
        }
      }
    },
    "/api/v1/datasets/{id}/withdraw": {
      "parameters": [{"$ref": "#/components/parameters/DatasetId"}],
      "post": {
        "operationId": "withdrawDataset",
        "tags": ["workflow"],
        "summary": "Withdraw",
        "description": "published → withdrawn; `reason` is required. Organization admins. 409 when the current state does not allow it.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/TransitionInput"}}
          }
        },
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "200": {
            "description": "The dataset in its new state.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dataset"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"}
        }
      }
    },
    "/api/v1/datasets/{id}/approve-change": {
      "parameters": [{"$ref": "#/components/parameters/DatasetId"}],
      "post": {
        "operationId": "approveDatasetChange",
        "tags": ["workflow"],
        "summary": "Approve a change held for review",
        "description": "On a published dataset, an editor's change of access tier toward more readers or of licence is held as `pending_changes` until a reviewer (organization admin) approves it; until then the old tier and licence stay in force. 409 when nothing is waiting.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "200": {
            "description": "The dataset with the change applied.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dataset"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"}
        }
      }
    },
    "/api/v1/datasets/{id}/reject-change": {
      "parameters": [{"$ref": "#/components/parameters/DatasetId"}],
      "post": {
        "operationId": "rejectDatasetChange",
        "tags": ["workflow"],
        "summary": "Reject a change held for review",
        "description": "Drops the dataset's `pending_changes`; `reason` is required. Organization admins. 409 when nothing is waiting.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/TransitionInput"}}
          }
        },
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "200": {
            "description": "The dataset, nothing pending.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dataset"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"}
        }
      }
    },
    "/api/v1/datasets/{id}/history": {
      "parameters": [{"$ref": "#/components/parameters/DatasetId"}],
      "get": {
        "operationId": "getDatasetHistory",
        "tags": ["workflow"],
        "summary": "Workflow history of a dataset",
        "responses": {
          "200": {
            "description": "Events, oldest first.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": ["events"],
                  "properties": {
                    "events": {
                      "type": "array",
                      "items": {"$ref": "#/components/schemas/DatasetEvent"}
                    }
                  }
                }
              }
            }
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/datasets/{id}/resources": {
      "parameters": [{"$ref": "#/components/parameters/DatasetId"}],
      "get": {
        "operationId": "listResources",
        "tags": ["resources"],
        "summary": "List a dataset's resources",
        "responses": {
          "200": {
            "description": "The resources in order.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": ["resources"],
                  "properties": {
                    "resources": {
                      "type": "array",
                      "items": {"$ref": "#/components/schemas/Resource"}
                    }
                  }
                }
              }
            }
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      },
      "post": {
        "operationId": "createResource",
        "tags": ["resources"],
        "summary": "Add a resource",
        "description": "Upload a file (multipart/form-data, file part `upload` or `file`) or add a link (JSON or form field `url`). One of the two is required. The right to write is checked before the upload is stored.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "requestBody": {
          "required": true,
          "content": {
            "multipart/form-data": {
              "schema": {"$ref": "#/components/schemas/ResourceUpload"},
              "encoding": {"upload": {"contentType": "*/*"}, "file": {"contentType": "*/*"}}
            },
            "application/json": {"schema": {"$ref": "#/components/schemas/ResourceInput"}}
          }
        },
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "201": {
            "description": "The new resource.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Resource"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "413": {"$ref": "#/components/responses/PayloadTooLarge"}
        }
      }
    },
    "/api/v1/resources/{id}": {
      "parameters": [{"$ref": "#/components/parameters/ResourceId"}],
      "get": {
        "operationId": "getResource",
        "tags": ["resources"],
        "summary": "Get a resource",
        "responses": {
          "200": {
            "description": "The resource.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Resource"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      },
      "patch": {
        "operationId": "updateResource",
        "tags": ["resources"],
        "summary": "Update a resource",
        "description": "Changes metadata (JSON or multipart); a file part replaces the file and makes a new version.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "requestBody": {
          "required": true,
          "content": {
            "multipart/form-data": {
              "schema": {"$ref": "#/components/schemas/ResourceUpload"},
              "encoding": {"upload": {"contentType": "*/*"}, "file": {"contentType": "*/*"}}
            },
            "application/json": {"schema": {"$ref": "#/components/schemas/ResourceInput"}}
          }
        },
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "200": {
            "description": "The updated resource.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Resource"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "413": {"$ref": "#/components/responses/PayloadTooLarge"}
        }
      },
      "delete": {
        "operationId": "deleteResource",
        "tags": ["resources"],
        "summary": "Delete a resource",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "204": {"$ref": "#/components/responses/NoContent"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/resources/{id}/file": {
      "parameters": [{"$ref": "#/components/parameters/ResourceId"}],
      "put": {
        "operationId": "replaceResourceFile",
        "tags": ["resources"],
        "summary": "Replace a resource's file",
        "description": "Same as PATCH /api/v1/resources/{id}; meant for multipart uploads of a new version. Old versions stay downloadable.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "requestBody": {
          "required": true,
          "content": {
            "multipart/form-data": {
              "schema": {"$ref": "#/components/schemas/ResourceUpload"},
              "encoding": {"upload": {"contentType": "*/*"}, "file": {"contentType": "*/*"}}
            },
            "application/json": {"schema": {"$ref": "#/components/schemas/ResourceInput"}}
          }
        },
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "200": {
            "description": "The resource with its new version.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Resource"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "413": {"$ref": "#/components/responses/PayloadTooLarge"}
        }
      }
    },
    "/api/v1/resources/{id}/versions": {
      "parameters": [{"$ref": "#/components/parameters/ResourceId"}],
      "get": {
        "operationId": "listResourceVersions",
        "tags": ["resources"],
        "summary": "List the file versions of a resource",
        "responses": {
          "200": {
            "description": "The versions.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": ["versions"],
                  "properties": {
                    "versions": {
                      "type": "array",
                      "items": {"$ref": "#/components/schemas/ResourceVersion"}
                    }
                  }
                }
              }
            }
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/resources/{id}/datastore": {
      "parameters": [{"$ref": "#/components/parameters/ResourceId"}],
      "get": {
        "operationId": "getResourceDatastore",
        "tags": ["resources"],
        "summary": "The table behind a tabular resource: schema, rows, validation report, load status",
        "description": "Uploaded CSV and TSV files are loaded in the background into a typed table (one per file version). `job` is the newest load (`queued`, `running`, `done` or `failed`, with the error in English and Vietnamese, naming the line and column). `table` is the newest complete version: its Frictionless-style schema (`name`, `title` = the header as written, `type` one of integer, number, boolean, date, datetime, string), the number of rows, the header's line, the delimiter, and the first 100 problems found (`kind`, `line`, `column`, messages) with counts by kind. Rows are queried with the CKAN action `datastore_search` and exported by `/datastore/dump/{id}`.",
        "responses": {
          "200": {
            "description": "The load status and the table (each null when there is none).",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": ["resource_id", "job", "table"],
                  "properties": {
                    "resource_id": {"type": "string"},
                    "job": {"type": ["object", "null"]},
                    "table": {"type": ["object", "null"]}
                  }
                }
              }
            }
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/resources/{id}/download": {
      "parameters": [{"$ref": "#/components/parameters/ResourceId"}],
      "get": {
        "operationId": "downloadResource",
        "tags": ["resources"],
        "summary": "Download a resource's file",
        "description": "Streams the uploaded file with its stored MIME type. Supports conditional requests (If-None-Match, If-Modified-Since → 304) and one byte range (Range, If-Range → 206). Link resources have no file (404).",
        "parameters": [
          {
            "name": "version",
            "in": "query",
            "required": false,
            "description": "File version to download; 0 or absent for the current one.",
            "schema": {"type": "integer", "minimum": 0, "maximum": 1000000, "default": 0}
          },
          {
            "name": "Range",
            "in": "header",
            "required": false,
            "description": "A single range `bytes=start-end`, `bytes=start-` or `bytes=-suffix`; several ranges get the whole file.",
            "schema": {"type": "string"},
            "example": "bytes=0-1023"
          },
          {
            "name": "If-Range",
            "in": "header",
            "required": false,
            "schema": {"type": "string"},
            "description": "Serve the range only if the ETag still matches."
          },
          {
            "name": "If-None-Match",
            "in": "header",
            "required": false,
            "schema": {"type": "string"}
          },
          {
            "name": "If-Modified-Since",
            "in": "header",
            "required": false,
            "schema": {"type": "string"}
          }
        ],
        "responses": {
          "200": {
            "description": "The file.",
            "headers": {
              "ETag": {"schema": {"type": "string"}, "description": "Quoted SHA-256 of the file."},
              "Last-Modified": {"schema": {"type": "string"}},
              "Accept-Ranges": {"schema": {"type": "string", "const": "bytes"}},
              "Content-Disposition": {
                "schema": {"type": "string"},
                "description": "attachment, with an ASCII fallback and the UTF-8 file name (RFC 6266)."
              },
              "Cache-Control": {"schema": {"type": "string"}}
            },
            "content": {
              "*/*": {
                "schema": {
                  "type": "string",
                  "format": "binary",
                  "contentMediaType": "application/octet-stream"
                }
              }
            }
          },
          "206": {
            "description": "The requested byte range.",
            "headers": {
              "ETag": {"schema": {"type": "string"}, "description": "Quoted SHA-256 of the file."},
              "Last-Modified": {"schema": {"type": "string"}},
              "Accept-Ranges": {"schema": {"type": "string", "const": "bytes"}},
              "Content-Disposition": {
                "schema": {"type": "string"},
                "description": "attachment, with an ASCII fallback and the UTF-8 file name (RFC 6266)."
              },
              "Cache-Control": {"schema": {"type": "string"}},
              "Content-Range": {"schema": {"type": "string"}, "example": "bytes 0-1023/52340"}
            },
            "content": {
              "*/*": {
                "schema": {
                  "type": "string",
                  "format": "binary",
                  "contentMediaType": "application/octet-stream"
                }
              }
            }
          },
          "304": {
            "description": "Not modified since the validator the client sent.",
            "headers": {
              "ETag": {"schema": {"type": "string"}, "description": "Quoted SHA-256 of the file."},
              "Last-Modified": {"schema": {"type": "string"}}
            }
          },
          "416": {
            "description": "The range starts beyond the end of the file.",
            "headers": {
              "Content-Range": {"schema": {"type": "string"}, "example": "bytes */52340"}
            }
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/organizations": {
      "get": {
        "operationId": "listOrganizations",
        "tags": ["organizations"],
        "summary": "List organizations",
        "responses": {
          "200": {
            "description": "All organizations, with `dataset_count`.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": ["organizations"],
                  "properties": {
                    "organizations": {
                      "type": "array",
                      "items": {"$ref": "#/components/schemas/Organization"}
                    }
                  }
                }
              }
            }
          },
          "401": {"$ref": "#/components/responses/Unauthorized"}
        }
      },
      "post": {
        "operationId": "createOrganization",
        "tags": ["organizations"],
        "summary": "Create an organization",
        "description": "Sysadmins.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/OrganizationInput"}}
          }
        },
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "201": {
            "description": "The new organization.",
            "content": {
              "application/json": {"schema": {"$ref": "#/components/schemas/Organization"}}
            }
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"}
        }
      }
    },
    "/api/v1/organizations/{id}": {
      "parameters": [{"$ref": "#/components/parameters/OrganizationId"}],
      "get": {
        "operationId": "getOrganization",
        "tags": ["organizations"],
        "summary": "Get an organization",
        "responses": {
          "200": {
            "description": "The organization, with `dataset_count`.",
            "content": {
              "application/json": {"schema": {"$ref": "#/components/schemas/Organization"}}
            }
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      },
      "patch": {
        "operationId": "updateOrganization",
        "tags": ["organizations"],
        "summary": "Update an organization",
        "description": "Organization admins and sysadmins.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/OrganizationInput"}}
          }
        },
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "200": {
            "description": "The updated organization.",
            "content": {
              "application/json": {"schema": {"$ref": "#/components/schemas/Organization"}}
            }
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"}
        }
      }
    },
    "/api/v1/organizations/{id}/members": {
      "parameters": [{"$ref": "#/components/parameters/OrganizationId"}],
      "get": {
        "operationId": "listMembers",
        "tags": ["organizations"],
        "summary": "List an organization's members",
        "description": "Organization admins and sysadmins.",
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "200": {
            "description": "The members.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": ["members"],
                  "properties": {
                    "members": {"type": "array", "items": {"$ref": "#/components/schemas/Member"}}
                  }
                }
              }
            }
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/organizations/{id}/members/{user}": {
      "parameters": [
        {"$ref": "#/components/parameters/OrganizationId"},
        {"$ref": "#/components/parameters/Username"}
      ],
      "put": {
        "operationId": "setMember",
        "tags": ["organizations"],
        "summary": "Add a member or change their role",
        "description": "Organization admins and sysadmins.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": ["role"],
                "properties": {"role": {"$ref": "#/components/schemas/OrgRole"}}
              }
            }
          }
        },
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "200": {
            "description": "The membership.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": ["username", "role"],
                  "properties": {
                    "username": {"type": "string"},
                    "role": {"$ref": "#/components/schemas/OrgRole"}
                  }
                }
              }
            }
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      },
      "delete": {
        "operationId": "removeMember",
        "tags": ["organizations"],
        "summary": "Remove a member",
        "description": "Organization admins and sysadmins.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "204": {"$ref": "#/components/responses/NoContent"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/sectors": {
      "get": {
        "operationId": "listSectors",
        "tags": ["taxonomies"],
        "summary": "List sectors (lĩnh vực)",
        "responses": {
          "200": {
            "description": "All sectors in display order, with `dataset_count`.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": ["sectors"],
                  "properties": {
                    "sectors": {"type": "array", "items": {"$ref": "#/components/schemas/Group"}}
                  }
                }
              }
            }
          },
          "401": {"$ref": "#/components/responses/Unauthorized"}
        }
      },
      "post": {
        "operationId": "createSector",
        "tags": ["taxonomies"],
        "summary": "Create a sector",
        "description": "Sysadmins.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GroupInput"}}}
        },
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "201": {
            "description": "The new sector.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Group"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "409": {"$ref": "#/components/responses/Conflict"}
        }
      }
    },
    "/api/v1/sectors/{id}": {
      "parameters": [{"$ref": "#/components/parameters/GroupId"}],
      "get": {
        "operationId": "getSector",
        "tags": ["taxonomies"],
        "summary": "Get a sector",
        "responses": {
          "200": {
            "description": "The sector, with `dataset_count`.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Group"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      },
      "patch": {
        "operationId": "updateSector",
        "tags": ["taxonomies"],
        "summary": "Update a sector",
        "description": "Sysadmins.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GroupInput"}}}
        },
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "200": {
            "description": "The updated sector.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Group"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"}
        }
      }
    },
    "/api/v1/topics": {
      "get": {
        "operationId": "listTopics",
        "tags": ["taxonomies"],
        "summary": "List topics (chủ đề)",
        "responses": {
          "200": {
            "description": "All topics in display order, with `dataset_count`.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": ["topics"],
                  "properties": {
                    "topics": {"type": "array", "items": {"$ref": "#/components/schemas/Group"}}
                  }
                }
              }
            }
          },
          "401": {"$ref": "#/components/responses/Unauthorized"}
        }
      },
      "post": {
        "operationId": "createTopic",
        "tags": ["taxonomies"],
        "summary": "Create a topic",
        "description": "Sysadmins.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GroupInput"}}}
        },
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "201": {
            "description": "The new topic.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Group"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "409": {"$ref": "#/components/responses/Conflict"}
        }
      }
    },
    "/api/v1/topics/{id}": {
      "parameters": [{"$ref": "#/components/parameters/GroupId"}],
      "get": {
        "operationId": "getTopic",
        "tags": ["taxonomies"],
        "summary": "Get a topic",
        "responses": {
          "200": {
            "description": "The topic, with `dataset_count`.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Group"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      },
      "patch": {
        "operationId": "updateTopic",
        "tags": ["taxonomies"],
        "summary": "Update a topic",
        "description": "Sysadmins.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GroupInput"}}}
        },
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "200": {
            "description": "The updated topic.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Group"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"}
        }
      }
    },
    "/api/v1/licenses": {
      "get": {
        "operationId": "listLicenses",
        "tags": ["licenses"],
        "summary": "List licences",
        "responses": {
          "200": {
            "description": "All licences in order.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": ["licenses"],
                  "properties": {
                    "licenses": {
                      "type": "array",
                      "items": {"$ref": "#/components/schemas/License"}
                    }
                  }
                }
              }
            }
          },
          "401": {"$ref": "#/components/responses/Unauthorized"}
        }
      }
    },
    "/api/v1/licenses/{id}": {
      "parameters": [{"$ref": "#/components/parameters/LicenseId"}],
      "put": {
        "operationId": "putLicense",
        "tags": ["licenses"],
        "summary": "Create or replace a licence",
        "description": "Sysadmins. Fields not given are cleared (`is_open` becomes false).",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/LicenseInput"}}
          }
        },
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "200": {
            "description": "The stored licence.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/License"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"}
        }
      }
    },
    "/api/v1/auth/register": {
      "post": {
        "operationId": "register",
        "tags": ["accounts"],
        "summary": "Register an account",
        "description": "Open when the portal allows registration (403 otherwise). The answer is the same (202) whether the account was created or the user name or e-mail was already in use, so that registration does not tell who has an account; sign in afterwards. Passwords: at least 12 characters, not a common password, not containing the user name or e-mail.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/RegisterInput"}}
          }
        },
        "security": [{}],
        "responses": {
          "202": {
            "description": "Registration received (created, unless the name or e-mail was taken).",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": ["message", "message_vi"],
                  "properties": {"message": {"type": "string"}, "message_vi": {"type": "string"}}
                }
              }
            }
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"}
        }
      }
    },
    "/api/v1/auth/login": {
      "post": {
        "operationId": "login",
        "tags": ["accounts"],
        "summary": "Log in",
        "description": "Starts a browser session: sets the `odp_session` cookie and returns the CSRF token for later writes. API clients should use tokens instead. Failed sign-ins are counted per account and per client address: after a few, further attempts (even with the right password) get 429 for a growing delay, and the account is locked for an hour after 10 (a sysadmin can unlock it); the answer is the same whether or not the account exists.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {"$ref": "#/components/schemas/LoginInput"},
              "example": {"username": "nguyenvana", "password": "••••••••"}
            }
          }
        },
        "security": [{}],
        "responses": {
          "200": {
            "description": "Logged in.",
            "content": {
              "application/json": {"schema": {"$ref": "#/components/schemas/LoginResult"}}
            },
            "headers": {
              "Set-Cookie": {
                "schema": {"type": "string"},
                "description": "`odp_session=…; Path=/; HttpOnly; SameSite=Lax; Max-Age=…` (and `Secure` behind TLS)."
              }
            }
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "429": {
            "description": "Too many failed sign-ins for this account or from this address: wait, or ask a sysadmin to unlock the account.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
          }
        }
      }
    },
    "/api/v1/auth/logout": {
      "post": {
        "operationId": "logout",
        "tags": ["accounts"],
        "summary": "Log out",
        "description": "Ends the session and clears the cookie.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "security": [{}, {"cookieSession": []}],
        "responses": {
          "204": {
            "description": "Logged out.",
            "headers": {
              "Set-Cookie": {
                "schema": {"type": "string"},
                "description": "`odp_session=…; Path=/; HttpOnly; SameSite=Lax; Max-Age=…` (and `Secure` behind TLS)."
              }
            }
          },
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"}
        }
      }
    },
    "/api/v1/me": {
      "get": {
        "operationId": "getMe",
        "tags": ["accounts"],
        "summary": "The current user",
        "description": "With the caller's organizations and roles, and the CSRF token for session callers.",
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "200": {
            "description": "The logged-in user.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Me"}}}
          },
          "401": {"$ref": "#/components/responses/Unauthorized"}
        }
      }
    },
    "/api/v1/me/tokens": {
      "get": {
        "operationId": "listTokens",
        "tags": ["accounts"],
        "summary": "List my API tokens",
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "200": {
            "description": "The tokens (never secrets).",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": ["tokens"],
                  "properties": {
                    "tokens": {"type": "array", "items": {"$ref": "#/components/schemas/ApiToken"}}
                  }
                }
              }
            }
          },
          "401": {"$ref": "#/components/responses/Unauthorized"}
        }
      },
      "post": {
        "operationId": "createToken",
        "tags": ["accounts"],
        "summary": "Create an API token",
        "description": "The secret is returned once, in `token`.",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "properties": {"name": {"type": "string", "maxLength": 200}}
              },
              "example": {"name": "Máy chủ báo cáo"}
            }
          }
        },
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "201": {
            "description": "The new token with its secret.",
            "content": {
              "application/json": {"schema": {"$ref": "#/components/schemas/NewApiToken"}}
            }
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"}
        }
      }
    },
    "/api/v1/me/tokens/{id}": {
      "parameters": [{"$ref": "#/components/parameters/TokenId"}],
      "delete": {
        "operationId": "revokeToken",
        "tags": ["accounts"],
        "summary": "Revoke an API token",
        "parameters": [{"$ref": "#/components/parameters/CsrfToken"}],
        "security": [{"apiKey": []}, {"cookieSession": []}],
        "responses": {
          "204": {"$ref": "#/components/responses/NoContent"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/openapi.json": {
      "get": {
        "operationId": "getOpenApi",
        "tags": ["system"],
        "summary": "This OpenAPI document",
        "security": [],
        "responses": {
          "200": {
            "description": "The OpenAPI 3.1 document.",
            "content": {"application/json": {"schema": {"type": "object"}}}
          }
        }
      }
    },
    "/healthz": {
      "get": {
        "operationId": "healthz",
        "tags": ["system"],
        "summary": "Liveness",
        "description": "200 while the process serves requests.",
        "security": [],
        "responses": {
          "200": {
            "description": "Alive.",
            "content": {"text/plain": {"schema": {"type": "string"}}}
          }
        }
      }
    },
    "/readyz": {
      "get": {
        "operationId": "readyz",
        "tags": ["system"],
        "summary": "Readiness",
        "description": "200 when the portal can serve traffic (storage open, catalogue loaded); 503 otherwise.",
        "security": [],
        "responses": {
          "200": {
            "description": "Ready.",
            "content": {"text/plain": {"schema": {"type": "string"}}}
          },
          "503": {
            "description": "Not ready.",
            "content": {"text/plain": {"schema": {"type": "string"}}}
          }
        }
      }
    },
    "/metrics": {
      "get": {
        "operationId": "metrics",
        "tags": ["system"],
        "summary": "Prometheus metrics",
        "description": "Request counters and latency histograms per route, plus gauges, in the Prometheus text exposition format 0.0.4.",
        "security": [],
        "responses": {
          "200": {
            "description": "Metrics.",
            "content": {"text/plain; version=0.0.4": {"schema": {"type": "string"}}}
          }
        }
      }
    }
  },
  "components": {
    "schemas": {
      "Error": {
        "type": "object",
        "description": "Every error answer of the API. `message` is English (for developers and logs), `message_vi` Vietnamese (for people); `details` maps a request field or parameter to what is wrong with it.",
        "required": ["error"],
        "properties": {
          "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
              "code": {
                "type": "string",
                "enum": [
                  "invalid_argument",
                  "not_found",
                  "already_exists",
                  "permission_denied",
                  "unauthenticated",
                  "conflict",
                  "resource_exhausted",
                  "unavailable",
                  "internal"
                ],
)OPENAPI"
      R"OPENAPI(                "description": "Machine-readable reason (the canonical status code name). The HTTP layer answers 413 and 431 itself with the same shape."
              },
              "message": {"type": "string"},
              "message_vi": {"type": "string"},
              "details": {"type": "object", "additionalProperties": {"type": "string"}}
            }
          }
        },
        "example": {
          "error": {
            "code": "invalid_argument",
            "message": "the dataset has invalid fields",
            "message_vi": "Bộ dữ liệu có trường không hợp lệ",
            "details": {"title_vi": "Cần có tiêu đề tiếng Việt"}
          }
        }
      },
      "AccessTier": {
        "type": "string",
        "enum": ["public", "registered", "shared", "internal"],
        "description": "Who may read a published dataset: `public` anyone; `registered` any logged-in user; `shared` and `internal` members of the owning organization."
      },
      "DatasetState": {
        "type": "string",
        "enum": ["draft", "pending", "published", "rejected", "withdrawn", "deleted"],
        "description": "Publishing workflow: draft → pending → published; pending → rejected; published → withdrawn. Unpublished datasets are visible to members of the owning organization only; deleted ones to sysadmins only."
      },
      "UpdateFrequency": {
        "type": "string",
        "enum": [
          "",
          "realtime",
          "daily",
          "weekly",
          "monthly",
          "quarterly",
          "semiannual",
          "annual",
          "irregular",
          "never"
        ],
        "description": "How often the data is updated; empty when unknown."
      },
      "OrgRole": {"type": "string", "enum": ["member", "editor", "admin"]},
      "OrganizationRef": {
        "type": "object",
        "required": ["id", "slug", "title_vi", "title_en"],
        "properties": {
          "id": {"type": "string"},
          "slug": {"type": "string"},
          "title_vi": {"type": "string"},
          "title_en": {"type": "string"}
        }
      },
      "GroupRef": {
        "type": "object",
        "description": "A sector or topic as embedded in a dataset.",
        "required": ["id", "slug", "title_vi", "title_en"],
        "properties": {
          "id": {"type": "string"},
          "slug": {"type": "string"},
          "title_vi": {"type": "string"},
          "title_en": {"type": "string"}
        }
      },
      "License": {
        "type": "object",
        "required": ["id", "title_vi", "title_en", "url", "is_open"],
        "properties": {
          "id": {"type": "string", "examples": ["cc-by-4.0"]},
          "title_vi": {"type": "string"},
          "title_en": {"type": "string"},
          "url": {"type": "string"},
          "is_open": {"type": "boolean", "description": "An open licence (Open Definition)."}
        }
      },
      "Resource": {
        "type": "object",
        "description": "A file (`kind` = `upload`) or a link (`kind` = `link`) in a dataset. `filename`, `mimetype`, `size`, `sha256` and `version` are present for uploads only.",
        "required": [
          "id",
          "dataset_id",
          "name",
          "description",
          "format",
          "kind",
          "url",
          "position",
          "created",
          "modified"
        ],
        "properties": {
          "id": {"type": "string"},
          "dataset_id": {"type": "string"},
          "name": {"type": "string"},
          "description": {"type": "string"},
          "format": {"type": "string", "examples": ["CSV", "XLSX", "PDF"]},
          "kind": {"type": "string", "enum": ["upload", "link"]},
          "url": {
            "type": "string",
            "description": "For a link, its URL; for an upload, the absolute URL that downloads the current version."
          },
          "position": {"type": "integer"},
          "created": {
            "type": "string",
            "format": "date-time",
            "examples": ["2024-05-01T08:30:00Z"]
          },
          "modified": {
            "type": "string",
            "format": "date-time",
            "examples": ["2024-05-01T08:30:00Z"]
          },
          "filename": {"type": "string"},
          "mimetype": {"type": "string"},
          "size": {"type": "integer", "format": "int64", "minimum": 0},
          "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
          "version": {
            "type": "integer",
            "minimum": 1,
            "description": "Current version; replacing the file makes a new one."
          }
        }
      },
      "ResourceVersion": {
        "type": "object",
        "required": ["version", "sha256", "size", "filename", "mimetype", "created", "url"],
        "properties": {
          "version": {"type": "integer", "minimum": 1},
          "sha256": {"type": "string"},
          "size": {"type": "integer", "format": "int64"},
          "filename": {"type": "string"},
          "mimetype": {"type": "string"},
          "created": {
            "type": "string",
            "format": "date-time",
            "examples": ["2024-05-01T08:30:00Z"]
          },
          "url": {"type": "string", "description": "Downloads this version."}
        }
      },
      "Dataset": {
        "type": "object",
        "required": [
          "id",
          "slug",
          "title_vi",
          "title_en",
          "description_vi",
          "description_en",
          "organization",
          "sectors",
          "topics",
          "tags",
          "license",
          "access",
          "state",
          "state_reason",
          "update_frequency",
          "temporal_start",
          "temporal_end",
          "spatial",
          "contact_name",
          "contact_email",
          "version",
          "extras",
          "created",
          "modified",
          "published",
          "resources"
        ],
        "properties": {
          "id": {"type": "string"},
          "slug": {"type": "string"},
          "title_vi": {"type": "string"},
          "title_en": {"type": "string"},
          "description_vi": {"type": "string"},
          "description_en": {"type": "string"},
          "organization": {
            "anyOf": [{"$ref": "#/components/schemas/OrganizationRef"}, {"type": "null"}]
          },
          "sectors": {"type": "array", "items": {"$ref": "#/components/schemas/GroupRef"}},
          "topics": {"type": "array", "items": {"$ref": "#/components/schemas/GroupRef"}},
          "tags": {"type": "array", "items": {"type": "string"}},
          "license": {"anyOf": [{"$ref": "#/components/schemas/License"}, {"type": "null"}]},
          "access": {"$ref": "#/components/schemas/AccessTier"},
          "state": {"$ref": "#/components/schemas/DatasetState"},
          "state_reason": {
            "type": "string",
            "description": "Reason given with the last workflow transition."
          },
          "pending_changes": {
            "description": "A change of a published dataset held for review (tier toward more readers, licence); null when none. The `access` and `license` fields stay in force until it is approved.",
            "anyOf": [
              {
                "type": "object",
                "properties": {
                  "access": {"anyOf": [{"$ref": "#/components/schemas/AccessTier"}, {"type": "null"}]},
                  "license_id": {"type": ["string", "null"]}
                }
              },
              {"type": "null"}
            ]
          },
          "update_frequency": {"$ref": "#/components/schemas/UpdateFrequency"},
          "temporal_start": {"type": ["string", "null"], "format": "date"},
          "temporal_end": {"type": ["string", "null"], "format": "date"},
          "spatial": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Administrative-unit codes covered."
          },
          "contact_name": {"type": "string"},
          "contact_email": {"type": "string"},
          "version": {"type": "string"},
          "extras": {"type": "object", "additionalProperties": {"type": "string"}},
          "created": {
            "type": "string",
            "format": "date-time",
            "examples": ["2024-05-01T08:30:00Z"]
          },
          "modified": {
            "type": "string",
            "format": "date-time",
            "examples": ["2024-05-01T08:30:00Z"]
          },
          "published": {
            "type": ["string", "null"],
            "format": "date-time",
            "description": "When first published; null if never."
          },
          "resources": {"type": "array", "items": {"$ref": "#/components/schemas/Resource"}}
        }
      },
      "DatasetInput": {
        "type": "object",
        "description": "Dataset fields to set. Absent (or null) fields keep their value (patch semantics). Numbers and booleans given for text fields are taken as text.",
        "properties": {
          "slug": {
            "type": "string",
            "pattern": "^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])$",
            "description": "URL name; derived from `title_vi` when absent on creation (with a numeric suffix if taken).",
            "examples": ["dan-so-theo-xa"]
          },
          "title_vi": {
            "type": "string",
            "maxLength": 500,
            "description": "Vietnamese title; required on creation."
          },
          "title_en": {"type": "string", "maxLength": 500},
          "description_vi": {"type": "string", "maxLength": 100000},
          "description_en": {"type": "string", "maxLength": 100000},
          "organization": {
            "type": "string",
            "description": "Owning organization, id or slug; required on creation."
          },
          "license_id": {"type": "string", "description": "A licence id; empty clears."},
          "access": {"$ref": "#/components/schemas/AccessTier"},
          "update_frequency": {"$ref": "#/components/schemas/UpdateFrequency"},
          "temporal_start": {
            "type": "string",
            "description": "YYYY-MM-DD, or empty.",
            "examples": ["2020-01-01"]
          },
          "temporal_end": {
            "type": "string",
            "description": "YYYY-MM-DD, or empty; not before `temporal_start`."
          },
          "contact_name": {"type": "string", "maxLength": 300},
          "contact_email": {"type": "string", "maxLength": 300},
          "version": {"type": "string", "maxLength": 100},
          "sectors": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Sector ids or slugs (replaces the list)."
          },
          "topics": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Topic ids or slugs (replaces the list)."
          },
          "tags": {
            "type": "array",
            "maxItems": 50,
            "items": {
              "anyOf": [
                {"type": "string", "minLength": 1, "maxLength": 100},
                {
                  "type": "object",
                  "required": ["name"],
                  "properties": {"name": {"type": "string"}},
                  "description": "CKAN's form."
                }
              ]
            }
          },
          "spatial": {"type": "array", "items": {"type": "string", "maxLength": 20}},
          "extras": {
            "description": "Extra key/value metadata (replaces all); an object or CKAN's list.",
            "anyOf": [
              {"type": "object", "additionalProperties": {"type": "string"}, "maxProperties": 100},
              {
                "type": "array",
                "maxItems": 100,
                "items": {
                  "type": "object",
                  "required": ["key", "value"],
                  "properties": {"key": {"type": "string"}, "value": {"type": "string"}}
                }
              }
            ]
          }
        }
      },
      "DatasetCreate": {
        "allOf": [
          {"$ref": "#/components/schemas/DatasetInput"},
          {"type": "object", "required": ["title_vi", "organization"]}
        ],
        "example": {
          "title_vi": "Dân số theo xã năm 2023",
          "title_en": "Population by commune, 2023",
          "organization": "so-ke-hoach-dau-tu",
          "license_id": "cc-by-4.0",
          "access": "public",
          "sectors": ["dan-so"],
          "tags": ["dân số", "thống kê"],
          "update_frequency": "annual"
        }
      },
      "TransitionInput": {
        "type": "object",
        "properties": {
          "reason": {
            "type": "string",
            "maxLength": 5000,
            "description": "Required (not blank) to reject or withdraw."
          }
        }
      },
      "DatasetEvent": {
        "type": "object",
        "required": ["action", "from_state", "to_state", "reason", "actor", "at"],
        "properties": {
          "action": {
            "type": "string",
            "examples": ["create", "update", "submit", "publish", "reject", "withdraw", "delete"]
          },
          "from_state": {"$ref": "#/components/schemas/DatasetState"},
          "to_state": {"$ref": "#/components/schemas/DatasetState"},
          "reason": {"type": "string"},
          "actor": {"type": "string", "description": "User name; empty if unknown."},
          "at": {"type": "string", "format": "date-time", "examples": ["2024-05-01T08:30:00Z"]}
        }
      },
      "FacetCount": {
        "type": "object",
        "required": ["value", "label", "count"],
        "properties": {
          "value": {"type": "string", "description": "The filter value (slug, id, tag, …)."},
          "label": {"type": "string", "description": "Vietnamese display label."},
          "count": {"type": "integer"}
        }
      },
      "SearchResult": {
        "type": "object",
        "required": ["count", "offset", "limit", "results", "facets"],
        "properties": {
          "count": {"type": "integer", "description": "Total number of matching datasets."},
          "offset": {"type": "integer"},
          "limit": {"type": "integer"},
          "results": {"type": "array", "items": {"$ref": "#/components/schemas/Dataset"}},
          "facets": {
            "type": "object",
            "description": "Counts per value, keyed by the filter parameter name.",
            "properties": {
              "organization": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/FacetCount"}
              },
              "sector": {"type": "array", "items": {"$ref": "#/components/schemas/FacetCount"}},
              "topic": {"type": "array", "items": {"$ref": "#/components/schemas/FacetCount"}},
              "tag": {"type": "array", "items": {"$ref": "#/components/schemas/FacetCount"}},
              "format": {"type": "array", "items": {"$ref": "#/components/schemas/FacetCount"}},
              "license": {"type": "array", "items": {"$ref": "#/components/schemas/FacetCount"}},
              "access": {"type": "array", "items": {"$ref": "#/components/schemas/FacetCount"}}
            },
            "additionalProperties": {
              "type": "array",
              "items": {"$ref": "#/components/schemas/FacetCount"}
            }
          }
        }
      },
      "ResourceInput": {
        "type": "object",
        "description": "A link resource, or metadata changes. Absent fields keep their value.",
        "properties": {
          "name": {"type": "string", "maxLength": 500, "description": "Defaults to the URL."},
          "description": {"type": "string", "maxLength": 20000},
          "format": {
            "type": "string",
            "maxLength": 50,
            "description": "Defaults to the one the URL's extension implies."
          },
          "url": {
            "type": "string",
            "maxLength": 4000,
            "description": "http:// or https:// link (for link resources)."
          }
        }
      },
      "ResourceUpload": {
        "type": "object",
        "description": "multipart/form-data: text fields plus one file part named `upload` or `file`. A file makes the resource an upload (a new version when it already had a file).",
        "properties": {
          "name": {"type": "string", "maxLength": 500, "description": "Defaults to the file name."},
          "description": {"type": "string", "maxLength": 20000},
          "format": {
            "type": "string",
            "maxLength": 50,
            "description": "Defaults to the one the file name's extension implies."
          },
          "url": {"type": "string"},
          "upload": {
            "type": "string",
            "format": "binary",
            "contentMediaType": "application/octet-stream"
          },
          "file": {
            "type": "string",
            "format": "binary",
            "contentMediaType": "application/octet-stream",
            "description": "Alternative name for `upload`; send only one file."
          }
        }
      },
      "Organization": {
        "type": "object",
        "required": [
          "id",
          "slug",
          "title_vi",
          "title_en",
          "description_vi",
          "description_en",
          "parent_id",
          "image_url",
          "email",
          "created",
          "modified"
        ],
        "properties": {
          "id": {"type": "string"},
          "slug": {"type": "string"},
          "title_vi": {"type": "string"},
          "title_en": {"type": "string"},
          "description_vi": {"type": "string"},
          "description_en": {"type": "string"},
          "parent_id": {"type": ["string", "null"]},
          "image_url": {"type": "string"},
          "email": {"type": "string"},
          "created": {
            "type": "string",
            "format": "date-time",
            "examples": ["2024-05-01T08:30:00Z"]
          },
          "modified": {
            "type": "string",
            "format": "date-time",
            "examples": ["2024-05-01T08:30:00Z"]
          },
          "dataset_count": {
            "type": "integer",
            "description": "Datasets the caller can find (lists and single reads)."
          }
        }
      },
      "OrganizationInput": {
        "type": "object",
        "description": "Absent fields keep their value. `title_vi` is required on creation; the slug is derived from it when absent.",
        "properties": {
          "slug": {
            "type": "string",
            "pattern": "^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])$",
            "description": "2–100 characters of a-z, 0-9 and '-', not starting or ending with '-'.",
            "examples": ["dan-so-theo-xa"]
          },
          "title_vi": {"type": "string", "maxLength": 300},
          "title_en": {"type": "string", "maxLength": 300},
          "description_vi": {"type": "string", "maxLength": 20000},
          "description_en": {"type": "string", "maxLength": 20000},
          "parent": {
            "type": "string",
            "description": "Parent organization, id or slug; empty clears."
          },
          "image_url": {"type": "string", "maxLength": 2000},
          "email": {"type": "string", "maxLength": 300}
        }
      },
      "Member": {
        "type": "object",
        "required": ["username", "display_name", "role"],
        "properties": {
          "username": {"type": "string"},
          "display_name": {"type": "string"},
          "role": {"$ref": "#/components/schemas/OrgRole"}
        }
      },
      "Group": {
        "type": "object",
        "description": "A sector (lĩnh vực) or topic (chủ đề).",
        "required": [
          "id",
          "kind",
          "slug",
          "title_vi",
          "title_en",
          "description_vi",
          "description_en",
          "position"
        ],
        "properties": {
          "id": {"type": "string"},
          "kind": {"type": "string", "enum": ["sector", "topic"]},
          "slug": {"type": "string"},
          "title_vi": {"type": "string"},
          "title_en": {"type": "string"},
          "description_vi": {"type": "string"},
          "description_en": {"type": "string"},
          "position": {"type": "integer", "description": "Display order."},
          "dataset_count": {
            "type": "integer",
            "description": "Datasets the caller can find (lists and single reads)."
          }
        }
      },
      "GroupInput": {
        "type": "object",
        "description": "Absent fields keep their value. `title_vi` is required on creation; the slug is derived from it when absent.",
        "properties": {
          "slug": {
            "type": "string",
            "pattern": "^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])$",
            "description": "2–100 characters of a-z, 0-9 and '-', not starting or ending with '-'.",
            "examples": ["dan-so-theo-xa"]
          },
          "title_vi": {"type": "string", "maxLength": 300},
          "title_en": {"type": "string", "maxLength": 300},
          "description_vi": {"type": "string", "maxLength": 20000},
          "description_en": {"type": "string", "maxLength": 20000},
          "position": {
            "type": ["integer", "string"],
            "description": "An integer (a string of digits is accepted)."
          }
        }
      },
      "LicenseInput": {
        "type": "object",
        "required": ["title_vi"],
        "properties": {
          "title_vi": {"type": "string", "minLength": 1, "maxLength": 300},
          "title_en": {"type": "string", "maxLength": 300},
          "url": {"type": "string", "maxLength": 2000},
          "is_open": {"type": "boolean", "default": false}
        }
      },
      "User": {
        "type": "object",
        "required": ["id", "username", "display_name", "sysadmin", "disabled", "created", "email"],
        "properties": {
          "id": {"type": "string"},
          "username": {"type": "string"},
          "display_name": {"type": "string"},
          "sysadmin": {"type": "boolean"},
          "disabled": {"type": "boolean"},
          "created": {
            "type": "string",
            "format": "date-time",
            "examples": ["2024-05-01T08:30:00Z"]
          },
          "email": {"type": "string"}
        }
      },
      "Me": {
        "allOf": [
          {"$ref": "#/components/schemas/User"},
          {
            "type": "object",
            "required": ["organizations"],
            "properties": {
              "organizations": {
                "type": "array",
                "items": {
                  "type": "object",
                  "required": ["slug", "title_vi", "role"],
                  "properties": {
                    "slug": {"type": "string"},
                    "title_vi": {"type": "string"},
                    "role": {"$ref": "#/components/schemas/OrgRole"}
                  }
                }
              },
              "csrf_token": {
                "type": "string",
                "description": "Present when authenticated by the session cookie: send it as X-CSRF-Token on writes."
              }
            }
          }
        ]
      },
      "RegisterInput": {
        "type": "object",
        "required": ["username", "email", "password"],
        "properties": {
          "username": {"type": "string", "pattern": "^[a-z0-9_.-]{2,60}$"},
          "email": {"type": "string", "format": "email"},
          "password": {"type": "string", "minLength": 8, "format": "password"},
          "display_name": {
            "type": "string",
            "maxLength": 200,
            "description": "Defaults to the user name."
          }
        }
      },
      "LoginInput": {
        "type": "object",
        "description": "Log in with a user name or an e-mail address (`username` may also hold an address).",
        "required": ["password"],
        "properties": {
          "username": {"type": "string"},
          "email": {"type": "string"},
          "password": {"type": "string", "format": "password"}
        }
      },
      "LoginResult": {
        "type": "object",
        "required": ["user", "csrf_token"],
        "properties": {
          "user": {"$ref": "#/components/schemas/User"},
          "csrf_token": {
            "type": "string",
            "description": "Send as X-CSRF-Token on writes made with the session cookie."
          }
        }
      },
      "ApiToken": {
        "type": "object",
        "required": ["id", "name", "created", "last_used", "revoked"],
        "properties": {
          "id": {"type": "string"},
          "name": {"type": "string"},
          "created": {
            "type": "string",
            "format": "date-time",
            "examples": ["2024-05-01T08:30:00Z"]
          },
          "last_used": {"type": ["string", "null"], "format": "date-time"},
          "revoked": {"type": "boolean"}
        }
      },
      "NewApiToken": {
        "type": "object",
        "required": ["id", "name", "token", "created"],
        "properties": {
          "id": {"type": "string"},
          "name": {"type": "string"},
          "token": {
            "type": "string",
            "description": "The secret, shown only once: send it in the Authorization header."
          },
          "created": {
            "type": "string",
            "format": "date-time",
            "examples": ["2024-05-01T08:30:00Z"]
          }
        }
      }
    },
    "parameters": {
      "CsrfToken": {
        "name": "X-CSRF-Token",
        "in": "header",
        "required": false,
        "description": "Required on writes authenticated by the `odp_session` cookie: the `csrf_token` returned by login or /api/v1/me. Not needed with an API token. A missing or wrong value is 403.",
        "schema": {"type": "string"}
      },
      "DatasetId": {
        "name": "id",
        "in": "path",
        "required": true,
        "description": "Dataset id or slug.",
        "schema": {"type": "string"}
      },
      "ResourceId": {
        "name": "id",
        "in": "path",
        "required": true,
        "description": "Resource id.",
        "schema": {"type": "string"}
      },
      "OrganizationId": {
        "name": "id",
        "in": "path",
        "required": true,
        "description": "Organization id or slug.",
        "schema": {"type": "string"}
      },
      "GroupId": {
        "name": "id",
        "in": "path",
        "required": true,
        "description": "Sector or topic id or slug.",
        "schema": {"type": "string"}
      },
      "LicenseId": {
        "name": "id",
        "in": "path",
        "required": true,
        "description": "Licence id: a-z, 0-9 and '-' (e.g. `cc-by-4.0`).",
        "schema": {"type": "string"}
      },
      "Username": {
        "name": "user",
        "in": "path",
        "required": true,
        "description": "User name.",
        "schema": {"type": "string"}
      },
      "TokenId": {
        "name": "id",
        "in": "path",
        "required": true,
        "description": "API token id.",
        "schema": {"type": "string"}
      },
      "q": {
        "name": "q",
        "in": "query",
        "required": false,
        "description": "Full-text query over titles, descriptions and tags; Vietnamese tone marks and đ are folded, so `dan so` finds `dân số`.",
        "schema": {"type": "string"}
      },
      "organization": {
        "name": "organization",
        "in": "query",
        "required": false,
        "style": "form",
        "explode": true,
        "description": "Organization slug(s). Repeat the parameter or separate values with commas; values of one parameter are alternatives (OR), different parameters combine (AND).",
        "schema": {"type": "array", "items": {"type": "string"}}
      },
      "sector": {
        "name": "sector",
        "in": "query",
        "required": false,
        "style": "form",
        "explode": true,
        "description": "Sector slug(s). Repeat the parameter or separate values with commas; values of one parameter are alternatives (OR), different parameters combine (AND).",
        "schema": {"type": "array", "items": {"type": "string"}}
      },
      "topic": {
        "name": "topic",
        "in": "query",
        "required": false,
        "style": "form",
        "explode": true,
        "description": "Topic slug(s). Repeat the parameter or separate values with commas; values of one parameter are alternatives (OR), different parameters combine (AND).",
        "schema": {"type": "array", "items": {"type": "string"}}
      },
      "tag": {
        "name": "tag",
        "in": "query",
        "required": false,
        "style": "form",
        "explode": true,
        "description": "Tag(s). Repeat the parameter or separate values with commas; values of one parameter are alternatives (OR), different parameters combine (AND).",
        "schema": {"type": "array", "items": {"type": "string"}}
      },
      "format": {
        "name": "format",
        "in": "query",
        "required": false,
        "style": "form",
        "explode": true,
        "description": "Resource format(s), e.g. CSV, XLSX. Repeat the parameter or separate values with commas; values of one parameter are alternatives (OR), different parameters combine (AND).",
        "schema": {"type": "array", "items": {"type": "string"}}
      },
      "license": {
        "name": "license",
        "in": "query",
        "required": false,
        "style": "form",
        "explode": true,
        "description": "Licence id(s). Repeat the parameter or separate values with commas; values of one parameter are alternatives (OR), different parameters combine (AND).",
        "schema": {"type": "array", "items": {"type": "string"}}
      },
      "access": {
        "name": "access",
        "in": "query",
        "required": false,
        "style": "form",
        "explode": true,
        "description": "Access tier(s): public, registered, shared, internal. Repeat the parameter or separate values with commas; values of one parameter are alternatives (OR), different parameters combine (AND).",
        "schema": {"type": "array", "items": {"type": "string"}}
      },
      "sort": {
        "name": "sort",
        "in": "query",
        "required": false,
        "description": "Result order: `relevance` (default), `newest`/`oldest` (creation), `updated` (last modified first), `title`/`-title` (Vietnamese collation), `name` (slug).",
        "schema": {
          "type": "string",
          "default": "relevance",
          "enum": ["relevance", "newest", "oldest", "updated", "title", "-title", "name"]
        }
      },
      "limit": {
        "name": "limit",
        "in": "query",
        "required": false,
        "description": "Page size.",
        "schema": {"type": "integer", "minimum": 0, "maximum": 1000, "default": 20}
      },
      "offset": {
        "name": "offset",
        "in": "query",
        "required": false,
        "description": "Number of results to skip.",
        "schema": {"type": "integer", "minimum": 0, "maximum": 100000000, "default": 0}
      },
      "page": {
        "name": "page",
        "in": "query",
        "required": false,
        "description": "1-based page number; when given, the offset is (page − 1) × limit and `offset` is ignored.",
        "schema": {"type": "integer", "minimum": 1, "maximum": 1000000}
      },
      "facet_limit": {
        "name": "facet_limit",
        "in": "query",
        "required": false,
        "description": "Maximum values per facet; -1 for all.",
        "schema": {"type": "integer", "minimum": -1, "maximum": 10000, "default": 50}
      },
      "include_unpublished": {
        "name": "include_unpublished",
        "in": "query",
        "required": false,
        "description": "`true` also returns unpublished datasets of the caller's organizations.",
        "schema": {"type": "boolean", "default": false}
      }
    },
    "responses": {
      "BadRequest": {
        "description": "Invalid parameter or body (see `error.details`).",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "Unauthorized": {
        "description": "Not authenticated: a wrong or revoked API token, or login required.",
        "headers": {
          "WWW-Authenticate": {"schema": {"type": "string"}, "example": "Bearer realm=\"odp\""}
        },
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "Forbidden": {
        "description": "Not allowed for this caller (role, access policy, closed registration) or missing CSRF token.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "NotFound": {
        "description": "No such object, or one the caller may not read.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "Conflict": {
        "description": "Already exists (slug, user name, e-mail) or the workflow state does not allow the action.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "PayloadTooLarge": {
        "description": "Body or upload larger than the configured limit.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "NoContent": {"description": "Done; no body."}
    },
    "securitySchemes": {
      "apiKey": {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "An API token (create one with POST /api/v1/me/tokens), raw or as `Bearer <token>`. `X-CKAN-API-Key: <token>` is also accepted. A wrong or revoked token is 401, never anonymous."
      },
      "cookieSession": {
        "type": "apiKey",
        "in": "cookie",
        "name": "odp_session",
        "description": "Browser session set by POST /api/v1/auth/login. Writes (POST, PUT, PATCH, DELETE) with the cookie must send the session's CSRF token in the `X-CSRF-Token` header."
      }
    }
  }
}
)OPENAPI";
  return kDoc;
}

}  // namespace odp::api
