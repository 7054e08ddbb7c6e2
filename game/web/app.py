"""The Starlette app: two pages, their script and style, the translations, and the socket.

Pages are plain HTML and one small script served from the package (no build
step, no CDN: a workshop room may have no internet). The translations are the
game's own `assets/translations/<lang>.json`, so the browser says what the
game says. Pages refuse to be framed or to load anything from elsewhere; the
socket refuses a page from another origin.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from game import i18n
from game.web.hub import Client, Hub

STATIC = Path(__file__).resolve().parent / "static"
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; connect-src 'self' ws: wss:; "
                               "img-src 'self' data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the console's token never leaves in a Referer
    "Cache-Control": "no-store",
}


def _page(name: str):
    async def page(request) -> Response:
        return FileResponse(STATIC / name, headers=HEADERS, media_type="text/html")
    return page


async def translations(request) -> Response:
    lang = request.path_params["lang"]
    if lang not in i18n.LANGUAGES:
        return JSONResponse({"error": f"language {lang[:20]!r} is not one of "
                                      f"{', '.join(i18n.LANGUAGES)}"}, status_code=404)
    return JSONResponse(i18n.load(lang), headers=HEADERS)


def _same_origin(socket: WebSocket) -> bool:
    """A browser always sends Origin; a page of another site may not drive the session."""
    origin = socket.headers.get("origin")
    if origin is None:  # not a browser (a test client, a script with the code)
        return True
    return urlsplit(origin).netloc == socket.headers.get("host", "")


def create_app(hub: Hub) -> Starlette:
    async def socket(ws: WebSocket) -> None:
        if not _same_origin(ws):
            await ws.close(code=1008)
            return
        await ws.accept()

        async def close(code: int) -> None:
            if ws.application_state != WebSocketState.DISCONNECTED:
                await ws.close(code=code)

        client = Client(ws.send_text, close)
        hub.add(client)
        try:
            while client in hub.clients:
                message = await ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
                raw = message.get("text")
                await hub.receive(client, raw if raw is not None else message.get("bytes", b""))
        except WebSocketDisconnect:
            pass
        finally:
            await hub.leave(client)

    routes = [
        Route("/", _page("team.html")),
        Route("/facilitator", _page("facilitator.html")),
        Route("/i18n/{lang}.json", translations),
        WebSocketRoute("/ws", socket),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.hub = hub
    return app
