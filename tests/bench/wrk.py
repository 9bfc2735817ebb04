"""Drive one endpoint with wrk: 16 connections, rotating paths and credentials from a Lua script."""

import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

CONNECTIONS = 16
THREADS = 2

LUA = r"""
local paths = {%(paths)s}
local headers = {%(headers)s}
local counter = 0
local threads = {}

function setup(thread)
  thread:set("offset", #threads * 7919)
  table.insert(threads, thread)
end

function init(args)
  counter = offset or 0  -- a global set per thread by setup()
end

function request()
  counter = counter + 1
  local h = headers[(counter %% #headers) + 1]
  return wrk.format("GET", paths[(counter %% #paths) + 1], h)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, "errors": %%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


def _lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _lua_headers(header_sets: list[dict[str, str]]) -> str:
    rendered = []
    for headers in header_sets or [{}]:
        pairs = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items())
        rendered.append("{" + pairs + "}")
    return ", ".join(rendered)


def run(base_url: str, paths: list[str], header_sets: list[dict[str, str]], seconds: int) -> Result:
    script = LUA % {"paths": ", ".join(map(_lua_string, paths)), "headers": _lua_headers(header_sets)}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        completed = subprocess.run(
            [
                "wrk",
                f"-t{THREADS}",
                f"-c{CONNECTIONS}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                handle.name,
                base_url,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        )
    finally:
        Path(handle.name).unlink()
    line = next(line for line in completed.stdout.splitlines() if line.startswith("WRK_JSON "))
    data = json.loads(line.removeprefix("WRK_JSON "))
    return Result(
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=data["errors"],
        requests=data["requests"],
    )
