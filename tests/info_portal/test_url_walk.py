"""Every URL pattern of the portal, tried by every kind of visitor, on their own units and on foreign ones.

Each pattern of the root URLconf is filled with real objects of the test world (LAO, district, province,
report, account, message) once from province A and once from province B, then requested with GET, with a
POST carrying a CSRF token and with a POST without one, by: an anonymous visitor, a signed-in user with no
role, province B's officer, and each role on province A. It fails on:

- a private page that answers an anonymous visitor with anything but a redirect to a login page;
- any 5xx or unhandled exception;
- a 200 for a unit, report, account or message outside the visitor's scope, or a 200 that names an LAO
  outside it (a leak);
- a POST without a CSRF token that is not refused, and any POST that changes a row it had no right to
  change (the database is fingerprinted before and after).
"""

import re
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import Http404
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import policy
from accounts.policy import Role
from api import services as api_services
from api.models import AgencyKey
from certification import services as certification
from jobs.models import Job, JobStatus
from notifications.models import Notification
from organizations.models import LAO, District, Province
from sectors import services as sector_services
from sectors.catalogue import fiscal_year_open
from sectors.models import Sector
from tests.certification.conftest import GOVERNANCE
from tests.conftest import make_user

# Pages anyone may open; everything else must send an anonymous visitor to a login page.
PUBLIC = {"about", "accounts:login", "accounts:logout", "accounts:invitation", "set_language", "health", "healthz",
          "admin:login", "admin:logout", "opendata:index", "opendata:catalog", "opendata:dataset_csv",
          "opendata:dataset_xlsx", "api:schema", "api:swagger"}
# The read API and its schema: no session, no cookie, so no CSRF token either. Without an API key every request
# is refused (401), and a method they do not serve is 405.
API = "api:"
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")
CSRF_SECRET = "walkwalkwalkwalkwalkwalkwalkwalk"  # 32 characters: a valid unmasked CSRF secret
# A form payload that names the fields of the portal's forms, so a view that forgets a check has
# something it could accept. The admin gets an empty POST: a non-empty one confirms its delete pages.
PAYLOAD = {
    "reason": "ทดสอบ", "comment": "ทดสอบ", "note": "ทดสอบ", "active": "0", "confirm": "on",
    "confirm_warnings": "on", "role": "recorder", "full_name": "ทดสอบ", "email": "walk@example.test",
    "username": "walker", "position": "ทดสอบ", "phone": "0", "version": "1", "reports": "1",
}
# A user's own account pages: even a user without any role may change their own password and second factor.
SELF_SERVICE = {"accounts:password_change", "accounts:security", "accounts:second_factor_enrol",
                "accounts:second_factor_verify", "accounts:second_factor_remove", "accounts:recovery_codes_renew"}
# Rows that every request may write: the session, the login-protection log.
UNTRACKED = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}


@dataclass
class Side:
    lao: LAO
    district: District
    province: Province
    report: object
    account: object
    message: Notification
    job: Job


@dataclass
class Walk:
    own: Side
    foreign: Side
    invitee: object
    actors: dict = field(default_factory=dict)


def _certified_governance(lao, prefix):
    recorder = make_user(f"{prefix}.recorder", Role.RECORDER, lao)
    verifier = make_user(f"{prefix}.verifier", Role.VERIFIER, lao)
    certifier = make_user(f"{prefix}.certifier", Role.CERTIFIER, lao)
    fiscal_year = fiscal_year_open(be_year=2568)
    report = sector_services.report_open(lao=lao, sector=Sector.objects.get(code="governance"),
                                         fiscal_year=fiscal_year)
    sector_services.report_save(report_id=report.pk, user=recorder, expected_version=report.version,
                                new_values=GOVERNANCE)
    certification.report_submit(report_id=report.pk, actor=recorder)
    certification.report_verify(report_id=report.pk, actor=verifier)
    certification.report_certify(report_id=report.pk, actor=certifier)
    return report, recorder, verifier, certifier


def _job(owner, key):
    # Succeeded: a finished job is seen and downloaded again, never re-run by anyone.
    return Job.objects.create(kind="walk", task="walk", title=f"งาน {key}", started_by=owner, scope=key,
                              status=JobStatus.SUCCEEDED)


def _message(recipient, key):
    return Notification.objects.create(recipient=recipient, kind="walk", title="ข้อความ", link="/",
                                       dedupe_key=f"walk-{key}")


