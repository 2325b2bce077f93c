"""Queries compiled once: the same rows and values as the ORM, through the same cursor, or a refusal to compile."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models.functions import Length
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from info_portal.cache import PortalRedisCache
from info_portal.prepared import Prepared

pytestmark = pytest.mark.django_db


def by_username(username: str):
    return User.objects.filter(username=username)


def test_a_prepared_query_gives_what_the_orm_gives_with_each_new_parameter(recorder, verifier):
    users = Prepared(by_username, params=lambda username: (username,))
    for user in (recorder, verifier):
        found = users.instance(user.username, using="default")
        assert (found.pk, found.username, found.date_joined, found.is_active) == \
            (user.pk, user.username, User.objects.get(pk=user.pk).date_joined, True)
    assert users.instance("nobody", using="default") is None


def test_a_prepared_query_fills_in_the_related_objects_and_annotations_as_the_orm_does(recorder, verifier):
    User.objects.filter(pk=verifier.pk).update(created_by=recorder)

    def with_creator(pk: int):
        return User.objects.select_related("created_by").annotate(name_length=Length("username")).filter(pk=pk)

    users = Prepared(with_creator, params=lambda pk: (pk,))
    for user in (recorder, verifier):
        found, orm = users.instance(user.pk, using="default"), with_creator(user.pk).get()
        with CaptureQueriesContext(connection) as captured:
            assert (found.username, found.name_length, found.created_by) == \
                (orm.username, orm.name_length, orm.created_by)
        assert len(captured) == 0
    assert users.instance(verifier.pk, using="default").created_by.username == recorder.username


def test_a_prepared_query_runs_through_the_logged_cursor(recorder):
    joined = Prepared(lambda pk: User.objects.filter(pk=pk).values_list("date_joined"), params=lambda pk: (pk,))
    with CaptureQueriesContext(connection) as captured:
        assert joined.value(recorder.pk, using="default") == User.objects.get(pk=recorder.pk).date_joined
        assert joined.value(-1, using="default", default="none") == "none"
    assert len(captured) == 3


def test_parameters_named_in_another_order_than_the_sql_takes_them_are_refused(recorder):
    swapped = Prepared(lambda username, email: User.objects.filter(username=username, email=email),
                       params=lambda username, email: (username, email))
    with pytest.raises(ImproperlyConfigured):
        swapped.instance(recorder.username, recorder.email, using="default")


def test_two_rows_for_one_instance_are_an_error(recorder, verifier):
    from_pk = Prepared(lambda pk: User.objects.filter(pk__gte=pk), params=lambda pk: (pk,))
    with pytest.raises(User.MultipleObjectsReturned):
        from_pk.instance(min(recorder.pk, verifier.pk), using="default")


def test_the_redis_cache_keeps_one_client_per_connection_pool():
    cache = PortalRedisCache("redis://127.0.0.1:6379/0", {})._cache
    assert cache.get_client("a") is cache.get_client("b") is cache.get_client("c", write=True)
    assert cache.get_client("a").connection_pool is cache._get_connection_pool(False)


def test_each_shape_named_is_compiled_once_and_answers_as_the_orm(recorder, verifier):
    def among(*usernames: str):
        return User.objects.filter(username__in=usernames).order_by("username")

    users = Prepared(among, params=lambda *usernames: tuple(sorted(usernames)), shape=lambda *usernames: len(usernames))
    for usernames in ((recorder.username,), (recorder.username, verifier.username), (verifier.username,)):
        assert [user.pk for user in users.instances(*usernames, using="default")] == \
            [user.pk for user in among(*usernames)]
    assert len(users._compiled) == 2
