"""Administrative units (the tree, valid over spans of dates), merge lineage and memberships (roles)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

REFORM_DATE = dt.date(2025, 7, 1)  # districts abolished; two-tier local government from this day


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class UnitType(models.TextChoices):
    TINH = "tinh", _("Tỉnh")
    THANH_PHO = "thanh_pho", _("Thành phố")
    HUYEN = "huyen", _("Huyện")
    QUAN = "quan", _("Quận")
    THI_XA = "thi_xa", _("Thị xã")
    XA = "xa", _("Xã")
    PHUONG = "phuong", _("Phường")
    THI_TRAN = "thi_tran", _("Thị trấn")
    DAC_KHU = "dac_khu", _("Đặc khu")

    @classmethod
    def from_prefix(cls, name):
        """The type named by the prefix of an official full name ("Thị trấn Hồ Xá" → THI_TRAN)."""
        for member in sorted(cls, key=lambda m: -len(m.label)):
            if name.startswith(str(member.label) + " "):
                return member
        raise ValueError(f"Unknown unit type prefix in {name!r}")


class UnitQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day)))

    def resolve(self, code, day):
        """The unit carrying ``code`` on ``day``. Codes were reused by the 2025 reform, so never by code alone."""
        return self.valid_on(day).get(code=code)

    def communes(self):
        return self.filter(level=UnitLevel.COMMUNE)

    def below(self, unit):
        """Every unit under ``unit``, at any depth (see reports.scope)."""
        from ..scope import below_q

        return self.filter(below_q(unit))

    def visible_to(self, user):
        """Communes ``user`` may see (reports.scope.visible_communes)."""
        from ..scope import visible_units_q

        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.communes().filter(visible_units_q(user))


class AdministrativeUnit(models.Model):
    """An official administrative unit (province, district or commune) valid over a span of dates."""

    code = models.CharField(_("mã"), max_length=8, db_index=True)
    name = models.CharField(_("tên"), max_length=200, help_text=_("Tên đầy đủ, kể cả loại đơn vị"))
    unit_type = models.CharField(_("loại đơn vị"), max_length=16, choices=UnitType.choices)
    level = models.CharField(_("cấp"), max_length=16, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("đơn vị cấp trên"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    merged_from = models.ManyToManyField(
        "self", verbose_name=_("hình thành từ"), through="UnitLineage", symmetrical=False,
        related_name="merged_into", blank=True,
    )

    path = models.CharField(
        max_length=255, db_index=True, editable=False, default="",
        help_text="Ids of the ancestors and the unit itself, root first: /12/345/6789/",
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="unit_code_valid_from_unique"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else ""
        path = f"{parent_path or '/'}{self.pk}/"
        if path != self.path:
            moved = bool(self.path)
            self.path = path
            AdministrativeUnit.objects.filter(pk=self.pk).update(path=path)
            if moved:  # a new parent: the descendants' paths change too
                from ..scope import rebuild_paths

                rebuild_paths()

    @property
    def short_name(self):
        """The name without its type prefix ("Vĩnh Long" for "Xã Vĩnh Long")."""
        prefix = self.get_unit_type_display() + " "
        return self.name[len(prefix):] if self.name.startswith(prefix) else self.name

    @property
    def committee_name(self):
        """"UBND xã Vĩnh Long"-style name used in documents."""
        return f"UBND {self.get_unit_type_display().lower()} {self.short_name}"

    def is_valid_on(self, day):
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def province(self):
        unit = self
        while unit.parent_id is not None:
            unit = unit.parent
        return unit

    def ancestors(self):
        """Parent, grandparent … nearest first."""
        chain, unit = [], self.parent
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return chain


class UnitLineage(models.Model):
    """A pre-2025 unit that went (wholly or partly) into a unit formed by the 2025 merge."""

    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="lineage")
    predecessor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="successor_links"
    )
    partial = models.BooleanField(_("chỉ một phần"), default=False)

    class Meta:
        verbose_name = _("nguồn gốc sáp nhập")
        verbose_name_plural = _("nguồn gốc sáp nhập")
        constraints = [
            models.UniqueConstraint(fields=["unit", "predecessor"], name="lineage_unique"),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.unit}"


class Role(models.TextChoices):
    OFFICER = "officer", _("Công chức cấp xã")
    LEADER = "leader", _("Lãnh đạo UBND cấp xã")
    REVIEWER = "reviewer", _("Cán bộ thẩm định (Nội vụ)")
    ADMIN = "admin", _("Quản trị")


class Membership(models.Model):
    """A user's role at a unit. A user may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT,
        related_name="memberships", null=True, blank=True,
        help_text=_("Để trống cho quản trị toàn hệ thống"),
    )
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.unit or _('toàn hệ thống')}"
