"""Demo accounts for the embedded set-up; they cannot sign in unless DEBUG is on."""

from accounts import services
from accounts.models import User
from accounts.policy import Role
from organizations.models import LAO, District, LAOType, Province

DEMO_PASSWORD = "info-demo-2568"
DEMO_PROVINCE = "30"  # นครราชสีมา
DEMO_DISTRICT = "3008"  # ด่านขุนทด


def _demo_lao() -> LAO:
    """The subdistrict municipality of ด่านขุนทด: the LAO the demo recorder, verifier and certifier serve."""
    return LAO.objects.get(district__code=DEMO_DISTRICT, lao_type=LAOType.SUBDISTRICT_MUNICIPALITY, is_demo=True)


def demo_accounts_spec() -> list[dict]:
    province = Province.objects.get(code=DEMO_PROVINCE)
    district = District.objects.get(code=DEMO_DISTRICT)
    lao = _demo_lao()
    return [
        {"username": "dla.admin", "full_name": "ผู้ดูแลระบบ กรมส่งเสริมการปกครองท้องถิ่น",
         "position": "นักวิเคราะห์นโยบายและแผน", "role": Role.DEPARTMENT_ADMIN, "unit": None},
        {"username": "korat.province", "full_name": "ท้องถิ่นจังหวัดนครราชสีมา (สาธิต)",
         "position": "ท้องถิ่นจังหวัด", "role": Role.PROVINCIAL_OFFICER, "unit": province},
        {"username": "dankhunthot.district", "full_name": "ท้องถิ่นอำเภอด่านขุนทด (สาธิต)",
         "position": "ท้องถิ่นอำเภอ", "role": Role.DISTRICT_OFFICER, "unit": district},
        {"username": "recorder.demo", "full_name": "สมใจ บันทึกดี", "position": "นักวิเคราะห์นโยบายและแผน",
         "role": Role.RECORDER, "unit": lao},
        {"username": "verifier.demo", "full_name": "สมศักดิ์ ตรวจทาน", "position": "ปลัดเทศบาล",
         "role": Role.VERIFIER, "unit": lao},
        {"username": "certifier.demo", "full_name": "สมชาย รับรองผล", "position": "นายกเทศมนตรี",
         "role": Role.CERTIFIER, "unit": lao},
    ]


def demo_accounts_load() -> list[dict]:
    """Create the demo accounts that are missing and make sure each holds its role; idempotent."""
    spec = demo_accounts_spec()
    for entry in spec:
        user = User.objects.filter(username=entry["username"]).first()
        if user is None:
            services.account_create(
                actor=None, username=entry["username"], full_name=entry["full_name"],
                email=f"{entry['username']}@demo.info.localhost", position=entry["position"],
                phone="0-4438-9500", password=DEMO_PASSWORD, is_demo=True,
                grants=[(entry["role"], entry["unit"])],
            )
        else:
            services.role_grant(actor=None, user=user, role=entry["role"], unit=entry["unit"])
    _deputy_load()
    return spec


DEPUTY = {"username": "deputy.demo", "full_name": "สมหมาย แทนการ", "position": "รองนายกเทศมนตรี"}


def _deputy_load() -> User:
    """The deputy head of the demo LAO, with no role of its own: the district appoints it acting head when the
    head is away (on the LAO's page). The district created it, so its pages reach it."""
    user = User.objects.filter(username=DEPUTY["username"]).first()
    if user is not None:
        return user
    district = User.objects.get(username="dankhunthot.district")
    user = services.account_create(actor=district, email=f"{DEPUTY['username']}@demo.info.localhost",
                                   phone="0-4438-9501", password=DEMO_PASSWORD, is_demo=True, **DEPUTY)
    User.objects.filter(pk=user.pk).update(must_change_password=False)
    return user
