"""The permission matrix of the core (reports, documents) and the procedures plug-in: one test
per (URL, method, role). The table and its rules: matrix.py."""

import pytest

from .checks import check_case, params
from .matrix import CASES, INDICATORS_CASES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("case, role", params([case for case in CASES if case not in INDICATORS_CASES]))
def test_permission_matrix(objects, client_for, case, role):
    check_case(objects, client_for, case, role)
