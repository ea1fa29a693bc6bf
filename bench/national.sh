#!/usr/bin/env bash
# The national press award 2021 as its rules are written, through the real
# server and its pages: five sub-councils with their own shortlist quotas
# (printed 15, online 32, television 30, radio 15, photo 9), 25 judges (5 per
# sub-council) and a final council of 9 in which every member scores every
# finalist, tiers special 1 (minimum 9.8, not reached), A 6, B 12, C 16,
# encouragement 30, ten topic prizes, an outlet directory with other names.
# The council records the special prize as not awarded. 2,081 entries are imported from an .xlsx list, accepted
# in bulk, judged by three judges each, shortlisted, judged again, ranked and
# exported. Prints the time of each step and the prizes given.
# Usage: bash bench/national.sh   (KEHOACH_BIN=… to use another build)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
port=18093
secs=0
source "$root/bench/common.sh"
start_server --demo
python3 - "$port" "$data" "$bin" <<'PY'
import html.parser, io, json, random, re, sqlite3, subprocess, sys, threading, time, urllib.parse, urllib.request, zipfile
port, data, binary = int(sys.argv[1]), sys.argv[2], sys.argv[3]
base = f'http://127.0.0.1:{port}'
random.seed(2021)

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k): return None
opener = urllib.request.build_opener(NoRedirect)

def call(method, path, cookie=None, form=None, body=None, ctype=None):
    headers = {'Origin': base}
    if cookie: headers['Cookie'] = cookie
    if form is not None:
        body = urllib.parse.urlencode(form, doseq=True).encode()
        ctype = 'application/x-www-form-urlencoded'
    if ctype: headers['Content-Type'] = ctype
    req = urllib.request.Request(base + path, data=body, method=method, headers=headers)
    try:
        r = opener.open(req, timeout=600)
        return r.status, r.read(), r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers

def login(user, password):
    status, _, headers = call('POST', '/login', form={'username': user, 'password': password})
    cookie = headers.get('Set-Cookie', '')
    assert cookie.startswith('kh_session='), (user, status)
    return cookie.split(';')[0]

def ok(status, body, what):
    if status not in (200, 303):
        sys.exit(f'{what}: {status} {body[:2000].decode(errors="replace")}')

timings = []
def timed(label, f):
    t = time.perf_counter(); out = f(); ms = (time.perf_counter() - t) * 1000
    timings.append((label, ms)); print(f'{label}: {ms:.0f} ms', flush=True)
    return out

class Form(html.parser.HTMLParser):
    """The fields of the edition form as the page shows them."""
    def __init__(self):
        super().__init__(); self.fields = {}; self.area = None; self.select = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'input' and a.get('name') and a.get('type') != 'checkbox': self.fields[a['name']] = a.get('value', '')
        if tag == 'input' and a.get('type') == 'checkbox' and 'checked' in a: self.fields[a['name']] = a.get('value', 'on')
        if tag == 'textarea': self.area = a['name']; self.fields[self.area] = ''
        if tag == 'select': self.select = a['name']
        if tag == 'option' and self.select and 'selected' in a: self.fields[self.select] = a['value']
    def handle_endtag(self, tag):
        if tag == 'textarea': self.area = None
        if tag == 'select': self.select = None
    def handle_data(self, d):
        if self.area: self.fields[self.area] += d

office = login('dieuphoi', 'song-da-rang-2021')
topic_names = ['Xây dựng Đảng', 'Biển, đảo', 'Phòng, chống tham nhũng', 'Quốc phòng, an ninh', 'Nông nghiệp, nông thôn',
               'Dân tộc, tôn giáo', 'Giáo dục', 'Y tế, phòng chống dịch', 'Văn hóa', 'Đối ngoại']
_, page, _ = call('GET', '/awards/1/edit', office)
form = Form(); form.feed(page.decode())
f = form.fields
cats = [('bao-in', 'Báo in', 15), ('bao-dien-tu', 'Báo điện tử', 32), ('truyen-hinh', 'Truyền hình', 30),
        ('phat-thanh', 'Phát thanh', 15), ('anh', 'Ảnh báo chí', 9)]
f.update({
    'title': 'Giải Báo chí quốc gia lần thứ XVI (2021)',
    'categories': '\n'.join(f'{k} | {n} | pdf,image,audio,video | 500 | file-or-link' for k, n, _ in cats),
    'per_author': '3', 'series_max': '10', 'team_max': '10',
    'tiers': 'Giải Đặc biệt: 1 | 9,8\nGiải A: 6\nGiải B: 12\nGiải C: 16\nGiải Khuyến khích: 30',
    'prize_scope': 'overall', 'overflow': 'drop', 'tie_policy': 'council', 'tie_rules': 'median, max-single',
    'judges_per_entry': '3', 'final_judges': 'all', 'shortlist': 'top:15',
    'shortlist_quotas': '\n'.join(f'{k}: top:{q}' for k, _, q in cats),
    'topic_prizes': '\n'.join(f'{t}: 1 | finalists' for t in topic_names),
    'outlets': 'Báo Nhân Dân | Nhân Dân | Báo Nhân Dân cuối tuần\nĐài Truyền hình Việt Nam | VTV\nĐài Tiếng nói Việt Nam | VOV',
})
status, body, _ = call('POST', '/awards/1/edit', office, form=f)
ok(status, body, 'edition')

