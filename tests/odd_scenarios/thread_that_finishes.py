import threading

from micrograd import Value

made = []


def work():
    made.append(Value(3.0, label="x"))


worker = threading.Thread(target=work)
worker.start()
worker.join()
y = made[0] * 2
