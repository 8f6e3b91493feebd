"""Sets an alarm whose signal ends the process while it waits (as signal.alarm does)."""
import signal
import time

from micrograd import Value

signal.setitimer(signal.ITIMER_REAL, 0.1)
x = Value(2.0)
time.sleep(5)
