// Inter-agency sharing (issue 17; sharing/sharing.h) on the real server, on SQLite or on
// PostgreSQL (ODP_TEST_PG): a provider offers a table, a requesting agency asks for it with a
// PDF letter, the provider asks for more information, the requester answers, the provider
// approves narrower or refuses; who may see and do what; the two-working-day clock and the
// announced calendar days; notifications; the pages.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, makeOrg, fileForm, loadEnded } from './harness.mjs';

const PROVIDER = 'so-tai-nguyen-moi-truong';
const REQUESTER = 'so-tu-phap';
const CSV = 'Họ tên,Số CCCD,Huyện,Năm\nNguyễn Văn An,001090000123,Ba Vì,2021\nTrần Thị Bình,001190000456,Sơn Tây,2022\nLê Văn Cường,001090000789,Ba Vì,2023\n';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

function requestForm(fields, letter = PDF, name = 'cong-van.pdf') {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (letter) fd.append('file', new Blob([letter], { type: 'application/pdf' }), name);
  return fd;
}

describe('data sharing: offer → request → decision', () => {
  let srv, root, padmin, rmember, radmin, outsider, stranger, service, consumer, offerBody;
  const base = () => ({
    service_id: service.id, consumer_id: consumer, columns: 'ho_ten,so_cccd,huyen', row_filter: 'huyen=Ba Vì',
    purpose: 'Xác minh hồ sơ thủ tục hành chính', legal_document_number: '123/STP-HCTP',
    legal_document_date: '2026-11-20', period_from: '2027-01-01', period_to: '2027-12-31',
    expected_requests_per_day: '500', expected_rows_per_day: '2000', personal_data: 'true',
    personal_data_basis: 'Điều 19 Luật Bảo vệ dữ liệu cá nhân: thực hiện nhiệm vụ theo quy định của pháp luật',
    contact_name: 'Phạm Thu Hà', contact_email: 'ha@stp.gov.vn', contact_phone: '0243 123 456',
  });

  before(async () => {
    srv = await startServer();
    root = addUser(srv, 'donvidulieu', { sysadmin: true });
    await makeOrg(srv, root, PROVIDER, 'Sở Tài nguyên và Môi trường');
    await makeOrg(srv, root, REQUESTER, 'Sở Tư pháp');
    await makeOrg(srv, root, 'so-khac', 'Sở Khác');
    padmin = addUser(srv, 'quantri-tnmt', { org: PROVIDER, role: 'admin' });
    radmin = addUser(srv, 'quantri-tp', { org: REQUESTER, role: 'admin' });
    rmember = addUser(srv, 'canbo-tp', { org: REQUESTER, role: 'member' });
    outsider = addUser(srv, 'quantri-khac', { org: 'so-khac', role: 'admin' });
    stranger = addUser(srv, 'nguoi-dan');
    const d = await call(srv, 'POST', '/api/v1/datasets', {
      token: padmin, body: { title_vi: 'Hộ sử dụng đất', organization: PROVIDER, access: 'shared' },
    });
    assert.equal(d.status, 201, d.text);
    const r = await call(srv, 'POST', `/api/v1/datasets/${d.json.id}/resources`, {
      token: padmin, body: fileForm(CSV, 'ho.csv', { name: 'Danh sách hộ' }),
    });
    assert.equal(r.status, 201, r.text);
    await loadEnded(srv, r.json.id, padmin, (s) => s.job.state === 'done');
    offerBody = {
      resource_id: r.json.id, title_vi: 'Tra cứu hộ sử dụng đất', title_en: 'Land users lookup',
      legal_basis: 'Nghị định 47/2020/NĐ-CP', terms: 'Chỉ dùng cho thủ tục hành chính',
      sample_masks: { so_cccd: 'partial' }, personal_data: true,
      descriptions: { so_cccd: 'Số căn cước công dân' },
    };
    const offered = await call(srv, 'POST', '/api/v1/sharing/services', { token: padmin, body: offerBody });
    assert.equal(offered.status, 201, offered.text);
    service = offered.json;
    const c = await call(srv, 'POST', '/api/v1/consumers', {
      token: radmin,
      body: {
        organization: REQUESTER, agency_code: '000.00.15.H41', system_code: 'ho-tich', name: 'Hệ thống hộ tịch',
        technical_contact: { name: 'Kỹ thuật viên', email: 'kt@stp.gov.vn' },
      },
    });
    assert.equal(c.status, 201, c.text);
    consumer = c.json.id;
    assert.equal((await call(srv, 'POST', `/api/v1/consumers/${consumer}/approve`, { token: root, body: {} })).status, 200);
  });
  after(async () => srv?.stop());

  test('the offer carries fields with descriptions, a masked sample and an OpenAPI fragment', async () => {
    assert.deepEqual(service.fields.map((f) => f.id), ['ho_ten', 'so_cccd', 'huyen', 'nam']);
    assert.equal(service.fields[1].description, 'Số căn cước công dân');
    assert.equal(service.sample.rows.length, 3);
    assert.match(String(service.sample.rows[0][1]), /^\d{4}\*\*\*\d{3}$/);
    assert.ok(!JSON.stringify(service).includes('001090000123'), 'the raw CCCD must not appear');
    // The CCCD column is flagged as personal data and nobody has reviewed it: without the
    // publisher's sample mask it is hidden in the sample, not shown raw.
    const offer = (await call(srv, 'GET', `/api/v1/sharing/services/${service.id}`, { token: padmin })).json;
    const unmasked = await call(srv, 'PUT', `/api/v1/sharing/services/${service.id}`, {
      token: padmin, body: { ...offerBody, sample_masks: {} },
    });
    assert.equal(unmasked.status, 200, unmasked.text);
    assert.equal(unmasked.json.sample.rows[0][1], '•••');
    assert.ok(!unmasked.text.includes('001090000123'), unmasked.text);
    const again = await call(srv, 'PUT', `/api/v1/sharing/services/${service.id}`, { token: padmin, body: offerBody });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.json.sample, offer.sample);
    const oa = await call(srv, 'GET', `/api/v1/sharing/services/${service.id}/openapi.json`, { token: rmember });
    assert.equal(oa.status, 200, oa.text);
    assert.equal(oa.json.openapi, '3.1.0');
    assert.ok(oa.json.components.schemas.Row.properties.so_cccd);
  });

  test('the catalogue is for staff of agencies; only the owner\'s admins offer', async () => {
    const list = await call(srv, 'GET', '/api/v1/sharing/services', { token: rmember });
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.json.services.map((s) => s.id), [service.id]);
    assert.equal((await call(srv, 'GET', '/api/v1/sharing/services', { token: stranger })).status, 403);
    assert.ok([401, 403].includes((await call(srv, 'GET', '/api/v1/sharing/services')).status));
    const byMember = await call(srv, 'POST', '/api/v1/sharing/services', {
      token: rmember, body: { resource_id: service.resource_id, title_vi: 'X', legal_basis: 'Y' },
    });
    assert.ok([400, 403].includes(byMember.status), byMember.text);
    assert.equal((await call(srv, 'POST', `/api/v1/sharing/services/${service.id}/withdraw`, { token: rmember, body: {} })).status, 403);
  });

  test('a letter that is not a PDF, or missing personal-data grounds, is refused', async () => {
    const notPdf = await call(srv, 'POST', '/api/v1/sharing/requests', {
      token: rmember, body: requestForm(base(), Buffer.from('<html>công văn</html>'), 'cong-van.pdf'),
    });
    assert.equal(notPdf.status, 400, notPdf.text);
    assert.ok(notPdf.json.error.details.letter, notPdf.text);
    const noGrounds = await call(srv, 'POST', '/api/v1/sharing/requests', {
      token: rmember, body: requestForm({ ...base(), personal_data_basis: '' }),
    });
    assert.equal(noGrounds.status, 400, noGrounds.text);
    assert.ok(noGrounds.json.error.details.personal_data_basis);
    const badFilter = await call(srv, 'POST', '/api/v1/sharing/requests', {
      token: rmember, body: requestForm({ ...base(), row_filter: 'xa=1' }),
    });
    assert.equal(badFilter.status, 400, badFilter.text);
    assert.ok(badFilter.json.error.details.row_filter);
    const byOutsider = await call(srv, 'POST', '/api/v1/sharing/requests', { token: outsider, body: requestForm(base()) });
    assert.equal(byOutsider.status, 400, byOutsider.text);
    assert.ok(byOutsider.json.error.details.consumer_id, 'another agency\'s system cannot be used');
  });

  test('request → ask for information → answer → approve narrower; every step kept', async () => {
    const sent = await call(srv, 'POST', '/api/v1/sharing/requests', { token: rmember, body: requestForm(base()) });
    assert.equal(sent.status, 201, sent.text);
    const id = sent.json.id;
    assert.equal(sent.json.state, 'submitted');
    assert.equal(sent.json.clock.state, 'running');
    assert.equal(sent.json.clock.working_days_left, 2);
    assert.match(sent.json.clock.deadline, /T16:59:59Z$/);  // 23:59:59 in Viet Nam
    assert.ok(Date.parse(sent.json.clock.deadline) - Date.now() > 2 * 86400e3);

    // The provider's admin is told; outsiders do not see the request.
    const bell = await call(srv, 'GET', '/api/v1/notifications', { token: padmin });
    assert.ok(bell.json.unread >= 1);
    assert.equal(bell.json.notifications[0].kind, 'sharing_request');
    assert.equal(bell.json.notifications[0].link, `/chia-se/yeu-cau/${id}`);
    assert.equal((await call(srv, 'GET', `/api/v1/sharing/requests/${id}`, { token: outsider })).status, 404);
    assert.equal((await call(srv, 'GET', `/api/v1/sharing/requests/${id}`, { token: stranger })).status, 404);
    const letter = await call(srv, 'GET', `/api/v1/sharing/requests/${id}/letter`, { token: padmin });
    assert.equal(letter.status, 200);
    assert.equal(letter.headers.get('content-type'), 'application/pdf');
    assert.equal(letter.bytes.subarray(0, 5).toString(), '%PDF-');
    const incoming = await call(srv, 'GET', '/api/v1/sharing/requests', { token: padmin });
    assert.deepEqual(incoming.json.incoming.map((r) => r.id), [id]);
    assert.deepEqual(incoming.json.mine, []);

    // The requester may not decide.
    assert.equal((await call(srv, 'POST', `/api/v1/sharing/requests/${id}/approve`, { token: rmember, body: {} })).status, 403);
    const asked = await call(srv, 'POST', `/api/v1/sharing/requests/${id}/ask-info`, {
      token: padmin, body: { question: 'Đề nghị gửi quyết định giao nhiệm vụ' },
    });
    assert.equal(asked.status, 200, asked.text);
    assert.equal(asked.json.state, 'info_requested');
    assert.equal(asked.json.clock.state, 'stopped');
    assert.equal(asked.json.clock.deadline, null);
    const told = await call(srv, 'GET', '/api/v1/notifications', { token: rmember });
    assert.equal(told.json.notifications[0].kind, 'sharing_question');
    assert.equal((await call(srv, 'POST', `/api/v1/sharing/requests/${id}/approve`, { token: padmin, body: {} })).status, 409);

    const answered = await call(srv, 'POST', `/api/v1/sharing/requests/${id}/answer`, {
      token: rmember, body: { answer: 'Đã gửi kèm Quyết định 45/QĐ-STP' },
    });
    assert.equal(answered.status, 200, answered.text);
    assert.equal(answered.json.state, 'submitted');
    assert.equal(answered.json.clock.state, 'running');
    assert.equal(answered.json.clock.working_days_left, 2);

    const wider = await call(srv, 'POST', `/api/v1/sharing/requests/${id}/approve`, {
      token: padmin, body: { columns: ['ho_ten', 'nam'], valid_to: '2028-12-31' },
    });
    assert.equal(wider.status, 400, wider.text);
    assert.ok(wider.json.error.details.columns && wider.json.error.details.valid_to);
    const approved = await call(srv, 'POST', `/api/v1/sharing/requests/${id}/approve`, {
      token: padmin,
      body: {
        columns: ['ho_ten', 'so_cccd', 'huyen'], row_filter: 'ho_ten[startswith]=Nguyễn', masks: { so_cccd: 'partial' },
        valid_to: '2027-06-30', quota_requests_per_day: 200, quota_rows_per_day: 1000, rate_per_minute: 30,
        note: 'Chỉ cấp hai cột cần thiết',
      },
    });
    assert.equal(approved.status, 200, approved.text);
    assert.equal(approved.json.state, 'approved');
    assert.equal(approved.json.clock.state, 'done');
    assert.deepEqual(approved.json.terms, {
      dataset_id: service.dataset_id, resource_id: service.resource_id, consumer_id: consumer,
      columns: ['ho_ten', 'so_cccd', 'huyen'], row_filter: 'huyen=Ba Vì&ho_ten[startswith]=Nguyễn',
      masks: { so_cccd: 'partial' }, valid_from: '2027-01-01', valid_to: '2027-06-30',
      quota_requests_per_day: 200, quota_rows_per_day: 1000, rate_per_minute: 30,
    });
    assert.deepEqual(approved.json.events.map((e) => [e.action, e.actor, e.to_state]), [
      ['submit', 'canbo-tp', 'submitted'],
      ['ask_info', 'quantri-tnmt', 'info_requested'],
      ['answer', 'canbo-tp', 'submitted'],
      ['approve', 'quantri-tnmt', 'approved'],
    ]);
    const decided = await call(srv, 'GET', '/api/v1/notifications', { token: rmember });
    assert.equal(decided.json.notifications[0].kind, 'sharing_decision');

    // The request's page shows the history and the approved terms.
    const page = await call(srv, 'GET', `/chia-se/yeu-cau/${id}`, { token: rmember });
    assert.equal(page.status, 200);
    assert.match(page.text, /Đã phê duyệt/);
    assert.match(page.text, /huyen=Ba Vì&amp;ho_ten\[startswith\]=Nguyễn/);
    assert.match(page.text, /Đề nghị gửi quyết định giao nhiệm vụ/);
  });

  test('a refusal needs written reasons; withdrawing is the requester\'s', async () => {
    const sent = await call(srv, 'POST', '/api/v1/sharing/requests', { token: rmember, body: requestForm(base()) });
    assert.equal(sent.status, 201, sent.text);
    const id = sent.json.id;
    assert.equal((await call(srv, 'POST', `/api/v1/sharing/requests/${id}/refuse`, { token: padmin, body: {} })).status, 400);
    assert.equal((await call(srv, 'POST', `/api/v1/sharing/requests/${id}/withdraw`, { token: padmin, body: {} })).status, 403);
    const refused = await call(srv, 'POST', `/api/v1/sharing/requests/${id}/refuse`, {
      token: padmin, body: { reason: 'Mục đích không thuộc phạm vi chia sẻ' },
    });
    assert.equal(refused.status, 200, refused.text);
    assert.equal(refused.json.state, 'refused');
    assert.equal(refused.json.refusal_reason, 'Mục đích không thuộc phạm vi chia sẻ');
    assert.equal((await call(srv, 'POST', `/api/v1/sharing/requests/${id}/withdraw`, { token: rmember, body: {} })).status, 409);
  });

  test('announced days off move the clock; only the data unit edits them', async () => {
    const first = await call(srv, 'POST', '/api/v1/sharing/requests', { token: rmember, body: requestForm(base()) });
    assert.equal(first.status, 201, first.text);
    const due = first.json.clock.deadline;
    // Vietnamese date of the deadline (UTC+7).
    const dueDay = new Date(Date.parse(due) + 7 * 3600e3).toISOString().slice(0, 10);
    assert.equal((await call(srv, 'PUT', `/api/v1/sharing/calendar/${dueDay}`, {
      token: padmin, body: { kind: 'day_off', note: 'Thông báo nghỉ bù' },
    })).status, 403);
    const put = await call(srv, 'PUT', `/api/v1/sharing/calendar/${dueDay}`, {
      token: root, body: { kind: 'day_off', note: 'Thông báo số 1/TB-UBND' },
    });
    assert.equal(put.status, 200, put.text);
    const cal = await call(srv, 'GET', `/api/v1/sharing/calendar?year=${dueDay.slice(0, 4)}`, { token: rmember });
    assert.equal(cal.status, 200, cal.text);
    assert.ok(cal.json.announced.some((d) => d.day === dueDay && d.kind === 'day_off'));
    assert.ok(cal.json.days_off.some((d) => d.day === dueDay && d.kind === 'announced'));
    const second = await call(srv, 'POST', '/api/v1/sharing/requests', { token: rmember, body: requestForm(base()) });
    assert.equal(second.status, 201, second.text);
    assert.ok(second.json.clock.deadline > due, `${second.json.clock.deadline} should be after ${due}`);
    assert.equal((await call(srv, 'DELETE', `/api/v1/sharing/calendar/${dueDay}`, { token: root })).status, 204);
    const third = await call(srv, 'POST', '/api/v1/sharing/requests', { token: rmember, body: requestForm(base()) });
    assert.equal(third.json.clock.deadline, due);
    // Nothing is overdue yet; the board is the data unit's.
    const board = await call(srv, 'GET', '/api/v1/sharing/overdue', { token: root });
    assert.equal(board.status, 200);
    assert.deepEqual(board.json.requests, []);
    assert.equal((await call(srv, 'GET', '/api/v1/sharing/overdue', { token: padmin })).status, 403);
  });

  test('pages: catalogue, service, my requests with clocks, calendar, notifications (vi and en)', async () => {
    const cat = await call(srv, 'GET', '/chia-se', { token: rmember });
    assert.equal(cat.status, 200);
    assert.match(cat.text, /Tra cứu hộ sử dụng đất/);
    assert.match(cat.text, /id="bell"/);
    const en = await call(srv, 'GET', '/en/chia-se', { token: rmember });
    assert.equal(en.status, 200);
    assert.match(en.text, /Land users lookup/);
    assert.match(en.text, /Data sharing catalogue/);
    const svc = await call(srv, 'GET', `/chia-se/dich-vu/${service.id}`, { token: rmember });
    assert.equal(svc.status, 200);
    assert.match(svc.text, /\d{4}\*\*\*\d{3}/);
    assert.match(svc.text, /enctype="multipart\/form-data"/);
    const mine = await call(srv, 'GET', '/chia-se/yeu-cau', { token: rmember });
    assert.equal(mine.status, 200);
    assert.match(mine.text, /ngày làm việc còn lại/);
    assert.equal((await call(srv, 'GET', '/chia-se', { token: stranger })).status, 403);
    assert.equal((await call(srv, 'GET', '/chia-se/lich', { token: padmin })).status, 403);
    const lich = await call(srv, 'GET', '/chia-se/lich', { token: root });
    assert.equal(lich.status, 200);
    assert.match(lich.text, /Tết Nguyên Đán|Tết/);
    const bell = await call(srv, 'GET', '/thong-bao', { token: padmin });
    assert.equal(bell.status, 200);
    assert.match(bell.text, /Yêu cầu chia sẻ dữ liệu mới/);
  });
});
