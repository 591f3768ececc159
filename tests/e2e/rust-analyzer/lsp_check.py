#!/usr/bin/env python3
"""End-to-end check of `--format rustc-json` with the real rust-analyzer.

Acts as a minimal LSP client: copies the template project to a temporary directory, starts
`rust-analyzer` over stdio with `rust-analyzer.check.overrideCommand` set to stratalint, opens and
saves `src/services/slow.rs` (flycheck runs on save), and waits for a `textDocument/publishDiagnostics`
with the stratalint finding at the right place, in UTF-16 columns.

Exit codes: 0 passed, 1 failed (with what was received), 3 rust-analyzer could not be started.
"""

import argparse
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

RULE = "blocking-call-in-async"
TARGET = "src/services/slow.rs"
NEEDLE = "std::thread::sleep(Duration::from_millis(10))"


def log(msg):
    print(f"rust-analyzer e2e: {msg}", flush=True)


class Server:
    """rust-analyzer over stdio: framed JSON-RPC, a reader thread, requests answered inline."""

    def __init__(self, cmd, cwd, stderr):
        self.proc = subprocess.Popen(
            cmd, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr
        )
        self.inbox = queue.Queue()
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                line = line.decode("ascii", "replace").strip()
                if not line:
                    break
                key, _, value = line.partition(":")
                headers[key.strip().lower()] = value.strip()
            body = out.read(int(headers["content-length"]))
            self.inbox.put(json.loads(body.decode("utf-8")))

    def send(self, message):
        message["jsonrpc"] = "2.0"
        body = json.dumps(message).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"id": rid, "method": method, "params": params})
        return rid

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def receive(self, timeout):
        try:
            return self.inbox.get(timeout=max(timeout, 0.01))
        except queue.Empty:
            return "timeout"


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


