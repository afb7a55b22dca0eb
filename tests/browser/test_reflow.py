"""Every page type reflows at phone widths (WCAG 1.4.10): nothing scrolls sideways at 320 and
390 CSS pixels, in French and English; wide tables scroll inside their own focusable box and
keep every column on a desktop screen."""

import pytest
from playwright.sync_api import expect

CALCULATION = "amount=1000000&sector=autre&labour_share=50&rate=5&hourly_cost=30"

# One URL per page type, French then English (the English URLs are the language switcher's).
PAGES = [
    ("home", "/fr/", "/en/"),
    (
        "content page",
        "/fr/comprendre/clause-insertion/",
        "/en/understanding-social-clauses/insertion-clause/",
    ),
    ("news index", "/fr/actualites/", "/en/news/"),
    (
        "news article",
        "/fr/actualites/grand-paris-express-cinq-pour-cent/",
        "/en/news/grand-paris-express-five-percent/",
    ),
    ("results index", "/fr/resultats/", "/en/results/"),
    ("yearly results", "/fr/resultats/2025/", "/en/results/2025/"),
    ("guidance library", "/fr/guides/", "/en/guidance/"),
    ("guidance document", "/fr/guides/documents/1/", "/en/guidance/documents/1/"),
    ("contact", "/fr/contact/", "/en/contact/"),
    ("legal notice", "/fr/mentions-legales/", "/en/legal-notice/"),
    ("site search", "/fr/recherche/?q=clause", "/en/recherche/?q=clause"),
    ("directory", "/fr/annuaire/", "/en/directory/"),
    ("commune with a lead", "/fr/annuaire/communes/13004/", "/en/directory/communes/13004/"),
    ("white-zone commune", "/fr/annuaire/communes/40088/", "/en/directory/communes/40088/"),
    ("directory search", "/fr/annuaire/recherche/?q=Saint", "/en/directory/recherche/?q=Saint"),
    (
        "finder result",
        "/fr/trouver-mon-facilitateur/?q=Tarascon",
        "/en/find-my-facilitator/?q=Tarascon",
    ),
    (
        "map of a département",
        "/fr/trouver-mon-facilitateur/?departement=13",
        "/en/find-my-facilitator/?departement=13",
    ),
    (
        "calculator result",
        f"/fr/calculateur-heures-insertion/?{CALCULATION}",
        f"/en/insertion-hours-calculator/?{CALCULATION}",
    ),
    (
        "referral form",
        "/fr/envoyer-mon-projet/?commune=13108",
        "/en/send-my-project/?commune=13108",
    ),
    ("referral confirmation", "/fr/envoyer-mon-projet/?envoye=", "/en/send-my-project/?envoye="),
    ("page not found", "/fr/page-inconnue/", "/en/unknown-page/"),
]
WIDTHS = [320, 390]

# The page's width and the elements sticking out of the viewport, widest first. An element
# inside a box that scrolls or clips (a table's scroll box) does not widen the page: skipped.
OVERFLOW = """() => {
  const limit = window.innerWidth;
  const describe = (element) => {
    const parts = [];
    let node = element;
    for (; node && node !== document.body && parts.length < 4; node = node.parentElement) {
      let part = node.tagName.toLowerCase();
      if (node.id) part += "#" + node.id;
      else if (node.classList.length) part += "." + [...node.classList].join(".");
      parts.unshift(part);
    }
    return parts.join(" > ");
  };
  const clipped = (element) => {
    for (let node = element.parentElement; node !== document.body; node = node.parentElement) {
      const scrolls = getComputedStyle(node).overflowX !== "visible";
      if (scrolls && node.getBoundingClientRect().right <= limit + 0.5) return true;
    }
    return false;
  };
  const offenders = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if ((box.width || box.height) && box.right > limit + 0.5 && !clipped(element)) {
      const text = element.textContent.trim().slice(0, 60);
      offenders.push({right: box.right, name: describe(element), text});
    }
  }
  // Widest first; among equals the innermost, which is usually the cause.
  offenders.sort((a, b) => b.right - a.right);
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: limit, offenders};
}"""


