"""Helpers for the JupyterHub and PostgreSQL suites (tests/test_hub_*.py).

Each helper starts a real server on 127.0.0.1 on a port picked free, and
stops it when its block ends, so no test leaves a process behind.
"""
