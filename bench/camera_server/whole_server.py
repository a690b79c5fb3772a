# Whole-server CPU of camera frames at 15 fps (bench/camera_server/run.sh): rollcoach serve on
# loopback, a raw WebSocket client sending RCMF frames of a real-model clip for DURATION seconds
# ("frames"), or holding a running session without frames ("idle"); the server's CPU time from
# /proc/PID/stat (10 ms ticks). Usage: whole_server.py SERVER_PID PORT CLIP DURATION idle|frames
import json, os, socket, struct, sys, time, urllib.request

pid, port, clip, duration, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), sys.argv[5]
base = f"http://127.0.0.1:{port}"

def http(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=body.encode() if body else None,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())

def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def ws_send(sock, payload, opcode):
    header = bytes([0x80 | opcode])
    n = len(payload)
    header += bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n)
    mask = b"\x01\x02\x03\x04"
    sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

def rcmf(frame, t_us):
    out = b"RCMF" + bytes([1, 0, 33, 0]) + struct.pack("<qHH", t_us, int(round(frame.get("aspect", 0) * 1000)), 0)
    for lm in frame["landmarks"]:
        if lm is None:
            out += b"\0" * 8
        else:
            x, y, z, v = lm
            c = lambda a: max(-32768, min(32767, int(round(a * 8192))))
            out += struct.pack("<hhhBB", c(x), c(y), c(z), int(round(max(0, min(1, v)) * 255)), 1)
    return out

frames = [json.loads(l) for l in open(clip) if l.strip()]
questions = http("GET", "/api/screening")["questions"]
answers = {}
for q in questions:
    answers[q["id"]] = 40 if q["type"] == "number" else "no" if q["type"] == "yes_no" else q["choices"][0]["id"]
http("POST", "/api/screening", json.dumps({"answers": answers}))

sock = socket.create_connection(("127.0.0.1", port))
sock.sendall((f"GET /ws/session HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
time.sleep(0.3)
sock.recv(65536)
ws_send(sock, json.dumps({"type": "start", "from_exercise": "thoracic_roll"}).encode(), 1)
sock.setblocking(False)
received = 0
def drain():
    global received
    try:
        while True:
            chunk = sock.recv(1 << 20)
            if not chunk:
                break
            received += len(chunk)
    except BlockingIOError:
        pass
time.sleep(0.5)
drain()
before = cpu_seconds(pid)
start = time.monotonic()
sent = 0
while time.monotonic() - start < duration:
    if mode == "frames":
        f = frames[sent % len(frames)]
        ws_send(sock, rcmf(f, int((time.monotonic() - start) * 1e6) + 1), 2)
    sent += 1
    drain()
    next_at = start + sent / 15.0
    time.sleep(max(0, next_at - time.monotonic()))
elapsed = time.monotonic() - start
used = cpu_seconds(pid) - before
print(json.dumps({"mode": mode, "seconds": round(elapsed, 1), "frames_sent": sent if mode == "frames" else 0,
                  "server_cpu_s": round(used, 3), "share_of_one_core_pct": round(100 * used / elapsed, 3),
                  "bytes_received": received}))
