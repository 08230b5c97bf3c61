"""Reading the version out of If-Match (legacy unit/backoffice/test_if_match)."""

from __future__ import annotations

import pytest

from backoffice.api.base import expected_version
from shop.core.errors import PreconditionRequired, StaleEdit


@pytest.mark.parametrize(("header", "version"), [('"3"', 3), ('W/"12"', 12), ("7", 7)])
def test_the_version_is_read_from_an_etag(header, version):
    assert expected_version(header) == version


@pytest.mark.parametrize("header", [None, ""])
def test_a_missing_if_match_is_a_precondition_required(header):
    with pytest.raises(PreconditionRequired):
        expected_version(header)


def test_an_if_match_that_names_no_version_is_stale():
    with pytest.raises(StaleEdit, match="names no version"):
        expected_version('"abc"')
