"""A small HTTP/1.1 and WebSocket client for rollcoach's servers on loopback (python3 stdlib only),
shared by the soak test (tests/soak/soak.py), the clinic's two-server test
(tests/unit/clinic/two_servers_test.py) and the clinic scale benchmark (bench/clinic/run.py).

    status, body = http(port, "GET", "/api/health")
    login = clinic_login(port, "alex@clinic.example", "a long password")     # cookie + CSRF token
    status, headers, body = request(port, "POST", "/api/screening", answers, login.headers())
    ws = WebSocket(port, "/ws/session", headers=login.headers()); ws.send(...); ws.receive()
"""
import base64
import json
import os
import re
import socket
import struct
import subprocess

HOST = "127.0.0.1"


class Closed(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def request(port, method, target, body=None, headers=None, timeout=30.0):
    """One request on a fresh connection; returns (status, headers as a list of (lower-case name,
    value), body bytes). Raises OSError/Closed."""
    data = b"" if body is None else body.encode()
    head = f"{method} {target} HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n"
    if body is not None:
        head += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
    for name, value in (headers or {}).items():
        head += f"{name}: {value}\r\n"
    with socket.create_connection((HOST, port), timeout=timeout) as s:
        s.sendall(head.encode() + b"\r\n" + data)
        chunks = []
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    raw = b"".join(chunks)
    header_end = raw.find(b"\r\n\r\n")
    if header_end < 0 or not raw.startswith(b"HTTP/1.1 "):
        raise Closed("no complete HTTP answer")
    status = int(raw[9:12])
    fields = []
    for line in raw[:header_end].decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        fields.append((name.strip().lower(), value.strip()))
    payload = raw[header_end + 4:]
    for name, value in fields:
        if name == "content-length":
            length = int(value)
            if len(payload) < length:
                raise Closed("answer cut short")
            payload = payload[:length]
    return status, fields, payload


def http(port, method, target, body=None, timeout=30.0, headers=None):
    """One request on a fresh connection; returns (status, body bytes). Raises OSError/Closed."""
    status, _, payload = request(port, method, target, body, headers, timeout)
    return status, payload


class ClinicLogin:
    """A clinic login: the session cookie and the CSRF token every state change sends back."""

    def __init__(self, cookie, csrf):
        self.cookie, self.csrf = cookie, csrf

    def headers(self):
        return {"Cookie": self.cookie, "X-CSRF-Token": self.csrf}


def clinic_login(port, email, password, path="/api/login"):
    """Logs in (or, with path /api/invite/<token>, accepts an invitation with `password`)."""
    body = {"email": email, "password": password} if path == "/api/login" else {"password": password}
    status, fields, payload = request(port, "POST", path, json.dumps(body))
    if status != 200:
        raise Closed(f"{path} answered {status}: {payload[:200]!r}")
    cookie = next(value.split(";", 1)[0] for name, value in fields if name == "set-cookie")
    return ClinicLogin(cookie, json.loads(payload)["csrf"])


class WebSocket:
    """`source`: the local address to connect from (any of 127.0.0.0/8 on Linux), so that many
    sessions on one machine look like many clients to the server's per-client limit."""

    def __init__(self, port, path, timeout=30.0, headers=None, source=None):
        self.sock = socket.create_connection((HOST, port), timeout=timeout, source_address=(source, 0) if source else None)
        key = base64.b64encode(os.urandom(16)).decode()
        extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                           f"{extra}\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        if not head.startswith(b"HTTP/1.1 101"):
            raise Closed(f"handshake refused: {head[:40]!r}")

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise Closed("peer closed")
        self.buffer += chunk

    def _take(self, n):
        while len(self.buffer) < n:
            self._fill()
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def send(self, text):
        payload = text.encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        elif len(payload) < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(payload))
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", len(payload))
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def receive(self):
        """The next text message as JSON; raises Closed on a close frame or a dropped socket."""
        message = b""
        while True:
            b0, b1 = self._take(2)
            length = b1 & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._take(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._take(8))[0]
            payload = self._take(length)
            opcode = b0 & 0x0F
            if opcode == 0x8:
                raise Closed("closed by the server")
            if opcode in (0x9, 0xA):
                continue
            message += payload
            if b0 & 0x80:
                return json.loads(message)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def seed_clinic(rollcoach, uri, therapist, patients):
    """Through the CLI: a therapist (email, password) and `patients` invited patients
    ("Patient i", patienti@example.org); returns their one-time invitation tokens."""
    subprocess.run([rollcoach, "--db", uri, "clinic", "add-therapist", "--email", therapist[0], "--name", "Alex Moreau"],
                   input=therapist[1] + "\n", text=True, check=True, capture_output=True)
    tokens = []
    for i in range(patients):
        out = subprocess.run([rollcoach, "--db", uri, "clinic", "invite-patient", "--therapist", therapist[0], "--name",
                              f"Patient {i}", "--email", f"patient{i}@example.org"], check=True, capture_output=True, text=True).stdout
        tokens.append(re.search(r"#/invite/([0-9a-f]{64})", out).group(1))
    return tokens
