"""Fixed identities of the demo catalog, named in the README.

The demo server serves them and the services sign in with them; they live here,
where services are built, so that product code knows them without loading the
demo server.
"""

DEMO_TENANT_SLUG = "demo"
DEMO_TENANT_ID = "5e7c0d1a-9a57-4c39-8d43-2f6f2b1c0001"
DEMO_OTP_CODE = "123456"
DEMO_EMAIL = "listener@demo.setlist"
DEMO_CLIENT_ID = "setlist-demo"
DEMO_CLIENT_SECRET = "setlist-demo-secret"
JAMENDO_DEMO_CLIENT_ID = "demo0000"
LASTFM_DEMO_API_KEY = "demo-lastfm-key"
LASTFM_DEMO_API_SECRET = "demo-lastfm-secret"
LASTFM_DEMO_USER = "setlist-demo"
