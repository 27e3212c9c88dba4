"""Run a command as a child process and measure its wall time and peak memory."""

import os
import platform
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass


# How often the process tree's memory is sampled, in seconds. Sampling reads
# /proc and takes CPU from the measured processes, so timed runs never sample.
SAMPLE_SECONDS = 0.05


@dataclass
class Memory:
    """Peak memory of a whole process tree, in MB.

    ``pss_mb`` counts a page shared between a parent and its forked children once,
    split among them (proportional set size): the memory the run really takes.
    ``rss_mb`` adds every process's resident set, so it counts shared pages once per
    process and is an upper bound.
    """

    pss_mb: float
    rss_mb: float


def time_process(command: list[str]) -> float:
    """Run the command to completion and return its wall time in seconds; raise CalledProcessError if it fails."""
    started = time.perf_counter()
    completed = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise subprocess.CalledProcessError(completed.returncode, command, stderr=completed.stderr)
    return seconds


def measure_memory(command: list[str]) -> Memory:
    """Run the command to completion, sampling its process tree; raise CalledProcessError if it fails."""
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_pss = peak_rss = 0.0
    while child.poll() is None:
        pss, rss = tree_memory(child.pid)
        peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
        time.sleep(SAMPLE_SECONDS)
    error = child.stderr.read()
    child.stderr.close()
    if child.returncode != 0:
        raise subprocess.CalledProcessError(child.returncode, command, stderr=error)
    return Memory(peak_pss / 1024, peak_rss / 1024)


def tree_memory(root: int) -> tuple[float, float]:
    """Return the summed PSS and RSS, in kB, of a process and all its descendants (Linux /proc)."""
    tree = [root]
    for pid in tree:
        try:
            with open(f"/proc/{pid}/task/{pid}/children", encoding="utf-8") as children:
                tree.extend(int(child) for child in children.read().split())
        except OSError:
            continue
    pss = rss = 0.0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        pss += float(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss += float(line.split()[1])
        except OSError:
            continue
    return pss, rss


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def machine_description() -> str:
    """Describe the machine: processor, cores, memory, Python and SQLite versions."""
    processor = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    processor = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as meminfo:
            memory = f", {int(meminfo.readline().split()[1]) / 1024 / 1024:.0f} GiB memory"
    except OSError:
        pass
    return (f"{processor}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")


def python() -> str:
    return sys.executable
