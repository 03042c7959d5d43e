"""The playback daemon: the player with no screen, behind a Unix socket.

- `run`: its life (lock, socket, services, player, signals); `detach`: leaving the terminal.
- `server` and `commands`: connections and what each request does; `protocol`: the
  wire format, documented in its docstring.
- `client` (`DaemonClient`, `find_daemon`), `remote` (`RemotePlayer`, a Player over the
  socket) and `launch` (`start_daemon`): the side of `setlist ctl` and the app.
"""
