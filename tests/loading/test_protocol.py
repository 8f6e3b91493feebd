"""The pipe between the app and the worker: messages in chunks, rebuilt from any pieces."""

from __future__ import annotations

import os
import struct
import threading
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


def test_a_large_message_goes_out_in_chunks_never_whole() -> None:
    """A trace's pickle is tens of MB: the worker writes it as the pickler makes it."""
    message = [array("d", range(200_000)) for _ in range(5)]  # about 8 MB
    data = sent(message)
    chunks, at = [], 0
    while at < len(data):
        (length,) = struct.unpack_from("<Q", data, at)
        chunks.append(length)
        at += 8 + length
    assert chunks[-1] == 0 and len(chunks) > 5
    assert max(chunks) < len(data) / 4, "no chunk is the whole message"
    assert Frames().feed(data) == [message]
