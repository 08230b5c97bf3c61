"""Back-in-stock alerts: a shopper asks on a sold-out product page, stock comes back, the
timer queues one e-mail and the worker sends it once; asking again after the e-mail arms the
alert again in the new language; two runs at once send one e-mail.
(Ported from legacy tests/integration/workers/test_back_in_stock.py.)"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import close_old_connections
from django.test import Client

from shop.inventory import back_in_stock
from shop.inventory.back_in_stock import back_in_stock_alerts_send
from shop.inventory.models import StockLevel, StockSubscription
from tests.storefront.catalog.builders import a_label, a_shop
from workers.backend import envelope
from workers.models import OutboxMessage
from workers.runner import run_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def sold_out_tee():
    """The shop's only T-shirt (red, M; "Red" in English) is sold out."""
    variant = a_shop({"TEE-M": 0})["TEE-M"]
    variant.attributes = {"color": "Rojo", "size": "M"}
    variant.save()
    a_label("color", "Rojo", "en", "Red")
    return variant


def ask_when_back(email: str, lang: str = "en", *, htmx: bool = True) -> str:
    client = Client(enforce_csrf_checks=True)
    page = client.get(f"/p/producto-1?lang={lang}").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    headers = {"HX-Request": "true"} if htmx else {}
    answer = client.post("/p/producto-1/notify", {"sku": "TEE-M", "email": email,
                                                  "csrfmiddlewaretoken": token},
                         headers=headers)
    assert answer.status_code == 200
    return answer.content.decode()


def stock_set(units: int) -> None:
    StockLevel.objects.filter(variant__sku="TEE-M").update(on_hand=units, reserved=0)


def send_queued_mail() -> list[str]:
    """Run every waiting e-mail task as the worker does (the inbox makes a repeat a no-op)."""
    outcomes = []
    for message in OutboxMessage.objects.filter(queue="notifications").order_by("id"):
        outcomes.append(run_message(queue=message.queue, body=envelope(message),
                                    message_id=str(message.message_id), dequeue_count=1))
    return outcomes


def test_asking_on_the_product_page_records_one_alert_however_often(sold_out_tee):
    first = ask_when_back("Ana@Example.com")
    second = ask_when_back("ana@example.com")

    assert 'role="status">We will e-mail you when it is back in stock.</p>' in first
    assert second == first
    [alert] = StockSubscription.objects.all()
    assert (alert.email, alert.locale, alert.notified_at) == ("ana@example.com", "en", None)


def test_asking_without_htmx_redirects_back_with_a_message(sold_out_tee):
    client = Client()
    answer = client.post("/p/producto-1/notify?lang=es",
                         {"sku": "TEE-M", "email": "ana@example.com"}, follow=True)

    assert answer.redirect_chain == [("/p/producto-1", 302)]
    assert "Te escribiremos cuando vuelva a haber existencias." in answer.content.decode()


@pytest.mark.parametrize(("sku", "email", "message"), [
    ("TEE-M", "not-an-address", "Please enter a valid e-mail address."),
    ("NOPE", "ana@example.com", "That product is not on sale."),
])
def test_a_bad_request_is_answered_with_a_sentence_and_records_nothing(
        sold_out_tee, sku, email, message):
    client = Client()
    answer = client.post("/p/producto-1/notify?lang=en", {"sku": sku, "email": email},
                         headers={"HX-Request": "true"})

    assert f'role="alert">{message}</p>' in answer.content.decode()
    assert StockSubscription.objects.count() == 0


def test_an_available_variant_needs_no_alert(sold_out_tee):
    stock_set(2)

    answer = ask_when_back("ana@example.com")

    assert "Good news: this one is in stock now." in answer
    assert StockSubscription.objects.count() == 0


def test_the_form_needs_the_csrf_token(sold_out_tee):
    client = Client(enforce_csrf_checks=True)

    answer = client.post("/p/producto-1/notify", {"sku": "TEE-M", "email": "a@example.com"})

    assert answer.status_code == 403
    assert StockSubscription.objects.count() == 0


def test_stock_back_e_mails_the_subscriber_once(sold_out_tee, mailbox):
    ask_when_back("Ana@Example.com")
    assert back_in_stock_alerts_send() == 0

    stock_set(5)
    first = back_in_stock_alerts_send()
    sent = send_queued_mail()
    again = back_in_stock_alerts_send()

    assert (first, again) == (1, 0)
    assert sent == ["done"]
    assert send_queued_mail() == ["duplicate"]
    [mail] = mailbox()
    assert mail.to == "ana@example.com"
    assert mail.subject == "T-shirt TEE-M is back in stock"
    assert "Good news: T-shirt TEE-M (Red / M) is back in stock." in mail.text()
    assert "http://127.0.0.1:8000/p/producto-1?lang=en" in mail.text()


def test_asking_again_after_the_e_mail_arms_the_alert_again_in_the_new_language(
        sold_out_tee, mailbox):
    ask_when_back("ana@example.com")
    ask_when_back("ana@example.com")
    stock_set(1)
    back_in_stock_alerts_send()
    stock_set(0)

    ask_when_back("ana@example.com", lang="es")
    stock_set(3)
    queued = back_in_stock_alerts_send()
    sent = send_queued_mail()

    assert queued == 1
    assert sent == ["done", "done"]
    assert sorted(mail.subject for mail in mailbox()) == [
        "T-shirt TEE-M is back in stock", "Ya tenemos Camiseta TEE-M"]
    assert StockSubscription.objects.filter(notified_at__isnull=True).count() == 0


@pytest.mark.azurite
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_one_e_mail(sold_out_tee, azurite, monkeypatch):
    ask_when_back("ana@example.com")
    stock_set(5)
    both_read = threading.Barrier(2, timeout=30)
    due = back_in_stock._due

    def due_then_wait(limit: int):
        found = due(limit)
        both_read.wait()  # each run holds the alert before either claims it
        return found

    monkeypatch.setattr(back_in_stock, "_due", due_then_wait)

    def run() -> int:
        try:
            return back_in_stock_alerts_send()
        finally:
            close_old_connections()

    with ThreadPoolExecutor(2) as pool:
        runs = [pool.submit(run) for _ in range(2)]
        queued = sorted(run.result() for run in runs)

    assert queued == [0, 1]
    assert OutboxMessage.objects.filter(queue="notifications").count() == 1
    assert StockSubscription.objects.get().notified_at is not None
