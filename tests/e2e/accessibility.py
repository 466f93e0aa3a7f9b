"""axe-core, run inside a journey's page: every state a journey reaches is checked."""

from axe_playwright_python.sync_playwright import Axe

AXE = Axe()
# WCAG 2.2 AA and what comes before it; axe's best-practice rules too (landmarks, one h1).
RULESETS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def assert_no_axe_violations(page, *, state: str) -> None:
    """Fail with every violation axe finds on the page as it is now, named by ``state``."""
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": RULESETS}})
    violations = results.response["violations"]
    report = "\n".join(
        f"- {violation['id']} ({violation['impact']}): {violation['help']}\n    "
        + "\n    ".join(
            node["target"][0] if len(node["target"]) == 1 else str(node["target"])
            for node in violation["nodes"][:5]
        )
        for violation in violations
    )
    assert not violations, f"axe found problems on {state} ({page.url}):\n{report}"


def assert_no_axe_violations_within(page, selectors: list[str], *, state: str) -> None:
    """As assert_no_axe_violations, inside the given parts of the page only: our own
    sections of an admin page (what axe finds in Wagtail's own frame is not ours)."""
    results = AXE.run(
        page,
        context={"include": [[selector] for selector in selectors]},
        options={"runOnly": {"type": "tag", "values": RULESETS}},
    )
    violations = [
        f"{violation['id']}: {[node['target'] for node in violation['nodes'][:5]]}"
        for violation in results.response["violations"]
    ]
    assert not violations, f"axe found problems on {state} ({page.url}): {violations}"


def page_without_scripts(browser, *, viewport):
    """A page whose own scripts never load: the state someone without JavaScript sees,
    which axe (itself a script, injected by the harness) can still check."""
    context = browser.new_context(viewport=viewport)
    context.route("**/*.js", lambda route: route.abort())
    return context.new_page()


def assert_no_axe_violations_without_scripts(browser, page, *, state: str) -> None:
    """axe needs JavaScript: the page as a browser without it shows it (its HTML, with the
    site's CSS and no script allowed to run) is checked in a second page that has it."""
    html, url = page.content(), page.url
    context = browser.new_context(viewport=page.viewport_size)
    context.route("**/*.js", lambda route: route.abort())
    context.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
    checked = context.new_page()
    checked.goto(url)
    assert_no_axe_violations(checked, state=state)
    context.close()
