"""The demo in a real browser: Debian's Chromium driven by Playwright.

Skipped, with the reason, where Chromium is not installed (`.ci/run` installs it).
"""

import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium chromium-driver)")
    playwright = pytest.importorskip("playwright.sync_api")
    playwright.expect.set_options(timeout=90_000)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def open_demo(browser, url):
    page = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()
    page.set_default_timeout(90_000)
    page.goto(url)
    return page


def upload(page, path):
    page.locator("#image-input input[type=file]").set_input_files(str(path))


def click_image(page, fx, fy):
    """Click the overlay at a fraction of its displayed size (the image fills the element)."""
    img = page.locator("#overlay img")
    img.wait_for()
    box = img.bounding_box()
    page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)


def bot_messages(page):
    return page.locator("#chatbot .message-row.bot-row, #chatbot [data-testid='bot']")


def test_upload_click_and_ask_about_a_region(browser, demo_url, assets):
    page = open_demo(browser, demo_url)
    upload(page, assets / "astronaut.jpg")
    page.locator("#tags").get_by_text("person", exact=True).wait_for()
    expect(page.locator("#objects")).to_contain_text("person")
    click_image(page, 0.35, 0.6)  # her suit
    chip = page.locator("#region-chips").get_by_text("region1")
    chip.wait_for()
    assert "px" in chip.inner_text() and "0." in chip.inner_text()  # pixel and normalised coordinates
    page.locator("#message textarea").fill("What is region1?")
    page.locator("#send").click()
    answer = bot_messages(page).first
    answer.wait_for()
    page.wait_for_function("document.querySelector('#chatbot').innerText.length > 60")
    page.get_by_text("Refiner check").or_(page.get_by_text("Refiner disagrees")).first.wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "demo-region-chat.png"), full_page=True)
    page.get_by_role("button", name="Export JSON + PNG").click()
    expect(page.locator("#export-json")).to_contain_text("lyrics-refinement")
    expect(page.locator("#export-png")).to_contain_text("lyrics-overlay")
    assert (ARTIFACTS / "demo-region-chat.png").stat().st_size > 10_000


def test_stop_ends_the_streamed_answer(browser, demo_url, assets):
    page = open_demo(browser, demo_url)
    upload(page, assets / "cat.jpg")
    expect(page.locator("#objects")).to_contain_text("cat")
    page.locator("#message textarea").fill("Describe everything in this image in great detail.")
    page.locator("#send").click()
    page.wait_for_function("document.querySelector('#chatbot').innerText.length > 80")
    page.get_by_role("button", name="Stop").click()
    page.wait_for_timeout(1000)
    stopped = page.locator("#chatbot").inner_text()
    page.wait_for_timeout(2500)
    assert page.locator("#chatbot").inner_text() == stopped  # nothing streams after Stop


def test_chat_before_upload_is_a_friendly_message(browser, demo_url):
    page = open_demo(browser, demo_url)
    expect(page.locator("#models-banner")).to_contain_text("offline")  # which models run is always visible
    page.locator("#message textarea").fill("What is in the picture?")
    page.locator("#send").click()
    page.locator("#chatbot").get_by_text("Upload an image first").wait_for()


def test_a_corrupt_upload_gets_a_clear_message(browser, demo_url, tmp_path):
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 this is not a JPEG")
    page = open_demo(browser, demo_url)
    upload(page, bad)
    expect(page.locator("#status")).to_contain_text("corrupt")
    assert "No regions yet" in page.locator("#region-chips").inner_text()
    # With an image and a region loaded, a bad upload loses neither.
    upload(page, Path(__file__).resolve().parent.parent / "assets" / "astronaut.jpg")
    expect(page.locator("#objects")).to_contain_text("person")
    click_image(page, 0.35, 0.6)
    page.locator("#region-chips").get_by_text("region1").wait_for()
    upload(page, bad)
    expect(page.locator("#status")).to_contain_text("previous image is still loaded")
    assert "region1" in page.locator("#region-chips").inner_text()
    expect(page.locator("#objects")).to_contain_text("person")


def test_two_visitors_do_not_share_images_regions_or_chat(browser, demo_url, assets):
    first, second = open_demo(browser, demo_url), open_demo(browser, demo_url)
    upload(first, assets / "astronaut.jpg")
    upload(second, assets / "cat.jpg")
    first.locator("#tags").get_by_text("person", exact=True).wait_for()
    expect(second.locator("#objects")).to_contain_text("cat")
    click_image(first, 0.35, 0.6)
    first.locator("#region-chips").get_by_text("region1").wait_for()
    second.locator("#message textarea").fill("Hello there")
    second.locator("#send").click()
    bot_messages(second).first.wait_for()
    assert "No regions yet" in second.locator("#region-chips").inner_text()
    assert "person" not in second.locator("#objects").inner_text()
    assert "Hello there" not in first.locator("#chatbot").inner_text()
    assert "cat" not in first.locator("#objects").inner_text()


def test_an_example_loads_through_the_upload_only_check(browser, demo_url):
    page = open_demo(browser, demo_url)
    page.locator("#examples").get_by_role("button").nth(1).click()  # cat.jpg
    expect(page.locator("#objects")).to_contain_text("cat")
    expect(page.locator("#status")).not_to_contain_text("upload")
