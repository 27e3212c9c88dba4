"""Run generators in forked worker processes and receive their items through pipes.

An archive import parses and normalises tweets in workers while the main
process writes to SQLite, so the work spreads over the machine's cores. Items
and errors cross the pipes pickled. Where ``fork`` is unavailable (Windows),
callers run the generators in-process instead.
"""

import contextlib
import fcntl
import gc
import multiprocessing
import queue
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import wait
from typing import TypeVar

Item = TypeVar("Item")

# Pipe buffer asked for: Linux's default maximum (/proc/sys/fs/pipe-max-size).
PIPE_BYTES = 1024 * 1024
# Items a child may have ready before the parent reads them. Each is a batch of
# rows, well under 1 MB, so memory stays flat.
OUTBOX_ITEMS = 4


def fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def iter_in_workers(producers: list[Callable[[], Iterator[Item]]],
                    local: Iterator[Item] | None = None) -> Iterator[Item]:
    """Yield the items of every producer, each run in a forked child, in the order they arrive.

    With ``local``, this process also works: it takes one item from ``local``,
    then every item the children have ready, and so on, and waits for the
    children only once ``local`` is exhausted. The first exception raised in a
    child is raised again here. Closing this generator early, or an error in
    the caller, stops every child.
    """
    context = multiprocessing.get_context("fork")
    children = {}
    for index, produce in enumerate(producers):
        receiver, sender = context.Pipe(duplex=False)
        _enlarge_pipe(sender)
        child = context.Process(target=_produce_into, args=(produce, sender), name=f"tweetstats-parser-{index}",
                                daemon=True)
        child.start()
        sender.close()
        children[receiver] = child
    try:
        for item in local or ():
            yield item
            for receiver in wait(list(children), timeout=0):
                yield from _receive(receiver, children)
        while children:
            for receiver in wait(list(children)):
                yield from _receive(receiver, children)
    finally:
        for receiver, child in children.items():
            receiver.close()
            if child.is_alive():
                child.terminate()
            child.join()


def _enlarge_pipe(sender) -> None:
    """Let the pipe hold a whole batch, so a send does not stall in pieces (Linux only).

    A batch is a few hundred kB, and a pipe holds 64 kB by default. Without room
    for a batch, each send waits for the parent's reads several times over.
    """
    if not hasattr(fcntl, "F_SETPIPE_SZ"):
        return
    with contextlib.suppress(OSError):
        fcntl.fcntl(sender.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _receive(receiver, children: dict) -> Iterator:
    try:
        kind, payload = receiver.recv()
    except EOFError:
        child = children.pop(receiver)
        child.join()
        receiver.close()
        raise RuntimeError(f"the parser process stopped unexpectedly (exit code {child.exitcode})") from None
    if kind == "error":
        raise payload
    if kind == "done":
        children.pop(receiver).join()
        receiver.close()
        return
    yield payload


def _produce_into(produce: Callable[[], Iterator[Item]], sender) -> None:
    """Run ``produce`` and send its items, from a thread of their own so that parsing never waits on the pipe.

    An item is far larger than a pipe's buffer, so a send blocks until the parent
    reads it. The bounded outbox lets the producer run a few items ahead.
    """
    # The child only creates short-lived objects without cycles, so the cyclic
    # garbage collector would only cost time.
    gc.disable()
    outbox: queue.Queue = queue.Queue(maxsize=OUTBOX_ITEMS)
    failed = threading.Event()
    delivery = threading.Thread(target=_deliver, args=(outbox, sender, failed), daemon=True)
    delivery.start()
    try:
        for item in produce():
            if failed.is_set():
                return
            outbox.put(("item", item))
        outbox.put(("done", None))
    except BaseException as error:  # noqa: BLE001 - every error is handed to the parent
        outbox.put(("error", error))
    finally:
        outbox.put(None)
        delivery.join()
        sender.close()


def _deliver(outbox: queue.Queue, sender, failed: threading.Event) -> None:
    while (message := outbox.get()) is not None:
        if failed.is_set():
            continue
        try:
            sender.send(message)
        except Exception as error:  # noqa: BLE001 - reported to the parent, which stops waiting
            failed.set()
            with contextlib.suppress(Exception):
                sender.send(("error", RuntimeError(f"the parser process could not send its {message[0]}: {error}")))
