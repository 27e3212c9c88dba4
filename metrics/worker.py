"""Run generators in forked worker processes and receive their items through pipes.

A large archive import parses its tweet files in workers, one range each. Items
and errors cross the pipes pickled, so items should be small. Where ``fork`` is
unavailable (Windows), callers do the work in-process instead.
"""

import gc
import multiprocessing
from collections.abc import Callable, Iterator
from multiprocessing.connection import wait
from typing import TypeVar

Item = TypeVar("Item")


def fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def iter_in_workers(producers: list[Callable[[], Iterator[Item]]]) -> Iterator[Item]:
    """Yield the items of every producer, each run in a forked child, in the order they arrive.

    The first exception raised in a child is raised again here. Closing this
    generator early, or an error in the caller, stops every child.
    """
    context = multiprocessing.get_context("fork")
    children = {}
    for index, produce in enumerate(producers):
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_produce_into, args=(produce, sender), name=f"tweetstats-parser-{index}",
                                daemon=True)
        child.start()
        sender.close()
        children[receiver] = child
    try:
        while children:
            for receiver in wait(list(children)):
                yield from _receive(receiver, children)
    finally:
        for receiver, child in children.items():
            receiver.close()
            if child.is_alive():
                child.terminate()
            child.join()


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
    # The child only creates short-lived objects without cycles, so the cyclic
    # garbage collector would only cost time.
    gc.disable()
    try:
        for item in produce():
            sender.send(("item", item))
        sender.send(("done", None))
    except BaseException as error:  # noqa: BLE001 - every error is handed to the parent
        try:
            sender.send(("error", error))
        except Exception:  # noqa: BLE001 - the error itself could not be pickled
            sender.send(("error", RuntimeError(f"{type(error).__name__}: {error}")))
    finally:
        sender.close()