outlets = ['Báo Nhân Dân', 'Báo Quân đội nhân dân', 'Báo Lao Động', 'Báo Tuổi Trẻ', 'Báo Thanh Niên',
           'Đài Truyền hình Việt Nam', 'Đài Tiếng nói Việt Nam', 'Thông tấn xã Việt Nam', 'Báo Tiền Phong',
           'Báo Sài Gòn Giải Phóng', 'Báo Hà Nội Mới', 'Báo Phú Yên', 'Báo Đà Nẵng', 'Báo Cần Thơ',
           'Tạp chí Cộng sản', 'Báo Điện tử Chính phủ', 'VnExpress', 'Báo Công an nhân dân', 'Báo Pháp luật', 'Báo Nông thôn ngày nay']
judges = []
for c, (key, _, _) in enumerate(cats):
    for j in range(5):
        judges.append((f'gk-{key}-{j}', [key], outlets[(c * 5 + j) % len(outlets)], c * 5 + j < 9))
def add_judges():
    for user, categories, outlet, final in judges:
        form = {'username': user, 'display_name': f'Giám khảo {user}', 'password': 'mat-khau-giam-khao',
                'categories': categories, 'outlet': outlet}
        if final: form['final_council'] = 'on'
        status, body, _ = call('POST', '/awards/1/judges', office, form=form)
        ok(status, body, 'judge')
timed('adding 25 judges (9 on the final council)', add_judges)

