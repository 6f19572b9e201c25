"""Between the tests' Chromium and Playwright (tests/support/chromium-merged-features.sh): copies the DevTools pipe's
messages (JSON, each ended by a NUL byte) from Chromium to Playwright, leaving out Network.webSocketFrameReceived and
Network.webSocketFrameSent events. Playwright enables the Network domain on every page and worker, so Chromium sends each
WebSocket message of the console, video included, base64-encoded, through this pipe: decoded pictures make it several
MB/s, which a test process on a busy machine cannot parse as fast, and every protocol reply (a click, an evaluate)
then waits behind minutes of video (docs/testing.md, "A click that never completes"). No test listens to frames."""
import os
import sys

DROP = (b'"method":"Network.webSocketFrameReceived"', b'"method":"Network.webSocketFrameSent"')


def main() -> None:
    src, dst = sys.stdin.fileno(), sys.stdout.fileno()
    pending = b''
    while True:
        chunk = os.read(src, 1 << 20)
        if not chunk:
            break
        pending += chunk
        *messages, pending = pending.split(b'\0')
        out = [m + b'\0' for m in messages if not any(d in m[:80] for d in DROP)]
        data = b''.join(out)
        while data:
            n = os.write(dst, data)
            data = data[n:]
    if pending:
        os.write(dst, pending)


if __name__ == '__main__':
    main()
