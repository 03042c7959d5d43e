"""The built-in demo catalog: a real HTTP server on loopback with real audio.

It speaks the YourMusic, Jamendo v3.0 and Last.fm routes that setlist uses, so a
newcomer can play music without an account, and every end-to-end test has a
server to talk to.
"""