@pytest.fixture
def walk(world) -> Walk:
    report_a, recorder_a, verifier_a, certifier_a = _certified_governance(world.lao_a1, "a1")
    report_b, recorder_b, _verifier_b, _certifier_b = _certified_governance(world.lao_b1, "b1")
    account_a = make_user("target.a1", Role.RECORDER, world.lao_a1)
    account_b = make_user("target.b1", Role.RECORDER, world.lao_b1)
    walk = Walk(
        own=Side(world.lao_a1, world.district_a1, world.province_a, report_a, account_a,
                 _message(recorder_a, "a"), _job(recorder_a, "a")),
        foreign=Side(world.lao_b1, world.district_b1, world.province_b, report_b, account_b,
                     _message(recorder_b, "b"), _job(recorder_b, "b")),
        invitee=make_user("invitee.a1", Role.RECORDER, world.lao_a1),
    )
    walk.actors = {
        "anonymous": None,
        "no_role": make_user("walk.nobody"),
        "foreign_officer": make_user("walk.province_b", Role.PROVINCIAL_OFFICER, world.province_b),
        "recorder": recorder_a,
        "verifier": verifier_a,
        "certifier": certifier_a,
        "district_officer": make_user("walk.district", Role.DISTRICT_OFFICER, world.district_a1),
        "provincial_officer": make_user("walk.province", Role.PROVINCIAL_OFFICER, world.province_a),
        "department_admin": make_user("walk.department", Role.DEPARTMENT_ADMIN, None),
    }
    return walk


