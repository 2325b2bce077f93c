"""A page asks the policy many questions (the menu, the deadline banner, `can` for every card and report) and
reads the user's roles once: the policy keeps them on the request's user."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

GRANT_TABLES = ("accounts_laouserobjectpermission", "accounts_districtuserobjectpermission",
                "accounts_provinceuserobjectpermission", "auth_permission")


def grant_reads(client, url: str) -> list[str]:
    """The queries of one request to `url` that read the roles' storage."""
    client.get(url)  # the catalogue and the session are read once per process and login
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured if any(table in query["sql"] for table in GRANT_TABLES)]


@pytest.mark.parametrize("who", ["recorder", "verifier", "certifier"])
def test_the_home_page_of_an_lao_role_reads_its_roles_once(client, published, who):
    client.force_login(getattr(published.a1, who))
    assert len(grant_reads(client, reverse("home"))) == 1


def test_the_sector_cards_read_the_roles_once(client, published, world):
    client.force_login(published.a1.verifier)
    url = reverse("sectors:lao_sectors", args=[world.lao_a1.pk, 2568])
    assert len(grant_reads(client, url)) == 1


@pytest.mark.parametrize("who", ["district_officer", "provincial_officer", "department_admin"])
def test_an_officer_page_reads_the_roles_once(client, published, world, who, request):
    client.force_login(request.getfixturevalue(who))
    assert len(grant_reads(client, reverse("home"))) == 1
    assert len(grant_reads(client, world.lao_a1.get_absolute_url())) == 1
