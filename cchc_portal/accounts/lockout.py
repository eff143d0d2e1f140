"""The lockout page (AXES_LOCKOUT_CALLABLE): django-axes locks a user name from one address
(AXES_LOCKOUT_PARAMETERS); the page says in Vietnamese when that pair may try again."""

import math

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from .client_ip import client_ip


def retry_at(username, ip_address, request=None):
    """When the pair may try again: its last failure plus the cool-off."""
    cool_off = get_cool_off(request)
    last = (AccessAttempt.objects.filter(username=username, ip_address=ip_address)
            .order_by("-attempt_time").values_list("attempt_time", flat=True).first())
    return (last or timezone.now()) + cool_off


def locked_out(request, original_response=None, credentials=None):
    username = get_client_username(request, credentials) or ""
    until = retry_at(username, client_ip(request), request)
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    context = {"minutes": minutes, "retry_at": until, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
