# Phone home through the machine's loopback, where the test listens.
import socket

connection = socket.create_connection(("127.0.0.1", int("$port")), timeout=5)
connection.sendall(b"answers please")
answer = 42
