"""Loopback HTTP JSON API that tests use to break and repair cameras (see README.md)."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from gi.repository import GLib


class ControlError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def on_main_loop(fn, timeout: float = 10.0):
    """Runs fn on the GLib main loop (where the RTSP server lives) and returns its result."""
    done = threading.Event()
    box = {}

    def run():
        try:
            box['value'] = fn()
        except Exception as e:  # handed back to the HTTP thread
            box['error'] = e
        done.set()
        return False

    GLib.idle_add(run)
    if not done.wait(timeout):
        raise ControlError(503, 'simulator main loop did not answer')
    if 'error' in box:
        raise box['error']
    return box['value']


def _handler(sim):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args):  # keep stdout for the ready line, stderr quiet
            pass

        def _reply(self, status: int, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _dispatch(self, method: str):
            url = urlparse(self.path)
            parts = [p for p in url.path.split('/') if p]
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            try:
                if method == 'GET' and parts == ['cameras']:
                    return self._reply(200, on_main_loop(sim.describe))
                if method == 'GET' and parts == ['health']:
                    return self._reply(200, {'ok': True})
                if method == 'POST' and len(parts) == 3 and parts[0] == 'cameras':
                    result = on_main_loop(lambda: sim.control(parts[1], parts[2], query))
                    return self._reply(200, result)
                raise ControlError(404, f'no route {method} {url.path}')
            except ControlError as e:
                self._reply(e.status, {'error': str(e)})
            except Exception as e:  # a bug must not take the control API down
                self._reply(500, {'error': f'{type(e).__name__}: {e}'})

        def do_GET(self):
            self._dispatch('GET')

        def do_POST(self):
            self._dispatch('POST')

    return Handler


def serve_control(sim, port: int) -> ThreadingHTTPServer:
    httpd = ThreadingHTTPServer(('127.0.0.1', port), _handler(sim))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd
