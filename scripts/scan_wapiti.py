"""Run Debian's wapiti 3.0.4 with two adjustments; same arguments as ``wapiti``; run with the system python3.

1. Its exclude patterns (-x) put a global regex flag at the end of the expression, which Python 3.11 refuses.
2. Its CSRF module recognises a token field only by an exact name ("csrf_token"), so the prefixed token
   fields of pages with several forms ("rename5-csrf_token", which Flask-WTF checks) looked missing.
   Names ending in "-csrf_token" are now recognised too; the module still replaces the token with a
   wrong value and reports a finding unless the server refuses the request.
"""

import re
import sys

from wapitiCore.attack import mod_csrf
from wapitiCore.main import wapiti
from wapitiCore.net import crawler


def wildcard_translate(pattern: str):
    return re.compile("(?ms)" + "".join(".*" if ch == "*" else re.escape(ch) for ch in pattern) + r"\Z")


crawler.wildcard_translate = wildcard_translate
_exact_name_check = mod_csrf.mod_csrf.is_csrf_present


def is_csrf_present(self, original_request):
    for name, value in original_request.post_params:
        if name.lower().endswith("-csrf_token"):
            self.csrf_string = name
            return value
    return _exact_name_check(self, original_request)


mod_csrf.mod_csrf.is_csrf_present = is_csrf_present
sys.argv[0] = "wapiti"
sys.exit(wapiti.wapiti_main())
