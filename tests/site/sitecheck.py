"""Helpers of the site tests: the request recorder (imported by conftest.py and the tests)."""

from __future__ import annotations

from urllib.parse import urlparse


class Recorder:
    """Routes a browser context's requests: outside ones are recorded and aborted, failures recorded."""

    def __init__(self, context, base: str):
        self.base = base
        self.external: list[str] = []
        self.failed: list[str] = []
        host = urlparse(base).netloc
        self.host = host

        def route(r):
            url = r.request.url
            if url.startswith(("data:", "blob:", "about:")) or urlparse(url).netloc == host:
                r.continue_()
            else:
                self.external.append(url)
                r.abort()

        context.route("**/*", route)
        context.on("response", lambda resp: resp.status >= 400 and self.failed.append(f"{resp.status} {resp.url}"))

    def clear(self):
        self.external.clear()
        self.failed.clear()
