# Twenty displays, each with 50 MB of metadata and almost no data.
from IPython.display import display

for _ in range(20):
    display({"text/plain": "x"}, metadata={"padding": "m" * 50 * 1024**2}, raw=True)
answer = 42
