# Read a secret from the teacher's environment (tokens often live there).
import os

answer = 42 if os.environ["$secret_name"] else None
