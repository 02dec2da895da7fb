"""Plivo sends through the engine at a set rate: does the limiter hold the rate exactly, without drag?

Workload: 1,000 workflow runs, each a manual trigger and one `plivo.send_sms` step, through the real
engine (journal on SQLite) and the connector's own client, against the Plivo simulator on 127.0.0.1.
The authentication and the simulator both allow 200 messages per second, so the ideal is 1,000 / 200 =
5.0 s; the figure must land between 5.0 s (never faster than the rate) and 5.5 s (at most 10 % drag).
Runs are started by a pool of concurrent workers, as a server's executor would. Warm-up runs go first
(imports, SQLite pages, caches); the measured runs then use a fresh engine, so a fresh client and limiter:
its first message waits one interval, as after any restart, and 1,000 sends take 1,000 intervals.

Baseline, in the same process and run: the same 1,000 sends made directly with httpx in a plain loop,
without limiter or engine: the fastest the simulator can take them here.

The simulator runs in a process of its own (Plivo is another machine), so it takes no CPU or GIL time
from the engine. Its request budget (300 per 5 s) is raised for the bench, or the baseline's unpaced loop
would be refused; the authentication's is raised likewise, so that messages per second is the only limit
in play.

    .venv/bin/python bench/plivo.py [--sends 1000] [--rate 200] [--workers 16]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import multiprocessing
import socket
import statistics
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from switchboard.connectors.base import Connector
from switchboard.connectors.plivo import PlivoAuth, connector
from switchboard.connectors.registry import Registry, discover
from switchboard.definition import check_workflow
from switchboard.engine.plan import Plan, compile_plan
from switchboard.engine.runner import Engine, ResolvedAuth
from switchboard.sim.plivo import (
    DEFAULT_AUTH_ID,
    DEFAULT_AUTH_TOKEN,
    DEFAULT_NUMBER,
    PlivoSimSettings,
    PlivoSimState,
    create_plivo_app,
)
from switchboard.store.database import open_database
from switchboard.store.journal import SqlJournal

AUTH_NAME = "Plivo Bench"
SOURCE = "+" + DEFAULT_NUMBER
DESTINATION = "+14155550101"
WARM_UP = 50
GENEROUS_REQUEST_BUDGET = 1_000_000


def serve_simulator(settings: dict[str, Any], ports: Connection) -> None:
    """The child process: the simulator on a free port (socket made with IPPROTO_TCP), until killed."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.bind(("127.0.0.1", 0))
    ports.send(listener.getsockname()[1])
    state = PlivoSimState(PlivoSimSettings(**settings))
    server = uvicorn.Server(uvicorn.Config(create_plivo_app(state), log_level="warning", lifespan="on"))
    asyncio.run(server.serve([listener]))


class Simulator:
    """The Plivo simulator in a process of its own, as Plivo is another machine: it takes no CPU from us."""

    def __init__(self, settings: dict[str, Any]) -> None:
        context = multiprocessing.get_context("spawn")
        self._ports, child_end = context.Pipe()
        self._process = context.Process(target=serve_simulator, args=(settings, child_end), daemon=True)
        self.url = ""

    def __enter__(self) -> Simulator:
        self._process.start()
        self.url = f"http://127.0.0.1:{self._ports.recv()}"
        for _ in range(1000):
            try:
                if httpx.get(f"{self.url}/sim/plivo/config").status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.01)
        raise RuntimeError("the simulator did not start")

    def __exit__(self, *_: object) -> None:
        self._process.terminate()
        self._process.join(timeout=10)


class OneAuthentication:
    """The engine's source of authentications: just the bench's."""

    def __init__(self, auth: PlivoAuth) -> None:
        self.auth = auth

    async def resolve(self, name: str, connector: Connector, *, owner: str | None) -> ResolvedAuth:
        return ResolvedAuth(name, self.auth, (self.auth.auth_token,))


