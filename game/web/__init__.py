"""Teams on their own laptops: the facilitator's machine serves the session in a browser.

A Starlette app (served by uvicorn) holds one `game.facilitator.Facilitator`
in simultaneous mode. Teams join with a short code and a browser, nothing
installed; the facilitator's console joins with its own token. Every message
over the websocket is JSON checked against `schema`; every accepted action is
saved at once (`store`), so a dropped team or a restarted server finds the
same state. The modules, one job each:

    codes    join codes and the facilitator's token (from `secrets`)
    schema   the messages a client may send, checked field by field
    store    the server's save: codes plus the facilitator's data, atomically
    hub      the session behind the sockets: who may do what, views, broadcasts
    app      the Starlette routes: pages, static files, translations, the socket
    cli      `samenspel serve`
"""
