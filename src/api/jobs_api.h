// The jobs layer over HTTP, for sysadmins: what runs, waits, failed and is scheduled, and the
// retry and cancel actions.
//
//   GET  /api/v1/jobs               counts, running, queued, failed, history, schedules
//                                   (?history=N: how many finished runs, default 50, at most 500)
//   GET  /api/v1/jobs/{id}          one run
//   POST /api/v1/jobs/{id}/retry    a failed run queued again (409 otherwise)
//   POST /api/v1/jobs/{id}/cancel   a queued run cancelled, a running one told to stop (409
//                                   when it is over)
//
// Everyone else gets 403 (401 anonymous); 503 when the server runs no jobs.
#pragma once

#include "api/context.h"
#include "api/response.h"
#include "api/router.h"
#include "store/job_store.h"

namespace odp::api {

// A run as the API shows it (times as ISO 8601 UTC, "" when unset).
json JobRunJson(const store::JobRun& r);
json JobScheduleJson(const store::JobSchedule& s);

void RegisterJobs(Router& router, ApiContext& ctx);

}  // namespace odp::api