def expected_range(text):
    """Where the editor must show the finding: 0-based line, UTF-16 code units (the LSP default),
    not chars or bytes."""
    lines = text.split("\n")
    line_no = next(i for i, l in enumerate(lines) if NEEDLE in l)
    line = lines[line_no]
    start = line.index(NEEDLE)
    assert utf16_len(line[:start]) != start, "the line must have text outside the BMP before the call"
    return (
        {"line": line_no, "character": utf16_len(line[:start])},
        {"line": line_no, "character": utf16_len(line[: start + len(NEEDLE)])},
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True, help="absolute path of the stratalint binary")
    ap.add_argument("--template", required=True, help="the project to copy and open")
    ap.add_argument("--rust-analyzer", default="rust-analyzer")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--keep", action="store_true", help="keep the temporary project and log")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="stratalint-ra-e2e-"))
    project = tmp / "project"
    shutil.copytree(args.template, project)
    project = project.resolve()
    target = project / TARGET
    text = target.read_text(encoding="utf-8")
    # Phase 2 edits the file: a line inserted above the call moves the finding one line down, and
    # the diagnostic at the old line must be gone (rust-analyzer clears them by package id).
    edited = text.replace("    let greeting", "    // moved down by the e2e test\n    let greeting", 1)
    phases = [(text, expected_range(text)), (edited, expected_range(edited))]

    settings = {
        "check": {
            "overrideCommand": [args.binary, "check", "--format", "rustc-json", "--exit-zero"],
        },
        "checkOnSave": True,
        "cargo": {"buildScripts": {"enable": False}},
        "procMacro": {"enable": False},
        "cachePriming": {"enable": False},
    }
    stderr_path = tmp / "rust-analyzer.log"
    stderr = open(stderr_path, "wb")
    env_note = f"project {project}, rust-analyzer log {stderr_path}"
    try:
        server = Server([args.rust_analyzer], project, stderr)
    except OSError as e:
        log(f"cannot start rust-analyzer: {e}")
        return 3

    root_uri = project.as_uri()
    file_uri = target.as_uri()
    received = []  # every publishDiagnostics, for the failure report
    deadline = time.monotonic() + args.timeout
    init_id = server.request(
        "initialize",
        {
            "processId": os.getpid(),
            "clientInfo": {"name": "stratalint-e2e"},
            "rootUri": root_uri,
            "workspaceFolders": [{"uri": root_uri, "name": "project"}],
            "initializationOptions": settings,
            "capabilities": {
                "workspace": {"configuration": True, "workspaceFolders": True},
                "textDocument": {
                    "synchronization": {"didSave": True},
                    "publishDiagnostics": {"relatedInformation": True},
                },
                "window": {"workDoneProgress": True},
                "experimental": {"serverStatusNotification": True},
            },
        },
    )
    phase = 0
    saved_at = None
    version = None
    result = 1
    try:
        while time.monotonic() < deadline:
            # An editor saves after opening and editing; save again every 20 s in case a save came
            # before the workspace was loaded (flycheck then has nothing to run on).
            if version and (saved_at is None or time.monotonic() - saved_at > 20):
                server.notify("textDocument/didSave", {"textDocument": {"uri": file_uri}})
                saved_at = time.monotonic()
                log(f"phase {phase + 1}: didSave sent")
            msg = server.receive(min(1.0, deadline - time.monotonic()))
            if msg == "timeout":
                continue
            if msg is None:
                log(f"rust-analyzer exited with {server.proc.wait()}")
                break
            method = msg.get("method")
            if "id" in msg and method:  # a request from the server
                answer = None
                if method == "workspace/configuration":
                    answer = [settings if (i.get("section") in (None, "rust-analyzer")) else None
                              for i in msg["params"]["items"]]
                server.send({"id": msg["id"], "result": answer})
                continue
            if msg.get("id") == init_id:
                if "error" in msg:
                    log(f"initialize failed: {msg['error']}")
                    break
                version = msg["result"].get("serverInfo", {}).get("version", "?")
                log(f"initialized rust-analyzer {version}")
                server.notify("initialized", {})
                server.notify(
                    "textDocument/didOpen",
                    {"textDocument": {"uri": file_uri, "languageId": "rust", "version": 1, "text": text}},
                )
                continue
            if method == "experimental/serverStatus":
                params = msg["params"]
                if params.get("message"):
                    log(f"server status: {params.get('health')}: {params['message'].strip()[:300]}")
            elif method in ("window/showMessage", "window/logMessage"):
                if msg["params"].get("type", 4) <= 2:
                    log(f"{method}: {msg['params'].get('message', '')[:300]}")
            elif method == "textDocument/publishDiagnostics":
                params = msg["params"]
                received.append(params)
                if params["uri"] != file_uri:
                    continue
                ours = [d for d in params["diagnostics"] if d.get("source") == "stratalint"]
                log(f"phase {phase + 1}: publishDiagnostics for {TARGET}: "
                    f"{json.dumps(ours, ensure_ascii=False)}")
                start, end = phases[phase][1]
                good = [
                    d for d in ours
                    if d.get("code") == RULE
                    and d["range"] == {"start": start, "end": end}
                    and d.get("severity") == 1
                    and "std::thread::sleep" in d["message"]
                ]
                if not (good and len(ours) == 1):
                    # Not there yet (rust-analyzer publishes as it goes), or stale: keep waiting.
                    continue
                log(f"phase {phase + 1} passed: {RULE} from source \"stratalint\" at "
                    f"{start}..{end} (UTF-16), message {good[0]['message']!r}")
                phase += 1
                if phase == len(phases):
                    result = 0
                    break
                new_text = phases[phase][0]
                target.write_text(new_text, encoding="utf-8")
                server.notify("textDocument/didChange", {
                    "textDocument": {"uri": file_uri, "version": phase + 1},
                    "contentChanges": [{"text": new_text}],
                })
                saved_at = None
        else:
            log(f"timed out after {args.timeout:.0f} s")
    finally:
        try:
            server.request("shutdown", None)
            server.notify("exit", None)
            server.proc.wait(timeout=10)
        except Exception:
            server.proc.kill()
        stderr.close()

    if result != 0:
        if phase < len(phases):
            start, end = phases[phase][1]
            log(f"FAILED in phase {phase + 1}: expected exactly one diagnostic with source "
                f"\"stratalint\", code {RULE!r}, severity 1 (error) at {start}..{end}")
        log("publishDiagnostics received:")
        for p in received:
            print(json.dumps(p, ensure_ascii=False), flush=True)
        if not received:
            print("  (none)")
        print(f"  ({env_note}; last lines of the log follow)")
        tail = stderr_path.read_text(errors="replace").splitlines()[-40:]
        print("\n".join("  | " + l for l in tail), flush=True)
        args.keep = True
    if args.keep:
        log(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return result


if __name__ == "__main__":
    sys.exit(main())
