"""HTTP load on loopback: gunicorn with several workers, 20 concurrent users, measured by wrk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthleague_bench python -m bench.http_load

Starts gunicorn with production settings (debug off; TLS would be the proxy's job), signs the
benchmark's users in by creating their sessions, then runs ``wrk`` against each page for a fixed
duration and reports requests/s, p50/p95/p99 latency and non-2xx responses. The request loop is
bounded by wrk's duration; nothing runs after it.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from bench import ROOT, setup_django
from bench.run import machine, save

LUA = r"""
-- Each request signs in as one of the page's users (sessions are rows: one shared session
-- would make every request wait for the same row lock when its expiry is renewed).
cookies = {%COOKIES%}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, nil, {["Cookie"] = cookies[(counter %% #cookies) + 1], ["Host"] = "127.0.0.1"})
end
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "duration_us": %d, "non_2xx": %d, "errors": %d, '
    .. '"p50_ms": %.1f, "p95_ms": %.1f, "p99_ms": %.1f}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def session_cookie(username):
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.set_expiry(3600)
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def wait_for(url, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not start")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--threads", type=int, default=1, help="more than 1: gunicorn's gthread workers"
    )
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--port", type=int, default=8899)
    options = parser.parse_args()
    setup_django()
    from django.db import connections

    pages = {
        "city dashboard": ("bench-city", "/dashboard/"),
        "province dashboard": ("bench-province", "/dashboard/"),
        "member list (city)": ("bench-city", "/admin/members/member/"),
    }
    cookies = {
        name: [session_cookie(user) for _ in range(options.connections)]
        for name, (user, _url) in pages.items()
    }
    connections.close_all()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "youthleague.settings", "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "youthleague.wsgi",
            "--workers",
            str(options.workers),
            "--bind",
            f"127.0.0.1:{options.port}",
            "--worker-class",
            "gthread" if options.threads > 1 else "sync",
            "--threads",
            str(options.threads),
            "--log-level",
            "warning",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
    )
    results = {
        "machine": machine(),
        "workers": options.workers,
        "threads": options.threads,
        "connections": options.connections,
        "seconds": options.seconds,
        "pages": {},
    }
    try:
        base = f"http://127.0.0.1:{options.port}"
        wait_for(f"{base}/accounts/login/")
        for name, (_user, url) in pages.items():
            listed = ", ".join(f'"{cookie}"' for cookie in cookies[name])
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                script.write(LUA.replace("%COOKIES%", listed).replace("%%", "%"))
            command = [
                "wrk", "-t", "2", "-c", str(options.connections), "-d", f"{options.seconds}s",
                "--timeout", "30s", "-s", script.name, f"{base}{url}",
            ]  # fmt: skip
            output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            measured = json.loads(output.strip().splitlines()[-1])
            measured["requests_per_s"] = round(
                measured["requests"] / (measured["duration_us"] / 1e6), 1
            )
            results["pages"][name] = {"url": url, **measured}
            print(name, results["pages"][name], flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    save("http_load", results)


if __name__ == "__main__":
    main()
