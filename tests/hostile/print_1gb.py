# Print 1 GB.
for _ in range(1024):
    print("x" * 1024**2)
answer = 42