# The entry list: 2,081 works as the forwarding committees send them.
surnames = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương']
middles = ['Văn', 'Thị', 'Minh', 'Thanh', 'Quốc', 'Thu', 'Hồng', 'Đức', 'Ngọc', 'Anh']
givens = ['An', 'Bình', 'Châu', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hòa', 'Hoa', 'Hùng', 'Khánh', 'Lan', 'Linh', 'Long',
          'Mai', 'Nam', 'Nga', 'Phong', 'Phúc', 'Quân', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Trung', 'Tú', 'Vân', 'Yến']
share = [320, 640, 520, 321, 280]   # 2,081 entries by category
rows = []
for c, (key, name, _) in enumerate(cats):
    for i in range(share[c]):
        n = random.randint(1, 3)
        authors = '; '.join(f'{random.choice(surnames)} {random.choice(middles)} {random.choice(givens)} {random.choice(givens)}'
                            for _ in range(n))
        rows.append([name, f'{name}: loạt bài số {i + 1} về xây dựng Đảng', authors, random.choice(outlets),
                     f'{random.randint(1, 28):02d}/{random.randint(1, 10):02d}/2026',
                     f'https://bao.example.vn/{key}/{i + 1}', '1', 'Hà Nội', f'Ban Tuyên giáo Tỉnh ủy số {i % 63 + 1}', ''])
def col(i):
    s = ''
    while True:
        s = chr(65 + i % 26) + s; i = i // 26 - 1
        if i < 0: return s
def xlsx(header, rows):
    esc = lambda s: s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
    out = []
    for r, cells in enumerate([header] + rows, start=1):
        out.append(f'<row r="{r}">' + ''.join(f'<c r="{col(i)}{r}" t="inlineStr"><is><t>{esc(v)}</t></is></c>'
                                              for i, v in enumerate(cells)) + '</row>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr('xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Tac pham" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr('xl/worksheets/sheet1.xml', '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + ''.join(out) + '</sheetData></worksheet>')
    return buf.getvalue()
header = ['Thể loại', 'Tên tác phẩm', 'Tác giả (Họ tên | Bút danh; ...)', 'Cơ quan báo chí', 'Ngày đăng, phát',
          'Đường dẫn', 'Số kỳ', 'Địa phương', 'Đơn vị gửi', 'Tóm tắt']
book = xlsx(header, rows)
boundary = 'kehoachbench'
multipart = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="danh-sach.xlsx"\r\n'
             'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n').encode() + book + f'\r\n--{boundary}--\r\n'.encode()
status, body, _ = timed(f'importing {len(rows)} entries from a {len(book) // 1024} KiB .xlsx',
                        lambda: call('POST', '/awards/1/entries/import', office, body=multipart, ctype=f'multipart/form-data; boundary={boundary}'))
if b'2081' not in body.replace(b'.', b'').replace(b',', b''): sys.exit(body[:3000].decode(errors='replace'))
status, body, _ = timed('accepting all 2,081 (bulk intake)', lambda: call('POST', '/awards/1/entries/accept', office, form={'scope': 'all'}))
ok(status, body, 'accept')
timed('the intake page with 2,081 entries', lambda: call('GET', '/awards/1/entries', office))
ok(*call('POST', '/awards/1/status', office, form={'status': 'judging'})[:2], 'status')
db = sqlite3.connect(f'{data}/kehoach.db')
rounds = dict(db.execute("SELECT stage, id FROM award_rounds WHERE edition_id = 1"))
status, body, _ = timed('opening the preliminary round (assignment of 2,081 × 3)', lambda: call('POST', f'/awards/1/rounds/{rounds["preliminary"]}/open', office))
ok(status, body, 'open')

cookies = {u: login(u, 'mat-khau-giam-khao') for u, *_ in judges}
quality = {}
def judge_round(rid, base_mark):
    work = []
    for u in cookies:
        _, page, _ = call('GET', '/giai/cham', cookies[u])
        work += [(u, e) for r, e in re.findall(rf'/giai/cham/({rid})/(\d+)', page.decode())]
    def worker(part):
        for u, e in part:
            q = quality.setdefault(e, random.Random(int(e)).uniform(5.0, 9.6))
            m = lambda: str(max(0, min(10, round(q + random.uniform(-0.7, 0.7)))))
            status, body, _ = call('POST', f'/giai/cham/{rid}/{e}', cookies[u],
                                   form={'mark-noi-dung': m(), 'mark-hinh-thuc': m(), 'mark-tac-dong': m(), 'comment': ''})
            ok(status, body, 'score')
    threads = [threading.Thread(target=worker, args=(work[i::4],)) for i in range(4)]
    t = time.perf_counter(); [x.start() for x in threads]; [x.join() for x in threads]
    print(f'  {len(work)} sheets through the judges\' form in {time.perf_counter() - t:.1f} s', flush=True)
judge_round(rounds['preliminary'], 0)
status, body, _ = timed('closing and sealing the preliminary round', lambda: call('POST', f'/awards/1/rounds/{rounds["preliminary"]}/close', office))
ok(status, body, 'close')
status, body, _ = timed('opening the final round (verify seal, shortlist per sub-council, whole council)', lambda: call('POST', f'/awards/1/rounds/{rounds["final"]}/open', office))
ok(status, body, 'open final')
finalists = db.execute('SELECT e.category, COUNT(*) FROM award_round_entries r JOIN award_entries e ON e.id = r.entry_id WHERE r.round_id = ? GROUP BY e.category', (rounds['final'],)).fetchall()
print('  finalists by sub-council:', dict(finalists), flush=True)
judge_round(rounds['final'], 0)
status, body, _ = timed('closing and sealing the final round', lambda: call('POST', f'/awards/1/rounds/{rounds["final"]}/close', office))
ok(status, body, 'close final')
status, body, _ = timed('computing results (verify seal, rank, allocate, store)', lambda: call('POST', '/awards/1/results/compute', office))
ok(status, body, 'compute')
def not_awarded():
    status, body, _ = call('POST', '/awards/1/tiers', office, form={'tier': 'Giải Đặc biệt', 'action': 'not-awarded',
                           'reason': 'Không tác phẩm nào đạt điểm tối thiểu 9,8 theo Thể lệ'})
    ok(status, body, 'not awarded')
timed('recording the special prize as not awarded', not_awarded)
finalist_codes = [r[0] for r in db.execute('SELECT e.code FROM award_round_entries r JOIN award_entries e ON e.id = r.entry_id WHERE r.round_id = ? ORDER BY e.id', (rounds['final'],)).fetchall()]
def give_topics():
    for i, topic in enumerate(topic_names):
        status, body, _ = call('POST', '/awards/1/topics', office, form={'topic': topic, 'code': finalist_codes[i * 7], 'action': 'give', 'reason': 'Hội đồng Chung khảo biểu quyết'})
        ok(status, body, 'topic prize')
timed('giving ten topic prizes', give_topics)
timed('the results page', lambda: call('GET', '/awards/1/results', office))
for doc in ['decision.docx', 'minutes.docx', 'results.xlsx', 'forwarding.xlsx']:
    status, body, _ = timed(f'export {doc} (verify seals first)', lambda: call('GET', f'/awards/1/export/{doc}', office))
    ok(status, body, doc)
tiers = db.execute("SELECT computed_tier, COUNT(*) FROM award_prizes WHERE computed_tier <> '' GROUP BY computed_tier").fetchall()
print('  prizes by tier:', dict(tiers), flush=True)
print('  topic prizes:', db.execute('SELECT COUNT(*) FROM award_topic_awards').fetchone()[0],
      '· not awarded:', db.execute('SELECT tier FROM award_tier_decisions').fetchall(), flush=True)
print('  notices:', db.execute('SELECT notices_json FROM award_editions WHERE id = 1').fetchone()[0], flush=True)
t = time.perf_counter()
out = subprocess.run([binary, 'award', 'verify'], capture_output=True, text=True)
print(f'kehoach award verify: {(time.perf_counter() - t) * 1000:.0f} ms, exit {out.returncode}', flush=True)
print(out.stdout.strip())
PY
# KEHOACH_BENCH_KEEP=DIR keeps the data folder (to look at the pages after).
if [ -n "${KEHOACH_BENCH_KEEP:-}" ]; then rm -rf "$KEHOACH_BENCH_KEEP"; cp -r "$data" "$KEHOACH_BENCH_KEEP"; fi