@pytest.fixture(scope="module")
def confirmation_token(browser, live_url):
    """Send one real project (with a long e-mail address) to reach its confirmation page."""
    context = browser.new_context(base_url=live_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/fr/envoyer-mon-projet/?commune=13108")
    page.get_by_label("Organisme acheteur").fill("Syndicat intercommunal de démonstration")
    page.get_by_label("Votre nom").fill("Alice Exemple")
    page.get_by_label("Votre e-mail").fill("alice.exemple-fontaine@achats-publics.example.org")
    page.get_by_role("radio", name="Travaux").check()
    page.get_by_label("Objet du marché").fill("Réhabilitation de la médiathèque (test)")
    page.get_by_label("Montant estimé (€ HT)").fill("450 000")
    page.get_by_label("J'accepte que ces informations", exact=False).check()
    page.get_by_role("button", name="Envoyer mon projet").click()
    expect(page.get_by_role("heading", name="Votre projet a bien été envoyé")).to_be_visible()
    token = page.evaluate("new URLSearchParams(location.search).get('envoye')")
    context.close()
    return token


@pytest.fixture(scope="module")
def narrow_pages(browser, live_url):
    """One browser tab per width, reused by every page of the module."""
    contexts, pages = [], {}

    def get(width):
        if width not in pages:
            context = browser.new_context(
                base_url=live_url, viewport={"width": width, "height": 800}
            )
            contexts.append(context)
            pages[width] = context.new_page()
        return pages[width]

    yield get
    for context in contexts:
        context.close()


@pytest.mark.parametrize(
    "width,name,url",
    [
        (width, f"{name} ({language})", url)
        for width in WIDTHS
        for name, *urls in PAGES
        for language, url in zip(("fr", "en"), urls, strict=True)
    ],
    ids=lambda value: str(value).replace(" ", "-"),
)
def test_page_does_not_scroll_sideways(narrow_pages, confirmation_token, width, name, url):
    page = narrow_pages(width)
    if url.endswith("envoye="):
        url += confirmation_token
    response = page.goto(url)
    assert response.status == (404 if name.startswith("page not found") else 200), url
    if page.locator("#coverage-map").count():
        page.wait_for_load_state("networkidle")  # the map and its panel are drawn by script
    result = page.evaluate(OVERFLOW)
    widest = result["offenders"][0] if result["offenders"] else None
    assert result["scrollWidth"] <= result["innerWidth"], (
        f"{name} {url} scrolls sideways at {width} px: the page is {result['scrollWidth']} px "
        f"wide; widest element: {widest and widest['name']} (right edge at "
        f"{widest and round(widest['right'])} px, text {widest and widest['text']!r})"
    )


def test_wide_tables_scroll_in_a_focusable_box_at_320_px(narrow_pages):
    page = narrow_pages(320)
    page.goto("/fr/resultats/2025/")
    boxes = page.locator(".table-wrapper")
    assert boxes.count() >= 6
    scrolling = 0
    for box in boxes.all():
        if box.evaluate("box => box.scrollWidth > box.clientWidth"):
            scrolling += 1
            # A keyboard user can reach the box and scroll it; it is named for screen readers.
            assert box.get_attribute("tabindex") == "0"
            assert box.get_attribute("role") == "region"
            assert box.get_attribute("aria-label") or box.get_attribute("aria-labelledby")
    assert scrolling, "at 320 px the results tables should scroll inside their box"


@pytest.mark.parametrize(
    "url,heading", [("/fr/resultats/2025/", "Évolution"), ("/en/results/2025/", "Change")]
)
def test_results_tables_show_every_column_at_1280_px(page, url, heading):
    page.goto(url)
    tables = page.locator(".chart table")
    assert tables.count() >= 6
    for table in tables.all():
        cell = table.get_by_role("columnheader", name=heading, exact=True)
        expect(cell).to_be_visible()
        # Inside the viewport and inside the visible part of its scroll box, without scrolling.
        edges = cell.evaluate(
            """cell => {
                const box = cell.closest(".table-wrapper").getBoundingClientRect();
                const own = cell.getBoundingClientRect();
                return {cell: own.right, box: box.right, viewport: window.innerWidth};
            }"""
        )
        caption = table.locator("caption").text_content()
        assert edges["cell"] <= edges["box"] + 0.5, f"{caption}: « {heading} » is cut off"
        assert edges["cell"] <= edges["viewport"], f"{caption}: « {heading} » is off screen"
