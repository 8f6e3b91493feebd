"""The pipe between the app and the worker: messages in chunks, rebuilt from any pieces."""

from __future__ import annotations

import math
import os
import struct
import threading
import tracemalloc
from array import array

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.loading.protocol import Frames, Progressed, send


def sent(*messages: object) -> bytes:
    """What ``send`` writes for ``messages``, read off a real pipe."""
    read, write = os.pipe()
    received = bytearray()

    def drain() -> None:
        while data := os.read(read, 1 << 16):
            received.extend(data)

    reader = threading.Thread(target=drain)
    reader.start()
    for message in messages:
        send(write, message)
    os.close(write)
    reader.join()
    os.close(read)
    return bytes(received)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.text(max_size=50), st.integers(0, 10**6)), min_size=1, max_size=5),
    st.lists(st.integers(1, 5000), min_size=1, max_size=40),
)
def test_messages_come_out_whole_and_in_order_from_pieces_of_any_size(
    contents: list[tuple[str, int]], cuts: list[int]
) -> None:
    messages = [Progressed(what, done, done + 1) for what, done in contents]
    data, frames, out, at = sent(*messages), Frames(), list[object](), 0
    for cut in cuts * (len(data) // sum(cuts) + 1):
        out += frames.feed(data[at : at + cut])
        at += cut
    assert out == messages


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.floats(allow_nan=False), max_size=300), min_size=1, max_size=4),
    st.lists(st.integers(1, 3000), min_size=1, max_size=40),
)
def test_arrays_sent_beside_the_pickle_come_back_with_their_message(
    columns: list[list[float]], cuts: list[int]
) -> None:
    message = ("columns", [array("d", column) for column in columns], array("q", [-1, 2**40]))
    data, frames, out, at = sent(message, Progressed("after", 1, 2)), Frames(), [], 0
    for cut in cuts * (len(data) // sum(cuts) + 1):
        out += frames.feed(data[at : at + cut])
        at += cut
    assert out == [message, Progressed("after", 1, 2)]


def chunks_of(data: bytes) -> list[tuple[int, bool]]:
    """Each chunk's length, and whether it is an array's numbers sent beside the pickle."""
    chunks, at = [], 0
    while at < len(data):
        (length,) = struct.unpack_from("<Q", data, at)
        chunks.append((length & ~(1 << 63), bool(length >> 63)))
        at += 8 + (length & ~(1 << 63))
    return chunks


def test_a_large_message_goes_out_in_chunks_never_whole() -> None:
    """A trace's pickle is tens of MB: the worker writes it as the pickler makes it."""
    message = [array("d", range(200_000)) for _ in range(5)]  # about 8 MB
    data = sent(message)
    chunks = chunks_of(data)
    assert chunks[-1] == (0, False) and len(chunks) > 5
    assert max(length for length, _ in chunks) < len(data) / 4, "no chunk is the whole message"
    assert Frames().feed(data) == [message]


def test_an_array_goes_out_from_its_own_memory_and_comes_back_bit_for_bit() -> None:
    """Copied to bytes to be pickled, every array of a trace was held twice at once, by the
    pickler in the worker and by the unpickler in the app."""
    numbers = [math.nan, -0.0, math.inf, 5e-324, 0.1]
    message = [array("d", numbers * 40_000) for _ in range(5)]  # 8 MB
    size = 5 * 200_000 * 8
    received = memoryview(bytearray(2 * size))  # made before counting: the reader fills it
    filled = 0

    def drain() -> None:
        nonlocal filled
        while count := os.readv(read, [received[filled:]]):
            filled += count

    read, write = os.pipe()
    reader = threading.Thread(target=drain)
    reader.start()
    tracemalloc.start()
    send(write, message)
    sending = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    os.close(write)
    reader.join()
    os.close(read)
    data = bytes(received[:filled])
    assert sending < size / 20, f"sending held {sending:,} bytes for an {size:,}-byte message"
    assert [length for length, beside in chunks_of(data) if beside] == [size // 5] * 5
    tracemalloc.start()
    (back,) = Frames().feed(data)
    receiving = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert receiving < 1.5 * size, "each array's bytes are let go once the array has them"
    assert isinstance(back, list)
    assert [column.tobytes() for column in back] == [column.tobytes() for column in message]
