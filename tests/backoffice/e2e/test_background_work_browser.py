"""The backoffice's background work in a real Chromium (issue 13): a manager imports stock
from a CSV, reads the dry run's error by its line number, applies it and watches it finish; a
manager writes a campaign in Spanish and English and sends it, and the real worker
(`manage.py runworker`, the `storefront` fixture) delivers it to each consenting customer in
their own language with the unsubscribe headers."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from shop.inventory.models import InventoryJob
from tests.backoffice.api.builders import SKU, email_of
from tests.backoffice.e2e.conftest import sign_in
from tests.builders import ledger_matches_levels, stock_of
from tests.conftest import poll
from tests.e2e.browser import Shots
from tests.shop.campaigns.builders import a_customer

pytestmark = [pytest.mark.browser, pytest.mark.azurite, pytest.mark.slow,
              pytest.mark.django_db(transaction=True)]

# Lines 2 and 3 are good (a count for MAD, a first count for the empty BCN); line 4 names a
# SKU the shop does not have.
STOCK_CSV = f"sku,warehouse,quantity\n{SKU},MAD,40\n{SKU},BCN,7\nNOPE-9,MAD,5\n"


def test_a_manager_imports_stock_checks_the_dry_run_and_applies_it(
        backoffice, storefront, shop, browser_context, tmp_path):
    upload = tmp_path / "count.csv"
    upload.write_text(STOCK_CSV)
    page = browser_context.new_page()
    shot = Shots(page, "backoffice/stock-import")

    sign_in(page, backoffice, "manager")
    page.get_by_test_id("nav-inventory").click()
    page.get_by_test_id("inventory-jobs-link").click()
    page.get_by_test_id("inventory-tab-import").click()
    page.get_by_test_id("stock-import-file").set_input_files(str(upload))
    page.get_by_test_id("stock-import-reason").fill("yearly count")
    shot("upload")
    page.get_by_test_id("stock-import-submit").click()
    page.wait_for_url(re.compile(r"/inventory/jobs/\d+$"))
    job_id = int(page.url.rsplit("/", 1)[1])

    summary = page.get_by_test_id("job-summary")
    expect(summary).to_have_attribute("data-status", "done", timeout=60_000)
    expect(summary).to_have_attribute("data-phase", "dry_run")
    expect(page.get_by_test_id("job-rows-ok")).to_have_text("2")
    expect(page.get_by_test_id("job-rows-error")).to_have_text("1")
    error = page.get_by_test_id("job-error-line-4")
    expect(error).to_contain_text("NOPE-9")
    expect(error).to_contain_text("unknown SKU 'NOPE-9'")
    shot("dry-run")
    assert stock_of(SKU) == [("MAD", 1000, 0)]  # a dry run changes nothing

    apply = page.get_by_test_id("job-apply")
    expect(apply).to_have_text("Apply 2 changes")
    apply.click()
    expect(page.get_by_test_id("job-applied")).to_be_visible(timeout=60_000)
    expect(summary).to_have_attribute("data-phase", "apply")
    expect(page.get_by_test_id("job-status")).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("job-progress-percent")).to_have_text("100%")
    expect(page.get_by_test_id("job-progress-count")).to_have_text("3 of 3 rows")
    shot("applied")

    job = InventoryJob.objects.get(pk=job_id)
    assert (job.kind, job.phase, job.status, job.rows_ok, job.rows_error) == (
        "import", "apply", "done", 2, 1)
    assert job.created_by.email == email_of("manager")
    assert stock_of(SKU) == [("MAD", 40, 0), ("BCN", 7, 0)]
    assert ledger_matches_levels()


def test_a_manager_sends_a_campaign_and_each_customer_reads_it_in_their_language(
        backoffice, storefront, shop, browser_context):
    marker = uuid.uuid4().hex[:6]
    english = a_customer(f"john-{marker}@example.test", locale="en")
    spanish = a_customer(f"lucia-{marker}@example.test", locale="es")
    unwilling = a_customer(f"nadie-{marker}@example.test", locale="en", consent=False)
    subjects = {"es": f"Rebajas de invierno {marker}", "en": f"Winter sale {marker}"}
    bodies = {"es": "Todo al 20 % esta semana.", "en": "Everything 20 % off this week."}
    page = browser_context.new_page()
    shot = Shots(page, "backoffice/campaign-send")

    sign_in(page, backoffice, "manager")
    page.get_by_test_id("nav-campaigns").click()
    page.get_by_test_id("campaign-new").click()
    page.get_by_test_id("campaign-name").fill(f"Winter sale {marker}")
    for locale in ("es", "en"):
        page.get_by_test_id(f"campaign-tab-{locale}").click()
        page.get_by_test_id(f"campaign-subject-{locale}").fill(subjects[locale])
        page.get_by_test_id(f"campaign-body-{locale}").fill(bodies[locale])
    # No language filter: every consenting customer (the world's Ana, John, Lucía).
    expect(page.get_by_test_id("segment-count")).to_have_text("3")
    shot("editor")
    page.get_by_test_id("campaign-save").click()
    page.wait_for_url(re.compile(r"/campaigns/\d+$"))
    expect(page.get_by_test_id("campaign-preview-subject")).to_have_text(subjects["es"])

    page.get_by_test_id("campaign-send-now").click()
    page.get_by_test_id("campaign-send-confirm").click()
    expect(page.get_by_test_id("campaign-status")).to_have_attribute("data-status", "done",
                                                                     timeout=60_000)
    expect(page.get_by_test_id("campaign-sent")).to_have_text("3")
    expect(page.get_by_test_id("campaign-progress-percent")).to_have_text("100%")
    shot("sent")

    def campaign_mails() -> list:
        found = [m for m in storefront.mailbox() if m.subject in subjects.values()]
        return found if len(found) >= 3 else []

    mails = poll(campaign_mails, 60, "the campaign's three e-mails")
    by_recipient = {m.to: m for m in mails}
    assert sorted(by_recipient) == sorted([shop.customer.email, english.email, spanish.email])
    assert len(mails) == 3
    assert unwilling.email not in by_recipient
    for customer, locale in ((english, "en"), (spanish, "es"), (shop.customer, "es")):
        mail = by_recipient[customer.email]
        assert mail.subject == subjects[locale]
        assert bodies[locale] in mail.text()
        link = str(mail.message["List-Unsubscribe"]).strip()
        assert link.startswith(f"<{storefront.base}/unsubscribe/{customer.pk}/"), link
        assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The one-click unsubscribe (RFC 8058) of John's message works as a mail client sends it.
    link = str(by_recipient[english.email].message["List-Unsubscribe"]).strip()[1:-1]
    answer = browser_context.request.post(link, form={"List-Unsubscribe": "One-Click"})
    assert answer.ok, answer.text()
    english.refresh_from_db()
    assert english.marketing_consent is False
