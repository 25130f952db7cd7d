# Ask for 20 GiB at once.
hoard = bytearray(20 * 1024**3)
answer = 42
