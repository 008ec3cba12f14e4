def assert_in_order(html: str, texts: list[str]) -> None:
    """Each text is in the HTML, after the one before it."""
    positions = []
    for text in texts:
        assert text in html, f"{text!r} is not on the page"
        positions.append(html.index(text))
    assert positions == sorted(positions), f"Not in the order {texts}"
