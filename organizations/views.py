"""The public page about the portal: how many provinces, districts, subdistricts and LAOs it covers."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from organizations.models import LAO, District, Province, Subdistrict


@login_not_required
def about(request):
    return render(request, "organizations/about.html", {
        "counts": {
            "provinces": Province.objects.count(),
            "districts": District.objects.count(),
            "subdistricts": Subdistrict.objects.count(),
            "laos": LAO.objects.filter(is_active=True).count(),
        },
    })
