"""A thread whose target is a builtin (no Python code to stop) outlives the scenario."""
import threading
import time

from micrograd import Value

threading.Thread(target=time.sleep, args=(3600,)).start()
x = Value(2.0)
y = x * 3
