"""A proxy in front of the centre that answers some requests one byte a second.

Run as its own process: `python -m tests.faults.drip UPSTREAM_URL PREFIX [body]`; it prints
the port it listens on (127.0.0.1). GET requests whose path starts with PREFIX get the
centre's whole answer (status line, headers, body; with `body`: only the body) dripped byte
by byte; others pass at full speed.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from urllib.parse import urlsplit

DRIP_SECONDS = 1.0


def _read_request(client: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = client.recv(65536)
        if not chunk:
            return b""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = client.recv(65536)
        if not chunk:
            break
        body += chunk
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body


def _serve(client: socket.socket, upstream: tuple[str, int], prefix: bytes, body: bool) -> None:
    with client:
        request = _read_request(client)
        if not request:
            return
        with socket.create_connection(upstream) as centre:
            centre.sendall(request)
            answer = b""
            while chunk := centre.recv(65536):
                answer += chunk
        method, path = request.split(b" ", 2)[:2]
        try:
            if method == b"GET" and path.startswith(prefix):
                start = answer.index(b"\r\n\r\n") + 4 if body else 0
                client.sendall(answer[:start])
                for at in range(start, len(answer)):
                    client.sendall(answer[at : at + 1])
                    time.sleep(DRIP_SECONDS)
            else:
                client.sendall(answer)
        except OSError:
            return  # the hall gave up: what this proxy is for


def main() -> None:
    upstream_url, prefix = sys.argv[1], sys.argv[2].encode()
    body = sys.argv[3:] == ["body"]
    parts = urlsplit(upstream_url)
    upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
    listener = socket.create_server(("127.0.0.1", 0))
    print(listener.getsockname()[1], flush=True)
    while True:
        client, _address = listener.accept()
        threading.Thread(target=_serve, args=(client, upstream, prefix, body), daemon=True).start()


if __name__ == "__main__":
    main()
