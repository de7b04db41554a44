"""A static HTTP server on the loopback interface, for the checks that serve files as GitHub would (the docs site,
the release's checkpoint): quiet, in a background thread."""
import functools, threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args): pass   # no line per request on stderr

def serve(folder: Path) -> ThreadingHTTPServer:
    "Serve `folder` on 127.0.0.1 at a free port (`server.server_port`); stop it with `server.shutdown()`."
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