def _patterns(resolver=None, prefix="", namespaces=()):
    """(route with every part, namespaced name or None, pattern) for each URL pattern, depth first."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route, (*namespaces, entry.namespace) if entry.namespace else namespaces)
        elif isinstance(entry, URLPattern):
            yield route, ":".join((*namespaces, entry.name)) if entry.name else None, entry


PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


def _appointment(lao):
    from datetime import date

    from accounts.models import ActingAppointment

    appointment = ActingAppointment.objects.filter(lao=lao).first()
    return appointment or ActingAppointment.objects.create(
        lao=lao, user=make_user(f"walk.acting.{lao.pk}"), capacity="acting", acting_for="นายก", order_ref="ที่ 1/2568",
        starts_on=date(2025, 1, 1), ends_on=date(2025, 1, 31))


def _admin_object(route):
    """The pk of an object of the model an admin route is about (its first two path parts)."""
    app_label, model_name = route.split("/")[1:3]
    model = apps.get_model(app_label, model_name)
    obj = model._default_manager.order_by("pk").first()
    return str(obj.pk) if obj is not None else "1"


def _value(walk, name, route, parameter, side):
    """The path value for one parameter, and the scoped object it names (None when it names none)."""
    admin = route.startswith("admin/")
    if parameter == "content_type_id":
        return str(ContentType.objects.get_for_model(LAO).pk), None
    if parameter == "object_id" and name == "admin:view_on_site":
        return str(side.lao.pk), None
    if parameter in ("object_id", "id", "pk") and admin:
        return _admin_object(route), None
    if parameter == "app_label":
        return "sectors", None
    if parameter == "url":
        return "nowhere/", None
    if parameter == "uidb64":
        return urlsafe_base64_encode(force_bytes(walk.invitee.pk)), None
    if parameter == "token":
        return default_token_generator.make_token(walk.invitee), None
    if parameter == "year":
        return "2568", None
    if parameter == "sector_code":
        return "water", None
    if parameter == "sector":
        return "governance", None
    if parameter == "prefix":
        key = AgencyKey.objects.first() or api_services.key_create(name="walk", province=None, expires_at=None,
                                                                    actor=None)[0]
        return key.prefix, None
    if parameter == "pk" and name == "api:lao":
        return str(side.lao.pk), side.lao
    if parameter == "appointment_id":
        return str(_appointment(side.lao).pk), None
    if parameter == "lao_id" or (parameter == "pk" and name in ("organizations:lao", "organizations:acting_appoint",
                                                               "organizations:acting_revoke")):
        return str(side.lao.pk), side.lao
    if parameter == "job_id":
        return str(side.job.pk), side.job
    if parameter == "report_id":
        return str(side.report.pk), side.report
    if parameter == "pk" and name.startswith("accounts:"):
        return str(side.account.pk), side.account
    if parameter == "pk" and name.startswith("notifications:"):
        return str(side.message.pk), side.message
    if parameter == "code" and "district" in name:
        return side.district.code, side.district
    if parameter == "code" and "province" in name:
        return side.province.code, side.province
    raise AssertionError(f"the walk does not know how to fill <{parameter}> of {route} ({name}): teach _value")


def _targets(walk):
    """(name, url, scoped objects) for every pattern, once per side when it takes a scoped parameter."""
    for route, name, _pattern in _patterns():
        if route == "admin/(?P<url>.*)$":  # the admin's catch-all
            yield "admin:catch_all", "/admin/nowhere/", []
            continue
        label = name or route
        # Route converters (<int:pk>) and named regex groups ((?P<app_label>…)) both read as <name>.
        parameters = [m["parameter"] for m in PARAMETER.finditer(route)]
        seen = set()
        for side in (walk.own, walk.foreign):
            values = {p: _value(walk, label, route, p, side) for p in parameters}
            kwargs = {p: v for p, (v, _o) in values.items()}
            url = reverse(name, kwargs=kwargs) if name else "/" + PARAMETER.sub(
                lambda m, kwargs=kwargs: kwargs[m["parameter"]], route)
            if url in seen:
                continue
            seen.add(url)
            yield label, url, [obj for _v, obj in values.values() if obj is not None]


def _in_scope(actor, obj) -> bool:
    if actor is None:
        return False
    try:
        if isinstance(obj, LAO):
            return policy.laos_for(actor).filter(pk=obj.pk).exists()
        if isinstance(obj, District):
            return policy.district_or_404(actor, obj.code) is not None
        if isinstance(obj, Province):
            return policy.province_or_404(actor, obj.code) is not None
        if isinstance(obj, Notification):
            return obj.recipient_id == actor.pk
        if isinstance(obj, Job):
            return obj.started_by_id == actor.pk
        if hasattr(obj, "lao_id"):
            return policy.laos_for(actor).filter(pk=obj.lao_id).exists()
        return obj.pk == actor.pk or policy.may_administer_account(actor, obj)
    except Http404:
        return False


class RowWrites:
    """Which tables a request wrote rows to: temporary triggers on SQLite, the transaction's own counters on
    PostgreSQL (the test runs in one transaction). Cheap enough to ask around every POST."""

    def __init__(self):
        self.vendor = connection.vendor
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.execute("CREATE TEMP TABLE walk_writes (name TEXT)")
                for table in connection.introspection.table_names(cursor):
                    for event in ("INSERT", "UPDATE", "DELETE"):
                        cursor.execute(f'CREATE TEMP TRIGGER "walk_{event}_{table}" AFTER {event} ON main."{table}" '
                                       f"BEGIN INSERT INTO walk_writes VALUES ('{table}'); END")
        self.mark()

    def _counts(self) -> dict:
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.execute("SELECT name, count(*) FROM walk_writes GROUP BY name")
            else:
                cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables")
            return dict(cursor.fetchall())

    def mark(self) -> None:
        self.before = self._counts()

    def since_mark(self) -> set[str]:
        after = self._counts()
        return {table for table, count in after.items() if count != self.before.get(table, 0)} - UNTRACKED


def _client(actor) -> Client:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if actor is not None:
        client.force_login(actor)
    return client


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].split("?")[0].endswith(LOGIN_PATHS)


# The admin site answers to staff only: the actors without staff status try it as the visitor with no role and
# the foreign officer do; the department is the admin's right role.
ADMIN_VISITORS = {"anonymous", "no_role", "foreign_officer", "department_admin"}
ACTORS = ["anonymous", "no_role", "foreign_officer", "recorder", "verifier", "certifier", "district_officer",
          "provincial_officer", "department_admin"]


@pytest.mark.parametrize("who", ACTORS)
def test_every_url_pattern_keeps_to_its_visitors_scope(walk, who):
    actor = walk.actors[who]
    hidden_laos = [lao for lao in LAO.objects.all() if actor is None or not _in_scope(actor, lao)]
    markers = [lao.name_th for lao in hidden_laos] + [lao.dla_code for lao in hidden_laos if lao.dla_code]
    problems = []
    writes = RowWrites()
    targets = list(_targets(walk))
    assert len(targets) > 250, "the walk must cover the whole URLconf"
    for name, url, objects in targets:
        if url.startswith("/admin/") and who not in ADMIN_VISITORS:
            continue
        public = name in PUBLIC
        outside = [obj for obj in objects if not _in_scope(actor, obj)]
        for method in ("GET", "POST", "POST without CSRF"):
            client = _client(actor)
            data = {} if url.startswith("/admin/") else PAYLOAD
            writes.mark()
            if method == "GET":
                response = client.get(url)
            elif method == "POST":
                client.cookies["csrftoken"] = CSRF_SECRET
                response = client.post(url, data, HTTP_X_CSRFTOKEN=CSRF_SECRET)
            else:
                response = client.post(url, data)
            status = response.status_code
            where = f"{who} {method} {url} ({name}) → {status}"
            if status >= 500:
                problems.append(f"{where}: server error")
                continue
            keyed = name.startswith(API)
            refused_token = method == "POST without CSRF" and (status == 403 or (keyed and status in (401, 405)))
            if keyed and not public and status != 401:
                problems.append(f"{where}: the API must refuse a request without a key")
            if actor is None and not public and not (_is_login_redirect(response) or refused_token or keyed):
                problems.append(f"{where}: a private page must send an anonymous visitor to the login page")
            if status == 200 and outside and not public:
                problems.append(f"{where}: answered for {outside} outside the visitor's scope")
            if status == 200 and not response.streaming and response.get("Content-Type", "").startswith("text"):
                text = response.content.decode("utf-8", "replace")
                leaked = [marker for marker in markers if marker in text]
                if leaked:
                    problems.append(f"{where}: shows {leaked} outside the visitor's scope")
            if method == "POST without CSRF" and not refused_token:
                problems.append(f"{where}: a POST without a CSRF token must be refused")
            unauthorised = (method == "POST without CSRF" or actor is None or outside
                            or (who == "no_role" and name not in SELF_SERVICE))
            written = writes.since_mark()
            if method != "GET" and unauthorised and written:
                problems.append(f"{where}: wrote to {sorted(written)} without the right to")
    assert not problems, "\n".join(problems)
