"""Changing the language: every page offers it, and none loses what was typed or leads to an address that is no page."""


def test_words_refused_by_the_rate_limit_are_shown_again_in_the_language_chosen(client, csrf):
    page = client.get("/language/fil")
    response = client.post("/words-kept", data={"csrf_token": csrf(client.get("/join")), "kind": "too_many",
                                                "text": "Sana makinig ang korte.", "switch_language": "en"})
    html = response.get_data(as_text=True)
    assert '<html lang="en"' in html and "Too many saves at once" in html and "Sana makinig ang korte." in html
    assert page.status_code == 302


def test_words_kept_are_shown_again_only_with_the_pages_own_token(client):
    client.get("/")
    assert client.post("/words-kept", data={"text": "Words put on the page by another site"}).status_code == 400


def test_an_error_answering_a_form_leads_its_language_link_to_a_page_not_to_a_405(client, make, login):
    login(make.user("editor"))
    client.get("/language/en")
    refused = client.post("/editor/quotes/1/approve", data={"csrf_token": "stale"})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "next=/editor/quotes/1/approve" not in html and "/language/fil" in html
