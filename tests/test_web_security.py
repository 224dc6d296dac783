"""What must never happen on the site: running foreign HTML, leaking non-public material,
500s on bad input, tracebacks in the browser, writes."""

from __future__ import annotations

import pytest
from webcorpus import SEED_URL

from webapp import create_app


def test_security_headers_on_every_response(web_client):
    paths = ("/", SEED_URL, "/api/search", "/nope", "/static/style.css", "/hamburg-altona/")
    for path in paths:
        with web_client.get(path) as response:
            headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]


def test_pages_have_no_inline_script_or_style(web_client):
    for path in (
        "/?q=Quartier",
        SEED_URL,
        "/hilfe",
        "/nope",
        "/hamburg-altona/",
        "/motions/22-2368",
    ):
        html = web_client.get(path).get_data(as_text=True)
        assert "<script" not in html.replace("&lt;script", "")
        assert " style=" not in html and "<style" not in html
        assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")


def test_corpus_html_never_runs(web_client):
    html = web_client.get("/luebeck/motions/vo-2024-14000").get_data(as_text=True)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Quartier" in html  # the title, escaped
    assert "<img" not in html and "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html.replace('<span class="source-url">javascript:', "")
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">sicher</a>' in html


def test_search_results_escape_titles_but_keep_marks(web_client):
    html = web_client.get("/?q=Sonderzeichen").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>Sonderzeichen</mark>" in html


def test_non_public_material_is_never_shown(web_client):
    for prefix in ("/luebeck", "/api/luebeck", "", "/api"):
        assert web_client.get(f"{prefix}/motions/vo-2024-99999").status_code == 404
    assert "Grundstücksangelegenheit" not in web_client.get("/?q=Quartier").get_data(as_text=True)
    assert "Grundstücksangelegenheit" not in web_client.get("/luebeck/").get_data(as_text=True)
    report = web_client.get("/luebeck/motions/vo-2024-12950").get_data(as_text=True)
    assert "Ausschuss für Soziales" in report
    assert "Hauptausschuss" not in report  # agenda item N 3.1
    assert "Vertrauliche" not in report
    assert "Jugendhilfeausschuss" not in report and "geheim" not in report  # public: false
    data = web_client.get("/api/luebeck/motions/vo-2024-12950").get_json()
    assert [c["committee"] for c in data["consultations"]] == ["Ausschuss für Soziales"]


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=abc",
        "page=99999999",
        "sort=sideways",
        "q=" + "x" * 501,
        "committee=" + "y" * 300,
        "q=%00",
    ],
)
def test_bad_parameters_are_a_friendly_400(web_client, query):
    page = web_client.get(f"/?{query}")
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "Ungültige Anfrage" in html and "Traceback" not in html
    api = web_client.get(f"/api/search?{query}")
    assert api.status_code == 400
    assert api.get_json()["error"]["status"] == 400
    for path in ("/feed.atom", "/export.csv", "/export.json"):
        assert web_client.get(f"{path}?{query}").status_code == 400


@pytest.mark.parametrize(
    "slug",
    ["vo-2024-00000", "VO-2024-12903-01", "vo_2024", "..", "vo-2024-12903-01%3Cx%3E", "a" * 500],
)
@pytest.mark.parametrize("council", ["luebeck/", "hamburg-altona/", ""])
def test_unknown_or_malformed_slugs_are_404(web_client, council, slug):
    page = web_client.get(f"/{council}motions/{slug}")
    assert page.status_code == 404
    assert "Nicht gefunden" in page.get_data(as_text=True)
    assert web_client.get(f"/api/{council}motions/{slug}").status_code == 404


def test_no_route_writes(web_client):
    for path in ("/", SEED_URL, "/api/search", "/export.csv", "/hamburg-altona/", "/api/"):
        response = web_client.post(path)
        assert response.status_code == 405
        assert "Methode nicht erlaubt" in response.get_data(as_text=True) or path.startswith("/api")


def test_unexpected_errors_show_a_page_without_traceback(tmp_path):
    app = create_app({"INDEX_DIR": tmp_path / "index"})

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Interner Fehler" in html
    assert "secret internals" not in html and "Traceback" not in html


def test_missing_index_is_a_friendly_503(tmp_path):
    client = create_app({"INDEX_DIR": tmp_path / "nothing"}).test_client()
    page = client.get("/?q=Quartier")
    assert page.status_code == 503
    assert "Archiv nicht verfügbar" in page.get_data(as_text=True)
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["status"] == "unavailable"
    assert client.get("/api/search").status_code == 503


def test_webapp_never_imports_whoosh():
    from pathlib import Path

    for path in (Path(__file__).resolve().parents[1] / "webapp").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import whoosh" not in text and "from whoosh" not in text, path
