#!/usr/bin/env bash
# The server's edge under abuse, on the release binary: memory and log growth
# for 20 log-ins with 5 MiB user names, peak memory during 50 concurrent
# log-ins, and how long a slow-header connection stays open.
# Usage: bash bench/edge.sh   (KEHOACH_BIN=… to use another build)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
port=18091
secs=0
source "$root/bench/common.sh"
export RUST_LOG=info   # the default a deployment logs at
export KEHOACH_HEADER_READ_TIMEOUT_SECS=10
start_server --demo
python3 - "$server" "$port" "$data/server.log" <<'PY'
import os, socket, sys, threading, time
pid, port, log = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
MiB = 1024 * 1024

def mem():
    f = dict(l.split(':', 1) for l in open(f'/proc/{pid}/status'))
    return int(f['VmRSS'].split()[0]) * 1024, int(f['VmHWM'].split()[0]) * 1024

def request(head, body=b''):
    s = socket.create_connection(('127.0.0.1', port))
    s.settimeout(60)
    try:
        s.sendall(head + body)
    except OSError:
        pass
    try:
        return int(s.recv(12)[9:12])
    except (OSError, ValueError):
        return 0
    finally:
        s.close()

def post(path, body):
    head = (f'POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n'
            'Content-Type: application/x-www-form-urlencoded\r\n'
            f'Content-Length: {len(body)}\r\nConnection: close\r\n\r\n').encode()
    return request(head, body)

def at_once(n, f):
    out = [None] * n
    ts = [threading.Thread(target=lambda i=i: out.__setitem__(i, f(i))) for i in range(n)]
    [t.start() for t in ts]; [t.join() for t in ts]
    return out

# A 400 MB entry request of repeated text fields, from a logged-in entrant.
s = socket.create_connection(('127.0.0.1', port)); s.settimeout(60)
body = b'username=tacgia&password=vinh-xuan-dai-2021'
s.sendall((f'POST /login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\n'
           f'Content-Length: {len(body)}\r\nConnection: close\r\n\r\n').encode() + body)
reply = b''
while b'\r\n\r\n' not in reply: reply += s.recv(4096)
cookie = [l.split(b' ', 1)[1].split(b';')[0] for l in reply.split(b'\r\n') if l.lower().startswith(b'set-cookie: kh_session=')][0]
s.close()
part = b'--B\r\nContent-Disposition: form-data; name="summary"\r\n\r\n' + b'x' * (64 * 1024 - 60) + b'\r\n'
total = 400 * 1000 * 1000
rss0, _ = mem(); open(f'/proc/{pid}/clear_refs', 'w').write('5')
s = socket.create_connection(('127.0.0.1', port)); s.settimeout(60)
s.sendall((f'POST /giai/1/du-thi HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n'
           f'Cookie: {cookie.decode()}\r\nContent-Type: multipart/form-data; boundary=B\r\n'
           f'Content-Length: {total}\r\n\r\n').encode())
sent = 0
try:
    while sent < total:
        s.sendall(part); sent += len(part)
except OSError:
    pass
answer = b''
try:
    while True:
        chunk = s.recv(65536)
        if not chunk: break
        answer += chunk
except OSError:
    pass
s.close()
_, peak = mem()
print(f'a 400 MB request of repeated text fields: answer {answer[9:12].decode() or "closed"} after {sent / MiB:.1f} MiB sent, '
      f'{len(answer)} bytes back, memory peak growth {(peak - rss0) / MiB:.1f} MiB')


at_once(50, lambda i: request(f'GET /giai HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'.encode()))
open(f'/proc/{pid}/clear_refs', 'w').write('5')
before, _ = mem()
answers = at_once(50, lambda i: post('/login', f'username=user{i}&password=wrong-password'.encode()))
_, peak = mem()
print(f'50 concurrent log-ins: memory before {before / MiB:.0f} MiB, peak {peak / MiB:.0f} MiB; '
      f'answers {sorted(set(answers))} ({answers.count(401)}×401, {answers.count(429)}×429, {answers.count(503)}×503)')

huge = b'a' * (5 * MiB)
post('/login', b'username=' + huge + b'&password=x')
rss0, _ = mem(); log0 = os.path.getsize(log)
codes = [post('/login', b'username=' + str(i).encode() + huge + b'&password=x') for i in range(20)]
rss1, _ = mem(); log1 = os.path.getsize(log)
print(f'20 log-ins with 5 MiB user names: answers {sorted(set(codes))}, memory growth '
      f'{(rss1 - rss0) / MiB:.1f} MiB, log growth {log1 - log0} bytes')

s = socket.create_connection(('127.0.0.1', port)); s.settimeout(60)
t = time.monotonic(); s.sendall(b'GET /healthz HTTP/1.1\r\nHost: x\r\n')
while s.recv(1024): pass
print(f'slow-header connection closed after {time.monotonic() - t:.1f} s (header_read_timeout_secs=10)')
PY
