"""A timer thread calls os._exit while the main thread is still busy."""
import os
import threading
import time

from micrograd import Value

threading.Timer(0.2, os._exit, args=(1,)).start()
x = Value(2.0)
time.sleep(3)
