"""Sign in through the real login form (CSRF token included) and save the session cookie for wapiti.

Run with the system Python that ships wapiti (it provides ``requests`` and ``wapitiCore``):
    python3 scripts/scan_login.py BASE_URL USERNAME PASSWORD COOKIE_FILE
"""

import re
import sys
from urllib.parse import urlsplit

import requests
from wapitiCore.net.jsoncookie import JsonCookie

base, username, password, cookie_file = sys.argv[1:5]
session = requests.Session()
page = session.get(base + "/login", timeout=10)
token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page.text).group(1)
response = session.post(
    base + "/login", data={"username": username, "password": password, "csrf_token": token},
    allow_redirects=False, timeout=10,
)
if response.status_code != 302 or "/login" in response.headers.get("Location", "/login"):
    sys.exit(f"login as {username} failed: HTTP {response.status_code}")
jar = JsonCookie()
jar.open(cookie_file)
jar.delete(urlsplit(base).netloc)
jar.addcookies(session.cookies)
jar.dump()
jar.close()
print(f"signed in as {username}")
