"""Requests/s and latency of a webhook workflow, against a minimal handler doing the same Plivo call.

Workload (issue "the server"): webhook (respond mode) → Plivo `send_sms` against the simulator →
text-helpers `concatenate` → `webhook-response`, every run journaled on SQLite. Baseline, measured in
the same run: a minimal ASGI handler that makes the same Plivo call with httpx and answers, with no
engine and no journal. Each server is a separate `uvicorn` process; the simulator is another; the
load comes from this process (asyncio + httpx, N connections in a closed loop).

    .venv/bin/python bench/server.py [--seconds 10] [--concurrency 1 10 50]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
AUTH_ID = "MAXXXXXXXXXXXXXXXXXX"
AUTH_TOKEN = "simulator-auth-token-0000000000000000000"

WORKFLOW = {
    "version": 1,
    "title": "Webhook to SMS",
    "trigger": {"type": "webhook", "mode": "respond"},
    "steps": [
        {
            "connector": "plivo",
            "operation": "send_sms",
            "auth": "Plivo Bench",
            "input": {"src": "+14155550100", "dst": "+14155550123", "text": "{$.steps.trigger.body.text}"},
        },
        {
            "connector": "text-helpers",
            "operation": "concatenate",
            "input": {"values": ["queued ", "{$.steps.plivo-1.message_uuid[0]}"]},
        },
        {"connector": "webhook-response", "input": {"body": {"result": "{$.steps.text-helpers-1.result}"}}},
    ],
}

BASELINE = """
import httpx
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

SIM = "{sim}/v1/Account/{auth_id}/Message/"

def create():
    client = httpx.AsyncClient(auth=("{auth_id}", "{auth_token}"))

    async def hook(request):
        body = await request.json()
        message = {{"src": "14155550100", "dst": "14155550123", "text": body["text"]}}
        answer = await client.post(SIM, json=message)
        uuid = answer.json()["message_uuid"][0]
        return JSONResponse({{"result": "queued " + uuid}})

    return Starlette(routes=[Route("/hook", hook, methods=["POST"])])
"""


def run_loop(main: Any) -> Any:
    """uvloop when installed (a lighter load generator leaves more of the machine to the servers)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


async def load(url: str, payload: dict[str, Any], concurrency: int, seconds: float) -> dict[str, float]:
    """Closed-loop load: `concurrency` connections, each sending the next request when answered."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        stop = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                started = time.perf_counter()
                try:
                    response = await client.post(url, json=payload)
                except httpx.HTTPError:
                    errors += 1
                    continue
                if response.status_code == 200:
                    latencies.append(time.perf_counter() - started)
                else:
                    errors += 1

        begun = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - begun
    ordered = sorted(latencies)
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(ordered) * 1000,
        "p99": ordered[int(len(ordered) * 0.99) - 1] * 1000 if ordered else float("nan"),
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 10, 50])
    args = parser.parse_args()
    processes: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "SWITCHBOARD_HOME": home}
        try:
            sim_port, server_port, base_port = free_port(), free_port(), free_port()
            sim = f"http://127.0.0.1:{sim_port}"
            processes.append(subprocess.Popen([BIN / "switchboard", "sim", "--port", str(sim_port)], env=env))
            wait_until_up(f"{sim}/sim/plivo/config")
            # The simulator's own limits (5 SMS/s, 300 requests / 5 s) would measure Plivo, not us.
            httpx.patch(
                f"{sim}/sim/plivo/config",
                json={"messages_per_second": None, "requests_per_window": 10_000_000},
            ).raise_for_status()
            auth_fields = {
                "auth_id": AUTH_ID,
                "auth_token": AUTH_TOKEN,
                "base_url": sim,
                "messages_per_second": 10_000,
                "requests_per_5s": 1_000_000,
            }
            auth_command = [BIN / "switchboard", "auth", "add", "plivo", "--name", "Plivo Bench"]
            auth_command += ["--scope", "organisational"]
            for key, value in auth_fields.items():
                auth_command += ["--set", f"{key}={value}"]
            setup = [[BIN / "switchboard", "user", "add", "bench", "--role", "owner"], auth_command]
            token = ""
            for command in setup:
                out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
                token = token or out.strip().splitlines()[-1]
            processes.append(
                subprocess.Popen(
                    [BIN / "switchboard", "serve", "--port", str(server_port)],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            api = f"http://127.0.0.1:{server_port}"
            wait_until_up(f"{api}/openapi.json")
            created = httpx.post(
                f"{api}/api/v1/workflows", json=WORKFLOW, headers={"Authorization": f"Bearer {token}"}
            )
            created.raise_for_status()
            hook = created.json()["trigger_url"]
            baseline_file = Path(home) / "baseline_app.py"
            baseline_file.write_text(BASELINE.format(sim=sim, auth_id=AUTH_ID, auth_token=AUTH_TOKEN))
            uvicorn_command = [BIN / "uvicorn", "--factory", "baseline_app:create", "--app-dir", home]
            uvicorn_command += ["--port", str(base_port), "--log-level", "warning"]
            processes.append(subprocess.Popen(uvicorn_command, env=env))
            baseline = f"http://127.0.0.1:{base_port}/hook"
            wait_until_up(f"http://127.0.0.1:{base_port}/")
            payload = {"text": "hello from the bench"}
            for target in (hook, baseline):  # warm-up: connections, caches, first-run compilation
                run_loop(load(target, payload, 5, 1.0))
            print(
                "workload: webhook -> plivo.send_sms (simulator) -> concatenate -> webhook-response; "
                f"{args.seconds:g} s per measurement, SQLite journal"
            )
            print(
                f"{'concurrency':>11} | {'switchboard rps':>15} {'p50 ms':>7} {'p99 ms':>7} | "
                f"{'baseline rps':>12} {'p50 ms':>7} {'p99 ms':>7} | ratio"
            )
            for concurrency in args.concurrency:
                ours = run_loop(load(hook, payload, concurrency, args.seconds))
                base = run_loop(load(baseline, payload, concurrency, args.seconds))
                errors = f"  (errors: {ours['errors']:.0f} / {base['errors']:.0f})" if ours["errors"] else ""
                print(
                    f"{concurrency:>11} | {ours['rps']:>15.0f} {ours['p50']:>7.1f} {ours['p99']:>7.1f} | "
                    f"{base['rps']:>12.0f} {base['p50']:>7.1f} {base['p99']:>7.1f} | "
                    f"{ours['rps'] / base['rps']:.2f}{errors}"
                )
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=10)


if __name__ == "__main__":
    main()
