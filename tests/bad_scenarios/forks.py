"""Forks a child that would outlive the scenario, then ends with an error."""
import os
import time

from micrograd import Value

x = Value(2.0)
if os.fork() == 0:
    time.sleep(3600)
raise RuntimeError("the parent gives up; the child sleeps on")
