import threading
import time

from micrograd import Value


def chatter():
    while True:
        print("still here")
        time.sleep(0.01)


threading.Thread(target=chatter, daemon=True).start()
x = Value(1.0)
y = x * 2