def send_workflow() -> Plan:
    registry = Registry([*(known for known in discover() if known.name != "plivo"), connector])
    document = {
        "version": 1,
        "title": "bench: one SMS",
        "trigger": {"type": "manual"},
        "steps": [
            {
                "connector": "plivo",
                "operation": "send_sms",
                "auth": AUTH_NAME,
                "input": {"src": SOURCE, "dst": DESTINATION, "text": "Bench message {$.steps.trigger.n}"},
            }
        ],
    }
    return compile_plan(check_workflow(document, registry), registry)


async def through_the_engine(
    engine: Engine, plan: Plan, sends: int, workers: int, first: int
) -> tuple[float, list[float]]:
    """Seconds for ``sends`` runs started by ``workers`` concurrent workers, and when each run ended."""
    numbers = iter(range(first, first + sends))
    ended: list[float] = []

    async def worker() -> None:
        for n in numbers:
            run = await engine.run(plan, {"n": n})
            assert run.status == "succeeded", run.error
            ended.append(time.perf_counter())

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(workers)))
    return time.perf_counter() - start, ended


async def direct_with_httpx(base_url: str, sends: int) -> float:
    """Seconds for the same sends made one after another with httpx: no limiter, no engine."""
    url = f"{base_url}/v1/Account/{DEFAULT_AUTH_ID}/Message/"
    async with httpx.AsyncClient(auth=(DEFAULT_AUTH_ID, DEFAULT_AUTH_TOKEN)) as client:
        start = time.perf_counter()
        for n in range(sends):
            body = {"src": SOURCE, "dst": DESTINATION, "text": f"Bench message {n}", "type": "sms"}
            answer = await client.post(url, json=body)
            assert answer.status_code == 202, answer.text
        return time.perf_counter() - start


async def main(sends: int, rate: float, workers: int) -> None:
    settings = {"time_scale": 0, "messages_per_second": rate, "requests_per_window": GENEROUS_REQUEST_BUDGET}
    with Simulator(settings) as simulator, tempfile.TemporaryDirectory() as folder:
        auth = PlivoAuth(
            auth_id=DEFAULT_AUTH_ID,
            auth_token=DEFAULT_AUTH_TOKEN,
            base_url=simulator.url,
            messages_per_second=rate,
            requests_per_5s=GENEROUS_REQUEST_BUDGET,
        )
        database = open_database(f"sqlite:///{Path(folder) / 'bench.db'}")
        journal = SqlJournal(database)
        authentications = OneAuthentication(auth)
        plan = send_workflow()
        try:
            baseline = await direct_with_httpx(simulator.url, sends)
            warm_up = Engine(journal=journal, authentications=authentications)
            await through_the_engine(warm_up, plan, WARM_UP, workers, first=0)  # imports, pages, caches
            await warm_up.clients.aclose()
            engine = Engine(journal=journal, authentications=authentications)  # a fresh client and limiter
            measured, ended = await through_the_engine(engine, plan, sends, workers, first=WARM_UP)
            await engine.clients.aclose()
        finally:
            journal.close()
            database.dispose()
    ideal = sends / rate
    gaps = [later - earlier for earlier, later in itertools.pairwise(ended)]
    report(sends, rate, workers, ideal, measured, baseline, gaps)


def report(
    sends: int, rate: float, workers: int, ideal: float, measured: float, baseline: float, gaps: list[float]
) -> None:
    within = "yes" if ideal <= measured <= ideal * 1.1 else "NO"
    print(f"{sends} send_sms runs through the engine at {rate:g}/s ({workers} workers), SQLite journal")
    print(f"  engine + limiter : {measured:.3f} s  (ideal {ideal:.3f} s, ratio {measured / ideal:.4f})")
    print(f"  within [ideal, ideal + 10 %]: {within}")
    per_send = baseline / sends * 1000
    print(f"  baseline (httpx loop, no limiter, no engine): {baseline:.3f} s ({per_send:.2f} ms/send)")
    print(
        f"  gaps between the ends of consecutive runs: median {statistics.median(gaps) * 1000:.2f} ms, "
        f"min {min(gaps) * 1000:.2f} ms, max {max(gaps) * 1000:.2f} ms (pace {1000 / rate:.2f} ms)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sends", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--workers", type=int, default=16)
    arguments: Any = parser.parse_args()
    asyncio.run(main(arguments.sends, arguments.rate, arguments.workers))
